/**
 * The kernel's sockets and message handling (Jupyter messaging v5.3):
 * shell and control requests are answered in order; every request is
 * bracketed by busy/idle status on iopub; a failed cell aborts only the
 * execute requests already queued behind it (no time window).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { writeSync } from 'node:fs';
import { decode, encode, reply, type Message, PROTOCOL_VERSION } from './wire.js';
import { Session } from './session.js';
import { History } from './history.js';
import { isComplete } from './is-complete.js';

const req = createRequire(import.meta.url);

export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

type Sock = { send(frames: unknown[]): Promise<void>; bind(addr: string): Promise<void>; close(): void } & AsyncIterable<Buffer[]>;

function log(msg: string): void {
  if (process.env.STRATOLAB_KERNEL_DEBUG) writeSync(2, `[stratolab kernel] ${msg}\n`);
}

/** Mime bundle of a value, from the library's display module (loaded with the library). */
async function bundleOf(x: unknown): Promise<Record<string, unknown>> {
  const { mimeBundle } = await import('../src/display/mime.js');
  return mimeBundle(x);
}

async function awaitDisplays(): Promise<void> {
  const { pendingDisplays } = await import('../src/display/index.js');
  while (pendingDisplays.size) await Promise.allSettled([...pendingDisplays]);
}

export class KernelServer {
  private readonly conn: ConnectionInfo;
  private readonly session: Session;
  private readonly history = new History();
  private shell!: Sock;
  private control!: Sock;
  private iopub!: Sock;
  private stdin!: Sock;
  private hb!: Sock;
  private count = 0;
  private readonly queue: { sock: Sock; msg: Message }[] = [];
  private working = false;
  private current: Message | null = null;
  private sendChain: Promise<void> = Promise.resolve();
  /** execute_reply payloads (the pager) of the running cell */
  private payload: Record<string, unknown>[] = [];

  constructor(connectionFile: string) {
    this.conn = JSON.parse(readFileSync(connectionFile, 'utf8')) as ConnectionInfo;
    this.session = new Session(process.cwd());
  }

  async start(): Promise<void> {
    const zmq = req('zeromq') as {
      Router: new () => Sock;
      Publisher: new () => Sock;
      Reply: new () => Sock;
    };
    this.shell = new zmq.Router();
    this.control = new zmq.Router();
    this.stdin = new zmq.Router();
    this.iopub = new zmq.Publisher();
    this.hb = new zmq.Reply();
    const addr = (port: number) => `${this.conn.transport}://${this.conn.ip}:${port}`;
    await Promise.all([
      this.shell.bind(addr(this.conn.shell_port)),
      this.control.bind(addr(this.conn.control_port)),
      this.stdin.bind(addr(this.conn.stdin_port)),
      this.iopub.bind(addr(this.conn.iopub_port)),
      this.hb.bind(addr(this.conn.hb_port)),
    ]);
    this.installOutputHooks();
    void this.loop(this.hb, async (frames) => this.hb.send(frames));
    void this.loop(this.shell, async (frames) => this.enqueue(this.shell, frames));
    void this.loop(this.control, async (frames) => this.onControl(frames));
    process.on('SIGINT', () => this.session.interrupt());
    log('started');
  }

  private async loop(sock: Sock, fn: (frames: Buffer[]) => Promise<void> | void): Promise<void> {
    try {
      for await (const frames of sock) {
        try {
          await fn(frames);
        } catch (e) {
          log(`handler failed: ${(e as Error).stack}`);
        }
      }
    } catch (e) {
      log(`socket loop ended: ${(e as Error).message}`);
    }
  }

  /** Sends in order (zeromq allows one send at a time per socket). */
  private send(sock: Sock, msg: Message): Promise<void> {
    const frames = encode(this.conn.key, msg, sock !== this.iopub);
    this.sendChain = this.sendChain.then(() => sock.send(frames)).catch((e) => log(`send failed: ${(e as Error).message}`));
    return this.sendChain;
  }

  private publish(parent: Message, type: string, content: Record<string, unknown>): Promise<void> {
    return this.send(this.iopub, reply(parent, type, content));
  }

  private status(parent: Message, state: 'busy' | 'idle' | 'starting'): Promise<void> {
    return this.publish(parent, 'status', { execution_state: state });
  }

