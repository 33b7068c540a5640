import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  runEncrypt
} from "./chunk-LG7B6X5G.js";
import {
  DEFAULT_FIX_SELECTION,
  MAX_LINT_BYTES,
  planFixes
} from "./chunk-RGFL4ZBJ.js";
import "./chunk-RZOWOVJ5.js";
import "./chunk-5WQA4ROS.js";
import "./chunk-2URCPURD.js";
import "./chunk-TATDJ7LO.js";
import "./chunk-UO57C7GF.js";
import {
  readableText
} from "./chunk-S5KSNVEA.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-QEIC5DGP.js";
import "./chunk-D4CX264I.js";
import "./chunk-GW4KX3CM.js";
import {
  findRepositoryRoot,
  readFileBounded
} from "./chunk-E6UVNDUT.js";
import "./chunk-TMWNBOC7.js";
import "./chunk-LAT2WY6T.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import "./chunk-BPZOFAO5.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-2ZU72MXY.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/commands/lint-fix.ts
import path from "node:path";
async function readForPlan(absolute) {
  try {
    const root = await findRepositoryRoot(absolute);
    return readableText(
      await readFileBounded(absolute, { maxBytes: MAX_LINT_BYTES, root, name: "the file" })
    );
  } catch (error) {
    if (error instanceof UserError) return void 0;
    throw error;
  }
}
function describeKeys(used, cwd) {
  if (used.flagKeys.length > 0) {
    return used.flagKeys.map((key) => key.type === "age" ? key.recipient : key.type === "pgp" ? `pgp ${key.fp}` : key.type).join(", ");
  }
  const where = used.sopsConfig === void 0 ? ".sops.yaml" : path.relative(cwd, used.sopsConfig);
  return `creation rule ${String(used.rule?.number)} of ${where.split(path.sep).join("/")}`;
}
async function fixFindings(findings, settings, deps, cwd) {
  const texts = /* @__PURE__ */ new Map();
  for (const file of new Set(findings.map((f) => f.file))) {
    texts.set(file, await readForPlan(path.resolve(cwd, file)));
  }
  const plan = planFixes(findings, (file) => texts.get(file));
  const fixed = [];
  const advice = [...plan.advice];
  for (const file of plan.encrypt) {
    const absolute = path.resolve(cwd, file);
    try {
      const used = await runEncrypt({ ...settings, file: absolute }, deps, cwd, {
        defaultSelection: DEFAULT_FIX_SELECTION,
        configSearch: { from: path.dirname(absolute), root: await findRepositoryRoot(absolute) }
      });
      const keys = describeKeys(used, cwd);
      fixed.push({ file, with: keys });
      deps.host.info(`fixed: ${file} (encrypted with ${keys})`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      const why = errorMessage(error).replace(`encrypting ${absolute}: `, "").replaceAll(`${cwd}${path.sep}`, "");
      const hint = error.hint === void 0 ? "" : `; ${error.hint}`;
      for (const f of findings) {
        if (f.file === file) advice.push({ finding: f, advice: `not encrypted: ${why}${hint}` });
      }
    }
  }
  for (const { finding, advice: text } of advice) {
    deps.host.info(`not fixed: ${finding.file}:${String(finding.line)} (${finding.rule}): ${text}`);
  }
  return { fixed, advice };
}
export {
  fixFindings
};
