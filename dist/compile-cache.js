import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  safeCompileCacheDir
} from "./chunks/chunk-PKHJGF2T.js";
import "./chunks/chunk-BAMWEJD2.js";
import "./chunks/chunk-LQH3RA76.js";
export {
  safeCompileCacheDir
};
