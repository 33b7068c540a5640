/**
 * The work of `lint [PATH...]` (the spec is lint.ts): fails (exit 1) when a plaintext secret
 * would merge. Findings go to stdout in the chosen format, optionally also as a SARIF file;
 * the `findings` output counts the findings that were not suppressed. `--fix` encrypts the
 * flagged Secret files first (lint-fix.ts) and reports what remains.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LintConfig } from '../config/lint.ts';
import { UserError } from '../errors.ts';
import { compareFindings, lintPaths, type LintResult } from '../lint/lint.ts';
import { withAdvice } from '../lint/fix-plan.ts';
import { renderFindings, renderSarif } from '../lint/render.ts';
import {
  parseLintConfig as parseLintFile,
  suppressed,
  waiverReason,
  type LintFileConfig,
} from '../lint/suppress.ts';
import type { RenderedFinding } from './lint-rendered.ts';
import type { CommandDeps } from './command.ts';

/** The suppression file read when `--config` is not given and it exists. */
export const DEFAULT_LINT_CONFIG = '.ksd-lint.yaml';

async function loadLintFile(config: LintConfig, cwd: string): Promise<LintFileConfig | undefined> {
  const file = path.resolve(cwd, config.config ?? DEFAULT_LINT_CONFIG);
  if (config.config === undefined && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `--config ${config.config ?? file}: cannot read the file`, {
      cause,
    });
  }
  return parseLintFile(text, file);
}

/**
 * The file-by-file result with the rendered check's findings added, each waivable as a file
 * rule's finding is (the object's annotation, the config's `ignore` globs). A file the file
 * rules already fail is not reported again from its rendering: the fix is the same; and one
 * whose file-rule error at the same line was waived is waived with the same reason.
 */
function withRendered(
  result: LintResult,
  rendered: readonly RenderedFinding[],
  lintFile: LintFileConfig | undefined,
): LintResult {
  const failed = new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.file));
  const waivedAt = new Map(
    result.suppressed
      .filter((f) => f.severity === 'error')
      .map((f) => [`${f.file}:${String(f.line)}`, f.reason]),
  );
  const findings = [...result.findings];
  const suppressedFindings = [...result.suppressed];
  for (const { finding, absolute, waivers } of rendered) {
    const plaintext = finding.rule === 'rendered-plaintext-secret';
    if (plaintext && failed.has(finding.file)) continue;
    const reason =
      waiverReason(finding, absolute, waivers, lintFile) ??
      (plaintext ? waivedAt.get(`${finding.file}:${String(finding.line)}`) : undefined);
    if (reason === undefined) findings.push(finding);
    else suppressedFindings.push(suppressed(finding, reason));
  }
  return {
    ...result,
    findings: findings.sort(compareFindings),
    suppressed: suppressedFindings.sort(compareFindings),
  };
}

/** One check: the file rules, and the rendered check when it is on. */
async function checkOnce(
  config: LintConfig,
  lintFile: LintFileConfig | undefined,
  deps: CommandDeps,
  cwd: string,
): Promise<LintResult> {
  const options = { paths: config.paths, cwd, exec: deps.exec, config: lintFile };
  const kustomize = config.rendered;
  if (kustomize === undefined) return lintPaths(options);
  // The rendered check (kustomize and the engine behind it) loads only when it is asked for.
  const { lintRendered } = await import('./lint-rendered.ts');
  // Both at once: the file rules use the main thread while it would wait for kustomize. Both
  // settle before either's failure is thrown, so no build is left running behind an error.
  const [files, rendered] = await Promise.allSettled([
    lintPaths(options),
    lintRendered({ paths: config.paths, cwd, kustomize, ifAvailable: kustomize.ifAvailable }, deps),
  ]);
  if (files.status === 'rejected') throw files.reason;
  if (rendered.status === 'rejected') throw rendered.reason;
  return withRendered(files.value, rendered.value, lintFile);
}

/**
 * Runs the gate and reports; returns the result for callers that want the data. With `fix`,
 * the flagged Secret files are encrypted first and the result is the check run again after
 * that: what remains, each left finding with its advice as the hint.
 */
export async function runLint(
  config: LintConfig,
  deps: CommandDeps,
  cwd = process.cwd(),
): Promise<LintResult> {
  const lintFile = await loadLintFile(config, cwd);
  let result = await checkOnce(config, lintFile, deps, cwd);
  if (config.fix !== undefined && result.findings.length > 0) {
    // The encryption path loads only for --fix.
    const { fixFindings } = await import('./lint-fix.ts');
    const outcome = await fixFindings(result.findings, config.fix, deps, cwd);
    if (outcome.fixed.length > 0) result = await checkOnce(config, lintFile, deps, cwd);
    result = { ...result, findings: withAdvice(result.findings, outcome.advice) };
  }
  deps.host.writeStdout(renderFindings(result, config.format));
  if (config.sarifFile !== undefined)
    await writeFile(path.resolve(cwd, config.sarifFile), renderSarif(result));
  deps.host.setOutput('findings', String(result.findings.length));
  return result;
}
