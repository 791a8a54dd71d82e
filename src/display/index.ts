/**
 * `sl.display(x)`: rich output in Jupyter (through the stratolab kernel or
 * plain tslab), text elsewhere. Displays are awaited by the kernel before a
 * cell is reported done, so a chart's SVG fallback never arrives late.
 */
import { createRequire } from 'node:module';
import { mimeBundle, type MimeBundle } from './mime.js';

export { mimeBundle, isTable, isVegaLite, type MimeBundle } from './mime.js';
export { tableToHtml, tableToText, timeRange, displayColumns } from './table-html.js';
export { escapeHtml } from './escape.js';
export { progressDisplay, type ProgressDisplay } from './progress.js';

type DisplayWriter = (content: { data: MimeBundle; metadata: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => void;

const req = createRequire(import.meta.url);

/** The writer tslab's display API uses for the running cell, or null outside a kernel. */
export function displayWriter(): DisplayWriter | null {
  const g = globalThis as { __stratolab_display__?: DisplayWriter };
  if (g.__stratolab_display__) return g.__stratolab_display__;
  try {
    const j = req('tslab/dist/jupyter') as { lastWriteDisplayData?: DisplayWriter };
    return j.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/**
 * Promises of displays in flight; the kernel awaits them before replying.
 * Kept on globalThis: the kernel and the cells may load this module twice
 * (ESM and CommonJS instances).
 */
export const pendingDisplays: Set<Promise<unknown>> = ((globalThis as { __stratolab_pending__?: Set<Promise<unknown>> }).__stratolab_pending__ ??= new Set());

/** Sends a bundle to the notebook (or prints its text outside one). */
export function writeBundle(data: MimeBundle, opts: { displayId?: string; update?: boolean } = {}): void {
  const w = displayWriter();
  if (!w) {
    const text = data['text/plain'];
    if (typeof text === 'string') process.stdout.write(`${text}\n`);
    return;
  }
  w({ data, metadata: {}, transient: opts.displayId ? { display_id: opts.displayId } : {} }, !!opts.update);
}

/** Displays a table, chart or any value richly; resolves when it has been sent. */
export function display(x: unknown, opts: { displayId?: string; update?: boolean } = {}): Promise<void> {
  const p = mimeBundle(x).then((b) => writeBundle(b, opts));
  pendingDisplays.add(p);
  void p.finally(() => pendingDisplays.delete(p)).catch(() => undefined);
  return p;
}

/** Shows text in the notebook's pager (Jupyter's "page" payload), or prints it outside a kernel. */
export function page(text: string): void {
  const k = (globalThis as { __stratolab_kernel__?: { page(d: Record<string, unknown>): void } }).__stratolab_kernel__;
  if (k) k.page({ 'text/plain': text });
  else process.stdout.write(`${text}\n`);
}

/** Clears the cell's output (wait = until new output arrives), as IPython's clear_output. */
export function clearOutput(wait = false): void {
  const k = (globalThis as { __stratolab_kernel__?: { clearOutput(w: boolean): void } }).__stratolab_kernel__;
  k?.clearOutput(wait);
}
