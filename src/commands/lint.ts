/**
 * `lint [PATH...]`: fails (exit 1) when a plaintext secret would merge. The command's spec; the
 * work is in lint-run.ts, loaded only when the command runs.
 */
import { lintFlags, parseLintConfig, type LintConfig } from '../config/lint.ts';
import type { LintResult } from '../lint/lint.ts';
import type { Command } from './command.ts';

/** True when a finding at or above `failOn` remains: the gate exits 1. */
export function failsGate(result: LintResult, failOn: LintConfig['failOn']): boolean {
  return result.findings.some((f) => failOn === 'warning' || f.severity === 'error');
}

export const lintCommand: Command<LintConfig> = {
  name: 'lint',
  summary: 'fail when a plaintext secret would merge (no keys needed)',
  usage:
    'lint [PATH...] [--format text|json|sarif|github] [--config FILE] [--sarif-file FILE] [--fail-on error|warning]\n        [--rendered [--kustomize-path F | --kustomize-version V]]',
  flags: lintFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseLintConfig,
  paths: (config) => config.paths,
  async run(config, deps) {
    const { runLint } = await import('./lint-run.ts');
    const result = await runLint(config, deps);
    await deps.reporter.report('lint', result);
    return failsGate(result, config.failOn) ? 1 : 0;
  },
};
