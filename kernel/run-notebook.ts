/**
 * The headless runner: executes every code cell of a notebook in order
 * through the stratolab kernel, stops at the first error (unless
 * allowErrors), and returns the executed notebook.
 */
import path from 'node:path';
import { KernelClient } from './client.js';
import { injectParameters, readNotebook, sourceText, type Notebook } from './nbformat.js';
import { KERNEL_NAME, DISPLAY_NAME } from './install.js';

export interface RunOptions {
  params?: Record<string, string>;
  allowErrors?: boolean;
  /** per-cell timeout in ms; default 10 minutes */
  cellTimeoutMs?: number;
  /** called as each cell finishes */
  onCell?: (index: number, total: number, status: string) => void;
}

export interface RunResult {
  notebook: Notebook;
  /** the first failing cell (index in the executed notebook), when one failed */
  error?: { cell: number; ename: string; evalue: string; traceback: string[] };
}

export async function runNotebook(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const nb = injectParameters(readNotebook(file), opts.params ?? {});
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: KERNEL_NAME, display_name: DISPLAY_NAME, language: 'typescript' },
    language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
  };
  const client = new KernelClient();
  let error: RunResult['error'];
  try {
    await client.start(path.dirname(path.resolve(file)));
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    let i = 0;
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      i++;
      if (error) {
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      const r = await client.execute(sourceText(cell), opts.cellTimeoutMs);
      cell.outputs = r.outputs.map((o) => {
        if (o.output_type === 'display_data') return { output_type: o.output_type, data: o.data, metadata: o.metadata };
        return o;
      });
      cell.execution_count = r.executionCount;
      opts.onCell?.(i, code.length, r.status);
      if (r.status !== 'ok' && !opts.allowErrors) {
        const e = r.outputs.find((o) => o.output_type === 'error');
        error = e && e.output_type === 'error' ? { cell: index, ename: e.ename, evalue: e.evalue, traceback: e.traceback } : { cell: index, ename: 'Error', evalue: r.status, traceback: [] };
      }
    }
  } finally {
    await client.stop();
  }
  return { notebook: nb, error };
}
