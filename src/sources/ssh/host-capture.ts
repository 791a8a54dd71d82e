/**
 * The capture from one host: connect, run the command, write the raw bytes
 * to disk as they arrive, parse them into blocks and rows, and end cleanly
 * (duration, count, stop(), AbortSignal) or with a clear failure that names
 * the host. Rows already read are kept whatever happens afterwards.
 */
import type { Client } from 'ssh2';
import { readScapBatches } from '../scap/reader.js';
import type { ScapBlock } from '../scap/types.js';
import type { LoadWarning } from '../types.js';
import { connectTarget, type ConnectOptions } from './connect.js';
import { SshSourceError } from './errors.js';
import { RawStreamFile, type WriteTarget } from './raw-file.js';
import { commandProgram, withStopWatcher } from './remote-command.js';
import { execRemote, type RemoteExit, type RemoteProcess } from './remote-process.js';
import type { SshTarget } from './target.js';

export type HostState = 'connecting' | 'capturing' | 'stopping' | 'done' | 'failed';

/** What the user sees of one host while and after it captures. */
export interface HostStatus {
  /** the host as the user named it (evt.hostname) */
  host: string;
  state: HostState;
  /** raw bytes received */
  bytes: number;
  /** events (rows) kept: read, and accepted by the local filter if there is one */
  events: number;
  /** where the raw stream is being written */
  file?: string;
  /** the remote command's exit, once known */
  exit?: RemoteExit;
  /** why the host failed (it may still have delivered events before) */
  error?: SshSourceError;
}

/** Turns one host's blocks into rows (the scap state engine, one per host). */
export interface BlockDecoder<R> {
  block(b: ScapBlock): R | null;
}

export interface HostCaptureOptions<R> extends ConnectOptions {
  command: string;
  /** stop this host after this many rows */
  count?: number;
  write?: WriteTarget;
  decoder: BlockDecoder<R>;
  /** keeps only the rows it accepts (a local filter); `count` counts accepted rows */
  accept?(row: R): boolean;
  onRow(row: R): void;
  onWarning?(w: LoadWarning): void;
  onStatus?(s: HostStatus): void;
}

export interface HostCapture {
  status: HostStatus;
  /** ends the capture cleanly; resolves with the final status */
  stop(): Promise<HostStatus>;
  done: Promise<HostStatus>;
}

/** Starts capturing from one host; never rejects: failures end up in `status.error`. */
export function captureHost<R>(target: SshTarget, opts: HostCaptureOptions<R>): HostCapture {
  const status: HostStatus = { host: target.label, state: 'connecting', bytes: 0, events: 0 };
  const notify = () => opts.onStatus?.({ ...status });
  let client: Client | undefined;
  let remote: RemoteProcess | undefined;
  let stopRequested = false;
  let wake: (() => void) | undefined;
  const stopped = new Promise<void>((r) => (wake = r));

  const requestStop = () => {
    if (stopRequested) return;
    stopRequested = true;
    if (status.state === 'capturing') {
      status.state = 'stopping';
      notify();
    }
    wake?.();
    void remote?.stop();
  };

  const run = async (): Promise<HostStatus> => {
    const file = opts.write ? new RawStreamFile(opts.write, target.label) : undefined;
    try {
      const connecting = connectTarget(target, opts);
      const first = await Promise.race([connecting, stopped.then(() => null)]);
      if (first === null) {
        connecting.then(({ client }) => client.end(), () => {});
        status.state = 'done';
        return status;
      }
      client = first.client;
      try {
        remote = await execRemote(client, withStopWatcher(opts.command));
      } catch (err) {
        throw new SshSourceError(target.label, 'command', `the server refused to run the command: ${(err as Error)?.message ?? err}`, { cause: err });
      }
      status.state = stopRequested ? 'stopping' : 'capturing';
      notify();
      if (stopRequested) void remote.stop();
      const rp = remote;
      let writing = file !== undefined;
      const tee = async function* (): AsyncGenerator<Uint8Array> {
        for await (const chunk of rp.stdout) {
          status.bytes += chunk.length;
          if (writing) {
            try {
              await file!.write(chunk);
              status.file ??= file!.path;
            } catch (err) {
              // a full or failing disk must not end the capture: keep it in memory, say so loudly
              writing = false;
              opts.onWarning?.({ where: target.label, message: `cannot write the raw stream to ${file!.path}: ${(err as Error)?.message ?? err}; the capture goes on in memory only` });
            }
          }
          yield chunk;
        }
      };
      let streamError: unknown;
      try {
        for await (const batch of readScapBatches(tee(), {
          file: target.label,
          truncated: 'warn',
          onWarning: (w) => opts.onWarning?.({ where: target.label, offset: w.offset, message: unprefixed(w.message, target.label) }),
        })) {
          for (const b of batch) {
            const row = opts.decoder.block(b);
            if (row === null || (opts.count !== undefined && status.events >= opts.count)) continue;
            if (opts.accept && !opts.accept(row)) continue;
            status.events++;
            opts.onRow(row);
            if (opts.count !== undefined && status.events >= opts.count) requestStop();
          }
        }
      } catch (err) {
        streamError = err;
        void rp.stop(undefined, true);
      }
      rp.discard();
      const exit = await rp.exit;
      status.exit = exit;
      status.error = failure(target.label, opts.command, exit, status, streamError);
      if (status.error && status.events > 0) {
        opts.onWarning?.({ where: target.label, message: `${status.error.reason} (the ${status.events} events read before are kept)` });
      }
      status.state = status.error ? 'failed' : 'done';
    } catch (err) {
      status.error = err instanceof SshSourceError ? err : new SshSourceError(target.label, 'network', String((err as Error)?.message ?? err), { cause: err });
      status.state = 'failed';
    } finally {
      await file?.close().catch(() => {});
      status.file ??= file?.path;
      client?.end();
      notify();
    }
    return status;
  };

  const done = run();
  return {
    status,
    stop: () => {
      requestStop();
      return done;
    },
    done,
  };
}

