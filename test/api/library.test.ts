/**
 * The library entry as users import it: `import * as sl from 'stratolab'`
 * (package self-reference through "exports").
 */
import { describe, expect, it } from 'vitest';
import * as sl from 'stratolab';
import { needSharedData, sharedData, skip } from '../helpers.js';

describe('stratolab library entry', () => {
  it('exports the documented API', () => {
    for (const name of [
      'load', 'loadWithReport', 'filter', 'compile', 'check', 'fields', 'filterFor', 'toFalco', 'toWireshark', 'countBy', 'bucketTime',
      'withFields', 'toCSV', 'toJSONLines', 'toArrowIPC', 'toParquet', 'exportTable', 'toDanfo', 'writeScap', 'parseTime', 'summarize', 'ready',
    ]) {
      expect(typeof (sl as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('fields() lists every source once ready()', async () => {
    await sl.ready();
    expect(sl.fields('ct.').map((f) => f.name)).toContain('ct.user');
    expect(sl.fields('gcp.').length).toBeGreaterThan(5);
  });

  it.skipIf(skip(needSharedData('cloudtrail/invictus-ir_aws_dataset')))('load, filter, countBy, loadWithReport', async () => {
    const dir = sharedData('cloudtrail/invictus-ir_aws_dataset');
    const t = await sl.load(dir, { since: '2023-07-10T12:00:00Z' });
    const denied = sl.filter(t, 'ct.error contains "AccessDenied"');
    expect(denied.numRows()).toBeGreaterThan(0);
    const top = sl.countBy(denied, 'ct.user', { top: 1 }).objects()[0] as Record<string, unknown>;
    expect(top.count).toBeGreaterThan(0);
    const rep = await sl.loadWithReport(dir, { filter: 'ct.name == "GetUser"', limit: 3 });
    expect(rep.table.numRows()).toBe(3);
    expect(rep.stats.objectsFetched).toBeGreaterThan(0);
    expect(rep.failed).toEqual([]);
    await expect(sl.load('/nonexistent/trail')).rejects.toThrow(/cannot read \/nonexistent\/trail/);
  });
});

describe.skipIf(skip(needSharedData('scap/curl_google.scap')))('sl.writeScap', () => {
  it('writes a filtered capture that loads back with the same events', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'sl-writescap-'));
    try {
      const src = sharedData('scap/curl_google.scap');
      const t = sl.filter(await sl.load(src), 'evt.type = connect');
      const out = path.join(dir, 'connects.scap');
      await sl.writeScap(t, out);
      const back = await sl.load(out);
      expect(back.numRows()).toBe(t.numRows());
      expect(back.array('evt.rawtime')).toEqual(t.array('evt.rawtime'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
