/**
 * Turns on Node's on-disk compile cache (module.enableCompileCache) for the CLI, so a second
 * run skips parsing and compiling the bundle: most of what a one-file `decrypt` costs over
 * `node -e 0` (bench/startup).
 *
 * Loaded for its effect by dist/bin.js (the installed command) before it imports the CLI
 * dynamically, so the whole CLI comes from the cache; the CLI entry imports it too, for runs
 * of dist/cli.js itself, where it helps only what loads later.
 *
 * The cache holds compiled code that Node will run, so its folder is a private per-user one
 * (src/user-cache.ts): `kustomize-sops-deploy-compile-cache-<uid>`. Node checks each entry
 * against the source's hash, so a stale entry is recompiled, not run. Anything unexpected
 * leaves the cache off; it is never an error.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, `NODE_COMPILE_CACHE` chooses the folder (Node's
 * own variables).
 */
import { enableCompileCache } from 'node:module';
import { privateCacheDir } from './user-cache.ts';

/** The cache folder when it is safe to use, else undefined. */
export function safeCompileCacheDir(env: NodeJS.ProcessEnv, uid: number): string | undefined {
  return privateCacheDir(env, uid, 'kustomize-sops-deploy-compile-cache');
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
