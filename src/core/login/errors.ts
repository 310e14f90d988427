// Errors raised by the login core. Messages name the file and the problem and never contain a token.

/** A config file we refuse to touch (malformed, unexpected shape) or could not write. The file is unchanged. */
export class LoginFileError extends Error {
  override readonly name = 'LoginFileError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Bad input to a login (missing endpoint, invalid namespace, invalid duration, ...). */
export class LoginInputError extends Error {
  override readonly name = 'LoginInputError';
}

/** Another process held the file's lock for longer than we were willing to wait. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(readonly file: string) {
    super(`${file}: another login is still writing this file (lock ${file}.lock); try again`);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