/** The failure (if any) that a finished command represents. Stopping it ourselves is not one. */
function failure(host: string, command: string, exit: RemoteExit, s: HostStatus, streamError: unknown): SshSourceError | undefined {
  const stderr = exit.stderr.trim();
  const tail = stderr ? `: ${lastLines(stderr, 5)}` : '';
  const program = commandProgram(command);
  const notFound = new RegExp(`${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (command )?not found`);
  if (exit.code === 127 || (exit.code !== 0 && s.bytes === 0 && notFound.test(stderr))) {
    return new SshSourceError(host, 'command', `command not found on the remote host: ${program} (exit status ${exit.code})${tail}`);
  }
  if (exit.code === 126) {
    return new SshSourceError(host, 'command', `command not executable on the remote host: ${commandProgram(command)}${tail}`);
  }
  const streamFailure = (): SshSourceError => {
    const msg = unprefixed((streamError as Error)?.message ?? String(streamError), host);
    return new SshSourceError(host, 'stream', `the remote output is not a readable scap stream: ${msg}${tail}`, { cause: streamError });
  };
  // bad bytes: whatever the exit status says afterwards (our cleanup ended the command)
  if (streamError && s.bytes > 0) return streamFailure();
  if (!exit.stopped && exit.code !== null && exit.code !== 0) {
    const hint = /sudo: .*password is required|doas: .*(password|Authorization required)/i.test(stderr)
      ? ' (--sudo/--doas need passwordless rights for sysdig on that host, e.g. NOPASSWD in sudoers)'
      : '';
    return new SshSourceError(host, 'command', `remote command exited with status ${exit.code}${s.bytes ? ` after ${s.bytes} bytes` : ''}${tail}${hint}`);
  }
  if (!exit.stopped && exit.code === null && exit.signal) {
    return new SshSourceError(host, 'command', `remote command killed by signal ${exit.signal}${tail}`);
  }
  if (!exit.stopped && exit.code === null && !exit.signal) {
    return new SshSourceError(host, 'network', `connection lost before the remote command reported an exit status${s.bytes ? ` (after ${s.bytes} bytes)` : ''}${tail}`);
  }
  // nothing at all came (a command that wrote nothing and exited 0), unless we stopped it first
  if (streamError && !exit.stopped) return streamFailure();
  return undefined;
}

/** A reader message without the `host: ` prefix the reader put there (the host is named once). */
function unprefixed(message: string, host: string): string {
  return message.startsWith(`${host}: `) ? message.slice(host.length + 2) : message;
}

function lastLines(text: string, n: number): string {
  return text.split(/\r?\n/).slice(-n).join(' | ');
}
