/**
 * The ports: every type through which domain code reaches the outside world (the process
 * environment, logging and outputs, child processes, HTTP, masking). They live here, at the
 * bottom of the layers, so any layer can take them as parameters and none has to import the
 * layer that implements them (the shells: src/host/, src/github/, src/cli.ts, src/index.ts).
 */
import type { SourceLocation } from './errors.ts';

/** The process environment, as read once by the shell. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Registers a value that must never be printed (a secret the moment it exists). */
export type Mask = (value: string) => void;

/** `fetch` as the key sources call it; injected so tests can trace and refuse requests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The port for child processes, so domain code (gpg, kustomize) can be tested and traced. */
export interface ExecOptions {
  /** Piped to stdin; secrets go this way, never through argv or temp files. */
  readonly input?: Uint8Array | string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: Uint8Array;
  readonly stderr: string;
}

export interface Exec {
  /** Runs a command without a shell. Rejects only when it cannot start (ENOENT...). */
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/**
 * The port between domain code and whatever runs it (the Actions runner, a terminal, a test).
 * Domain code never imports `@actions/*`; it gets one of these instead.
 */
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
  /** Runs one stage of the run in a collapsible log group (plain on a terminal). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Where a finished command's result goes besides stdout and the log: on the Actions runner the
 * job summary, step outputs, report files and the sticky pull-request comment; on a terminal,
 * nothing. Commands call it without knowing which. It is generic over the results, which are
 * the commands' own types (commands/command.ts `CommandResults`), so this bottom layer names
 * no domain type; `command` is the name of the command that reports.
 */
export interface Reporter<Results> {
  report<K extends keyof Results>(command: K, result: Results[K]): Promise<void>;
}
