import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  buggyContextVariants,
  createAwsKmsKeySource,
  parseSharedCredentials,
  roleSessionName,
  xmlText
} from "./chunk-7AXR4M3Y.js";
import "./chunk-ZZ25XCGH.js";
import "./chunk-GFREQRVK.js";
import "./chunk-LQH3RA76.js";
export {
  buggyContextVariants,
  createAwsKmsKeySource,
  parseSharedCredentials,
  roleSessionName,
  xmlText
};
