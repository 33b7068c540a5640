import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  lintPaths,
  parseLintConfig,
  withAdvice
} from "./chunk-52Z4NM6Y.js";
import "./chunk-KBGQ66X3.js";
import "./chunk-MINXH3HI.js";
import "./chunk-BJGDZ7UP.js";
import "./chunk-KKUXYRDY.js";
import "./chunk-ER2H63QJ.js";
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
function withRendered(result, rendered) {
  const failed = new Set(result.findings.filter((f) => f.severity === "error").map((f) => f.file));
  const added = rendered.filter((f) => !(f.rule === "rendered-plaintext-secret" && failed.has(f.file)));
  const findings = [...result.findings, ...added].sort(
    (a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column
  );
  return { ...result, findings };
}
async function checkOnce(config, lintFile, deps, cwd) {
  const files = await lintPaths({ paths: config.paths, cwd, exec: deps.exec, config: lintFile });
  if (config.rendered === void 0) return files;
  const { lintRendered } = await import("./lint-rendered-L3ADVLYY.js");
  return withRendered(
    files,
    await lintRendered({ paths: config.paths, cwd, kustomize: config.rendered }, deps)
  );
}
async function runLint(config, deps, cwd = process.cwd()) {
  const lintFile = await loadLintFile(config, cwd);
  let result = await checkOnce(config, lintFile, deps, cwd);
  if (config.fix !== void 0 && result.findings.length > 0) {
    const { fixFindings } = await import("./lint-fix-MV2A5CNT.js");
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
