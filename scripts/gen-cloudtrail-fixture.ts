/**
 * Generates fixtures/cloudtrail/: a deterministic (seeded) two-day CloudTrail
 * trail of a small AWS account, in the real delivery layout
 * (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz,
 * `{"Records":[...]}`), telling one incident: a leaked CI access key used for
 * enumeration, AccessDenied bursts, IAM persistence, a console login without
 * MFA, an assumed-role chain and S3 exfiltration — inside background traffic
 * from people, workloads and AWS services. The ground truth is counted while
 * generating (not read back) and written beside it, to fixtures/cloudtrail-ground-truth.json.
 *
 *   node --import tsx scripts/gen-cloudtrail-fixture.ts [outDir]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { prng } from '../src/sources/scap/synth.js';

// ---------------------------------------------------------------- randomness
const rnd = prng(20240312);
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const upper = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[int(0, 31)]).join('');
const alnum = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[int(0, 61)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

// ---------------------------------------------------------------- the account
const ACCOUNT = '111122223333';
const DAY1 = Date.UTC(2024, 2, 12); // 2024-03-12T00:00:00Z
const H = 3_600_000;
const M = 60_000;

const IP = {
  alice: '198.51.100.10',
  bob: '198.51.100.22',
  carol: '198.51.100.31',
  ci: '192.0.2.15',
  attacker: '203.0.113.77',
  attacker2: '203.0.113.78',
  lambda: '3.85.112.40',
};
const UA = {
  cli: 'aws-cli/2.15.30 Python/3.11.8 Darwin/23.3.0 exe/x86_64 prompt/off command/',
  console: 'AWS Internal',
  browser: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
  ci: 'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.1 ci/github-actions',
  lambda: 'aws-sdk-java/2.25.6 Linux/5.10.209-219.812.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+8-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_Lambda_java17',
  kali: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off command/',
  boto: 'Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.60',
  xss: '<img src=x onerror=alert(1)>',
};

type Identity = Record<string, unknown>;

function iamUser(name: string, accessKeyId: string, principalId: string): Identity {
  return { type: 'IAMUser', principalId, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId, userName: name };
}

function assumedRole(role: string, session: string, roleId: string, accessKeyId: string, created: number, mfa = false): Identity {
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: iso(created), mfaAuthenticated: String(mfa) },
    },
  };
}

const service = (invokedBy: string): Identity => ({ type: 'AWSService', invokedBy });

// the cast
const LEAKED_KEY = 'AKIAQXAMPLELEAKED7KQ';
const PERSIST_KEY = 'AKIAQXAMPLEPERSIST3Z';
const users = {
  alice: iamUser('alice', 'AKIAQXAMPLEALICE01A', 'AIDAQXAMPLEALICE0001'),
  bob: iamUser('bob', 'ASIAQXAMPLEBOBCON1', 'AIDAQXAMPLEBOB000002'),
  carol: iamUser('carol', 'AKIAQXAMPLECAROL1C', 'AIDAQXAMPLECAROL0003'),
  ci: iamUser('ci-deploy', LEAKED_KEY, 'AIDAQXAMPLECIDEPLOY4'),
  persist: iamUser('svc-backup-sync', PERSIST_KEY, 'AIDAQXAMPLESVCBACKUP'),
};
const ROLE_ID = {
  OpsAdmin: 'AROAQXAMPLEOPSADMIN1',
  DataPipelineRole: 'AROAQXAMPLEDATAPIPE2',
  'orders-processor': 'AROAQXAMPLEORDERSPR3',
  AWSServiceRoleForConfig: 'AROAQXAMPLECONFIGSR4',
};
const BUCKETS = {
  exports: 'acme-customer-exports',
  orders: 'acme-orders-prod',
  artifacts: 'acme-ci-artifacts',
  dev: 'acme-dev-scratch',
  trail: 'acme-cloudtrail-logs',
};

// ---------------------------------------------------------------- records
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const records: Record<string, unknown>[] = [];

interface Call {
  t: number;
  who: Identity;
  ip: string;
  ua: string;
  src: string; // service prefix, e.g. 'iam'
  name: string;
  region?: string;
  req?: unknown;
  resp?: unknown;
  error?: [string, string];
  readOnly?: boolean;
  data?: boolean; // S3 data event
  extra?: Record<string, unknown>;
  eventType?: string;
  resources?: unknown[];
}

const GLOBAL = new Set(['iam', 'sts', 'signin', 'organizations']);

function call(c: Call): Record<string, unknown> {
  const region = c.region ?? 'us-east-1';
  const host = c.src === 's3' ? `${(c.req as { bucketName?: string })?.bucketName ?? 's3'}.s3.${region}.amazonaws.com` : GLOBAL.has(c.src) ? `${c.src}.amazonaws.com` : `${c.src}.${region}.amazonaws.com`;
  const rec: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: c.who,
    eventTime: iso(c.t),
    eventSource: `${c.src}.amazonaws.com`,
    eventName: c.name,
    awsRegion: region,
    sourceIPAddress: c.ip,
    userAgent: c.ua,
  };
  if (c.error) {
    rec.errorCode = c.error[0];
    rec.errorMessage = c.error[1];
  }
  rec.requestParameters = c.req ?? null;
  rec.responseElements = c.error ? null : (c.resp ?? null);
  Object.assign(rec, c.extra ?? {});
  rec.requestID = c.src === 's3' ? upper(16) : uuid();
  rec.eventID = uuid();
  rec.readOnly = c.readOnly ?? /^(Get|List|Describe|Head|Lookup|Search|Batch?Get)/.test(c.name);
  if (c.resources) rec.resources = c.resources;
  rec.eventType = c.eventType ?? 'AwsApiCall';
  rec.managementEvent = !c.data;
  rec.recipientAccountId = ACCOUNT;
  rec.eventCategory = c.data ? 'Data' : 'Management';
  if (c.ua !== UA.console) rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
  records.push(rec);
  return rec;
}

function s3Object(c: Omit<Call, 'src' | 'data'> & { bucket: string; key: string; bytesIn?: number; bytesOut?: number }) {
  return call({
    ...c,
    src: 's3',
    data: true,
    req: { bucketName: c.bucket, Host: `${c.bucket}.s3.us-east-1.amazonaws.com`, key: c.key },
    extra: {
      additionalEventData: {
        SignatureVersion: 'SigV4',
        CipherSuite: 'TLS_AES_128_GCM_SHA256',
        bytesTransferredIn: c.bytesIn ?? 0,
        AuthenticationMethod: 'AuthHeader',
        'x-amz-id-2': alnum(56),
        bytesTransferredOut: c.bytesOut ?? 0,
      },
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${c.bucket}/${c.key}` },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${c.bucket}` },
    ],
  });
}

const denied = (svc: string, action: string, who: Identity): [string, string] => {
  const arn = who.arn as string;
  if (svc === 'ec2') return ['Client.UnauthorizedOperation', 'You are not authorized to perform this operation.'];
  const code = svc === 'iam' || svc === 's3' || svc === 'organizations' ? 'AccessDenied' : 'AccessDeniedException';
  return [code, `User: ${arn} is not authorized to perform: ${svc}:${action} because no identity-based policy allows the ${svc}:${action} action`];
};

function assumeRoleResponse(role: string, session: string, accessKeyId: string, t: number) {
  return {
    credentials: { accessKeyId, sessionToken: alnum(48), expiration: new Date(t + H).toUTCString() },
    assumedRoleUser: { assumedRoleId: `${ROLE_ID[role as keyof typeof ROLE_ID]}:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` },
  };
}

/** The sts:AssumeRole call of `role` (session `session`, new key `accessKeyId`) at t: source, name, request, response, the role as resource. */
function assumeRoleCall(role: string, session: string, accessKeyId: string, t: number, withResource = true) {
  return {
    src: 'sts',
    name: 'AssumeRole',
    req: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: session },
    resp: assumeRoleResponse(role, session, accessKeyId, t),
    ...(withResource ? { resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/${role}` }] } : {}),
  };
}

// ---------------------------------------------------------------- background traffic
const workHour = (day: number, lo = 8, hi = 18) => DAY1 + day * 24 * H + int(lo * 60, hi * 60) * M + int(0, 59) * 1000;

function background() {
  for (const day of [0, 1]) {
    // alice: developer with the CLI
    for (let i = 0; i < 330; i++) {
      const t = workHour(day, 8, 19);
      const r = rnd();
      if (r < 0.3) call({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 'ec2.describe-instances', src: 'ec2', name: 'DescribeInstances', req: { instancesSet: {}, filterSet: {} } });
      else if (r < 0.45) call({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 's3.ls', src: 's3', name: 'ListBuckets', req: { Host: 's3.us-east-1.amazonaws.com' } });
      else if (r < 0.7) s3Object({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 's3.cp', name: 'GetObject', bucket: BUCKETS.dev, key: `notebooks/exp-${int(1, 40)}.parquet`, bytesOut: int(20_000, 4_000_000) });
      else if (r < 0.85) s3Object({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 's3.cp', name: 'PutObject', bucket: BUCKETS.dev, key: `notebooks/exp-${int(1, 40)}.parquet`, bytesIn: int(20_000, 4_000_000) });
      else if (r < 0.93) call({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 'logs.filter-log-events', src: 'logs', name: 'FilterLogEvents', req: { logGroupName: '/aws/lambda/orders-processor', limit: 100 } });
      else call({ t, who: users.alice, ip: IP.alice, ua: UA.cli + 'ec2.start-instances', src: 'ec2', name: pick(['StartInstances', 'StopInstances']), req: { instancesSet: { items: [{ instanceId: 'i-0a1b2c3d4e5f60718' }] } }, readOnly: false });
    }
    // bob: console user (S3 and EC2 screens)
    const login = workHour(day, 9, 10);
    call({
      t: login,
      who: users.bob,
      ip: IP.bob,
      ua: UA.browser,
      src: 'signin',
      name: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      readOnly: false,
      resp: { ConsoleLogin: 'Success' },
      extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/bob`, MFAUsed: 'Yes' } },
    });
    for (let i = 0; i < 220; i++) {
      const t = login + int(1, 7 * 60) * M;
      const name = pick(['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVolumes', 'GetBucketAcl', 'GetBucketPolicyStatus', 'ListBuckets', 'DescribeAlarms']);
      const src = name.startsWith('GetBucket') || name === 'ListBuckets' ? 's3' : name === 'DescribeAlarms' ? 'monitoring' : 'ec2';
      const req = src === 's3' && name !== 'ListBuckets' ? { bucketName: pick(Object.values(BUCKETS)), Host: 's3.amazonaws.com' } : { maxResults: 50 };
      call({ t, who: users.bob, ip: IP.bob, ua: UA.console, src, name, req, extra: { sessionCredentialFromConsole: 'true' } });
    }
    // ci-deploy legitimately: every two hours from the CI runner
    for (let h = 0; h < 24; h += 2) {
      const t = DAY1 + day * 24 * H + h * H + int(3, 9) * M;
      call({ t, who: users.ci, ip: IP.ci, ua: UA.ci, src: 'sts', name: 'GetCallerIdentity' });
      call({ t: t + 4000, who: users.ci, ip: IP.ci, ua: UA.ci, src: 'ecr', name: 'GetAuthorizationToken', req: { registryIds: [ACCOUNT] } });
      call({ t: t + 20_000, who: users.ci, ip: IP.ci, ua: UA.ci, src: 'ecr', name: 'PutImage', readOnly: false, req: { repositoryName: 'orders-api', imageTag: `build-${day * 12 + h / 2 + 100}`, registryId: ACCOUNT } });
      s3Object({ t: t + 30_000, who: users.ci, ip: IP.ci, ua: UA.ci, name: 'PutObject', bucket: BUCKETS.artifacts, key: `orders-api/build-${day * 12 + h / 2 + 100}.zip`, bytesIn: int(3_000_000, 9_000_000) });
      call({ t: t + 45_000, who: users.ci, ip: IP.ci, ua: UA.ci, src: 'lambda', name: 'UpdateFunctionCode20150331v2', readOnly: false, req: { functionName: 'orders-processor', s3Bucket: BUCKETS.artifacts } });
    }
    // the orders-processor Lambda role: sessions created by lambda.amazonaws.com, S3 and KMS use all day
    for (let h = 0; h < 24; h++) {
      const t0 = DAY1 + day * 24 * H + h * H + int(0, 5) * M;
      const key = `ASIAQXAMPLEORD${String(day * 24 + h).padStart(6, '0')}`;
      const session = `orders-processor-${hex(6)}`;
      call({
        t: t0,
        who: service('lambda.amazonaws.com'),
        ip: 'lambda.amazonaws.com',
        ua: 'lambda.amazonaws.com',
        ...assumeRoleCall('orders-processor', session, key, t0),
      });
      const who = assumedRole('orders-processor', session, ROLE_ID['orders-processor'], key, t0);
      for (let i = 0; i < 16; i++) {
        const t = t0 + int(1, 55) * M;
        const order = `orders/2024/03/${12 + day}/${hex(10)}.json`;
        if (rnd() < 0.5) s3Object({ t, who, ip: IP.lambda, ua: UA.lambda, name: 'GetObject', bucket: BUCKETS.orders, key: order, bytesOut: int(800, 6000) });
        else s3Object({ t, who, ip: IP.lambda, ua: UA.lambda, name: 'PutObject', bucket: BUCKETS.orders, key: order, bytesIn: int(800, 6000) });
        if (rnd() < 0.3) call({ t: t + 200, who, ip: IP.lambda, ua: UA.lambda, src: 'kms', name: 'Decrypt', req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } });
      }
    }
    // AWS Config recorder, every half hour
    for (let m = 0; m < 24 * 60; m += 30) {
      const t = DAY1 + day * 24 * H + m * M + int(0, 120) * 1000;
      const who = assumedRole('AWSServiceRoleForConfig', 'AWSConfig-Describe', ROLE_ID.AWSServiceRoleForConfig, `ASIAQXAMPLECFG${hex(6).toUpperCase()}`, t - 10 * M);
      for (const name of ['DescribeInstances', 'DescribeSecurityGroups']) call({ t, who, ip: 'config.amazonaws.com', ua: 'config.amazonaws.com', src: 'ec2', name, region: pick(['us-east-1', 'us-east-1', 'eu-west-1']) });
      if (m % 120 === 0) call({ t, who: service('cloudtrail.amazonaws.com'), ip: 'cloudtrail.amazonaws.com', ua: 'cloudtrail.amazonaws.com', src: 's3', name: 'GetBucketAcl', req: { bucketName: BUCKETS.trail, Host: `${BUCKETS.trail}.s3.us-east-1.amazonaws.com`, acl: '' } });
    }
  }
}

