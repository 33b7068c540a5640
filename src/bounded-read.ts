/**
 * Reading a file that untrusted input names (a repository's files, a generator source, a
 * command's argument) with bounded memory and without leaving the repository:
 * - the type and size are checked on the open descriptor before anything is read, so a
 *   device (`zero.yaml -> /dev/zero`), a FIFO or a socket is refused instead of read until
 *   memory runs out, and the read itself stops at the cap (a file that grows while it is read
 *   cannot pass it either);
 * - with `root`, every symlink on the way is resolved by hand against the root: one that
 *   points outside is "outside the repository", whether or not its target exists, so the
 *   answer tells nothing about files outside.
 * A stream (decrypt's stdin) has no size to check first: `readStreamBounded` stops reading,
 * and closes it, as soon as it passes the cap.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.ts';

export interface BoundedReadOptions {
  /** Refuse a file larger than this. */
  readonly maxBytes: number;
  /** The repository root (any spelling): the file and every symlink it goes through stay in it. */
  readonly root?: string;
  /** The file as the user knows it, for messages (defaults to `file`). */
  readonly name?: string;
  /** What to tell the user about the cap, e.g. "raise max-file-size". */
  readonly sizeHint?: string;
}

/** Symlinks followed before giving up, as the kernel's MAXSYMLINKS. */
const MAX_LINKS = 40;

/** Reads a regular file, at most `maxBytes`, refusing devices, FIFOs, sockets and escapes. */
export async function readFileBounded(file: string, options: BoundedReadOptions): Promise<Buffer> {
  const name = options.name ?? file;
  const real =
    options.root === undefined ? path.resolve(file) : await resolveInside(file, options.root, name);
  // Checked before the open too: opening a socket fails, and opening a device has effects.
  let before;
  try {
    before = await stat(real);
  } catch (cause) {
    throw readError(name, cause);
  }
  if (!before.isFile()) throw notRegular(name, before);
  if (before.size > options.maxBytes) throw tooLarge(name, before.size, options);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path resolved
    // above may not be swapped for a symlink before the open.
    handle = await open(
      real,
      constants.O_RDONLY | constants.O_NONBLOCK | (options.root === undefined ? 0 : constants.O_NOFOLLOW),
    );
  } catch (cause) {
    throw readError(name, cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(name, info);
    if (info.size > options.maxBytes) throw tooLarge(name, info.size, options);
    return await readCapped(handle, name, options);
  } finally {
    await handle.close();
  }
}

/**
 * readFileBounded's checks and cap, synchronously, for a file whose path is already real and
 * checked to be inside the repository (a graph file being staged): O_NOFOLLOW refuses it if it
 * has been swapped for a symlink since. For many small files on a local disk this is several
 * times cheaper than the promise API, which pays a thread-pool round trip and a promise for
 * each of its six calls (bench/build stages 1,400 files per run).
 */
export function readRealFileBoundedSync(real: string, options: Omit<BoundedReadOptions, 'root'>): Buffer {
  const name = options.name ?? real;
  let fd: number;
  try {
    const before = statSync(real);
    if (!before.isFile()) throw notRegular(name, before);
    if (before.size > options.maxBytes) throw tooLarge(name, before.size, options);
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw readError(name, cause);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(name, info);
    if (info.size > options.maxBytes) throw tooLarge(name, info.size, options);
    // Asking one byte more than the file holds reads a file that has not grown in one call: a
    // short read of a regular file is its end.
    const chunks: Buffer[] = [];
    let total = 0;
    for (let want = info.size + 1; ; want = 64 * 1024) {
      const chunk = Buffer.allocUnsafe(Math.min(want, options.maxBytes + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(name, undefined, options);
      if (bytesRead < chunk.length) return Buffer.concat(chunks, total);
    }
  } finally {
    closeSync(fd);
  }
}

async function readCapped(handle: FileHandle, name: string, options: BoundedReadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, options.maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > options.maxBytes) throw tooLarge(name, undefined, options);
  }
}

/**
 * readFileBounded for the common case, synchronously: when no component of `file` is a
 * symlink (its real path is its absolute path) and it is inside the root's real path, it is
 * read as readRealFileBoundedSync reads it. Otherwise (a symlink on the way, a missing file)
 * undefined, and the caller takes readFileBounded, which resolves each link against the root.
 * Lint reads every file of a repository; most have no symlink anywhere on their path.
 */
