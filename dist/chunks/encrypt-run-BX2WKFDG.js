import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  planEncryption,
  runEncrypt
} from "./chunk-5LA3WWGQ.js";
import "./chunk-VUGW4QFS.js";
import "./chunk-DVOQ6QLW.js";
import "./chunk-ICNRIEUI.js";
import "./chunk-3PTW52UL.js";
import "./chunk-6G2K46MH.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-2ZU72MXY.js";
import "./chunk-EJHSQ7DC.js";
import "./chunk-NUSM734W.js";
import "./chunk-2V47C34P.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-GPKKFRYI.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";
export {
  planEncryption,
  runEncrypt
};
