/**
 * Runs one external server process for the test environment: on a free loopback port, with
 * its output in a log file under the run folder, stopped by killing exactly the process
 * group it started (so a wrapper script's children go too, and nothing else does).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDir } from './paths.ts';

/** Asks the kernel for a port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port the kernel chose'));
      });
    });
  });
}

/** The folder one component keeps its data and logs in for this run. */
export function componentDir(name: string): string {
  const dir = path.join(runDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface SpawnedServer {
  readonly pid: number;
  readonly logFile: string;
  /** True once the process has exited, for whatever reason. */
  readonly exited: boolean;
  /** The last lines of the log, for error messages when the server will not come up. */
  logTail(lines?: number): string;
  /** Kills the process group (TERM, then KILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/**
 * Starts `command` detached in its own process group, output to `<runDir>/<name>/<name>.log`,
 * and records its PID next to the log so a crashed run can be cleaned up by hand.
 */
export function spawnServer(options: SpawnOptions): SpawnedServer {
  const dir = componentDir(options.name);
  const logFile = path.join(dir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd ?? dir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.command} for ${options.name}`);
  writeFileSync(path.join(dir, `${options.name}.pid`), `${pid}\n`);
  // The runner must not wait for the server to exit before it can exit itself.
  child.unref();
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;

  const logTail = (lines = 20): string => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited) return;
      signalGroup(pid, 'SIGTERM');
      const graceful = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
      if (!graceful) {
        signalGroup(pid, 'SIGKILL');
        await Promise.race([exit, sleep(5_000)]);
      }
    })();
    return stopping;
  };

  return {
    pid,
    logFile,
    logTail,
    stop,
    get exited() {
      return exited;
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative PID: the group that `detached` made, whose leader is the process we started.
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Polls `probe` until it returns true, failing early if the process has exited and, at the
 * deadline, with the tail of the server's log so the reason is in the test output.
 */
export async function waitUntilReady(
  server: SpawnedServer,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (server.exited) {
      throw new Error(`${what} exited before it was ready; log ${server.logFile}:\n${server.logTail()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} was not ready after ${timeoutMs} ms; log ${server.logFile}:\n${server.logTail()}`,
      );
    }
    await sleep(250);
  }
}

/** Logs one line about the test environment to stderr, where global setup's lines go. */
export function envLog(message: string): void {
  process.stderr.write(`test-env: ${message}\n`);
}
