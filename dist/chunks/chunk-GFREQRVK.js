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
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.code = code;
    this.report = options.report;
    this.hint = options.hint;
  }
};
var SopsFormatError = class extends UserError {
  constructor(message, options = {}) {
    super("BAD_FORMAT", message, options);
  }
};
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
function withContext(context, error) {
  if (error instanceof UserError) {
    return new UserError(error.code, `${context}: ${error.message}`, {
      cause: error.cause,
      report: error.report,
      hint: error.hint
    });
  }
  if (error instanceof Error) return error;
  return new Error(`${context}: ${String(error)}`);
}

export {
  UserError,
  SopsFormatError,
  errorMessage,
  withContext
};
