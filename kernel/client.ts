/**
 * A minimal Jupyter client for the headless runner: starts the stratolab
 * kernel as a child process on loopback ports, sends execute requests and
 * collects their outputs in nbformat shape.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decode, encode, type Message, PROTOCOL_VERSION } from './wire.js';
import { kernelSpec } from './install.js';

const req = createRequire(import.meta.url);

/** An output of a cell, as nbformat v4 stores it. */
export type Output =
  | { output_type: 'stream'; name: string; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: Record<string, unknown> }
  | { output_type: 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface ExecuteResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
  outputs: Output[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

type Sock = { send(frames: unknown[]): Promise<void>; connect(addr: string): void; close(): void; subscribe?(t?: string): void; receive(): Promise<Buffer[]> };

export class KernelClient {
  private child: ChildProcess | null = null;
  private shell!: Sock;
  private iopub!: Sock;
  private control!: Sock;
  private readonly key = randomBytes(16).toString('hex');
  private readonly session = randomBytes(8).toString('hex');
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'stratolab-run-'));
  private stderr = '';
  /** iopub messages by parent msg_id */
  private readonly iopubWaiters = new Map<string, (m: Message) => void>();

  /** Starts the kernel in `cwd` and waits until it answers kernel_info. */
  async start(cwd: string, timeoutMs = 60_000): Promise<void> {
    const ports = { shell_port: await freePort(), iopub_port: await freePort(), stdin_port: await freePort(), control_port: await freePort(), hb_port: await freePort() };
    const conn = { transport: 'tcp', ip: '127.0.0.1', key: this.key, signature_scheme: 'hmac-sha256', ...ports };
    const file = path.join(this.dir, 'kernel.json');
    writeFileSync(file, JSON.stringify(conn));
    const argv = (kernelSpec().argv as string[]).map((a) => (a === '{connection_file}' ? file : a));
    this.child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    const zmq = req('zeromq') as { Dealer: new () => Sock; Subscriber: new () => Sock };
    this.shell = new zmq.Dealer();
    this.control = new zmq.Dealer();
    this.iopub = new zmq.Subscriber();
    this.shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
    this.control.connect(`tcp://127.0.0.1:${ports.control_port}`);
    this.iopub.connect(`tcp://127.0.0.1:${ports.iopub_port}`);
    this.iopub.subscribe!();
    void this.pumpIopub();
    const deadline = Date.now() + timeoutMs;
    // kernel_info until iopub is connected too (a status message arrives)
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the kernel exited during start: ${this.stderr.trim()}`);
      const got = await Promise.race([this.request('kernel_info_request', {}).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
      if (got && this.iopubSeen) return;
      if (Date.now() > deadline) throw new Error(`the kernel did not start within ${timeoutMs / 1000} s: ${this.stderr.trim()}`);
    }
  }

  private iopubSeen = false;
  private async pumpIopub(): Promise<void> {
    try {
      for (;;) {
        const frames = await this.iopub.receive();
        const m = decode(this.key, frames);
        this.iopubSeen = true;
        const w = this.iopubWaiters.get(m.parent_header.msg_id ?? '');
        w?.(m);
      }
    } catch {
      /* socket closed */
    }
  }

  private message(type: string, content: Record<string, unknown>): Message {
    return {
      identities: [],
      header: { msg_id: randomBytes(16).toString('hex'), session: this.session, username: 'stratolab', date: new Date().toISOString(), msg_type: type, version: PROTOCOL_VERSION },
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
  }

  private replies = new Map<string, (m: Message) => void>();
  private pumping = false;
  private async pumpShell(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const frames = await this.shell.receive();
        const m = decode(this.key, frames);
        this.replies.get(m.parent_header.msg_id ?? '')?.(m);
      }
    } catch {
      /* closed */
    }
  }

  /** Sends a shell request; resolves with its reply. */
  async request(type: string, content: Record<string, unknown>, onIopub?: (m: Message) => void): Promise<Message> {
    const msg = this.message(type, content);
    if (onIopub) this.iopubWaiters.set(msg.header.msg_id, onIopub);
    const p = new Promise<Message>((resolve) => this.replies.set(msg.header.msg_id, resolve));
    void this.pumpShell();
    await this.shell.send(encode(this.key, msg, false));
    const r = await p;
    this.replies.delete(msg.header.msg_id);
    return r;
  }

  /** Executes one cell; resolves when the kernel is idle again, with its outputs. */
  async execute(code: string, timeoutMs = 600_000): Promise<ExecuteResult> {
    const outputs: Output[] = [];
    const displays = new Map<string, number>();
    let idle!: () => void;
    const idleP = new Promise<void>((r) => (idle = r));
    let msgId = '';
    const onIopub = (m: Message) => {
      const c = m.content as Record<string, unknown>;
      switch (m.header.msg_type) {
        case 'stream': {
          const last = outputs[outputs.length - 1];
          if (last?.output_type === 'stream' && last.name === c.name) last.text += String(c.text);
          else outputs.push({ output_type: 'stream', name: String(c.name), text: String(c.text) });
          break;
        }
        case 'display_data': {
          const id = (c.transient as { display_id?: string } | undefined)?.display_id;
          if (id) displays.set(id, outputs.length);
          outputs.push({ output_type: 'display_data', data: c.data as Record<string, unknown>, metadata: (c.metadata ?? {}) as Record<string, unknown> });
          break;
        }
        case 'update_display_data': {
          const id = (c.transient as { display_id?: string } | undefined)?.display_id;
          const at = id !== undefined ? displays.get(id) : undefined;
          if (at !== undefined) outputs[at] = { output_type: 'display_data', data: c.data as Record<string, unknown>, metadata: (c.metadata ?? {}) as Record<string, unknown> };
          break;
        }
        case 'execute_result':
          outputs.push({ output_type: 'execute_result', data: c.data as Record<string, unknown>, metadata: (c.metadata ?? {}) as Record<string, unknown>, execution_count: Number(c.execution_count) });
          break;
        case 'error':
          outputs.push({ output_type: 'error', ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback as string[]) ?? [] });
          break;
        case 'clear_output':
          outputs.length = 0;
          break;
        case 'status':
          if (c.execution_state === 'idle') idle();
          break;
      }
    };
    const timer = setTimeout(() => this.interrupt(), timeoutMs);
    try {
      const rep = await this.request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, onIopub);
      msgId = rep.parent_header.msg_id ?? '';
      await Promise.race([idleP, new Promise((r) => setTimeout(r, 5000))]);
      const c = rep.content as { status: 'ok' | 'error' | 'aborted'; execution_count?: number };
      return { status: c.status, executionCount: c.execution_count ?? null, outputs };
    } finally {
      clearTimeout(timer);
      this.iopubWaiters.delete(msgId);
    }
  }

  /** SIGINT to the kernel (its interrupt_mode is signal). */
  interrupt(): void {
    this.child?.kill('SIGINT');
  }

  /** Shuts the kernel down (shutdown_request, then SIGKILL if it lingers) and removes the connection file. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        const msg = this.message('shutdown_request', { restart: false });
        await this.control.send(encode(this.key, msg, false));
      } catch {
        /* ignore */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    for (const s of [this.shell, this.iopub, this.control]) s?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
