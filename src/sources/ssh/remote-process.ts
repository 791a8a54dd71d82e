/**
 * One remote command over an SSH `exec` channel: stdout as a byte stream,
 * stderr kept (the last 64 KiB) for error messages, the exit status, and a
 * clean stop: a TERM signal request (OpenSSH kills the process group, in
 * privilege-separated sessions), EOF on stdin (the stop watcher of
 * `withStopWatcher` then kills the process group: this covers root logins),
 * a grace period during which the last bytes still arrive, then the channel
 * is closed; a server that does not confirm within 3 s is given up on.
 */
import type { Client, ClientChannel } from 'ssh2';

export interface RemoteExit {
  /** exit status, or null when the process died of a signal or the channel closed first */
  code: number | null;
  /** the signal that ended it (e.g. 'TERM'), when the server reported one */
  signal?: string;
  /** the tail of what the command wrote to stderr */
  stderr: string;
  /** true when stop() ended the command (it had not exited by itself before) */
  stopped: boolean;
}

export interface RemoteProcess {
  /** the command's stdout; ends when the command does */
  stdout: AsyncIterable<Buffer>;
  /** settles when the channel closes */
  exit: Promise<RemoteExit>;
  /**
   * Asks the command to end (TERM), then closes the channel after `graceMs`.
   * `cleanup` stops (after a stream error) do not count as the user stopping
   * it: the exit status is then reported as it is.
   */
  stop(graceMs?: number, cleanup?: boolean): Promise<RemoteExit>;
  /**
   * Throws away what stdout still holds or will deliver. Call it when you
   * stop reading stdout early: ssh2 emits the channel's 'close' (hence
   * `exit`) only after its readable side has ended.
   */
  discard(): void;
}

const STDERR_KEEP = 64 * 1024;
/** how long after the close request a silent server is given up on */
const FORCE_AFTER_MS = 3000;

export function execRemote(client: Client, command: string): Promise<RemoteProcess> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      resolve(wrapChannel(channel));
    });
  });
}

function wrapChannel(channel: ClientChannel): RemoteProcess {
  let stderr = '';
  let code: number | null = null;
  let signal: string | undefined;
  let stopped = false;
  let exited = false;
  channel.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP);
  });
  channel.on('exit', (c: number | null, sig?: string) => {
    exited = true;
    if (typeof c === 'number') code = c;
    if (sig) signal = sig;
  });
  let settle: () => void = () => {};
  const exit = new Promise<RemoteExit>((resolve) => {
    settle = () => resolve({ code, ...(signal ? { signal } : {}), stderr, stopped });
    channel.once('close', () => settle());
  });
  let stopping: Promise<RemoteExit> | undefined;
  const stop = (graceMs = 2000, cleanup = false): Promise<RemoteExit> => {
    if (!cleanup && !exited) stopped = true;
    if (stopping) return stopping;
    try {
      channel.signal('TERM');
    } catch {
      /* the channel may already be closing */
    }
    try {
      channel.end();
    } catch {
      /* already ended */
    }
    const timer = setTimeout(() => {
      try {
        channel.close();
      } catch {
        /* already closed */
      }
    }, graceMs);
    // a server that never confirms the close must not hang the capture: end stdout and settle
    const force = setTimeout(() => {
      if (channel.readable) channel.push(null);
      settle();
    }, graceMs + FORCE_AFTER_MS);
    stopping = exit.finally(() => {
      clearTimeout(timer);
      clearTimeout(force);
    });
    return stopping;
  };
  const discard = () => {
    // paused-mode reads work whatever state an abandoned async iterator left the stream in
    const drain = () => {
      while (channel.read() !== null) {
        /* dropped */
      }
    };
    channel.on('readable', drain);
    drain();
  };
  return { stdout: channel as AsyncIterable<Buffer>, exit, stop, discard };
}