  /** stdout/stderr writes and tslab/stratolab displays go to the cell that is running (or ran last). */
  private installOutputHooks(): void {
    const streamTo = (name: 'stdout' | 'stderr') => (chunk: unknown, enc?: unknown, cb?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (this.current && text) void this.publish(this.current, 'stream', { name, text });
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    };
    process.stdout.write = streamTo('stdout') as typeof process.stdout.write;
    process.stderr.write = streamTo('stderr') as typeof process.stderr.write;
    const writer = (content: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: Record<string, unknown> }, update: boolean) => {
      if (!this.current) return;
      void this.publish(this.current, update ? 'update_display_data' : 'display_data', {
        data: content.data,
        metadata: content.metadata ?? {},
        transient: content.transient ?? {},
      });
    };
    (globalThis as { __stratolab_display__?: unknown }).__stratolab_display__ = writer;
    (globalThis as { __stratolab_kernel__?: unknown }).__stratolab_kernel__ = {
      clearOutput: (wait = false) => this.current && void this.publish(this.current, 'clear_output', { wait }),
      page: (data: Record<string, unknown>) => this.payload.push({ source: 'page', data, start: 0 }),
    };
    try {
      (req('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown }).lastWriteDisplayData = writer;
    } catch {
      /* tslab display API unavailable */
    }
  }

  private enqueue(sock: Sock, frames: Buffer[]): void {
    let msg: Message;
    try {
      msg = decode(this.conn.key, frames);
    } catch (e) {
      log(`dropped a message: ${(e as Error).message}`);
      return;
    }
    this.queue.push({ sock, msg });
    void this.work();
  }

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.queue.length) {
        const { sock, msg } = this.queue.shift()!;
        await this.status(msg, 'busy');
        try {
          await this.handle(sock, msg);
        } catch (e) {
          log(`request ${msg.header.msg_type} failed: ${(e as Error).stack}`);
        }
        await this.status(msg, 'idle');
      }
    } finally {
      this.working = false;
    }
  }

  private async onControl(frames: Buffer[]): Promise<void> {
    const msg = decode(this.conn.key, frames);
    const t = msg.header.msg_type;
    if (t === 'interrupt_request') {
      this.session.interrupt();
      await this.send(this.control, reply(msg, 'interrupt_reply', { status: 'ok' }));
    } else if (t === 'shutdown_request') {
      await this.shutdown(this.control, msg);
    } else if (t === 'kernel_info_request') {
      await this.send(this.control, reply(msg, 'kernel_info_reply', this.kernelInfo()));
    } else {
      await this.send(this.control, reply(msg, t.replace(/_request$/, '_reply'), { status: 'error', ename: 'NotImplemented', evalue: t, traceback: [] }));
    }
  }

  private kernelInfo(): Record<string, unknown> {
    const tsVersion = (req('@tslab/typescript-for-tslab') as { version: string }).version;
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'stratolab',
      implementation_version: pkg.version,
      language_info: {
        name: 'typescript',
        version: tsVersion,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: { name: 'javascript', typescript: true },
        pygments_lexer: 'typescript',
      },
      banner: `stratolab ${pkg.version}: TypeScript ${tsVersion} (tslab executor) on Node ${process.version}`,
      help_links: [{ text: 'stratolab README', url: 'https://www.npmjs.com/package/stratolab' }],
    };
  }

  private async handle(sock: Sock, msg: Message): Promise<void> {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case 'kernel_info_request':
        return this.send(sock, reply(msg, 'kernel_info_reply', this.kernelInfo()));
      case 'execute_request':
        return this.execute(sock, msg);
      case 'is_complete_request':
        return this.send(sock, reply(msg, 'is_complete_reply', isComplete(String(c.code ?? '')) as unknown as Record<string, unknown>));
      case 'complete_request': {
        const code = String(c.code ?? '');
        const pos = Number(c.cursor_pos ?? code.length);
        const r = this.session.complete(code, pos);
        return this.send(sock, reply(msg, 'complete_reply', { status: 'ok', matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {} }));
      }
      case 'inspect_request': {
        const code = String(c.code ?? '');
        const text = this.session.inspect(code, Number(c.cursor_pos ?? code.length));
        return this.send(sock, reply(msg, 'inspect_reply', { status: 'ok', found: !!text, data: text ? { 'text/plain': text } : {}, metadata: {} }));
      }
      case 'history_request':
        return this.send(sock, reply(msg, 'history_reply', { status: 'ok', history: this.history.query(c) }));
      case 'comm_info_request':
        return this.send(sock, reply(msg, 'comm_info_reply', { status: 'ok', comms: {} }));
      case 'shutdown_request':
        return this.shutdown(sock, msg);
      default:
        log(`unhandled ${msg.header.msg_type}`);
    }
  }

  private async execute(sock: Sock, msg: Message): Promise<void> {
    const code = String(msg.content.code ?? '');
    const silent = !!msg.content.silent;
    const store = msg.content.store_history !== false && !silent;
    if (store) this.count++;
    const count = this.count;
    this.current = msg;
    this.payload = [];
    if (!silent) await this.publish(msg, 'execute_input', { code, execution_count: count });
    const r = await this.session.execute(code);
    await awaitDisplays().catch(() => undefined);
    let output: string | null = null;
    if (r.ok) {
      if (r.hasValue && !silent) {
        const data = await bundleOf(r.value).catch((e: Error) => ({ 'text/plain': `<display failed: ${e.message}>` }));
        output = typeof data['text/plain'] === 'string' ? (data['text/plain'] as string) : null;
        await this.publish(msg, 'execute_result', { execution_count: count, data, metadata: {} });
      }
      await this.send(sock, reply(msg, 'execute_reply', { status: 'ok', execution_count: count, payload: this.payload, user_expressions: {} }, { status: 'ok' }));
    } else {
      const err = r.error!;
      if (!silent) await this.publish(msg, 'error', { ...err });
      await this.send(sock, reply(msg, 'execute_reply', { status: 'error', execution_count: count, ...err }, { status: 'error' }));
      if (msg.content.stop_on_error !== false) this.abortQueued();
    }
    if (store) this.history.add(count, code, output);
  }

  /** After a failed cell: the execute requests already received are answered "aborted". */
  private abortQueued(): void {
    const rest = this.queue.splice(0);
    for (const item of rest) {
      if (item.msg.header.msg_type !== 'execute_request') {
        this.queue.push(item);
        continue;
      }
      void (async () => {
        await this.status(item.msg, 'busy');
        await this.send(item.sock, reply(item.msg, 'execute_reply', { status: 'aborted', execution_count: this.count }, { status: 'aborted' }));
        await this.status(item.msg, 'idle');
      })();
    }
  }

  private async shutdown(sock: Sock, msg: Message): Promise<void> {
    await this.send(sock, reply(msg, 'shutdown_reply', { status: 'ok', restart: !!msg.content.restart }));
    await this.sendChain;
    this.session.close();
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    setTimeout(() => process.exit(0), 50);
  }
}
