/**
 * The notebook view of a live capture: one display updated in place with the
 * hosts' status and the latest rows.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { capture } from '../../../src/sources/ssh/capture.js';
import { startSshd, type Sshd } from './sshd-fixture.js';

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd')))('capture.show()', () => {
  let s: Sshd;
  beforeAll(async () => {
    s = await startSshd({ dir: mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-view-')) });
  });
  afterAll(() => s?.stop());

  it('draws one display, then updates it in place until the capture ends', async () => {
    const frames: { data: Record<string, unknown>; id?: string; update: boolean }[] = [];
    const g = globalThis as { __stratolab_display__?: unknown };
    g.__stratolab_display__ = (content: { data: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) =>
      frames.push({ data: content.data, id: content.transient?.display_id, update });
    try {
      const cap = capture(`ssh://root@127.0.0.1:${s.port}`, {
        identityFiles: [s.clientKey], knownHosts: s.knownHosts, sshConfig: null, agent: false,
        remoteCommand: `cat ${sharedData('scap/cat_write.scap')}; sleep 0.5`,
      });
      await cap.show({ every: 50, tail: 5 });
      await cap.done;
      expect(frames.length).toBeGreaterThanOrEqual(2);
      expect(frames[0]!.update).toBe(false);
      expect(frames.slice(1).every((f) => f.update && f.id === frames[0]!.id)).toBe(true);
      const last = frames[frames.length - 1]!.data;
      expect(last['text/plain']).toMatch(new RegExp(`^127\\.0\\.0\\.1:${s.port}\\s+done\\s+85 events`));
      expect(last['text/html']).toContain('latest 5 of 85 events');
      expect(last['text/html']).toContain('<td style="color:#4c9a2a">done</td>');
    } finally {
      delete g.__stratolab_display__;
    }
  });
});
