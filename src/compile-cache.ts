/**
 * Node's on-disk compile cache (module.enableCompileCache) for the CLI's ES modules, and the
 * folder that cache and the single-file commands' code cache (host/code-cached-script.ts) share.
 * A second run then skips parsing and compiling the bundle: most of what a short command costs
 * over `node -e 0` (bench/startup).
 *
 * The installed command's launcher (launch.ts) turns it on before it imports the CLI, so the
 * whole CLI comes from the cache; the CLI entry turns it on too, for runs of dist/cli.js itself,
 * where it helps only what loads later.
 *
 * The cache holds compiled code that Node will run, so its folder is a private per-user one
 * (src/user-cache.ts): `kustomize-sops-deploy-compile-cache-<uid>`. Node checks each entry
 * against the source's hash, so a stale entry is recompiled, not run. Anything unexpected
 * leaves the cache off; it is never an error.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns both caches off, `NODE_COMPILE_CACHE` chooses the folder
 * of Node's own (Node's own variables).
 */
import { enableCompileCache } from 'node:module';
import { privateCacheDir } from './user-cache.ts';

/** The cache folder when it is safe to use, else undefined. */
export function safeCompileCacheDir(env: NodeJS.ProcessEnv, uid: number): string | undefined {
  return privateCacheDir(env, uid, 'kustomize-sops-deploy-compile-cache');
}

/** This process's private cache folder, or undefined when caches are off or no safe folder exists. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['NODE_DISABLE_COMPILE_CACHE'] !== undefined) return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return uid === undefined ? undefined : safeCompileCacheDir(env, uid);
}

/** Turns on Node's compile cache for the modules loaded from now on. */
export function enableNodeCompileCache(): void {
  if (process.env['NODE_COMPILE_CACHE'] !== undefined) return; // Node enabled it at start-up.
  const dir = codeCacheDir();
  if (dir === undefined) return;
  try {
    enableCompileCache(dir);
  } catch {
    // A cache is an optimisation only.
  }
}
