/**
 * The stratolab kernel over the Jupyter protocol (our own client, real
 * zeromq sockets on loopback): what tslab gets wrong, done right.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { KernelClient } from '../../kernel/client.js';
import { isComplete } from '../../kernel/is-complete.js';
import { repoRoot } from '../helpers.js';

let k: KernelClient;
beforeAll(async () => {
  k = new KernelClient();
  await k.start(path.join(repoRoot, 'notebooks'));
}, 120_000);
afterAll(async () => {
  await k?.stop();
});

describe('kernel', () => {
  it('kernel_info carries status, the language and the implementation', async () => {
    const r = await k.request('kernel_info_request', {});
    const c = r.content as any;
    expect(c.status).toBe('ok');
    expect(c.language_info.name).toBe('typescript');
    expect(c.language_info.file_extension).toBe('.ts');
    expect(c.implementation).toBe('stratolab');
  });

  it("a cell's last expression is an execute_result with its execution_count", async () => {
    const r = await k.execute('const a = 20; a + 22');
    expect(r.status).toBe('ok');
    const res = r.outputs.find((o) => o.output_type === 'execute_result') as any;
    expect(res.data['text/plain']).toBe('42');
    expect(res.execution_count).toBe(r.executionCount);
    expect(r.executionCount).toBeGreaterThan(0);
  });

  it('errors are error outputs with ename, evalue and traceback, and the next cell runs at once', async () => {
    const r = await k.execute('throw new RangeError("out of range")');
    expect(r.status).toBe('error');
    const e = r.outputs.find((o) => o.output_type === 'error') as any;
    expect(e.ename).toBe('RangeError');
    expect(e.evalue).toBe('out of range');
    expect(e.traceback.join('\n')).toContain('RangeError: out of range');
    const next = await k.execute('1 + 1');
    expect(next.status).toBe('ok');
  });

  it('a compile error is reported as an error output', async () => {
    const r = await k.execute('const s: string = 5;');
    expect(r.status).toBe('error');
    const e = r.outputs.find((o) => o.output_type === 'error') as any;
    expect(e.ename).toBe('TypeScriptError');
    expect(e.evalue).toMatch(/not assignable to type 'string'/);
  });

  it('execute requests queued behind a failing cell are aborted, later ones run', async () => {
    const [a, b] = await Promise.all([k.execute('throw new Error("first")'), k.execute('"second"')]);
    expect(a.status).toBe('error');
    expect(b.status).toBe('aborted');
    expect((await k.execute('"third"')).status).toBe('ok');
  });

  it('an interrupt stops a cell waiting forever and aborts its signal; the kernel lives on', async () => {
    const p = k.execute('(globalThis as any).__seen = (globalThis as any).__stratolab_signal__; await new Promise(() => {});');
    await new Promise((r) => setTimeout(r, 1500));
    k.interrupt();
    const r = await p;
    expect(r.status).toBe('error');
    expect((r.outputs.find((o) => o.output_type === 'error') as any).ename).toBe('KeyboardInterrupt');
    const after = await k.execute('(globalThis as any).__seen.aborted');
    expect((after.outputs.find((o) => o.output_type === 'execute_result') as any).data['text/plain']).toBe('true');
  }, 60_000);

  it('an interrupt stops a busy synchronous loop', async () => {
    const p = k.execute('let n = 0; while (true) { n++; }');
    await new Promise((r) => setTimeout(r, 1500));
    k.interrupt();
    const r = await p;
    expect(r.status).toBe('error');
    expect((await k.execute('2 + 2')).status).toBe('ok');
  }, 60_000);

  it('stratolab imports; tables and charts display richly; displays update in place', async () => {
    const r = await k.execute(
      [
        'import * as sl from "stratolab";',
        'const t = await sl.load("../fixtures/gcp");',
        'const bar = sl.progressDisplay((d, id, u) => (globalThis as any).__stratolab_display__({ data: d, metadata: {}, transient: { display_id: id } }, u));',
        'bar.onProgress({ label: "x", objectsDone: 1, objectsTotal: 2, bytesDone: 1, events: 1 });',
        'await new Promise((r) => setTimeout(r, 250));',
        'bar.onProgress({ label: "x", objectsDone: 2, objectsTotal: 2, bytesDone: 2, events: 2, done: true });',
        'await sl.display(sl.charts.activity(t, { panel: "errors" }));',
        't',
      ].join('\n'),
    );
    expect(r.status, JSON.stringify(r.outputs).slice(0, 2000)).toBe('ok');
    const displays = r.outputs.filter((o) => o.output_type === 'display_data') as any[];
    // the load's own bar and ours, each updated in place: one output each, showing the final state
    expect(displays.filter((d) => String(d.data['text/plain']).startsWith('x:'))).toHaveLength(1);
    expect(displays.find((d) => String(d.data['text/plain']).startsWith('x:')).data['text/plain']).toMatch(/done in/);
    const chart = displays.find((d) => d.data['application/vnd.vegalite.v5+json']);
    expect(chart.data['image/svg+xml']).toContain('<svg');
    const table = r.outputs.find((o) => o.output_type === 'execute_result') as any;
    expect(table.data['text/html']).toContain('197 rows');
    expect(table.data['text/plain']).toMatch(/^Table: 197 rows/);
  }, 120_000);

  it('completion and inspection answer', async () => {
    await k.execute('const investigation = { owner: "me" };');
    const c = await k.request('complete_request', { code: 'investig', cursor_pos: 8 });
    expect((c.content as any).matches).toContain('investigation');
    const i = await k.request('inspect_request', { code: 'investigation', cursor_pos: 5, detail_level: 0 });
    expect((i.content as any).found).toBe(true);
    expect((i.content as any).data['text/plain']).toContain('owner');
  });

  it('is_complete: complete, incomplete (with indent) and invalid', async () => {
    expect((await k.request('is_complete_request', { code: 'const x = 1;' })).content).toMatchObject({ status: 'complete' });
    expect((await k.request('is_complete_request', { code: 'for (const x of xs) {' })).content).toMatchObject({ status: 'incomplete', indent: '  ' });
    expect(isComplete('1 +* 2').status).toBe('invalid');
    expect(isComplete('const s = `open').status).toBe('incomplete');
  });
});
