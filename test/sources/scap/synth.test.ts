/**
 * The synthetic capture generator: deterministic, readable by sysdig without errors, and the
 * committed incident fixture tells the story documented in fixtures/scap/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readScapSync } from '../../../src/sources/scap/reader.js';
import { INCIDENT, synthesize } from '../../../src/sources/scap/synth.js';
import { encodeScap } from '../../../src/sources/scap/writer.js';
import { needTool, repoRoot, skip } from '../../helpers.js';
import { expectedTuples, sysdig, sysdigTuples } from './oracle.js';

const fixture = path.join(repoRoot, 'fixtures/scap/incident.scap');
const tmp = mkdtempSync(path.join(tmpdir(), 'scap-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sysdigStderr(file: string): string {
  return execFileSync('sh', ['-c', 'sysdig -r "$1" 2>&1 >/dev/null; true', 'sh', file]).toString();
}

describe('synthetic captures', () => {
  it('are deterministic: the fixture is exactly what scripts/gen-scap.ts --fixture generates', () => {
    const again = encodeScap(synthesize({ events: 6000, seed: 7 }));
    expect(Buffer.from(gunzipSync(readFileSync(fixture)))).toEqual(Buffer.from(again));
  });

  it('differ with the seed', () => {
    const a = encodeScap(synthesize({ events: 500, seed: 1 }));
    const b = encodeScap(synthesize({ events: 500, seed: 2 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('the fixture is small (< 300 KB gzip)', () => {
    expect(readFileSync(fixture).length).toBeLessThan(300 * 1024);
  });
});

describe.skipIf(skip(needTool('sysdig')))('synthetic captures read by sysdig', () => {
  it('sysdig prints the fixture without errors, every event as the reader sees it', () => {
    expect(sysdigStderr(fixture)).not.toMatch(/error|truncated|corrupt|could not/i);
    const blocks = [...readScapSync(readFileSync(fixture), fixture)];
    expect(expectedTuples(blocks)).toEqual(sysdigTuples(fixture));
    expect(sysdig(fixture).trim().split('\n')).toHaveLength(6014);
  });

  it('a larger capture (50k events, no incident) is read by sysdig in full', () => {
    const file = path.join(tmp, 'big.scap');
    writeFileSync(file, encodeScap(synthesize({ events: 50_000, seed: 11, incident: false })));
    expect(sysdigStderr(file)).not.toMatch(/error|truncated|corrupt|could not/i);
    const blocks = [...readScapSync(readFileSync(file), file)];
    const events = blocks.filter((b) => b.kind === 'event').length;
    expect(events).toBeGreaterThanOrEqual(50_000);
    expect(sysdigTuples(file)).toHaveLength(events - 1);
  });

  it('with procinfo events (internal, hidden without -D), numbering and visibility equal sysdig', () => {
    const file = path.join(tmp, 'procinfo.scap');
    writeFileSync(file, encodeScap(synthesize({ events: 8000, seed: 12, procinfo: true })));
    const blocks = [...readScapSync(readFileSync(file), file)];
    const procinfo = blocks.filter((b) => b.kind === 'event' && b.event.type === 234);
    expect(procinfo.length).toBeGreaterThan(10);
    expect(expectedTuples(blocks)).toEqual(sysdigTuples(file));
    const visible = sysdig(file).trim().split('\n');
    expect(visible).toHaveLength(blocks.filter((b) => b.kind === 'event').length - 1 - procinfo.length);
  });

  const q = (filter: string, fields: string) => sysdig(fixture, '-p', fields, filter).trim().split('\n').filter(Boolean);

  it('the story: a shell spawned by the web app in container webapp', () => {
    const lines = q('evt.type=execve and evt.dir=< and container.name=webapp and proc.name=sh', '%proc.pid %proc.pname %user.name %container.id %container.image');
    expect(lines).toContain(`${INCIDENT.shellPid} gunicorn www-data ${INCIDENT.container.id} ${INCIDENT.container.image}`);
  });

  it('the story: curl connects out to 198.51.100.77:4444', () => {
    const lines = q('evt.type=connect and evt.dir=<', '%proc.name %proc.pid %fd.sip %fd.sport %container.name');
    expect(lines).toContain(`curl ${INCIDENT.curlPid} ${INCIDENT.attackerIp} ${INCIDENT.attackerPort} webapp`);
  });

  it('the story: cat reads /etc/shadow; files are written under /tmp', () => {
    expect(q('evt.type=openat and evt.dir=< and fd.name=/etc/shadow', '%proc.name %proc.pid %proc.ppid')).toEqual([`cat ${INCIDENT.catPid} ${INCIDENT.stagePid}`]);
    const writes = q('evt.type=write and evt.dir=< and fd.name startswith /tmp/', '%proc.name %fd.name');
    expect(writes).toEqual(['curl /tmp/.x.sh', 'cat /tmp/.cache/s.txt']);
  });

  it('the story: an IPv6 beacon to [2001:db8:bad:c0de::77]:8443', () => {
    const lines = q('evt.type=connect and evt.dir=< and fd.type=ipv6', '%proc.name %fd.sip %fd.sport');
    expect(lines).toEqual([`python3 ${INCIDENT.attackerIp6} ${INCIDENT.attackerPort6}`]);
  });
});
