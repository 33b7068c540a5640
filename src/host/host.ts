/**
 * The port between domain code and whatever runs it (the Actions runner, a terminal, a test).
 * Domain code never imports `@actions/*`; it gets one of these instead.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export interface Host extends Logger {
  /**
   * Registers a value that must never be printed. Call it the moment a secret exists,
   * before anything that could fail and log it.
   */
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary (a no-op outside Actions). */
  appendSummary(markdown: string): void;
  /** Writes command output (decrypted files and the like) to stdout. */
  writeStdout(data: string | Uint8Array): void;
}
