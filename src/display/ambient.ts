/**
 * What a load gets from the notebook it runs in, when the caller did not say:
 * the running cell's AbortSignal (a kernel interrupt aborts the load, which
 * returns what it read) and a progress bar updated in place.
 */
import type { LoadOptions } from '../sources/types.js';
import { displayWriter, writeBundle } from './index.js';
import { progressDisplay } from './progress.js';

/** The AbortSignal of the cell the stratolab kernel is running, if any. */
export function ambientSignal(): AbortSignal | undefined {
  return (globalThis as { __stratolab_signal__?: AbortSignal }).__stratolab_signal__;
}

/** `opts` with the kernel's signal and a notebook progress bar filled in where absent. */
export function withNotebookDefaults(opts: LoadOptions, label: string): LoadOptions {
  const out: LoadOptions = { ...opts };
  if (!out.signal) out.signal = ambientSignal();
  if (!out.onProgress && displayWriter() && ambientSignal()) {
    const bar = progressDisplay((data, id, update) => writeBundle(data, { displayId: id, update }));
    out.onProgress = (p) => bar.onProgress({ ...p, label: p.label || label });
  }
  return out;
}
