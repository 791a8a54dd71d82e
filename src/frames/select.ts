/**
 * `sl.select(table, fields)`: Arquero's select for field names, including
 * fields that sources extract lazily (`proc.pname`, `gcp.policyDelta`,
 * `json.value[/a/b]`): they are materialized first, then selected in order.
 */
import type { Table } from './table.js';
import { withFields } from './table.js';
import { outputColumns } from './select-fields.js';

export function select(table: Table, fields: readonly string[]): Table {
  outputColumns(table, fields); // an unknown field throws UnknownFieldError with suggestions
  return withFields(table, fields).select(...fields);
}
