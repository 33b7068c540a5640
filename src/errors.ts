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
  | 'ALREADY_ENCRYPTED'
  | 'BAD_METADATA'
  | 'MAC_MISMATCH'
  | 'DECRYPT_FAILED'
  | 'NO_MATCHING_KEY'
  | 'KEY_SOURCE'
  | 'TOO_LARGE'
  | 'UNSUPPORTED'
  | 'PATH_ESCAPE'
  | 'KUSTOMIZE_FAILED'
  | 'KUBE_API'
  | 'APPLY_FAILED'
  | 'NOT_READY'
  | 'CHECKOUT_FAILED'
  | 'HELM_FAILED'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH';

/**
 * Where in the user's files an error is, for an annotation on that file in the pull request.
 * `file` is a path as the user wrote it or as we read it; the Action makes it relative to
 * the workspace.
 */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: ErrorCode;
  /** A multi-line report printed after the message, e.g. the keys that were tried. */
  readonly report: string | undefined;
  /** One line telling the user how to fix it. */
  readonly hint: string | undefined;
  /** The file (and line) the error is about, where known. */
  readonly location: SourceLocation | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      cause?: unknown;
      report?: string | undefined;
      hint?: string | undefined;
      location?: SourceLocation | undefined;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.report = options.report;
    this.hint = options.hint;
    this.location = options.location;
  }
}

/** A store could not parse its input. The message says where, never what the value was. */
export class SopsFormatError extends UserError {
  /** The 1-based line (and column) of the problem in the parsed text, where the parser knows it. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    message: string,
    options: { cause?: unknown; hint?: string; line?: number; column?: number } = {},
  ) {
    super('BAD_FORMAT', message, { cause: options.cause, hint: options.hint });
    this.line = options.line;
    this.column = options.column;
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
export function withContext(context: string, error: unknown, file?: string): Error {
  if (error instanceof UserError) {
    return new UserError(error.code, `${context}: ${error.message}`, {
      cause: error.cause,
      report: error.report,
      hint: error.hint,
      location: error.location ?? (file === undefined ? undefined : locationIn(file, error)),
    });
  }
  if (error instanceof Error) return error;
  return new Error(`${context}: ${String(error)}`);
}

/** The location of an error inside `file`: the parser's line and column when it knows them. */
function locationIn(file: string, error: UserError): SourceLocation {
  if (error instanceof SopsFormatError && error.line !== undefined) {
    return { file, line: error.line, ...(error.column === undefined ? {} : { column: error.column }) };
  }
  return { file };
}
