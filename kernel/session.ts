/**
 * One notebook session: tslab's TypeScript executor (compile a cell with
 * the declarations of earlier cells, run it), with what tslab's own kernel
 * gets wrong done right here: a cell's last expression becomes an
 * execute_result with a rich mime bundle, failures become `error` outputs
 * with ename/evalue/traceback, displays are awaited before the reply, and
 * an interrupt also aborts the running load through an AbortSignal.
 */
import { createRequire } from 'node:module';
import { format } from 'node:util';

const req = createRequire(import.meta.url);

interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  inspect(src: string, position: number): unknown;
  complete(src: string, position: number): { start: number; end: number; candidates: string[] };
  interrupt(): void;
  close(): void;
}

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CellResult {
  ok: boolean;
  /** the value of the cell's last expression, when it had one (not null/undefined) */
  value?: unknown;
  hasValue: boolean;
  error?: CellError;
}

/** Frames of the kernel's own machinery, dropped from tracebacks. */
const INTERNAL = /node_modules[\\/](tslab|tsx)[\\/]|node:internal|node:vm|[\\/]kernel[\\/](session|server|main)\.ts|^\s*at (new Promise|process\.processTicksAndRejections)/;

/** The Jupyter error content of a thrown value. */
export function errorContent(e: unknown): CellError {
  if (e instanceof Error) {
    const lines = (e.stack ?? `${e.name}: ${e.message}`).split('\n');
    const kept = lines.filter((l, i) => i === 0 || !INTERNAL.test(l));
    return { ename: e.name || 'Error', evalue: e.message, traceback: kept };
  }
  const s = format('%o', e);
  return { ename: 'Error', evalue: s, traceback: [`Uncaught ${s}`] };
}

export class Session {
  private readonly executor: TslabExecutor;
  private captured: { value?: unknown; has: boolean; errors: unknown[]; diagnostics: string[] } = { has: false, errors: [], diagnostics: [] };
  private abort: AbortController | null = null;

  constructor(rootDir: string) {
    const { createConverter } = req('tslab/dist/converter') as { createConverter(o: { isJS: boolean; isBrowser: boolean }): { close(): void } };
    const { createExecutor } = req('tslab/dist/executor') as {
      createExecutor(root: string, convs: unknown, console: { log(...a: unknown[]): void; error(...a: unknown[]): void }): TslabExecutor;
    };
    let node: { close(): void } | null = null;
    let browser: { close(): void } | null = null;
    const convs = {
      get node() {
        return (node ??= createConverter({ isJS: false, isBrowser: false }));
      },
      get browser() {
        return (browser ??= createConverter({ isJS: false, isBrowser: true }));
      },
      close() {
        node?.close();
        browser?.close();
      },
    };
    void convs.node; // warm the compiler (several hundred ms) before the first cell
    this.executor = createExecutor(rootDir, convs, {
      // tslab calls log() only with a cell's last expression value
      log: (...args: unknown[]) => {
        this.captured.value = args[0];
        this.captured.has = true;
      },
      // and error() with a thrown value, or printf-style with a compile diagnostic
      error: (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].includes('%')) this.captured.diagnostics.push(format(...(args as [string, ...unknown[]])));
        else this.captured.errors.push(args[0]);
      },
    });
  }

  /** Runs one cell. */
  async execute(code: string): Promise<CellResult> {
    this.captured = { has: false, errors: [], diagnostics: [] };
    this.abort = new AbortController();
    (globalThis as { __stratolab_signal__?: AbortSignal }).__stratolab_signal__ = this.abort.signal;
    let ok: boolean;
    try {
      ok = await this.executor.execute(code);
    } catch (e) {
      ok = false;
      this.captured.errors.push(e);
    } finally {
      this.abort = null;
    }
    const c = this.captured;
    if (!ok || c.errors.length || c.diagnostics.length) {
      if (c.diagnostics.length) {
        return {
          ok: false,
          hasValue: false,
          error: { ename: 'TypeScriptError', evalue: c.diagnostics.join('; '), traceback: c.diagnostics },
        };
      }
      const err = c.errors[0];
      if (err instanceof Error && /Script execution was interrupted|Interrupted asynchronously/.test(err.message)) {
        return { ok: false, hasValue: false, error: { ename: 'KeyboardInterrupt', evalue: 'interrupted', traceback: ['KeyboardInterrupt: the cell was interrupted'] } };
      }
      return { ok: false, hasValue: false, error: errorContent(err ?? new Error('the cell failed')) };
    }
    return { ok: true, hasValue: c.has, value: c.value };
  }

  /** SIGINT or interrupt_request: break a running cell and abort its loads. */
  interrupt(): void {
    this.abort?.abort(new Error('interrupted'));
    this.executor.interrupt();
  }

  complete(code: string, pos: number): { start: number; end: number; candidates: string[] } {
    return this.executor.complete(code, pos);
  }

  /** Quick info (type and docs) at the cursor as text, or null. */
  inspect(code: string, pos: number): string | null {
    const info = this.executor.inspect(code, pos);
    if (!info) return null;
    const { printQuickInfo } = req('tslab/dist/inspect') as { printQuickInfo(i: unknown): string };
    return printQuickInfo(info);
  }

  close(): void {
    this.executor.close();
  }
}
