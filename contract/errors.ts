/**
 * An error the user can act on: bad input, a stale tree, a rejected push. The CLI prints its message alone
 * (no stack trace) and exits with `exitCode`. Anything else that escapes a command is a bug and is printed in
 * full.
 */
export class UserError extends Error {
  /**
   * @param message what is wrong and where (file, field, value), written for the person at the terminal
   * @param exitCode the process exit code; 1 by default, 2 for a command line that cannot be parsed
   */
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A command line that cannot be parsed (unknown flag, missing value): exit code 2, like most Unix tools. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
