/**
 * Turns on Node's on-disk compile cache (module.enableCompileCache) for the CLI, so a second
 * run skips parsing and compiling the bundle: most of what a one-file `decrypt` costs over
 * `node -e 0` (bench/startup).
 *
 * Imported for its effect, first, by the CLI entry; it only helps modules loaded after it
 * runs, so an entry that imports the rest dynamically gets the whole benefit.
 *
 * The cache holds compiled code that Node will run, so its folder must be one only this user
 * can write: `$XDG_CACHE_HOME` or `~/.cache`, else the OS temp, under
 * `kustomize-sops-deploy-compile-cache-<uid>`, created 0700 and used only when it is a real
 * directory (not a symlink) owned by this user that no one else can write. Never a shared
 * world-writable path. Node checks each entry against the source's hash, so a stale entry is
 * recompiled, not run. Anything unexpected leaves the cache off; it is never an error.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, `NODE_COMPILE_CACHE` chooses the folder (Node's
 * own variables).
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The per-user parent folder, or undefined when there is no usable one. */
function cacheParent(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && path.isAbsolute(xdg)) return xdg;
  const home = env['HOME'];
  if (home !== undefined && path.isAbsolute(home)) {
    try {
      if (lstatSync(home).isDirectory()) return path.join(home, '.cache');
    } catch {
      // No home folder (a service account): fall through to the temp folder.
    }
  }
  return tmpdir();
}

/** The cache folder when it is safe to use, else undefined. */
export function safeCompileCacheDir(env: NodeJS.ProcessEnv, uid: number): string | undefined {
  const parent = cacheParent(env);
  if (parent === undefined) return undefined;
  const dir = path.join(parent, `kustomize-sops-deploy-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

function enable(): void {
  if (process.env['NODE_DISABLE_COMPILE_CACHE'] !== undefined) return;
  if (process.env['NODE_COMPILE_CACHE'] !== undefined) return; // Node enabled it at start-up.
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid === undefined) return;
  const dir = safeCompileCacheDir(process.env, uid);
  if (dir === undefined) return;
  try {
    enableCompileCache(dir);
  } catch {
    // A cache is an optimisation only.
  }
}

enable();
