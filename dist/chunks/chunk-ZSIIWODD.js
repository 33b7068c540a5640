import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/errors.ts
var UserError = class extends Error {
  name = "UserError";
  code;
  /** A multi-line report printed after the message, e.g. the keys that were tried. */
  report;
  /** One line telling the user how to fix it. */
  hint;
  /** The file (and line) the error is about, where known. */
  location;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.code = code;
    this.report = options.report;
    this.hint = options.hint;
    this.location = options.location;
  }
};
var SopsFormatError = class extends UserError {
  /** The 1-based line (and column) of the problem in the parsed text, where the parser knows it. */
  line;
  column;
  constructor(message, options = {}) {
    super("BAD_FORMAT", message, { cause: options.cause, hint: options.hint });
    this.line = options.line;
    this.column = options.column;
  }
};
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
function withContext(context, error, file) {
  if (error instanceof UserError) {
    return new UserError(error.code, `${context}: ${error.message}`, {
      cause: error.cause,
      report: error.report,
      hint: error.hint,
      location: error.location ?? (file === void 0 ? void 0 : locationIn(file, error))
    });
  }
  if (error instanceof Error) return error;
  return new Error(`${context}: ${String(error)}`);
}
function locationIn(file, error) {
  if (error instanceof SopsFormatError && error.line !== void 0) {
    return { file, line: error.line, ...error.column === void 0 ? {} : { column: error.column } };
  }
  return { file };
}

export {
  UserError,
  SopsFormatError,
  errorMessage,
  withContext
};
