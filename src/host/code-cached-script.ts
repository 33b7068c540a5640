/**
 * Runs a single-file CommonJS bundle of the CLI (dist/cli-<command>.cjs) with a V8 code cache
 * that is written after the command has run.
 *
 * Why not only Node's compile cache (compile-cache.ts): Node caches a module's code as soon as
 * it is compiled, before it runs. Every function V8 compiles lazily while the command runs (most
 * of the YAML parser, the engine, the lint rules) is compiled again at every start, and the ES
 * module loader costs about 0.5 ms per chunk. `vm.Script#createCachedData()` called after the
 * run holds those functions too. A one-file `decrypt` starts about 25 ms sooner, a small `lint`
 * about 20 ms (bench/startup).
 *
 * The cache is code that will run, so it lives only in the private per-user folder
 * (compile-cache.ts, user-cache.ts). Its name carries the bundle's size, modification time and
 * inode, a hash of its folder and the Node.js version and architecture, so a changed or
 * reinstalled bundle never meets an old entry. V8 also checks its own version and flags and rejects an entry that does
 * not fit, which is then written again. Older entries of the same bundle are removed when a new
 * one is written (those of the same bundle in the same folder only), through a temporary file
 * and a rename, so a concurrent run never reads half a file. Anything unexpected means running without the cache, never an error.
 *
 * V8's code cache holds what was compiled from the bundle's source (bytecode, the source's own
 * literals), not values the run computed: no decrypted value reaches it (test/e2e/bin.test.ts
 * plants one and looks).
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const SUFFIX = '.v8cache';

/**
 * A short hash of the bundle's folder (FNV-1a, 32 bits): two installations of different
 * versions each keep their own entry, instead of removing each other's at every run. Not
 * node:crypto, which a lint would otherwise load only for this.
 */
function folderTag(file: string): string {
  let hash = 0x811c9dc5;
  for (const char of path.dirname(file)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The cache entry's file name: what identifies this bundle, where it is, on this Node.js. */
export function cacheEntryName(
  file: string,
  stat: { readonly size: number; readonly mtimeMs: number; readonly ino: number },
  node: { readonly version: string; readonly arch: string } = process,
): string {
  const id = [stat.size, Math.trunc(stat.mtimeMs * 1000), stat.ino, node.version, node.arch].join('-');
  return `${entryPrefix(file)}${id}${SUFFIX}`;
}

/** What every entry of this bundle in this folder starts with. */
function entryPrefix(file: string): string {
  return `${path.basename(file)}-${folderTag(file)}-`;
}

function readCache(entry: string): Buffer | undefined {
  try {
    return readFileSync(entry);
  } catch {
    return undefined;
  }
}

/** Writes the entry (temporary file, then rename) and removes the bundle's older entries. */
function saveCache(script: vm.Script, dir: string, name: string, bundle: string): void {
  try {
    const entry = path.join(dir, name);
    const temporary = `${entry}.${String(process.pid)}.tmp`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, entry);
    const prefix = entryPrefix(bundle);
    for (const other of readdirSync(dir)) {
      if (other !== name && other.startsWith(prefix) && other.endsWith(SUFFIX)) {
        rmSync(path.join(dir, other), { force: true });
      }
    }
  } catch {
    // A cache is an optimisation only.
  }
}

/**
 * Runs `file` as Node runs a CommonJS module, with the code cache in `cacheDir`. The command
 * keeps running after this returns; the cache is written when the event loop is empty
 * (`beforeExit`), only if there was none or V8 rejected it.
 */
export function runCodeCachedScript(file: string, cacheDir: string): void {
  const source = readFileSync(file, 'utf8');
  let name: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    name = cacheEntryName(file, statSync(file));
    cachedData = readCache(path.join(cacheDir, name));
  } catch {
    name = undefined;
  }
  // The wrapper Node puts around a CommonJS module, so the bundle sees the same five names. A
  // `#!` line is only valid at the very start of a file, so inside the wrapper it is a comment.
  const body = source.startsWith('#!') ? `//${source}` : source;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${body}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (name !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    const entry = name;
    process.once('beforeExit', () => saveCache(script, cacheDir, entry, file));
  }
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
}
