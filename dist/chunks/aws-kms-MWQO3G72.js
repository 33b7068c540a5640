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
} from "./chunk-46HK4NVE.js";
import "./chunk-7OHY2VNZ.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-UJIP2UZS.js";
export {
  buggyContextVariants,
  createAwsKmsKeySource,
  parseSharedCredentials,
  roleSessionName,
  xmlText
};
