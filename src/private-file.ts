/**
 * Where plaintext may be written.
 * - `writePrivateFile` writes it (decrypted files, rendered manifests, full diffs) to a file
 *   only the current user can read: the data goes to a 0600 temp file next to the target, is
 *   synced and renamed over it, so a reader never sees half a secret and an existing file's
 *   mode never leaks it. `replaceFile` does the same for `--in-place`, keeping the original's
 *   mode as `sops -i` does, and `writePublicFile` for an encrypted output; either can check the
 *   written temp file before it replaces anything.
 * - Private roots (`openPrivateRoot`): 0700 directories under `privateRootParent` (tmpfs
 *   where there is one) for build roots, worktrees and post-render inputs. Each is removed by
 *   its `cleanup()` in a `finally`, synchronously on SIGINT, SIGTERM, SIGHUP and SIGQUIT, and,
 *   when a SIGKILL left it behind, by the next run's `sweepStalePrivateRoots`: its name
 *   carries the pid (and pid namespace) of the process that made it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync, rmSync } from 'node:fs';
import { chmod, lstat, mkdtemp, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage, UserError } from './errors.ts';
import type { Env } from './ports.ts';

/**
 * Where private roots go: tmpfs first (plaintext never reaches a disk), then the runner's
 * temp, then the OS temp.
 */
export function privateRootParent(env: Env): string {
  if (existsSync('/dev/shm')) return '/dev/shm';
  const runnerTemp = env['RUNNER_TEMP'];
  if (runnerTemp !== undefined && runnerTemp !== '') return runnerTemp;
  return tmpdir();
}

/** Writes `data` to `target`, mode 0600, atomically (see the module comment). */
export async function writePrivateFile(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, data, 0o600);
}

/**
 * `decrypt --in-place` and `encrypt --in-place`: replaces the regular file `file` (through any
 * symlink, so the link stays a link) with `data`, atomically, keeping the original's mode as
 * `sops -i` does; `verify` checks the written temp file first (encrypt decrypts it back).
 */
export async function replaceFile(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  let real: string;
  let mode: number;
  try {
    real = await realpath(file);
    const info = await stat(real);
    if (!info.isFile()) {
      throw new UserError('UNSUPPORTED', `cannot write ${file} in place: it is not a regular file`);
    }
    mode = info.mode & 0o7777;
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    const { why, hint } = describeWriteError(cause, file);
    throw new UserError('FILE_NOT_FOUND', `cannot write ${file}: ${why}`, { cause, hint });
  }
  await writeAtomically(real, data, mode, file, options);
}

/** What an atomic write may add: a check of the written temp file before it replaces the target. */
export interface AtomicWriteOptions {
  /**
   * Called with the temp file's path once it is written and synced, before the rename; a throw
   * leaves the target as it was (the temp file is removed) and is rethrown as it is.
   */
  readonly verify?: (tempPath: string) => Promise<void>;
}

/** Flushes a folder's entry table, so a rename into it is durable (a no-op where unsupported). */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems cannot open or fsync a folder; the rename still happened.
  } finally {
    await handle?.close();
  }
}

/**
 * The one atomic write: a 0600 temp file next to `target`, written, synced, given `mode`,
 * checked (`verify`) and renamed over `target`, then the folder synced. A crash or a failed
 * check leaves either the old file or the whole new one, never a torn one.
 */
async function writeAtomically(
  target: string,
  data: string | Uint8Array,
  mode: number,
  name = target,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const failed = async (cause: unknown): Promise<never> => {
    // The temp file may not exist, or its path may be impossible (ENOTDIR): the write's error matters.
    await rm(temp, { force: true }).catch(() => undefined);
    const { why, hint } = describeWriteError(cause, target);
    throw new UserError('FILE_NOT_FOUND', `cannot write ${name}: ${why}`, { cause, hint });
  };
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (mode !== 0o600) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    await failed(cause);
  }
  try {
    await options.verify?.(temp);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  try {
    await rename(temp, target);
  } catch (cause) {
    await failed(cause);
  }
  await syncDirectory(path.dirname(target));
}

/**
 * Writes a file that is not secret (`encrypt --output`) atomically: an existing file keeps its
 * mode, a new one gets 0644, as sops leaves an encrypted file.
 */
export async function writePublicFile(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  let mode = 0o644;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    // A new file.
  }
  await writeAtomically(target, data, mode, target, options);
}

/** Why a write failed, in words, from the errno code (the message repeats the temp path). */
function describeWriteError(cause: unknown, target: string): { why: string; hint: string | undefined } {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return { why: 'its folder does not exist', hint: `create ${path.dirname(target)} first` };
    case 'ENOTDIR':
      return { why: 'part of its path is a file, not a folder', hint: undefined };
    case 'EACCES':
    case 'EPERM':
      return { why: 'permission denied', hint: `check that you may create files in ${path.dirname(target)}` };
    case 'EISDIR':
      return { why: 'it is a folder', hint: 'give the path of a file to write' };
    case 'EROFS':
      return { why: 'the file system is read-only', hint: undefined };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: 'no space left on the device', hint: undefined };
    default:
      return { why: code ?? errorMessage(cause), hint: undefined };
  }
}

/** The signals that end a run and must not leave plaintext behind (SIGKILL is the sweep's job). */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** A private root: a fresh 0700 directory and the one way to remove it. */
export interface PrivateRoot {
  readonly dir: string;
  /** Removes the directory and unhooks the signals; safe to call twice. */
  readonly cleanup: () => Promise<void>;
}

