/** Inputs of `lint [PATH...]`. */
import { UserError } from '../errors.ts';
import { LINT_FORMATS, type LintFormat } from '../lint/render.ts';
import type { Severity } from '../lint/rules.ts';
import { parseKustomizeChoice, type BuildConfig } from './build.ts';
import { lines, optional, parseBoolean, type InputReader, type ShellOptions } from './inputs.ts';
import type { Env } from '../ports.ts';

/** `lint`: the plaintext-secret gate. It needs no keys. */
export interface LintConfig {
  readonly command: 'lint';
  /** Files or directories to lint; defaults to the current directory. */
  readonly paths: readonly string[];
  /** How findings are printed; `github` (annotations) by default in the Action, `text` in a terminal. */
  readonly format: LintFormat;
  /**
   * The lint config file with suppressions. Undefined means `.ksd-lint.yaml` in the current
   * directory when it exists.
   */
  readonly config: string | undefined;
  /** Also write SARIF 2.1.0 here, for the code-scanning upload step. */
  readonly sarifFile: string | undefined;
  /** The lowest severity that fails the gate (exit 1): `error` by default. */
  readonly failOn: Severity;
  /**
   * `rendered`: also build each kustomization root without keys and check the rendering
   * (commands/lint-rendered.ts), with this kustomize; undefined when off.
   */
  readonly rendered: Pick<BuildConfig, 'kustomizePath' | 'kustomizeRelease' | 'env'> | undefined;
}

const FAIL_ON: readonly Severity[] = ['error', 'warning'];

/** CLI flags of `lint` (names equal the Action inputs). */
export const lintFlags = {
  format: { type: 'string' },
  config: { type: 'string' },
  'sarif-file': { type: 'string' },
  'fail-on': { type: 'string' },
  rendered: { type: 'boolean' },
  'kustomize-path': { type: 'string' },
  'kustomize-version': { type: 'string' },
} as const;

/** Reads and validates the inputs of `lint`. */
export function parseLintConfig(read: InputReader, env: Env, shell: ShellOptions): LintConfig {
  const format = optional(read('format')) ?? (shell.stdoutIsLog ? 'github' : 'text');
  if (!(LINT_FORMATS as readonly string[]).includes(format)) {
    throw new UserError('USAGE', `format is "${format}"; expected one of ${LINT_FORMATS.join(', ')}`);
  }
  const failOn = optional(read('fail-on')) ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UserError('USAGE', `fail-on is "${failOn}"; expected error or warning`, {
      hint: 'error fails on errors only; warning fails on any finding',
    });
  }
  const paths = lines(read('path'));
  return {
    command: 'lint',
    paths: paths.length === 0 ? ['.'] : paths,
    format: format as LintFormat,
    config: optional(read('config')),
    sarifFile: optional(read('sarif-file')),
    failOn: failOn as Severity,
    rendered: parseBoolean(read, 'rendered') ? { ...parseKustomizeChoice(read, env, shell), env } : undefined,
  };
}
