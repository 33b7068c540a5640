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
} from "./chunk-OJNYMQGD.js";
import "./chunk-RAQSO5SE.js";
import "./chunk-CPLJPDMS.js";
import "./chunk-6NT2VJT7.js";
import "./chunk-5WQA4ROS.js";
import "./chunk-D427EU6J.js";
import "./chunk-KRTO2A2Y.js";
import "./chunk-UO57C7GF.js";
import "./chunk-S5KSNVEA.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-GW4KX3CM.js";
import "./chunk-3WBQCS5Z.js";
import "./chunk-BAMWEJD2.js";
import "./chunk-E6UVNDUT.js";
import "./chunk-XUYS57RK.js";
import "./chunk-XT4FYU66.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-2ZU72MXY.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";
export {
  refuseOutputInTargets,
  renderManifests,
  runBuild
};
