import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  refuseOutputInTargets,
  renderManifests,
  runBuild
} from "./chunk-57SSG7GL.js";
import "./chunk-B4BXYQT5.js";
import "./chunk-JCR5657E.js";
import "./chunk-GY5QT43H.js";
import "./chunk-D427EU6J.js";
import "./chunk-PGYSR3WB.js";
import "./chunk-MNCNTA4O.js";
import "./chunk-EJHSQ7DC.js";
import "./chunk-6ESWNFSY.js";
import "./chunk-BJGDZ7UP.js";
import "./chunk-KKUXYRDY.js";
import "./chunk-OURCQGNN.js";
import "./chunk-D4CX264I.js";
import "./chunk-7OHY2VNZ.js";
import "./chunk-3WBQCS5Z.js";
import "./chunk-ER2H63QJ.js";
import "./chunk-XUYS57RK.js";
import "./chunk-XT4FYU66.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-BAMWEJD2.js";
import "./chunk-GPKKFRYI.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";
export {
  refuseOutputInTargets,
  renderManifests,
  runBuild
};
