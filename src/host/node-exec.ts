import type { Exec, ExecOptions, ExecResult } from '../ports.ts';

/**
 * `Exec` on node:child_process, used by both shells and by tests. node:child_process is taken
 * when the first process starts, not at load: a one-file decrypt starts none, and loading it
 * (with node:net and node:dgram) is about 2 ms of its start-up (bench/startup).
 */
export const nodeExec: Exec = {
  run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const { spawn } = process.getBuiltinModule('node:child_process');
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env === undefined ? process.env : { ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: options.timeoutMs,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({
          exitCode: code ?? (signal === null ? 1 : 128),
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      // A child that exits before reading stdin must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  },
};
