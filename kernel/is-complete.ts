/**
 * is_complete for TypeScript: parse the cell; no syntax error means
 * complete; errors only at the very end (an open brace, string or template)
 * mean incomplete; an error before the end means invalid.
 */
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);
type TS = typeof import('typescript');
let ts: TS | null = null;
function typescript(): TS {
  // tslab's bundled TypeScript: the same parser that compiles the cells
  ts ??= req('@tslab/typescript-for-tslab') as TS;
  return ts;
}

export type Completeness = { status: 'complete' } | { status: 'incomplete'; indent: string } | { status: 'invalid' };

/** Whether `code` is a complete cell, an incomplete one (more lines expected) or invalid. */
export function isComplete(code: string): Completeness {
  const t = typescript();
  const sf = t.createSourceFile('cell.ts', code, t.ScriptTarget.Latest, false, t.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: { start: number; length: number }[] }).parseDiagnostics ?? [];
  if (diags.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  if (diags.every((d) => d.start >= end || (d.start + d.length >= code.length && unterminated(code)))) {
    return { status: 'incomplete', indent: indentOf(code) };
  }
  return { status: 'invalid' };
}

/** True when the code ends inside a string, template or block comment. */
function unterminated(code: string): boolean {
  const t = typescript();
  const scanner = t.createScanner(t.ScriptTarget.Latest, false, t.LanguageVariant.Standard, code);
  let last = t.SyntaxKind.Unknown;
  for (let k = scanner.scan(); k !== t.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    last = k;
    if (scanner.isUnterminated()) return true;
  }
  return last === t.SyntaxKind.Unknown && false;
}

function indentOf(code: string): string {
  const lines = code.split('\n');
  const lastLine = lines[lines.length - 1] ?? '';
  const current = /^\s*/.exec(lastLine)![0];
  return /[{([]\s*$/.test(code.trimEnd()) ? `${current}  ` : current;
}
