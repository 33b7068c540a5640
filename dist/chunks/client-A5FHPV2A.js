import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  KubeApiError,
  METADATA_ONLY,
  createKubeClient,
  retryAfterMs
} from "./chunk-3HBK5V5F.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";
export {
  KubeApiError,
  METADATA_ONLY,
  createKubeClient,
  retryAfterMs
};
