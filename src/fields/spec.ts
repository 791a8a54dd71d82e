/**
 * Field specs as users write them: `proc.aname[2]` is the field `proc.aname`
 * with argument `2`, and `evt.arg.fd` is `evt.arg` with argument `fd` when
 * `evt.arg.fd` is not itself a registered field.
 */
import { getField } from './registry.js';

const BRACKETED = /^([^[]+)(?:\[(.*)\])?$/;

/** `name[arg]` split at the brackets, without asking the registry: `proc.aname[2]` -> proc.aname, 2. */
export function splitFieldSpec(spec: string): { name: string; arg?: string } {
  const m = BRACKETED.exec(spec);
  if (!m) return { name: spec };
  return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, arg: m[2] };
}

/**
 * Splits a field spec into name and argument: `proc.aname[2]`, and the
 * dotted argument form of fields that take one (`evt.arg.fd` is `evt.arg`
 * with argument `fd`, `proc.aname.2` is `proc.aname[2]`) when the whole
 * name is not itself a registered field.
 */
export function parseFieldSpec(spec: string): { name: string; arg?: string } {
  const m = /^([^[\]]+)(?:\[(.*)\])?$/.exec(spec.trim());
  if (!m) return { name: spec };
  if (m[2] !== undefined) return { name: m[1]!, arg: m[2] };
  const name = m[1]!;
  if (getField(name)) return { name };
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const base = name.slice(0, dot);
    if (getField(base)?.arg) return { name: base, arg: name.slice(dot + 1) };
  }
  return { name };
}
