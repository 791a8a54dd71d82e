/**
 * The `stratolab` command: dispatches to one module per command (imported
 * only when used, for a fast start) and maps failures to exit statuses:
 * 0 ok, 1 unreadable input, 2 usage or filter error.
 */
import { readFileSync } from 'node:fs';
import { EXIT_INPUT, EXIT_USAGE, UsageError } from './errors.js';
import { printError } from './output.js';

type Runner = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Runner> }> = {
  read: { summary: 'print events (text, fields, json, csv), filter, write .scap', load: async () => (await import('./read.js')).runRead },
  summary: { summary: 'who did what: principals, errors, API calls, IPs, notable events', load: async () => (await import('./summary.js')).runSummary },
  export: { summary: 'write events to CSV, JSON lines, Arrow IPC or Parquet', load: async () => (await import('./export.js')).runExport },
  capture: { summary: 'live syscall capture from hosts over SSH (sysdig), saved as .scap', load: async () => (await import('./capture.js')).runCapture },
  chart: { summary: 'charts: process tree, connections, I/O graph, cloud activity, timeline (SVG, PNG, Vega-Lite)', load: async () => (await import('./chart.js')).runChart },
  run: { summary: 're-execute a notebook through the kernel; write it and an HTML report', load: async () => (await import('./run.js')).runRun },
  kernel: { summary: 'install the Jupyter kernel ("TypeScript (stratolab)")', load: async () => (await import('./kernel.js')).runKernel },
  check: { summary: 'validate a display filter (caret under the error)', load: async () => (await import('./check.js')).runCheck },
  fields: { summary: 'list the fields filters and -e accept', load: async () => (await import('./fields.js')).runFields },
  sources: { summary: 'list the sources this build reads (and why one is not available)', load: async () => (await import('./sources.js')).runSources },
};

export function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function mainHelp(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `Usage: stratolab COMMAND [options]

Stratoshark's analysis on the command line: AWS CloudTrail, GCP audit logs and
sysdig captures, with Wireshark/Falco display filters.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(w)}  ${c.summary}`)
  .join('\n')}

Run "stratolab COMMAND --help" for a command's options.

Sources: CloudTrail files or directories (.json, .json.gz, JSON lines; AWSLogs
layout or flat), s3://bucket/prefix, GCP audit logs (files, gcp://project),
sysdig captures (.scap, .scap.gz), ssh://host (remote sysdig).

Exit status: 0 ok; 1 an input could not be read; 2 usage or filter error.
`;
}

/** Error text and exit status for a failure. */
export async function describeFailure(err: unknown): Promise<{ message: string; code: number }> {
  const e = err as any;
  if (err instanceof UsageError) return { message: `${err.message}${err.hint ? `\n(see "${err.hint}")` : ''}`, code: EXIT_USAGE };
  if (e?.name === 'FilterError') {
    try {
      const { filterModule } = await import('../filter-api.js');
      const f = await filterModule();
      return { message: f.formatFilterError(e, e.expr), code: EXIT_USAGE };
    } catch {
      return { message: String(e.message), code: EXIT_USAGE };
    }
  }
  if (e?.name === 'TimeSpecError' || e?.name === 'UnknownFieldError') return { message: String(e.message), code: EXIT_USAGE };
  if (e?.name === 'SourceError' || e?.name === 'NoLoaderError' || e?.name === 'SourceUnavailableError' || e?.name === 'FilterUnavailableError') {
    return { message: String(e.message), code: EXIT_INPUT };
  }
  const detail = process.env.STRATOLAB_DEBUG ? `\n${e?.stack ?? ''}` : '';
  return { message: `${e?.message ?? String(err)}${detail}`, code: EXIT_INPUT };
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help']);
    process.stdout.write(mainHelp());
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`stratolab ${version()}\n`);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    printError(`unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')}; see "stratolab --help")`);
    return EXIT_USAGE;
  }
  try {
    const run = await c.load();
    return await run(rest);
  } catch (err) {
    const { message, code } = await describeFailure(err);
    printError(message);
    return code;
  }
}

/** Entry point of bin/stratolab.js: runs argv and exits once stdout and stderr are flushed. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  // a failure outside the command's own flow (a stray rejected promise in a
  // loader) still ends with a message and status 1, not a stack dump
  const fatal = (err: unknown) => {
    void describeFailure(err).then(({ message }) => {
      printError(message);
      process.exit(EXIT_INPUT);
    });
  };
  process.on('unhandledRejection', fatal);
  process.on('uncaughtException', fatal);
  const code = await main(argv);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}
