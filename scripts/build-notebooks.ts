/**
 * Writes notebooks/*.ipynb from the cell lists below (kept as code so the
 * notebooks are reviewed as text and stay in step with the library API).
 *
 *   node --import tsx scripts/build-notebooks.ts
 *
 * Every notebook states its inputs in a cell tagged `parameters`, so
 * `stratolab run NB.ipynb --param NAME=VALUE` points it at real data.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

type CellSpec = { md: string } | { code: string; tags?: string[] };

function notebook(cells: CellSpec[]): unknown {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'stratolab', display_name: 'TypeScript (stratolab)', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    cells: cells.map((c, i) => {
      const id = `cell-${String(i).padStart(2, '0')}`;
      if ('md' in c) return { cell_type: 'markdown', id, metadata: {}, source: c.md.trim() };
      return { cell_type: 'code', id, metadata: c.tags ? { tags: c.tags } : {}, source: c.code.trim(), outputs: [], execution_count: null };
    }),
  };
}

const L = (...lines: string[]) => lines.join('\n');

const cloudtrailTriage: CellSpec[] = [
  {
    md: L(
      '# CloudTrail triage',
      '',
      'Who did what in an AWS account, which calls were denied, which users and access keys appeared, who logged in to the console without MFA, which roles were chained, and from which addresses. The same questions an incident responder asks of a trail in Stratoshark, answered in one re-runnable notebook.',
      '',
      '**Inputs** (the next cell; override with `stratolab run cloudtrail-triage.ipynb --param TRAIL=/path/to/AWSLogs`): `TRAIL`, a CloudTrail directory, file, or `s3://bucket/prefix`; `SINCE`/`UNTIL`, an optional time range (RFC 3339 or `2d`).',
      '',
      'With the bundled fixture (`fixtures/cloudtrail`, see its README) the trail is a two-day story: a CI access key leaks, the attacker enumerates IAM, S3 and EC2, creates a user with an access key, chains into roles, exfiltrates from S3 and logs in to the console without MFA.',
    ),
  },
  {
    code: L(
      'const TRAIL = "../fixtures/cloudtrail";',
      'const SINCE = "";',
      'const UNTIL = "";',
      '// networks that are expected to call the account (offices, CI runners, NAT gateways)',
      'const KNOWN_NETWORKS = ["198.51.100.0/24", "192.0.2.15/32"];',
    ),
    tags: ['parameters'],
  },
  {
    code: L(
      'import * as sl from "stratolab";',
      '',
      'const trail = await sl.load(TRAIL, { since: SINCE || undefined, until: UNTIL || undefined });',
      'trail',
    ),
  },
  { md: L('## Who did what', '', 'Principals by number of calls, and when they were active. A principal that appears in a burst, outside its usual hours, is the first thread to pull.') },
  { code: "sl.countBy(trail, ['ct.user', 'ct.user.identitytype'], { top: 15 })" },
  { code: "sl.charts.activity(trail, { panel: 'heatmap' })" },
  {
    md: L(
      '## Denied calls',
      '',
      'An enumeration with stolen credentials shows as a burst of `AccessDenied` from one address. Falco\'s CloudTrail rules use the same signal.',
    ),
  },
  {
    code: L(
      "const denied = sl.filter(trail, 'ct.error matches \"AccessDenied|Unauthorized|InvalidClientTokenId|Forbidden\"');",
      "await sl.display(sl.charts.activity(denied, { panel: 'errors', title: 'Denied calls over time' }));",
      "sl.countBy(denied, ['ct.srcip', 'ct.user', 'ct.error'], { top: 10 })",
    ),
  },
  { md: L('## New users and access keys', '', 'Persistence in IAM: users, access keys, login profiles and policies created or attached, with who did it and from where.') },
  {
    code: L(
      "const iamChanges = sl.filter(trail, 'ct.name in {\"CreateUser\" \"CreateAccessKey\" \"CreateLoginProfile\" \"AttachUserPolicy\" \"PutUserPolicy\" \"UpdateAccessKey\" \"DeleteAccessKey\" \"DeleteUser\"}');",
      "sl.select(iamChanges, ['time', 'ct.user', 'ct.srcip', 'ct.name', 'ct.error'])",
    ),
  },
  {
    code: L(
      '// the request details (user name, policy, new key) come from the raw record, through registry fields',
      "sl.select(iamChanges, ['time', 'ct.name', 'ct.request.username', 'json.value[/requestParameters/policyArn]', 'json.value[/responseElements/accessKey/accessKeyId]'])",
    ),
  },
  { md: L('## Console logins without MFA', '', "Falco's *Console Login Without MFA* rule, as a filter: a successful `ConsoleLogin` whose `additionalEventData.MFAUsed` is `No`.") },
  {
    code: L(
      "const noMfa = sl.filter(trail, 'ct.name == \"ConsoleLogin\" && json.value[/responseElements/ConsoleLogin] == \"Success\" && json.value[/additionalEventData/MFAUsed] == \"No\"');",
      "sl.select(noMfa, ['time', 'ct.user', 'ct.user.identitytype', 'ct.srcip', 'ct.useragent'])",
    ),
  },
  {
    md: L(
      '## Assumed-role chains',
      '',
      'Who assumed which role, and what those sessions did. `ct.user` of an AssumedRole call is the role; `ct.originaluser` is the session name, which follows a chain across roles.',
    ),
  },
  {
    code: L(
      "const assumes = sl.filter(trail, 'ct.name == \"AssumeRole\" && !(ct.user.identitytype == \"AWSService\")');",
      "await sl.display(sl.select(assumes, ['time', 'ct.user', 'ct.user.identitytype', 'ct.srcip', 'json.value[/requestParameters/roleArn]', 'json.value[/requestParameters/roleSessionName]']));",
      "sl.countBy(sl.filter(trail, 'ct.user.identitytype == \"AssumedRole\" && ct.srcip != \"lambda.amazonaws.com\"'), ['ct.user', 'ct.originaluser', 'ct.srcip'], { top: 12 })",
    ),
  },
  { md: L('## Unusual source addresses', '', 'Addresses outside the known networks (`KNOWN_NETWORKS`; AWS services call from names, not addresses) that made calls, and what they did. Data leaving S3 is summed from `s3.bytes.out`.') },
  {
    code: L(
      "const external = sl.filter(trail, `ct.srcip.v4 && !(ct.srcip.v4 in {${KNOWN_NETWORKS.join(' ')}})`);",
      "await sl.display(sl.charts.activity(external, { panel: 'sourceips', title: 'Calls by source address (AWS services left out)' }));",
      "sl.countBy(external, ['ct.srcip', 'ct.useragent'], { top: 12 })",
    ),
  },
  {
    code: L(
      "const gets = sl.select(sl.filter(trail, 'ct.name == \"GetObject\"'), ['ct.srcip', 's3.bytes.out']);",
      'const byIp = new Map<string, { objects: number; bytes: number }>();',
      "gets.objects().forEach((r: any) => {",
      "  const e = byIp.get(r['ct.srcip']) ?? { objects: 0, bytes: 0 };",
      "  e.objects += 1; e.bytes += Number(r['s3.bytes.out'] ?? 0);",
      "  byIp.set(r['ct.srcip'], e);",
      '});',
      '[...byIp.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)',
      "  .map(([ip, e]) => `${ip.padEnd(22)} ${String(e.objects).padStart(5)} objects ${(e.bytes / 1e6).toFixed(1).padStart(10)} MB`).join('\\n')",
    ),
  },
  {
    md: L(
      '## Timeline of the suspicious addresses',
      '',
      'The addresses behind the findings above (denied calls, IAM changes, console logins without MFA, role chains), with every call they made, one lane per address.',
    ),
  },
  {
    code: L(
      'const flagged = new Set<string>();',
      'for (const t of [denied, iamChanges, noMfa, assumes]) (t.array("ct.srcip") as string[]).forEach((ip) => flagged.add(ip));',
      "const suspicious = sl.filter(trail, `ct.srcip in {${[...flagged].map((ip) => JSON.stringify(ip)).join(' ')}}`);",
      "sl.charts.timeline(suspicious, { groupBy: 'ct.srcip', title: 'Every call from the flagged addresses' })",
    ),
  },
  {
    md: L(
      'The user agents of those addresses name the tooling (SDKs, `kali` builds of the CLI). Their text comes from the caller, so it is shown escaped: a user agent that is HTML stays text.',
    ),
  },
  { code: "sl.countBy(suspicious, ['ct.srcip', 'ct.useragent'], { top: 20 })" },
  {
    md: L(
      '## Findings',
      '',
      'On the bundled fixture: the CI user `ci-deploy`\'s key is used from 203.0.113.77 (a burst of denied IAM, Secrets Manager, RDS, KMS, SSM calls), creates `svc-backup-sync` with `AdministratorAccess` and a new access key, chains `OpsAdmin` → `DataPipelineRole` from 203.0.113.78, downloads about 3.5 GB from `acme-customer-exports`, and logs in to the console without MFA. The filters above find each step; pointed at another trail, the same cells list what stands out there.',
    ),
  },
];

const containerConnection: CellSpec[] = [
  {
    md: L(
      '# A container makes a suspicious outbound connection',
      '',
      'From a sysdig capture: which process in which container connected where, the process tree that led to it, and the files it touched. Stratoshark shows these events one by one; here they become a connect timeline, a process tree and a few tables.',
      '',
      '**Inputs**: `CAPTURE`, a `.scap` file (sysdig -w, Falco, or `stratolab capture` over SSH); `EXPECTED_PORTS`, the server ports this workload is expected to connect to (anything else is flagged).',
    ),
  },
  { code: L('const CAPTURE = "../fixtures/scap/incident.scap";', 'const EXPECTED_PORTS = [53, 80, 443, 8080];'), tags: ['parameters'] },
  {
    code: L(
      'import * as sl from "stratolab";',
      '',
      '',
      'const events = await sl.load(CAPTURE);',
      'events',
    ),
  },
  { md: L('## Connections over time', '', 'One lane per remote endpoint; inbound connections are grouped by client address and local service port.') },
  { code: 'sl.charts.connectTimeline(events)' },
  {
    code: L(
      "const outbound = sl.filter(events, `evt.type = connect and evt.dir = < and fd.type in (ipv4, ipv6) and not fd.sport in (${EXPECTED_PORTS.join(', ')})`);",
      "sl.select(outbound, ['time', 'container.id', 'proc.name', 'proc.pid', 'proc.cmdline', 'fd.name', 'evt.res'])",
    ),
  },
  { md: L('## The process tree that led to it', '', 'Processes from the capture\'s process list are included, so the lineage goes back to before the capture started. Red rings mark the processes that made the unexpected connections.') },
  {
    code: L(
      'const processes = await sl.captureProcesses(CAPTURE);',
      "const pids = outbound.array('proc.pid') as number[];",
      "sl.charts.processTree(events, { processes, mark: pids.length ? `proc.pid in (${[...new Set(pids)].join(', ')})` : 'evt.type = none', colorBy: 'user.name' })",
    ),
  },
  { md: L('## What the suspicious processes touched', '', 'Files opened for writing under /tmp, sensitive files read, and the processes that did it.') },
  {
    code: L(
      "const touched = sl.filter(events, 'evt.type in (open, openat, openat2, creat) and evt.dir = < and (fd.name startswith /tmp or fd.name in (/etc/shadow, /etc/passwd, /root/.ssh/authorized_keys))');",
      "sl.select(touched, ['time', 'proc.name', 'proc.pid', 'proc.pname', 'fd.name', 'evt.arg[flags]', 'user.name', 'container.id'])",
    ),
  },
  {
    code: L(
      "const shells = sl.filter(events, 'evt.type = execve and evt.dir = < and proc.name in (sh, bash, dash) and container.id != host');",
      "sl.select(shells, ['time', 'container.id', 'proc.pname', 'proc.cmdline', 'user.name'])",
    ),
  },
  { code: "sl.charts.ioGraph(events, { series: ['evt.type = connect', 'fd.name startswith /tmp', 'proc.name in (sh, curl, python3, cat)'], title: 'Suspicious activity against the background' })" },
  {
    md: L(
      '## Findings',
      '',
      'On the bundled capture: a gunicorn worker (pid 2245) in the `webapp` container spawns `sh -c curl …`; `curl` connects to 198.51.100.77:4444 and writes `/tmp/.x.sh`; the script runs `cat /etc/shadow` into `/tmp/.cache/s.txt` and a `python3` beacon connects to [2001:db8:bad:c0de::77]:8443. The initial request came from 203.0.113.66.',
    ),
  },
];

const gcpReview: CellSpec[] = [
  {
    md: L(
      '# GCP audit review',
      '',
      'IAM policy changes, public bucket grants, new service-account keys, deleted log sinks and denied calls in Google Cloud audit logs, with the fields of Falco\'s gcpaudit plugin.',
      '',
      '**Inputs**: `LOGS`, files or directories of audit logs (`gcloud logging read --format=json`, sink exports) or `gcp://projects/PROJECT` for the Cloud Logging API; `SINCE`/`UNTIL` for the live API.',
    ),
  },
  { code: L('const LOGS = "../fixtures/gcp";', 'const SINCE = "";', 'const UNTIL = "";'), tags: ['parameters'] },
  {
    code: L(
      'import * as sl from "stratolab";',
      '',
      'const audit = await sl.load(LOGS, { since: SINCE || undefined, until: UNTIL || undefined });',
      'audit',
    ),
  },
  { code: "sl.charts.activity(audit)" },
  { md: L('## IAM policy changes', '', 'Every `SetIamPolicy` and bucket permission change, with the binding deltas (role and member) as JSON.') },
  {
    code: L(
      "const policy = sl.filter(audit, 'gcp.methodName matches \"SetIamPolicy|setIamPermissions\"');",
      '// gcp.policyDelta is Falco\'s field (bucket and BigQuery deltas only); the project\'s own delta is read from the record',
      "sl.select(policy, ['time', 'gcp.user', 'gcp.callerIP', 'gcp.methodName', 'gcp.resourceName', 'gcp.policyDelta', 'json.value[/protoPayload/serviceData/policyDelta/bindingDeltas]'])",
    ),
  },
  { md: L('## Public bucket grants', '', 'Falco\'s rule idea, `gcp.policyDelta contains "allUsers"`, which works here because object fields are JSON text rather than the plugin\'s empty string.') },
  {
    code: L(
      "const publicGrants = sl.filter(audit, 'gcp.policyDelta contains \"allUsers\" || gcp.policyDelta contains \"allAuthenticatedUsers\"');",
      "await sl.display(sl.select(publicGrants, ['time', 'gcp.user', 'gcp.storage.bucket', 'gcp.policyDelta']));",
      "const buckets = publicGrants.array('gcp.storage.bucket') as string[];",
      "const anonymous = buckets.length ? sl.filter(audit, `gcp.storage.bucket in {${buckets.map((b) => JSON.stringify(b)).join(' ')}} && !gcp.user`) : audit.filter(() => false);",
      "sl.countBy(anonymous, ['gcp.callerIP', 'gcp.userAgent', 'gcp.methodName'])",
    ),
  },
  { md: L('## Keys, sinks and new machines', '', 'Service-account keys created, log sinks deleted (defence evasion), instances inserted.') },
  {
    code: L(
      "sl.select(sl.filter(audit, 'gcp.methodName matches \"CreateServiceAccountKey|DeleteSink|instances.insert\"'), ['time', 'gcp.user', 'gcp.callerIP', 'gcp.methodName', 'gcp.resourceName'])",
    ),
  },
  { md: L('## Denied calls by principal') },
  { code: "sl.countBy(sl.filter(audit, 'gcp.severity == \"ERROR\"'), ['gcp.user', 'gcp.callerIP', 'gcp.methodName'])" },
  {
    md: L(
      '## Findings',
      '',
      'On the bundled fixture: from 203.0.113.66 the CI service account is used to enumerate buckets and IAM (four PERMISSION_DENIED), creates a key for `backup-sa`, which grants `roles/owner` to `user:attacker.ops@gmail.com`, makes `acme-prod-backups` readable by `allUsers`, deletes the `audit-to-siem` sink and starts `gpu-worker-7`; 25 anonymous downloads from 192.0.2.200 follow.',
    ),
  },
];

const crossSource: CellSpec[] = [
  {
    md: L(
      '# Cross-source timeline',
      '',
      'Syscalls from a host and cloud audit logs on one time axis: the view no single-source tool gives. Here, the container compromise on `web-prod-1` and the GCP activity from the same address minutes later.',
      '',
      '**Inputs**: `CAPTURE` (a .scap file), `GCP_LOGS` and `CLOUDTRAIL` (any source `sl.load` takes; an empty string leaves a source out), `PIVOT_IP`, the address to follow across sources.',
    ),
  },
  {
    code: L('const CAPTURE = "../fixtures/scap/incident.scap";', 'const GCP_LOGS = "../fixtures/gcp";', 'const CLOUDTRAIL = "";', 'const PIVOT_IP = "203.0.113.66";'),
    tags: ['parameters'],
  },
  {
    code: L(
      'import * as sl from "stratolab";',
      '',
      'const sources: Record<string, sl.Table> = {};',
      'if (CAPTURE) sources["syscalls (" + CAPTURE.split("/").pop() + ")"] = await sl.load(CAPTURE);',
      'if (GCP_LOGS) sources["GCP audit"] = await sl.load(GCP_LOGS);',
      'if (CLOUDTRAIL) sources["AWS CloudTrail"] = await sl.load(CLOUDTRAIL);',
      'Object.entries(sources).map(([name, t]) => `${name}: ${t.numRows()} events`).join("\\n")',
    ),
  },
  { code: "sl.charts.timeline(sources, { title: 'All sources' })" },
  { md: L('## Following one address', '', 'The pivot address in each source: as a network peer in the syscalls, as the caller in the cloud logs.') },
  {
    code: L(
      'const pivot: Record<string, sl.Table> = {};',
      'for (const [name, t] of Object.entries(sources)) {',
      "  const expr = t.column('evt.type') ? `fd.rip = ${PIVOT_IP} or fd.cip = ${PIVOT_IP} or fd.sip = ${PIVOT_IP}`",
      "    : t.column('gcp.methodName') ? `gcp.callerIP == \"${PIVOT_IP}\"`",
      "    : `ct.srcip == \"${PIVOT_IP}\"`;",
      '  pivot[name] = sl.filter(t, expr);',
      '}',
      'Object.entries(pivot).map(([name, t]) => `${name}: ${t.numRows()} events involving ${PIVOT_IP}`).join("\\n")',
    ),
  },
  {
    code: L(
      'const firstSeen = Object.values(pivot).flatMap((t) => (t.array("time") as Date[]).slice(0, 1));',
      "sl.charts.timeline(pivot, { title: `Events involving ${PIVOT_IP}`, refs: firstSeen.length ? [{ time: new Date(Math.min(...firstSeen.map((d) => d.getTime()))), label: 'first seen' }] : [] })",
    ),
  },
  {
    md: L(
      '## Findings',
      '',
      'On the bundled fixtures: 203.0.113.66 sends the template-injection request to the `webapp` container at 09:26:54 UTC; from 09:31 the same address uses the CI service account (whose key the container held) against GCP: IAM enumeration, a new key, an owner grant, a public bucket.',
    ),
  },
];

const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'notebooks');
mkdirSync(outDir, { recursive: true });
const books: Record<string, CellSpec[]> = {
  'cloudtrail-triage.ipynb': cloudtrailTriage,
  'container-connection.ipynb': containerConnection,
  'gcp-audit-review.ipynb': gcpReview,
  'cross-source-timeline.ipynb': crossSource,
};
for (const [name, cells] of Object.entries(books)) {
  writeFileSync(path.join(outDir, name), `${JSON.stringify(notebook(cells), null, 1)}\n`);
  process.stdout.write(`wrote notebooks/${name}\n`);
}
