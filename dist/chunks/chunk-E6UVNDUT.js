import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/bounded-read.ts
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync
} from "node:fs";
import { lstat, open, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
var MAX_LINKS = 40;
async function readFileBounded(file, options) {
  const name = options.name ?? file;
  const real = options.root === void 0 ? path.resolve(file) : await resolveInside(file, options.root, name);
  let before;
  try {
    before = await stat(real);
  } catch (cause) {
    throw readError(name, cause);
  }
  if (!before.isFile()) throw notRegular(name, before);
  if (before.size > options.maxBytes) throw tooLarge(name, before.size, options);
  let handle;
  try {
    handle = await open(
      real,
      constants.O_RDONLY | constants.O_NONBLOCK | (options.root === void 0 ? 0 : constants.O_NOFOLLOW)
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
function readRealFileBoundedSync(real, options) {
  const name = options.name ?? real;
  let fd;
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
    const chunks = [];
    let total = 0;
    for (let want = info.size + 1; ; want = 64 * 1024) {
      const chunk = Buffer.allocUnsafe(Math.min(want, options.maxBytes + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(name, void 0, options);
      if (bytesRead < chunk.length) return Buffer.concat(chunks, total);
    }
  } finally {
    closeSync(fd);
  }
}
async function readCapped(handle, name, options) {
  const chunks = [];
  let total = 0;
  for (; ; ) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, options.maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > options.maxBytes) throw tooLarge(name, void 0, options);
  }
}
function tryReadFileBoundedSync(file, options) {
  const lexical = path.resolve(file);
  let real;
  let realRoot;
  try {
    real = realpathSync.native(lexical);
    realRoot = realpathSync.native(options.root);
  } catch {
    return void 0;
  }
  const rel = path.relative(realRoot, real);
  if (real !== lexical || rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return void 0;
  return readRealFileBoundedSync(real, options);
}
async function readStreamBounded(stream, options) {
  const chunks = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.byteLength;
    if (total > options.maxBytes) throw tooLarge(options.name, void 0, options);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}
function tooLarge(name, size, options) {
  const what = size === void 0 ? `more than ${options.maxBytes} bytes` : `${size} bytes`;
  return new UserError("TOO_LARGE", `${name} is ${what}; the limit is ${options.maxBytes}`, {
    hint: options.sizeHint
  });
}
function notRegular(name, info) {
  return new UserError("UNSUPPORTED", `${name} is ${kindOf(info)}, not a regular file`, {
    hint: "only regular files are read"
  });
}
function kindOf(info) {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  return "a device";
}
function readError(name, cause) {
  const code = cause.code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return new UserError("FILE_NOT_FOUND", `${name} does not exist`, { cause });
  if (code === "ELOOP") return new UserError("UNSUPPORTED", `${name} is a symlink loop`, { cause });
  if (code === "EISDIR")
    return new UserError("UNSUPPORTED", `${name} is a directory, not a regular file`, { cause });
  return new UserError("FILE_NOT_FOUND", `${name} cannot be read (${code ?? "error"})`, { cause });
}
function outsideRepository(name) {
  return new UserError("PATH_ESCAPE", `${name} is outside the repository`, {
    hint: "only files inside the repository are read; replace the symlink with the file itself"
  });
}
async function resolveInside(file, root, name = file) {
  const realRoot = await realpath(root);
  const within = (p) => {
    const rel = path.relative(realRoot, p);
    return rel === "" || !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  const lexical = path.resolve(file);
  const relStart = path.relative(path.resolve(root), lexical);
  let pending;
  let current;
  if (!relStart.startsWith("..") && !path.isAbsolute(relStart)) {
    current = realRoot;
    pending = relStart.split(path.sep).filter((p) => p !== "" && p !== ".");
  } else {
    const relReal = path.relative(realRoot, lexical);
    if (relReal.startsWith("..") || path.isAbsolute(relReal)) throw outsideRepository(name);
    current = realRoot;
    pending = relReal.split(path.sep).filter((p) => p !== "" && p !== ".");
  }
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? "";
    const next = part === ".." ? path.dirname(current) : path.join(current, part);
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
    if (++links > MAX_LINKS) throw new UserError("UNSUPPORTED", `${name} is a symlink loop`);
    const target = await readlink(next);
    const resolved = path.resolve(current, target);
    if (!within(resolved)) throw outsideRepository(name);
    pending = [
      ...path.relative(realRoot, resolved).split(path.sep).filter((p) => p !== ""),
      ...pending
    ];
    current = realRoot;
  }
  return current;
}
function findRepositoryRoot(target) {
  return Promise.resolve(findRepositoryRootSync(target));
}
function findRepositoryRootSync(target) {
  return findGitRootSync(target) ?? directoryOf(target);
}
function findGitRoot(target) {
  return Promise.resolve(findGitRootSync(target));
}
function findGitRootSync(target) {
  let dir = directoryOf(target);
  for (; ; ) {
    try {
      if (lstatSync(path.join(dir, ".git"), { throwIfNoEntry: false }) !== void 0) return dir;
    } catch {
    }
    const parent = path.dirname(dir);
    if (parent === dir) return void 0;
    dir = parent;
  }
}
function directoryOf(target) {
  const start = path.resolve(target);
  try {
    return statSync(start).isDirectory() ? start : path.dirname(start);
  } catch {
    return path.dirname(start);
  }
}

export {
  readFileBounded,
  readRealFileBoundedSync,
  tryReadFileBoundedSync,
  readStreamBounded,
  resolveInside,
  findRepositoryRoot,
  findRepositoryRootSync,
  findGitRoot
};
