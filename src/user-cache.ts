/**
 * A per-user cache folder for things this tool will run later (Node's compiled code in
 * compile-cache.ts, a downloaded kustomize in kustomize/tool-cache.ts). Because what is in it
 * gets executed, it must be a folder only this user can write: `$XDG_CACHE_HOME` or
 * `~/.cache`, else the OS temp, under `<name>-<uid>`, created 0700 and used only when it is a
 * real directory (not a symlink) owned by this user that no one else can write. Never a shared
 * world-writable path.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The per-user parent folder: `$XDG_CACHE_HOME`, `~/.cache`, else the OS temp. */
function cacheParent(env: Readonly<Record<string, string | undefined>>): string {
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

/**
 * `<parent>/<name>-<uid>`, created 0700, when it is safe to keep executable things in; else
 * undefined (the caller goes without a cache or says why it cannot).
 */
export function privateCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  uid: number,
  name: string,
): string | undefined {
  const dir = path.join(cacheParent(env), `${name}-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}
