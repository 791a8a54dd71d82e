/**
 * What every source loader takes and returns. `sl.load(spec)` picks the
 * loader whose `matches` accepts the spec (a path, `s3://`, `gcp://`, `ssh://`).
 */
import type { Table } from '../frames/table.js';

/** Progress of a load, reported through one interface to the CLI's bar and to notebooks. */
export interface Progress {
  /** what is being loaded, e.g. "s3://bucket/AWSLogs/..." */
  label: string;
  objectsDone: number;
  objectsTotal?: number;
  bytesDone: number;
  bytesTotal?: number;
  events: number;
  /** true on the last report */
  done?: boolean;
}

export interface LoadOptions {
  /** a filter expression (Wireshark or Falco syntax) applied to every event */
  filter?: string;
  /** keep events at or after this time (Date, RFC 3339, or relative like `2d`, `3h`) */
  since?: Date | string;
  /** keep events before this time */
  until?: Date | string;
  /** fields to materialize as columns besides the defaults */
  fields?: readonly string[];
  /** stop after this many matching events */
  limit?: number;
  onProgress?: (p: Progress) => void;
  /** called for each recoverable problem (bad file, skipped block) as it happens */
  onWarning?: (w: LoadWarning) => void;
  signal?: AbortSignal;
  /** source-specific options (scap: showInternal; s3: region, account, cache...) */
  [key: string]: unknown;
}

/** A recoverable problem: the load goes on, the problem is reported. */
export interface LoadWarning {
  /** the file, object key or host it concerns */
  where: string;
  /** byte offset in the file, when known */
  offset?: number;
  message: string;
}

/** Counters reported by `--stats`. */
export interface LoadStats {
  objectsListed: number;
  objectsFetched: number;
  cacheHits?: number;
  bytes: number;
  eventsRead: number;
  eventsMatched: number;
  seconds: number;
  [key: string]: number | undefined;
}

export interface LoadResult {
  table: Table;
  warnings: LoadWarning[];
  /** objects or files that could not be read, with the reason */
  failed: { key: string; reason: string }[];
  stats: LoadStats;
}

export interface SourceLoader {
  /** short name: 'cloudtrail', 'gcp', 'scap', 's3', 'ssh' */
  name: string;
  /** true if this loader reads `spec` */
  matches(spec: string): boolean | Promise<boolean>;
  load(specs: readonly string[], opts: LoadOptions): Promise<LoadResult>;
}
