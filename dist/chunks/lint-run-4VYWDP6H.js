import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  compareFindings,
  lintPaths,
  withAdvice
} from "./chunk-RGFL4ZBJ.js";
import {
  parseLintConfig,
  suppressed,
  waiverReason
} from "./chunk-RZOWOVJ5.js";
import "./chunk-5WQA4ROS.js";
import "./chunk-TATDJ7LO.js";
import "./chunk-NHKNCDYL.js";
import "./chunk-E6UVNDUT.js";
import {
  renderFindings,
  renderSarif
} from "./chunk-2P46L3DV.js";
import "./chunk-TMWNBOC7.js";
import "./chunk-KWHHRL7C.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/commands/lint-run.ts
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
var DEFAULT_LINT_CONFIG = ".ksd-lint.yaml";
async function loadLintFile(config, cwd) {
  const file = path.resolve(cwd, config.config ?? DEFAULT_LINT_CONFIG);
  if (config.config === void 0 && !existsSync(file)) return void 0;
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `--config ${config.config ?? file}: cannot read the file`, {
      cause
    });
  }
  return parseLintConfig(text, file);
}
function withRendered(result, rendered, lintFile) {
  const failed = new Set(result.findings.filter((f) => f.severity === "error").map((f) => f.file));
  const waivedAt = new Map(
    result.suppressed.filter((f) => f.severity === "error").map((f) => [`${f.file}:${String(f.line)}`, f.reason])
  );
  const findings = [...result.findings];
  const suppressedFindings = [...result.suppressed];
  for (const { finding, absolute, waivers } of rendered) {
    const plaintext = finding.rule === "rendered-plaintext-secret";
    if (plaintext && failed.has(finding.file)) continue;
    const reason = waiverReason(finding, absolute, waivers, lintFile) ?? (plaintext ? waivedAt.get(`${finding.file}:${String(finding.line)}`) : void 0);
    if (reason === void 0) findings.push(finding);
    else suppressedFindings.push(suppressed(finding, reason));
  }
  return {
    ...result,
    findings: findings.sort(compareFindings),
    suppressed: suppressedFindings.sort(compareFindings)
  };
}
async function checkOnce(config, lintFile, deps, cwd) {
  const options = { paths: config.paths, cwd, exec: deps.exec, config: lintFile };
  const kustomize = config.rendered;
  if (kustomize === void 0) return lintPaths(options);
  const { lintRendered } = await import("./lint-rendered-CIDR4SEX.js");
  const [files, rendered] = await Promise.allSettled([
    lintPaths(options),
    lintRendered({ paths: config.paths, cwd, kustomize, ifAvailable: kustomize.ifAvailable }, deps)
  ]);
  if (files.status === "rejected") throw files.reason;
  if (rendered.status === "rejected") throw rendered.reason;
  return withRendered(files.value, rendered.value, lintFile);
}
async function runLint(config, deps, cwd = process.cwd()) {
  const lintFile = await loadLintFile(config, cwd);
  let result = await checkOnce(config, lintFile, deps, cwd);
  if (config.fix !== void 0 && result.findings.length > 0) {
    const { fixFindings } = await import("./lint-fix-PVHPGUZ7.js");
    const outcome = await fixFindings(result.findings, config.fix, deps, cwd);
    if (outcome.fixed.length > 0) result = await checkOnce(config, lintFile, deps, cwd);
    result = { ...result, findings: withAdvice(result.findings, outcome.advice) };
  }
  deps.host.writeStdout(renderFindings(result, config.format));
  if (config.sarifFile !== void 0)
    await writeFile(path.resolve(cwd, config.sarifFile), renderSarif(result));
  deps.host.setOutput("findings", String(result.findings.length));
  return result;
}
export {
  DEFAULT_LINT_CONFIG,
  runLint
};
