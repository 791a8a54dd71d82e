/**
 * POSIX shell quoting. The remote side of an SSH `exec` request is a string
 * that the user's login shell parses, so every word that comes from the user
 * (a filter, a path) is wrapped in single quotes, where nothing is special
 * except the single quote itself, which is written as '\''.
 */

/** One word, quoted so that `sh` yields exactly `word` as one argument. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv words joined into one command line, each word quoted. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
