/**
 * Export by file name: `.csv`, `.jsonl`/`.ndjson`/`.json`, `.arrow`/`.arrows`/`.feather`, `.parquet`.
 */
import type { Table } from './table.js';
import { writeArrow } from './to-arrow.js';
import { writeCSV, type TextExportOptions } from './to-csv.js';
import { writeJSONLines } from './to-jsonl.js';
import { writeParquet } from './to-parquet.js';

export type ExportFormat = 'csv' | 'jsonl' | 'arrow' | 'parquet';

export interface ExportOptions extends TextExportOptions {
  /** the format; default from the file extension */
  format?: ExportFormat;
}

/** The export format a file name asks for, or null. */
export function formatForPath(path: string): ExportFormat | null {
  const p = path.toLowerCase();
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson') || p.endsWith('.json')) return 'jsonl';
  if (p.endsWith('.arrow') || p.endsWith('.arrows') || p.endsWith('.feather') || p.endsWith('.ipc')) return 'arrow';
  if (p.endsWith('.parquet') || p.endsWith('.pq')) return 'parquet';
  return null;
}

/** Writes the table to `path` in the format its extension names; returns rows written. */
export function exportTable(table: Table, path: string, opts: ExportOptions = {}): number {
  const format = opts.format ?? formatForPath(path);
  switch (format) {
    case 'csv':
      return writeCSV(table, path, opts);
    case 'jsonl':
      return writeJSONLines(table, path, opts);
    case 'arrow':
      return writeArrow(table, path, { fields: opts.fields, raw: opts.raw });
    case 'parquet':
      return writeParquet(table, path, { fields: opts.fields, raw: opts.raw });
    default:
      throw new Error(`cannot tell the export format of "${path}": use .csv, .jsonl, .arrow or .parquet`);
  }
}
