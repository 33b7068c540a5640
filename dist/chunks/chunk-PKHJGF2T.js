import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  privateCacheDir
} from "./chunk-BAMWEJD2.js";

// src/compile-cache.ts
import { enableCompileCache } from "node:module";
function safeCompileCacheDir(env, uid) {
  return privateCacheDir(env, uid, "kustomize-sops-deploy-compile-cache");
}
function enable() {
  if (process.env["NODE_DISABLE_COMPILE_CACHE"] !== void 0) return;
  if (process.env["NODE_COMPILE_CACHE"] !== void 0) return;
  const uid = typeof process.getuid === "function" ? process.getuid() : void 0;
  if (uid === void 0) return;
  const dir = safeCompileCacheDir(process.env, uid);
  if (dir === void 0) return;
  try {
    enableCompileCache(dir);
  } catch {
  }
}
enable();

export {
  safeCompileCacheDir
};
