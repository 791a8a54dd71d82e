/**
 * Filter errors: every error names its kind and the source span it concerns,
 * and prints the expression with a caret line under that span.
 */

export type FilterErrorKind =
  | 'syntax' // unexpected token
  | 'unbalanced-quote'
  | 'unbalanced-paren'
  | 'unbalanced-brace'
  | 'unbalanced-bracket'
  | 'missing-value' // operator without a right-hand side
  | 'unknown-field'
  | 'unknown-function'
  | 'unknown-list' // Falco `in list_name` without that list
  | 'bad-macro' // a Falco macro that refers to itself
  | 'bad-operator' // operator not valid for the field's type
  | 'bad-regex'
  | 'bad-cidr'
  | 'bad-value' // a value that does not convert to the field's type
  | 'bad-escape'
  | 'bad-argument' // field argument missing or not allowed, bad slice
  | 'no-selected-row' // ${field} without a selected row
  | 'untranslatable'; // cannot be printed in the target language

export class FilterError extends Error {
  readonly kind: FilterErrorKind;
  readonly start: number;
  readonly end: number;
  readonly suggestions: string[];
  readonly expr: string;
  constructor(kind: FilterErrorKind, message: string, start: number, end: number, expr: string, suggestions: string[] = []) {
    super(message);
    this.name = 'FilterError';
    this.kind = kind;
    this.start = start;
    this.end = Math.max(end, start);
    this.expr = expr;
    this.suggestions = suggestions;
  }
  /** The message, the expression and a caret line under the error's span. */
  format(): string {
    return formatFilterError(this, this.expr);
  }
}

/**
 * What `stratolab check EXPR` prints on stderr:
 * ```
 * error: unknown field "ct.usr" (did you mean ct.user?)
 *   ct.usr == "bert-jan"
 *   ^~~~~~
 * ```
 */
export function formatFilterError(err: FilterError | Error, expr?: string): string {
  if (!(err instanceof FilterError)) return `error: ${err.message}`;
  const text = expr ?? err.expr;
  // show the line the error is on (expressions are usually one line)
  const lineStart = text.lastIndexOf('\n', Math.max(0, err.start - 1)) + 1;
  let lineEnd = text.indexOf('\n', err.start);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd);
  const col = err.start - lineStart;
  const width = Math.max(1, Math.min(err.end, lineEnd) - err.start);
  const caret = ' '.repeat(col) + '^' + '~'.repeat(width - 1);
  const hint = err.suggestions.length ? ` (did you mean ${err.suggestions.join(', ')}?)` : '';
  return `error: ${err.message}${hint}\n  ${line}\n  ${caret}`;
}
