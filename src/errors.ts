/**
 * Errors a user can act on. They carry a one-line message that names the object, an
 * optional long report (sops-style: every key group and key tried), and a hint. The shells
 * print these without a stack trace; anything that is not a UserError is a bug and keeps its
 * stack.
 */
export type ErrorCode =
  | 'USAGE'
  | 'FILE_NOT_FOUND'
  | 'BAD_FORMAT'
  | 'BAD_ENC_VALUE'
  | 'NO_METADATA'
  | 'BAD_METADATA'
  | 'MAC_MISMATCH'
  | 'DECRYPT_FAILED'
  | 'NO_MATCHING_KEY'
  | 'KEY_SOURCE'
  | 'TOO_LARGE'
  | 'UNSUPPORTED'
  | 'PATH_ESCAPE'
  | 'KUSTOMIZE_FAILED';

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: ErrorCode;
  /** A multi-line report printed after the message, e.g. the keys that were tried. */
  readonly report: string | undefined;
  /** One line telling the user how to fix it. */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; report?: string | undefined; hint?: string | undefined } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.report = options.report;
    this.hint = options.hint;
  }
}

/** A store could not parse its input. The message says where, never what the value was. */
export class SopsFormatError extends UserError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('BAD_FORMAT', message, options);
  }
}

/** The message of anything thrown, for the one place that prints errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Prefixes a UserError's message with the object it concerns, keeping its code, report and
 * hint. Non-user errors are wrapped as they are, since they are bugs.
 */
export function withContext(context: string, error: unknown): Error {
  if (error instanceof UserError) {
    return new UserError(error.code, `${context}: ${error.message}`, {
      cause: error.cause,
      report: error.report,
      hint: error.hint,
    });
  }
  if (error instanceof Error) return error;
  return new Error(`${context}: ${String(error)}`);
}
