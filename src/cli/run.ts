/**
 * `stratolab run NOTEBOOK.ipynb [-o EXECUTED.ipynb] [--html REPORT.html] [--param key=value]... [--allow-errors]`
 * Re-executes a notebook top to bottom through the stratolab kernel and
 * writes the executed notebook and a self-contained HTML report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { flag, formatOptions, list, parseArgs, str, type OptionSpec } from './args.js';
import { UsageError, EXIT_INPUT } from './errors.js';

export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'EXECUTED.ipynb', help: 'write the executed notebook here (default: NOTEBOOK.executed.ipynb)' },
  { name: 'html', value: 'REPORT.html', help: 'also write a self-contained offline HTML report (charts inline as SVG)' },
  { name: 'param', short: 'p', value: 'KEY=VALUE', multiple: true, help: 'set a parameter (injected after the cell tagged "parameters")' },
  { name: 'allow-errors', help: 'run every cell even after one fails (exit 0)' },
  { name: 'no-code', help: 'leave code cells out of the HTML report' },
  { name: 'timeout', value: 'SECONDS', help: 'per-cell timeout (default 600)' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const RUN_HELP = `Usage: stratolab run NOTEBOOK.ipynb [options]

Executes every code cell in order through the stratolab kernel, stops at the
first error (exit 1, the error shown) unless --allow-errors, and writes the
executed notebook and, with --html, a report for the write-up.

Options:
${formatOptions(RUN_OPTIONS)}

Example:
  stratolab run notebooks/cloudtrail-triage.ipynb --param TRAIL=../my-trail --html triage.html
`;

export async function runRun(argv: readonly string[]): Promise<number> {
  const args = parseArgs('run', argv, RUN_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const [nbPath, ...extra] = args.positionals;
  if (!nbPath || extra.length) throw new UsageError('"run" takes exactly one notebook', 'stratolab run --help');
  const params: Record<string, string> = {};
  for (const p of list(args.options.param)) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${p}: expected KEY=VALUE`, 'stratolab run --help');
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const timeout = str(args.options.timeout);
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--timeout expects seconds, got "${timeout}"`, 'stratolab run --help');
  const { runNotebook } = await import('../../kernel/run-notebook.js');
  const allowErrors = flag(args.options['allow-errors']);
  const result = await runNotebook(nbPath, {
    params,
    allowErrors,
    cellTimeoutMs: timeout ? Number(timeout) * 1000 : undefined,
    onCell: (i, n, status) => process.stderr.write(`stratolab: cell ${i}/${n} ${status}\n`),
  });
  const out = str(args.options.output) ?? nbPath.replace(/\.ipynb$/, '') + '.executed.ipynb';
  const { writeNotebook } = await import('../../kernel/nbformat.js');
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeNotebook(out, result.notebook);
  process.stderr.write(`stratolab: executed notebook written to ${out}\n`);
  const html = str(args.options.html);
  if (html) {
    const { notebookToHtml } = await import('../../kernel/report.js');
    mkdirSync(path.dirname(path.resolve(html)), { recursive: true });
    writeFileSync(html, await notebookToHtml(result.notebook, { showCode: !flag(args.options['no-code']) }));
    process.stderr.write(`stratolab: report written to ${html}\n`);
    process.stdout.write(`report: ${path.resolve(html)}\n`);
  }
  if (result.error) {
    const e = result.error;
    process.stderr.write(`stratolab: cell ${e.cell + 1} failed: ${e.ename}: ${e.evalue}\n${e.traceback.join('\n')}\n`);
    return EXIT_INPUT;
  }
  return 0;
}
