/**
 * A small tshark-style option parser: `-Y EXPR`, `-YEXPR`, `--since T`,
 * `--since=T`, repeatable options (`-e a -e b`), flags, `--` to end options.
 * Unknown options and missing values are UsageErrors naming the command.
 */
import { UsageError } from './errors.js';

export interface OptionSpec {
  /** long name without dashes, e.g. "since"; also the key in the result */
  name: string;
  /** single-letter short form without the dash, e.g. "Y" */
  short?: string;
  /** placeholder of the value in help (FILTER); absent for a flag */
  value?: string;
  /** may be given several times (values collected in order) */
  multiple?: boolean;
  help: string;
}

export interface ParsedArgs {
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/** Parses `argv` (the arguments after the command name) against `specs`. */
export function parseArgs(command: string, argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const set = (spec: OptionSpec, value: string | true) => {
    if (spec.multiple) {
      const prev = (options[spec.name] as string[] | undefined) ?? [];
      options[spec.name] = [...prev, value as string];
    } else {
      options[spec.name] = value;
    }
  };
  const hint = `stratolab ${command} --help`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name} for "${command}"`, hint);
      if (!spec.value) {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`, hint);
        set(spec, true);
        continue;
      }
      let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value (${spec.value})`, hint);
      set(spec, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      const letter = arg[1]!;
      const spec = byShort.get(letter);
      if (!spec) throw new UsageError(`unknown option -${letter} for "${command}"`, hint);
      if (!spec.value) {
        if (arg.length > 2) throw new UsageError(`option -${letter} takes no value (got "${arg}")`, hint);
        set(spec, true);
        continue;
      }
      const value = arg.length > 2 ? arg.slice(2) : argv[++i];
      if (value === undefined) throw new UsageError(`option -${letter} needs a value (${spec.value})`, hint);
      set(spec, value);
      continue;
    }
    positionals.push(arg);
  }
  return { options, positionals };
}

/** Help text lines for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map((s) => {
    const names = [s.short ? `-${s.short}` : '', `--${s.name}`].filter(Boolean).join(', ');
    return s.value ? `${names} ${s.value}` : names;
  });
  const width = Math.max(...heads.map((h) => h.length));
  return specs.map((s, i) => `  ${heads[i]!.padEnd(width)}  ${s.help}`).join('\n');
}

/** Helpers to read typed option values. */
export function str(v: ParsedArgs['options'][string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function list(v: ParsedArgs['options'][string]): string[] {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
export function flag(v: ParsedArgs['options'][string]): boolean {
  return v === true;
}

/** A positive integer option value (e.g. -c N), or a UsageError. */
export function positiveInt(name: string, v: string | undefined, command: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${name} expects a positive integer, got "${v}"`, `stratolab ${command} --help`);
  return Number(v);
}
