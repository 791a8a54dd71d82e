/**
 * CLI failures and their exit statuses: 2 for usage and filter errors,
 * 1 for inputs that cannot be read (and anything unexpected).
 */

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

/** A command line the user must fix. `hint` names the help to read. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
