import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/user-cache.ts
import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
function cacheParent(env) {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== void 0 && path.isAbsolute(xdg)) return xdg;
  const home = env["HOME"];
  if (home !== void 0 && path.isAbsolute(home)) {
    try {
      if (lstatSync(home).isDirectory()) return path.join(home, ".cache");
    } catch {
    }
  }
  return tmpdir();
}
function privateCacheDir(env, uid, name) {
  const dir = path.join(cacheParent(env), `${name}-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 448 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 63) !== 0) return void 0;
    return dir;
  } catch {
    return void 0;
  }
}

export {
  privateCacheDir
};