export function tryReadFileBoundedSync(
  file: string,
  options: BoundedReadOptions & { readonly root: string },
): Buffer | undefined {
  const lexical = path.resolve(file);
  let real: string;
  let realRoot: string;
  try {
    real = realpathSync.native(lexical);
    realRoot = realpathSync.native(options.root);
  } catch {
    return undefined;
  }
  const rel = path.relative(realRoot, real);
  if (real !== lexical || rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return readRealFileBoundedSync(real, options);
}

/**
 * Reads a stream to its end, at most `maxBytes`: past the cap it stops (leaving the loop
 * destroys a Node stream, so the writer gets EPIPE instead of filling memory) and throws.
 */
export async function readStreamBounded(
  stream: AsyncIterable<Uint8Array | string>,
  options: Omit<BoundedReadOptions, 'root' | 'name'> & { readonly name: string },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.byteLength;
    if (total > options.maxBytes) throw tooLarge(options.name, undefined, options);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(name: string, size: number | undefined, options: BoundedReadOptions): UserError {
  const what = size === undefined ? `more than ${options.maxBytes} bytes` : `${size} bytes`;
  return new UserError('TOO_LARGE', `${name} is ${what}; the limit is ${options.maxBytes}`, {
    hint: options.sizeHint,
  });
}

function notRegular(
  name: string,
  info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean },
): UserError {
  return new UserError('UNSUPPORTED', `${name} is ${kindOf(info)}, not a regular file`, {
    hint: 'only regular files are read',
  });
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

function readError(name: string, cause: unknown): UserError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new UserError('FILE_NOT_FOUND', `${name} does not exist`, { cause });
  if (code === 'ELOOP') return new UserError('UNSUPPORTED', `${name} is a symlink loop`, { cause });
  if (code === 'EISDIR')
    return new UserError('UNSUPPORTED', `${name} is a directory, not a regular file`, { cause });
  return new UserError('FILE_NOT_FOUND', `${name} cannot be read (${code ?? 'error'})`, { cause });
}

/** The error for anything that leaves the root; deliberately says nothing else. */
export function outsideRepository(name: string): UserError {
  return new UserError('PATH_ESCAPE', `${name} is outside the repository`, {
    hint: 'only files inside the repository are read; replace the symlink with the file itself',
  });
}

/**
 * The real path of `file`, following symlinks one at a time and refusing the first one that
 * leads outside `root`, before asking whether its target exists.
 */
export async function resolveInside(file: string, root: string, name = file): Promise<string> {
  const realRoot = await realpath(root);
  const within = (p: string): boolean => {
    const rel = path.relative(realRoot, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  // Start from the root's real path and walk the rest component by component.
  const lexical = path.resolve(file);
  const relStart = path.relative(path.resolve(root), lexical);
  let pending: string[];
  let current: string;
  if (!relStart.startsWith('..') && !path.isAbsolute(relStart)) {
    current = realRoot;
    pending = relStart.split(path.sep).filter((p) => p !== '' && p !== '.');
  } else {
    const relReal = path.relative(realRoot, lexical);
    if (relReal.startsWith('..') || path.isAbsolute(relReal)) throw outsideRepository(name);
    current = realRoot;
    pending = relReal.split(path.sep).filter((p) => p !== '' && p !== '.');
  }
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    const next = part === '..' ? path.dirname(current) : path.join(current, part);
    if (!within(next)) throw outsideRepository(name);
    let info;
    try {
      info = await lstat(next);
    } catch (cause) {
      throw readError(name, cause);
    }
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) throw new UserError('UNSUPPORTED', `${name} is a symlink loop`);
    const target = await readlink(next);
    const resolved = path.resolve(current, target);
    if (!within(resolved)) throw outsideRepository(name);
    // Walk the target's components from the root again, so links inside it are checked too.
    pending = [
      ...path
        .relative(realRoot, resolved)
        .split(path.sep)
        .filter((p) => p !== ''),
      ...pending,
    ];
    current = realRoot;
  }
  return current;
}

/**
 * The root that confines reads for `target`: the nearest ancestor holding `.git` (the
 * repository), or the target's own directory when there is none, so a path two folders up
 * fails loudly instead of reaching the whole disk.
 */
export function findRepositoryRoot(target: string): Promise<string> {
  return Promise.resolve(findRepositoryRootSync(target));
}

/**
 * findRepositoryRoot, synchronously: a few stat calls, each cheaper than a thread-pool round
 * trip (a build looks it up once per target).
 */
export function findRepositoryRootSync(target: string): string {
  return findGitRootSync(target) ?? directoryOf(target);
}

/** The nearest ancestor of `target` (or itself) that holds `.git`, or undefined. */
export function findGitRoot(target: string): Promise<string | undefined> {
  return Promise.resolve(findGitRootSync(target));
}

function findGitRootSync(target: string): string | undefined {
  let dir = directoryOf(target);
  for (;;) {
    try {
      if (lstatSync(path.join(dir, '.git'), { throwIfNoEntry: false }) !== undefined) return dir;
    } catch {
      // not here; go up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function directoryOf(target: string): string {
  const start = path.resolve(target);
  try {
    return statSync(start).isDirectory() ? start : path.dirname(start);
  } catch {
    return path.dirname(start);
  }
}
