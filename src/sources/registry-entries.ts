/**
 * The sources stratolab knows, in the order they are tried, with a cheap
 * hint so that `resolveLoader` imports only the modules that may read a spec
 * (the CLI starts fast; a source not built yet is reported, not a crash).
 */

/** 'yes': this source reads the spec (no other is asked); 'maybe': ask its `matches`; 'no': skip. */
export type Claim = 'yes' | 'maybe' | 'no';

export interface SourceEntry {
  /** the loader's short name: 'scap', 'cloudtrail', 'gcp', 's3', 'ssh' */
  name: string;
  /** what it reads, for error messages and `--help` */
  reads: string;
  /** module path relative to src/sources/ */
  module: string;
  /** the module's SourceLoader export */
  loaderExport: string;
  /** the module's streaming reader `(path, {filter, onRow, ...}) => Promise<...>`, if any */
  streamExport?: string;
  /**
   * Who applies `opts.filter`: 'self' — the loader (and `limit` after it);
   * 'predicate' — the loader takes `predicate(record, timeMs)`, which
   * `loadSources` builds from the filter (records of `recordSource` kind);
   * absent — `loadSources` filters the loaded table, then applies the limit.
   */
  filterMode?: 'self' | 'predicate';
  /** the `source` value of the records a predicate sees */
  recordSource?: string;
  /**
   * true when the loader reads events in time order (a capture), so it may
   * stop at `limit`; otherwise the limit is applied after sorting by time
   */
  readsInTimeOrder?: boolean;
  /** false when the module registers no fields of its own (s3 reads CloudTrail, ssh reads scap) */
  registersFields?: boolean;
  /** for streamed rows: the module's list of default table columns, and the `source` column's value */
  streamColumns?: { export: string; source: string };
  claims(spec: string): Claim;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True for specs that name a local file or directory (not a URL like s3:// or gcp://). */
export function isLocalSpec(spec: string): boolean {
  return !URL_SCHEME.test(spec) || spec.startsWith('file://');
}

const SCAP_NAME = /\.(scap|scap\.gz|scap\.zst|scap\.lz4|scap\.zstd)$/i;

export const SOURCE_ENTRIES: readonly SourceEntry[] = [
  {
    name: 's3',
    reads: 's3://bucket/prefix (CloudTrail in the AWSLogs layout)',
    module: './s3/index.js',
    loaderExport: 's3Loader',
    filterMode: 'predicate',
    recordSource: 'aws_cloudtrail',
    registersFields: false,
    claims: (s) => (/^s3:\/\//i.test(s) ? 'yes' : 'no'),
  },
  {
    name: 'ssh',
    reads: 'ssh://[user@]host[:port] (a remote sysdig capture)',
    module: './ssh/index.js',
    loaderExport: 'sshLoader',
    registersFields: false,
    // sysdig filters on the remote host and the loader stops at -c: a live capture has no end to read to
    filterMode: 'self',
    readsInTimeOrder: true,
    claims: (s) => (/^ssh:\/\//i.test(s) ? 'yes' : 'no'),
  },
  {
    name: 'scap',
    reads: 'sysdig captures (.scap, .scap.gz)',
    module: './scap/index.js',
    loaderExport: 'scapLoader',
    streamExport: 'streamScap',
    streamColumns: { export: 'SCAP_COLUMNS', source: 'syscall' },
    filterMode: 'self',
    readsInTimeOrder: true,
    claims: (s) => (!isLocalSpec(s) ? 'no' : SCAP_NAME.test(s) ? 'yes' : 'maybe'),
  },
  {
    name: 'cloudtrail',
    reads: 'CloudTrail files and directories (.json, .json.gz, JSON lines)',
    module: './cloudtrail/index.js',
    loaderExport: 'cloudtrailLoader',
    filterMode: 'self',
    claims: (s) => (isLocalSpec(s) ? 'maybe' : 'no'),
  },
  {
    name: 'gcp',
    reads: 'GCP audit logs (LogEntry JSON, JSON lines, gcp://project)',
    module: './gcp-audit/index.js',
    loaderExport: 'gcpLoader',
    filterMode: 'self',
    claims: (s) => (/^gcp:\/\//i.test(s) ? 'yes' : isLocalSpec(s) ? 'maybe' : 'no'),
  },
];
