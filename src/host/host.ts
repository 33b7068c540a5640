/**
 * The port between domain code and whatever runs it (the Actions runner, a terminal, a test).
 * Domain code never imports `@actions/*`; it gets one of these instead.
 */
import type { SourceLocation } from '../errors.ts';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** `where` puts the error on that file (and line) in the pull request, where the host can. */
  error(message: string, where?: SourceLocation): void;
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
  /**
   * True where the job summary, step outputs and report files are read (the Actions runner);
   * commands skip that reporting elsewhere, so the CLI's stderr stays as it was.
   */
  readonly reportsToGithub: boolean;
  /** Runs one stage of the run in a collapsible log group (plain on a terminal). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Creates or updates the sticky pull-request comment for `tag` (the `comment-tag` input may
   * replace it, so the body is rendered for the final tag), or deletes it when `render`
   * returns null. A no-op (`skipped`) where there is no pull request or comments are off.
   */
  stickyComment(tag: string, render: (tag: string) => string | null): Promise<StickyCommentResult>;
}

/** What `Host.stickyComment` did. */
export type StickyCommentResult = 'created' | 'updated' | 'deleted' | 'unchanged' | 'skipped';
