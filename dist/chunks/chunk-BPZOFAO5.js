import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";

// src/private-file.ts
import { randomBytes } from "node:crypto";
import { existsSync, readlinkSync, rmSync } from "node:fs";
import { chmod, lstat, mkdtemp, open, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { constants as osConstants, tmpdir } from "node:os";
import path from "node:path";
function privateRootParent(env) {
  if (existsSync("/dev/shm")) return "/dev/shm";
  const runnerTemp = env["RUNNER_TEMP"];
  if (runnerTemp !== void 0 && runnerTemp !== "") return runnerTemp;
  return tmpdir();
}
async function writePrivateFile(target, data) {
  await writeAtomically(target, data, 384);
}
async function replaceFile(file, data, options = {}) {
  let real;
  let mode;
  try {
    real = await realpath(file);
    const info = await stat(real);
    if (!info.isFile()) {
      throw new UserError("UNSUPPORTED", `cannot write ${file} in place: it is not a regular file`);
    }
    mode = info.mode & 4095;
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    const { why, hint } = describeWriteError(cause, file);
    throw new UserError("FILE_NOT_FOUND", `cannot write ${file}: ${why}`, { cause, hint });
  }
  await writeAtomically(real, data, mode, file, options);
}
async function syncDirectory(dir) {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
  } finally {
    await handle?.close();
  }
}
async function writeAtomically(target, data, mode, name = target, options = {}) {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`
  );
  const failed = async (cause) => {
    await rm(temp, { force: true }).catch(() => void 0);
    const { why, hint } = describeWriteError(cause, target);
    throw new UserError("FILE_NOT_FOUND", `cannot write ${name}: ${why}`, { cause, hint });
  };
  try {
    const handle = await open(temp, "wx", 384);
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (mode !== 384) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    await failed(cause);
  }
  try {
    await options.verify?.(temp);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => void 0);
    throw error;
  }
  try {
    await rename(temp, target);
  } catch (cause) {
    await failed(cause);
  }
  await syncDirectory(path.dirname(target));
}
async function writePublicFile(target, data, options = {}) {
  let mode = 420;
  try {
    mode = (await stat(target)).mode & 4095;
  } catch {
  }
  await writeAtomically(target, data, mode, target, options);
}
function describeWriteError(cause, target) {
  const code = cause?.code;
  switch (code) {
    case "ENOENT":
      return { why: "its folder does not exist", hint: `create ${path.dirname(target)} first` };
    case "ENOTDIR":
      return { why: "part of its path is a file, not a folder", hint: void 0 };
    case "EACCES":
    case "EPERM":
      return { why: "permission denied", hint: `check that you may create files in ${path.dirname(target)}` };
    case "EISDIR":
      return { why: "it is a folder", hint: "give the path of a file to write" };
    case "EROFS":
      return { why: "the file system is read-only", hint: void 0 };
    case "ENOSPC":
    case "EDQUOT":
      return { why: "no space left on the device", hint: void 0 };
    default:
      return { why: code ?? errorMessage(cause), hint: void 0 };
  }
}
var CLEANUP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
var ROOT_NAME = /^ksd-[a-z]+(?:-[a-z]+)*-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;
var namespaceOfThisProcess;
function pidNamespace() {
  if (namespaceOfThisProcess !== void 0) return namespaceOfThisProcess;
  try {
    namespaceOfThisProcess = /^pid:\[(\d+)\]$/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
  } catch {
    namespaceOfThisProcess = "0";
  }
  return namespaceOfThisProcess;
}
var openRoots = /* @__PURE__ */ new Map();
var handlers = /* @__PURE__ */ new Map();
function onCleanupSignal(signals) {
  const handler = (signal) => {
    for (const dir of openRoots.get(signals) ?? []) rmSync(dir, { recursive: true, force: true });
    openRoots.delete(signals);
    for (const s of CLEANUP_SIGNALS) signals.off(s, handler);
    handlers.delete(signals);
    if (signals === process && process.listenerCount(signal) === 0) endLikeSignal(signal);
  };
  return handler;
}
function track(signals, dir) {
  let dirs = openRoots.get(signals);
  if (dirs === void 0) {
    dirs = /* @__PURE__ */ new Set();
    openRoots.set(signals, dirs);
    const handler = onCleanupSignal(signals);
    handlers.set(signals, handler);
    for (const signal of CLEANUP_SIGNALS) signals.on(signal, handler);
  }
  dirs.add(dir);
}
function untrack(signals, dir) {
  const dirs = openRoots.get(signals);
  if (dirs?.delete(dir) !== true) return false;
  if (dirs.size === 0) {
    openRoots.delete(signals);
    const handler = handlers.get(signals);
    handlers.delete(signals);
    if (handler !== void 0) for (const signal of CLEANUP_SIGNALS) signals.off(signal, handler);
  }
  return true;
}
async function openPrivateRoot(parent, kind, signals = process) {
  const dir = await mkdtemp(path.join(parent, `ksd-${kind}-${process.pid}-${pidNamespace()}-`));
  if (signals !== null) track(signals, dir);
  await chmod(dir, 448);
  let cleaned = false;
  const cleanup = () => new Promise((resolve) => {
    const open2 = !cleaned && (signals === null || untrack(signals, dir));
    cleaned = true;
    if (open2) rmSync(dir, { recursive: true, force: true });
    resolve();
  });
  return { dir, cleanup };
}
function endLikeSignal(signal) {
  if (signal === "SIGQUIT") process.exit(128 + osConstants.signals.SIGQUIT);
  process.kill(process.pid, signal);
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function sweepStalePrivateRoots(parent) {
  const uid = process.getuid?.();
  const namespace = pidNamespace();
  const removed = [];
  let entries;
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
      const info = await lstat(dir);
      if (!info.isDirectory() || uid !== void 0 && info.uid !== uid) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
    }
  }
  return removed;
}

export {
  privateRootParent,
  writePrivateFile,
  replaceFile,
  writePublicFile,
  openPrivateRoot,
  sweepStalePrivateRoots
};
