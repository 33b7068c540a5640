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
