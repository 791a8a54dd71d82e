/**
 * `stratolab fields [PREFIX]`: the registered fields (name, type,
 * description), aligned, like `tshark -G fields` restricted to a prefix.
 */
import { flag, formatOptions, parseArgs, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';
import { listFields } from '../fields/registry.js';
import { SOURCE_ENTRIES, importSource } from '../sources/index.js';

export const FIELDS_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', help: 'one JSON object per field (name, type, display, description, source)' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const FIELDS_HELP = `Usage: stratolab fields [PREFIX] [--json]

Lists the fields filters and -e accept: name, type and description.
PREFIX keeps the names starting with it (ct., s3., gcp., proc., evt., fd. ...).

Options:
${formatOptions(FIELDS_OPTIONS)}
`;

export async function runFields(argv: readonly string[]): Promise<number> {
  const args = parseArgs('fields', argv, FIELDS_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(FIELDS_HELP);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError('"fields" takes at most one PREFIX', 'stratolab fields --help');
  const prefix = args.positionals[0] ?? '';
  const missing: string[] = [];
  await Promise.all(
    SOURCE_ENTRIES.filter((e) => e.registersFields !== false).map((e) =>
      importSource(e.name).catch((err) => {
        missing.push(`${e.name} (${err.reason ?? err.message})`);
      }),
    ),
  );
  const defs = listFields(prefix);
  const out = new Output();
  if (flag(args.options.json)) {
    for (const d of defs) out.line(JSON.stringify({ name: d.name, type: d.type, display: d.display, description: d.description, source: d.source, ...(d.arg ? { arg: d.arg } : {}) }));
  } else {
    const names = defs.map((d) => (d.arg ? `${d.name}[${d.arg.kind === 'index' ? 'N' : d.arg.kind === 'pointer' ? '/PTR' : 'ARG'}]${d.arg.required ? '' : '?'}` : d.name));
    const w = Math.max(0, ...names.map((n) => n.length));
    const tw = Math.max(0, ...defs.map((d) => d.type.length));
    defs.forEach((d, i) => out.line(`${names[i]!.padEnd(w)}  ${d.type.padEnd(tw)}  ${d.description.replace(/\s+/g, ' ')}`));
  }
  await out.end();
  if (!defs.length) {
    process.stderr.write(`stratolab: no field starts with "${prefix}"\n`);
  }
  if (missing.length && process.env.STRATOLAB_DEBUG) process.stderr.write(`stratolab: sources not in this build: ${missing.join(', ')}\n`);
  return 0;
}
