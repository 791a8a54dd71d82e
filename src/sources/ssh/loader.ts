/**
 * `sl.load('ssh://host', opts)` / `stratolab read ssh://...`: a capture that
 * runs until its duration, count (-c / limit) or signal ends it, returned as
 * one table. The options are the CaptureOptions, under the LoadOptions
 * names where those exist (filter, limit, signal, onProgress, onWarning).
 */
import type { LoadOptions, LoadResult, SourceLoader } from '../types.js';
import { capture, type CaptureOptions } from './capture.js';
import { SshSourceError } from './errors.js';
import { isSshSpec } from './target.js';

/** CaptureOptions from LoadOptions: `limit` is the per-host count, `sudo: true` is privilege sudo. */
export function captureOptionsFrom(opts: LoadOptions): CaptureOptions {
  const o = { ...opts } as Record<string, unknown>;
  const out: CaptureOptions = { ...(o as CaptureOptions) };
  if (opts.limit !== undefined && out.count === undefined) out.count = opts.limit;
  if (o.sudo === true) out.privilege = 'sudo';
  if (o.doas === true) out.privilege = 'doas';
  if (typeof o.identityFile === 'string') out.identityFiles = [o.identityFile, ...(out.identityFiles ?? [])];
  return out;
}

export const sshLoader: SourceLoader = {
  name: 'ssh',
  matches: (spec) => isSshSpec(spec),
  async load(specs, opts: LoadOptions): Promise<LoadResult> {
    const copts = captureOptionsFrom(opts);
    const cap = capture(specs, copts);
    const r = await cap.done;
    if (r.failed.length === r.hosts.length && r.table.numRows() === 0) {
      const first = r.hosts.find((h) => h.error)?.error;
      throw first ?? new SshSourceError(specs.join(' '), 'command', 'capture failed');
    }
    let table = r.table;
    if (opts.limit !== undefined && table.numRows() > opts.limit) table = table.slice(0, opts.limit);
    const bytes = r.hosts.reduce((n, h) => n + h.bytes, 0);
    const eventsRead = r.hosts.reduce((n, h) => n + h.events, 0);
    return {
      table,
      warnings: r.warnings,
      failed: r.failed,
      stats: {
        objectsListed: r.hosts.length,
        objectsFetched: r.hosts.filter((h) => !h.error).length,
        bytes,
        eventsRead,
        eventsMatched: table.numRows(),
        seconds: r.seconds,
      },
    };
  },
};
