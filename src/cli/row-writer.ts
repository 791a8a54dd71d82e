/**
 * The `-T` output formats of `stratolab read`, each writing one line per
 * event: fields (tab-separated -e values, escaped), csv (header row, RFC
 * 4180), json (one object per line), text (see text-line.ts).
 */
import { csvQuote, escapeField, jsonValue, textValue } from '../frames/format-value.js';

export type OutputFormat = 'text' | 'fields' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'fields', 'json', 'csv'];

/** Formats one event given a value getter per output column (same order as `names`). */
export interface RowFormatter {
  header?: string;
  line(values: readonly unknown[]): string;
}

export function rowFormatter(format: Exclude<OutputFormat, 'text'>, names: readonly string[]): RowFormatter {
  switch (format) {
    case 'fields':
      return { line: (vs) => vs.map((v) => escapeField(textValue(v))).join('\t') };
    case 'csv':
      return { header: names.map(csvQuote).join(','), line: (vs) => vs.map((v) => csvQuote(textValue(v))).join(',') };
    case 'json':
      return {
        line: (vs) => {
          const o: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) o[names[i]!] = jsonValue(vs[i]);
          return JSON.stringify(o);
        },
      };
  }
}