// ---------------------------------------------------------------- the incident
const truth = {
  account: ACCOUNT,
  leakedAccessKeyId: LEAKED_KEY,
  leakedKeyUser: 'ci-deploy',
  attackerIps: [IP.attacker, IP.attacker2],
  attackerUserAgents: [UA.kali, UA.boto],
  xssUserAgentEventId: '',
  firstMaliciousEvent: '',
  enumerationCalls: 0,
  accessDeniedFromAttacker: 0,
  createdUser: 'svc-backup-sync',
  persistenceAccessKeyId: PERSIST_KEY,
  attachedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  consoleLoginWithoutMfa: { user: 'svc-backup-sync', ip: IP.attacker2, eventId: '' },
  roleChain: ['svc-backup-sync', 'OpsAdmin', 'DataPipelineRole'],
  exfiltration: { bucket: BUCKETS.exports, objects: 0, bytes: 0, first: '', last: '' },
  responder: 'carol',
  containment: '',
  total: 0,
  attackerEvents: 0,
};

function incident() {
  const who = users.ci;
  let t = DAY1 + 14 * H + 2 * M + 11_000; // 2024-03-12T14:02:11Z
  const step = (lo: number, hi: number) => (t += int(lo, hi) * 1000);
  const attacker = (c: Omit<Call, 'who' | 'ip' | 'ua'> & { ua?: string; ip?: string; who?: Identity }) => {
    truth.attackerEvents++;
    return call({ who, ip: IP.attacker, ua: UA.kali, ...c });
  };
  // first use of the leaked key, then a probe with a hostile user agent
  const first = attacker({ t, src: 'sts', name: 'GetCallerIdentity', ua: UA.boto });
  truth.firstMaliciousEvent = first.eventID as string;
  step(20, 40);
  const xss = attacker({ t, src: 'sts', name: 'GetCallerIdentity', ua: UA.xss });
  truth.xssUserAgentEventId = xss.eventID as string;

  // enumeration: IAM, S3, EC2 in every region; allowed calls and AccessDenied bursts
  const enumerate = (src: string, name: string, req: unknown = null, region?: string, deny = false) => {
    step(1, 6);
    truth.enumerationCalls++;
    if (deny) truth.accessDeniedFromAttacker++;
    return attacker({ t, src, name, req, region, error: deny ? denied(src, name, who) : undefined });
  };
  for (const name of ['ListUsers', 'ListRoles', 'ListPolicies', 'ListGroups']) enumerate('iam', name, { maxItems: 100 });
  enumerate('iam', 'GetAccountAuthorizationDetails', { filter: ['User', 'Role', 'Group', 'LocalManagedPolicy'] }, undefined, true);
  for (const u of ['alice', 'bob', 'carol', 'ci-deploy']) {
    enumerate('iam', 'ListAttachedUserPolicies', { userName: u });
    enumerate('iam', 'ListAccessKeys', { userName: u });
  }
  enumerate('iam', 'GetRole', { roleName: 'OpsAdmin' });
  enumerate('iam', 'GetRole', { roleName: 'DataPipelineRole' });
  enumerate('s3', 'ListBuckets', { Host: 's3.amazonaws.com' });
  for (const b of Object.values(BUCKETS)) {
    enumerate('s3', 'GetBucketAcl', { bucketName: b, Host: `${b}.s3.us-east-1.amazonaws.com`, acl: '' });
    enumerate('s3', 'GetBucketPolicy', { bucketName: b, Host: `${b}.s3.us-east-1.amazonaws.com`, policy: '' }, undefined, b === BUCKETS.trail);
  }
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];
  for (const region of regions) {
    for (const name of ['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVpcs', 'DescribeSnapshots']) enumerate('ec2', name, { maxResults: 1000 }, region);
  }
  // the AccessDenied burst: services the CI key cannot touch, everywhere
  for (const region of regions) {
    enumerate('secretsmanager', 'ListSecrets', null, region, true);
    enumerate('rds', 'DescribeDBInstances', null, region, true);
    enumerate('kms', 'ListKeys', null, region, true);
    enumerate('dynamodb', 'ListTables', null, region, true);
    enumerate('ssm', 'DescribeParameters', null, region, true);
  }
  enumerate('organizations', 'DescribeOrganization', null, undefined, true);
  enumerate('cloudtrail', 'DescribeTrails', { trailNameList: [] });
  enumerate('guardduty', 'ListDetectors', null, undefined, true);

  // persistence: a new user with an admin policy, an access key and a console password
  t = DAY1 + 14 * H + 25 * M + 3000;
  const persistUser = { path: '/', userName: 'svc-backup-sync', userId: 'AIDAQXAMPLESVCBACKUP', arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup-sync`, createDate: new Date(t).toUTCString() };
  attacker({ t, src: 'iam', name: 'CreateUser', readOnly: false, req: { userName: 'svc-backup-sync', tags: [{ key: 'team', value: 'platform' }] }, resp: { user: persistUser } });
  step(5, 15);
  attacker({ t, src: 'iam', name: 'AttachUserPolicy', readOnly: false, req: { userName: 'svc-backup-sync', policyArn: truth.attachedPolicy } });
  step(5, 15);
  attacker({
    t,
    src: 'iam',
    name: 'CreateAccessKey',
    readOnly: false,
    req: { userName: 'svc-backup-sync' },
    resp: { accessKey: { userName: 'svc-backup-sync', accessKeyId: PERSIST_KEY, status: 'Active', createDate: new Date(t).toUTCString() } },
  });
  step(5, 15);
  attacker({ t, src: 'iam', name: 'CreateLoginProfile', readOnly: false, req: { userName: 'svc-backup-sync', passwordResetRequired: false }, resp: { loginProfile: { userName: 'svc-backup-sync', createDate: new Date(t).toUTCString(), passwordResetRequired: false } } });

  // the new key, from the second address: role chain svc-backup-sync -> OpsAdmin -> DataPipelineRole
  t = DAY1 + 14 * H + 41 * M + 7000;
  const p = users.persist;
  attacker({ t, who: p, ip: IP.attacker2, src: 'sts', name: 'GetCallerIdentity' });
  step(10, 30);
  const opsKey = 'ASIAQXAMPLEOPSCHAIN1';
  attacker({
    t,
    who: p,
    ip: IP.attacker2,
    ...assumeRoleCall('OpsAdmin', 'backup-sync', opsKey, t),
  });
  const ops = assumedRole('OpsAdmin', 'backup-sync', ROLE_ID.OpsAdmin, opsKey, t);
  step(10, 30);
  attacker({ t, who: ops, ip: IP.attacker2, src: 'iam', name: 'ListRoles', req: { maxItems: 100 } });
  step(10, 30);
  const pipeKey = 'ASIAQXAMPLEPIPECHAIN';
  attacker({
    t,
    who: ops,
    ip: IP.attacker2,
    ...assumeRoleCall('DataPipelineRole', 'backup-sync', pipeKey, t),
  });
  const pipe = assumedRole('DataPipelineRole', 'backup-sync', ROLE_ID.DataPipelineRole, pipeKey, t);
  step(10, 30);
  attacker({ t, who: pipe, ip: IP.attacker2, src: 's3', name: 'ListObjects', req: { bucketName: BUCKETS.exports, Host: `${BUCKETS.exports}.s3.us-east-1.amazonaws.com`, prefix: '', 'max-keys': 1000 } });
  // exfiltration: GetObject of the customer exports
  for (let i = 0; i < 140; i++) {
    step(2, 9);
    const bytes = int(2_000_000, 48_000_000);
    const rec = s3Object({ t, who: pipe, ip: IP.attacker2, ua: UA.kali + 's3.sync', name: 'GetObject', bucket: BUCKETS.exports, key: `exports/2024/customers-${String(i).padStart(4, '0')}.csv.gz`, bytesOut: bytes });
    truth.attackerEvents++;
    truth.exfiltration.objects++;
    truth.exfiltration.bytes += bytes;
    if (!truth.exfiltration.first) truth.exfiltration.first = rec.eventTime as string;
    truth.exfiltration.last = rec.eventTime as string;
  }

  // a console login as the new user, without MFA
  t = DAY1 + 15 * H + 32 * M + 40_000;
  const login = attacker({
    t,
    who: { type: 'IAMUser', principalId: 'AIDAQXAMPLESVCBACKUP', arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup-sync`, accountId: ACCOUNT, userName: 'svc-backup-sync' },
    ip: IP.attacker2,
    ua: UA.browser.replace('Macintosh; Intel Mac OS X 10_15_7', 'X11; Linux x86_64'),
    src: 'signin',
    name: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    resp: { ConsoleLogin: 'Success' },
    extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' } },
  });
  truth.consoleLoginWithoutMfa.eventId = login.eventID as string;

  // day 2: carol responds through OpsAdmin (with MFA)
  t = DAY1 + 24 * H + 9 * H + 12 * M;
  call({
    t,
    who: users.carol,
    ip: IP.carol,
    ua: UA.browser,
    src: 'signin',
    name: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    resp: { ConsoleLogin: 'Success' },
    extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/carol`, MFAUsed: 'Yes' } },
  });
  t += 2 * M;
  const carolKey = 'ASIAQXAMPLECAROLOPS1';
  call({
    t,
    who: users.carol,
    ip: IP.carol,
    ua: UA.console,
    ...assumeRoleCall('OpsAdmin', 'carol', carolKey, t, false),
  });
  const carolOps = assumedRole('OpsAdmin', 'carol', ROLE_ID.OpsAdmin, carolKey, t, true);
  const respond = (name: string, req: unknown) => {
    t += int(20, 90) * 1000;
    return call({ t, who: carolOps, ip: IP.carol, ua: UA.console, src: 'iam', name, req, readOnly: false, extra: { sessionCredentialFromConsole: 'true' } });
  };
  const contain = respond('UpdateAccessKey', { userName: 'ci-deploy', accessKeyId: LEAKED_KEY, status: 'Inactive' });
  truth.containment = contain.eventTime as string;
  respond('UpdateAccessKey', { userName: 'svc-backup-sync', accessKeyId: PERSIST_KEY, status: 'Inactive' });
  respond('DeleteLoginProfile', { userName: 'svc-backup-sync' });
  respond('DetachUserPolicy', { userName: 'svc-backup-sync', policyArn: truth.attachedPolicy });
  respond('DeleteAccessKey', { userName: 'svc-backup-sync', accessKeyId: PERSIST_KEY });
  respond('DeleteUser', { userName: 'svc-backup-sync' });
  // the leaked key tried once more, after it was disabled
  t = DAY1 + 24 * H + 11 * H + 3 * M;
  truth.attackerEvents++;
  truth.accessDeniedFromAttacker++;
  call({ t, who: users.ci, ip: IP.attacker, ua: UA.kali + 'sts.get-caller-identity', src: 'sts', name: 'GetCallerIdentity', error: ['InvalidClientTokenId', 'The security token included in the request is invalid.'] });
}

// ---------------------------------------------------------------- delivery files
function deliver(outDir: string) {
  const WINDOW = 15 * M; // CloudTrail delivers about every 5 minutes; 15 keeps the fixture small
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of records) {
    const t = Date.parse(r.eventTime as string);
    const end = Math.floor(t / WINDOW) * WINDOW + WINDOW;
    const k = `${r.awsRegion}|${end}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  let files = 0;
  let bytes = 0;
  for (const k of [...groups.keys()].sort()) {
    const [region, endStr] = k.split('|') as [string, string];
    const end = new Date(Number(endStr));
    const recs = groups.get(k)!;
    // real delivery files are only roughly ordered: shuffle a little
    for (let i = recs.length - 1; i > 0; i--) {
      if (rnd() < 0.3) {
        const j = Math.max(0, i - int(1, 3));
        [recs[i], recs[j]] = [recs[j]!, recs[i]!];
      }
    }
    const y = end.getUTCFullYear();
    const mo = String(end.getUTCMonth() + 1).padStart(2, '0');
    const d = String(end.getUTCDate()).padStart(2, '0');
    const hh = String(end.getUTCHours()).padStart(2, '0');
    const mm = String(end.getUTCMinutes()).padStart(2, '0');
    const dir = path.join(outDir, 'AWSLogs', ACCOUNT, 'CloudTrail', region, String(y), mo, d);
    mkdirSync(dir, { recursive: true });
    const name = `${ACCOUNT}_CloudTrail_${region}_${y}${mo}${d}T${hh}${mm}Z_${alnum(16)}.json.gz`;
    const gz = gzipSync(JSON.stringify({ Records: recs }), { level: 9 });
    writeFileSync(path.join(dir, name), gz);
    files++;
    bytes += gz.length;
  }
  return { files, bytes };
}

function main() {
  const outDir = path.resolve(process.argv[2] ?? 'fixtures/cloudtrail');
  rmSync(path.join(outDir, 'AWSLogs'), { recursive: true, force: true });
  background();
  incident();
  records.sort((a, b) => Date.parse(a.eventTime as string) - Date.parse(b.eventTime as string));
  truth.total = records.length;
  const { files, bytes } = deliver(outDir);
  // beside the trail, not in it: a loader walking the directory must see only CloudTrail
  writeFileSync(`${outDir}-ground-truth.json`, JSON.stringify(truth, null, 2) + '\n');
  console.log(`${records.length} events in ${files} files, ${(bytes / 1024).toFixed(0)} KiB gzip, into ${outDir}`);
}

main();
