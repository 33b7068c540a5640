/**
 * An `Exec` that starts its processes from a small helper process instead of from this one,
 * for commands that start many (`build` runs kustomize once per target).
 *
 * Why: libuv starts a child with fork(), which copies this process's page tables and
 * write-protects its pages; every page this process then writes faults once more. With the
 * 130 MB a build of 200 targets holds, that was 2.6 ms of the main thread per spawn plus the
 * faults (bench/build/README.md). A helper of a few megabytes forks cheaply, and this
 * process only sends it a message. Measured with a 200 MB parent writing its memory between
 * spawns: 100 runs of `kustomize version` took 2.48 s and 1.5 s of the parent's CPU directly,
 * 0.97 s and 0.13 s through the helper.
 *
 * The helper is this process's own Node, given its code with `-e`, talking over an IPC
 * channel with structured clone (Buffers pass as they are). It is started on the first run and
 * held only while runs are in flight, so it never keeps the process alive; it exits when this
 * process goes (the channel closes), and kills what it started then. A run that cannot start
 * rejects with the same `code` (ENOENT...) as node:child_process's error would have.
 */
import type { ChildProcess } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from '../ports.ts';

/** The helper: runs what it is sent, answers with the exit code and the output. */
const HELPER = `
const { spawn } = require('node:child_process');
const running = new Set();
process.on('disconnect', () => { for (const c of running) c.kill('SIGTERM'); process.exit(0); });
process.on('message', (m) => {
  let child;
  try {
    child = spawn(m.command, m.args, { cwd: m.cwd, env: m.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: m.timeoutMs });
  } catch (error) {
    process.send({ id: m.id, error: { code: error.code, message: String(error.message) } });
    return;
  }
  running.add(child);
  const out = [];
  const err = [];
  let failed;
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.on('error', (error) => { failed = { code: error.code, message: String(error.message) }; });
  child.on('close', (code, signal) => {
    running.delete(child);
    if (failed !== undefined) process.send({ id: m.id, error: failed });
    else process.send({ id: m.id, exitCode: code ?? (signal === null ? 1 : 128), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(m.input ?? '');
});
`;

interface Answer {
  readonly id: number;
  readonly exitCode?: number;
  readonly stdout?: Uint8Array;
  readonly stderr?: string;
  readonly error?: { readonly code?: string; readonly message: string };
}

/** An Exec through one helper process; `close` ends the helper. */
export interface SpawnerExec extends Exec {
  close(): void;
}

export function createSpawnerExec(): SpawnerExec {
  let helper: ChildProcess | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: ExecResult) => void; reject: (e: Error) => void }>();

  const hold = (): void => {
    // Held only while something is in flight, so an idle helper never keeps us alive.
    if (pending.size > 0) helper?.ref();
    else helper?.unref();
    const channel = helper?.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (pending.size > 0) channel?.ref?.();
    else channel?.unref?.();
  };

  const failAll = (reason: string): void => {
    for (const { reject } of pending.values()) reject(new Error(reason));
    pending.clear();
    helper = undefined;
  };

  const start = (): ChildProcess => {
    // Taken here, not at load, as in node-exec.ts: most runs never start the helper.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(process.execPath, ['-e', HELPER], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: {},
    });
    child.on('message', (message: Answer) => {
      const waiting = pending.get(message.id);
      if (waiting === undefined) return;
      pending.delete(message.id);
      if (message.error !== undefined) {
        const error = new Error(message.error.message) as NodeJS.ErrnoException;
        if (message.error.code !== undefined) error.code = message.error.code;
        waiting.reject(error);
      } else {
        waiting.resolve({
          exitCode: message.exitCode ?? 1,
          stdout: Buffer.from(message.stdout ?? new Uint8Array(0)),
          stderr: message.stderr ?? '',
        });
      }
      hold();
    });
    child.on('exit', () => failAll('the process helper exited'));
    child.on('error', (error) => failAll(`the process helper failed: ${error.message}`));
    return child;
  };

  return {
    run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
      helper ??= start();
      const id = nextId++;
      const result = new Promise<ExecResult>((resolve, reject) => pending.set(id, { resolve, reject }));
      hold();
      helper.send({
        id,
        command,
        args: [...args],
        cwd: options.cwd,
        env: options.env === undefined ? process.env : { ...options.env },
        input: options.input,
        timeoutMs: options.timeoutMs,
      });
      return result;
    },
    close(): void {
      const child = helper;
      helper = undefined;
      // Held until it has exited (within milliseconds of the channel closing), so it is
      // reaped by this process, not left to init: nothing outlives the run, and its CPU and
      // its children's count as this process's children's (bench/build measures that).
      child?.ref();
      child?.disconnect();
    },
  };
}