/**
 * `ksd-<kind>-<pid>-<pid namespace>-<random>`: what `sweepStalePrivateRoots` recognises. The
 * pid namespace keeps a sweep from judging a pid of another namespace (a container sharing
 * the parent) by a process table that is not its own.
 */
const ROOT_NAME = /^ksd-[a-z]+(?:-[a-z]+)*-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

let namespaceOfThisProcess: string | undefined;

/** This process's pid namespace as a number (Linux), or 0 where there is none to read. */
function pidNamespace(): string {
  if (namespaceOfThisProcess !== undefined) return namespaceOfThisProcess;
  try {
    namespaceOfThisProcess = /^pid:\[(\d+)\]$/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    namespaceOfThisProcess = '0';
  }
  return namespaceOfThisProcess;
}

/**
 * The open private roots, per signal source. One listener per signal and source, however many
 * roots are open (a wide Flux render opens one per Kustomization at once), removes them all.
 */
const openRoots = new Map<NodeJS.EventEmitter, Set<string>>();
const handlers = new Map<NodeJS.EventEmitter, (signal: NodeJS.Signals) => void>();

function onCleanupSignal(signals: NodeJS.EventEmitter): (signal: NodeJS.Signals) => void {
  const handler = (signal: NodeJS.Signals): void => {
    // Synchronous: the process is about to end and an await would never resume.
    for (const dir of openRoots.get(signals) ?? []) rmSync(dir, { recursive: true, force: true });
    openRoots.delete(signals);
    for (const s of CLEANUP_SIGNALS) signals.off(s, handler);
    handlers.delete(signals);
    if (signals === process && process.listenerCount(signal) === 0) endLikeSignal(signal);
  };
  return handler;
}

function track(signals: NodeJS.EventEmitter, dir: string): void {
  let dirs = openRoots.get(signals);
  if (dirs === undefined) {
    dirs = new Set();
    openRoots.set(signals, dirs);
    const handler = onCleanupSignal(signals);
    handlers.set(signals, handler);
    for (const signal of CLEANUP_SIGNALS) signals.on(signal, handler);
  }
  dirs.add(dir);
}

/** Whether `dir` was still open (not yet removed by a signal), and forgets it. */
function untrack(signals: NodeJS.EventEmitter, dir: string): boolean {
  const dirs = openRoots.get(signals);
  if (dirs?.delete(dir) !== true) return false;
  if (dirs.size === 0) {
    openRoots.delete(signals);
    const handler = handlers.get(signals);
    handlers.delete(signals);
    if (handler !== undefined) for (const signal of CLEANUP_SIGNALS) signals.off(signal, handler);
  }
  return true;
}

/**
 * Creates `ksd-<kind>-…` under `parent`, mode 0700, removed by `cleanup()` or, synchronously,
 * on any of CLEANUP_SIGNALS delivered to `signals` (the process; tests pass an emitter, or
 * null for none).
 */
export async function openPrivateRoot(
  parent: string,
  kind: string,
  signals: NodeJS.EventEmitter | null = process,
): Promise<PrivateRoot> {
  const dir = await mkdtemp(path.join(parent, `ksd-${kind}-${process.pid}-${pidNamespace()}-`));
  if (signals !== null) track(signals, dir);
  await chmod(dir, 0o700);
  let cleaned = false;
  const cleanup = (): Promise<void> =>
    new Promise((resolve) => {
      // Removed already when called before, or when a signal (to a test's emitter) got there first.
      const open = !cleaned && (signals === null || untrack(signals, dir));
      cleaned = true;
      // Synchronous (a failure still rejects): Node removes the tree natively in one call, where
      // the promise API takes a thread-pool round trip per file and folder (bench/build removes
      // 200 roots per run).
      if (open) rmSync(dir, { recursive: true, force: true });
      resolve();
    });
  return { dir, cleanup };
}

/**
 * Ends the process the way `signal` asked, once the last private root is gone: with our
 * listeners removed the default action applies again, so the signal is raised again (the
 * parent sees the signal; a shell reports 128 + its number). SIGQUIT's default action dumps
 * core, and a core file would hold the decrypted values in memory: exit with 128 + 3 instead.
 */
function endLikeSignal(signal: NodeJS.Signals): void {
  if (signal === 'SIGQUIT') process.exit(128 + osConstants.signals.SIGQUIT);
  process.kill(process.pid, signal);
}

/** Whether process `pid` exists: EPERM means it does, as another user's. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes this user's private roots under `parent` whose process is gone (a SIGKILL, an OOM
 * kill, a cancelled self-hosted job), so their plaintext does not wait for the next job.
 * Only directories (never a symlink, which is not followed) owned by this user, named as
 * `openPrivateRoot` names them, made in this pid namespace by a process that no longer
 * exists. Returns the names it removed. Never throws: a sweep that cannot read is no reason
 * to fail a run.
 */
export async function sweepStalePrivateRoots(parent: string): Promise<string[]> {
  const uid = process.getuid?.();
  const namespace = pidNamespace();
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return removed;
  }
  for (const name of entries) {
    const match = ROOT_NAME.exec(name);
    if (match === null || match[2] !== namespace) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(parent, name);
    try {
      // lstat: a symlink named like ours is not a directory here, so it is never followed.
      const info = await lstat(dir);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}
