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
} from "./chunk-JRJTQZ2X.js";
import "./chunk-D427EU6J.js";
import "./chunk-PRCMBG7Q.js";
import "./chunk-6RMIGWZQ.js";
import "./chunk-AHDGDP7U.js";
import "./chunk-KL3X6DBL.js";
import "./chunk-BJGDZ7UP.js";
import "./chunk-E7ZY3RV3.js";
import "./chunk-CPLJPDMS.js";
import "./chunk-6NT2VJT7.js";
import "./chunk-5WQA4ROS.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-2ZU72MXY.js";
import "./chunk-EJHSQ7DC.js";
import "./chunk-3WBQCS5Z.js";
import "./chunk-NUSM734W.js";
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
