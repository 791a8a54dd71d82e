/**
 * Field types and values shared by every source, filter, frame and chart.
 *
 * A table column is named by the field name (`ct.user`, `proc.name`). A field
 * with an argument (`proc.aname[2]`, `json.value[/a/b]`, `evt.arg.fd`) is
 * materialized, when it is, as a column named `name[arg]` (`evt.arg.fd` is
 * stored as `evt.arg[fd]`: the canonical form of a named argument).
 */

/** The value types a field can have. */
export type FieldType =
  | 'string' // JS string
  | 'number' // JS number, or bigint for 64-bit values beyond 2^53 (evt.rawtime)
  | 'bool' // JS boolean
  | 'timestamp' // Date, bigint ns since epoch, number ms since epoch, or an RFC 3339 string (ct.time keeps the record's text, as Falco)
  | 'ip' // textual IPv4/IPv6 address (canonical form), compared as addresses, CIDR-aware in filters
  | 'json' // JSON text (compact, as Falco re-serializes objects)
  | 'list'; // string[] (multi-valued field: Wireshark "any equal" semantics)

/** A field value. `null` means the field is absent on that row (Falco: `exists` is false). */
export type Value = string | number | bigint | boolean | Date | readonly string[] | null;

/** How a field takes an argument, e.g. `proc.aname[2]` (index), `evt.arg.fd` (name), `json.value[/a/b]` (pointer). */
export interface FieldArg {
  /** true when the field cannot be used without an argument */
  required: boolean;
  kind: 'index' | 'name' | 'pointer' | 'any';
  description?: string;
}

/** One registered field. */
export interface FieldDef {
  /** Falco / Stratoshark field name, e.g. `ct.user` */
  name: string;
  type: FieldType;
  /** column header / tree label as Stratoshark shows it, e.g. "User Name" */
  display: string;
  description: string;
  /** which source family defines it: 'aws_cloudtrail' | 'gcp_auditlog' | 'syscall' | 'json' | 'common' */
  source: string;
  arg?: FieldArg;
  /**
   * Computes the value from the row's raw object (the value of column `rawColumn`),
   * for fields not materialized as columns (lazy fields, fields with arguments).
   */
  extract?: (raw: any, arg?: string) => Value;
  /** the column holding the raw object `extract` reads; default `raw` */
  rawColumn?: string;
  /** Stratoshark field properties: 'hidden' | 'conversation' | 'info' */
  properties?: readonly string[];
}
