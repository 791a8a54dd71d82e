/** Notebook documents (nbformat v4): read, write, parameters. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Output } from './client.js';

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export function sourceText(c: Cell): string {
  return Array.isArray(c.source) ? c.source.join('') : c.source;
}

/** Reads a notebook; throws with the path on bad JSON or a non-v4 document. */
export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
  } catch (e) {
    throw new Error(`${file}: not a readable notebook (${(e as Error).message})`);
  }
  if (nb.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`${file}: not an nbformat v4 notebook`);
  return nb;
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileSync(file, `${JSON.stringify(nb, null, 1)}\n`);
}

/** A TypeScript literal for a --param value: numbers and booleans as such, JSON as given, else a string. */
export function paramLiteral(v: string): string {
  if (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false' || v === 'null') return v;
  if (/^[[{]/.test(v)) {
    try {
      JSON.parse(v);
      return v;
    } catch {
      /* a string after all */
    }
  }
  return JSON.stringify(v);
}

/**
 * Applies parameters as papermill does: a cell injected after the cell tagged
 * `parameters` (or at the top) that redeclares each one.
 */
export function injectParameters(nb: Notebook, params: Record<string, string>): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  for (const n of names) if (!/^[A-Za-z_$][\w$]*$/.test(n)) throw new Error(`--param ${n}: not a valid identifier`);
  const src = names.map((n) => `const ${n} = ${paramLiteral(params[n]!)};`).join('\n');
  const cell: Cell = { cell_type: 'code', source: src, metadata: { tags: ['injected-parameters'] }, outputs: [], execution_count: null };
  const at = nb.cells.findIndex((c) => c.metadata?.tags?.includes('parameters'));
  const cells = [...nb.cells];
  cells.splice(at >= 0 ? at + 1 : 0, 0, cell);
  return { ...nb, cells };
}
