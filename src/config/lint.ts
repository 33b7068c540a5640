/** Inputs of `lint [PATH...]`. */
import { UserError } from '../errors.ts';
import { LINT_FORMATS, type LintFormat } from '../lint/render.ts';
import type { Severity } from '../lint/rules.ts';
import { parseKustomizeChoice, type BuildConfig } from './build.ts';
import { keyValues, type EncryptConfig } from './encrypt.ts';
import { lines, optional, parseBoolean, type InputReader, type ShellOptions } from './inputs.ts';
import { parseKeys } from './keys.ts';
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
   * (commands/lint-rendered.ts), with this kustomize; undefined when off. `auto` (the
   * Action's default) is on with `ifAvailable`: without a kustomize it is skipped with a note.
   */
  readonly rendered:
    | (Pick<BuildConfig, 'kustomizePath' | 'kustomizeRelease' | 'env'> & { readonly ifAvailable: boolean })
    | undefined;
  /**
   * `fix`: encrypt each flagged plaintext Secret file in place (commands/lint-fix.ts) with
   * these settings, all but the file; undefined when off. Only `age` and `pgp` (and the
   * key inputs, for pgp public keys and cloud credentials) come from inputs: the keys and
   * options are otherwise the creation rule's of the `.sops.yaml` lint found for the file.
   */
  readonly fix: Omit<EncryptConfig, 'file'> | undefined;
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
  fix: { type: 'boolean' },
  age: { type: 'string', multiple: true },
  pgp: { type: 'string', multiple: true },
  'pgp-key-file': { type: 'string', multiple: true },
} as const;

/** The encrypt settings of `fix`, or undefined when it is off (then no recipient may be given). */
function parseFix(read: InputReader, env: Env, shell: ShellOptions): Omit<EncryptConfig, 'file'> | undefined {
  const age = keyValues(read, 'age');
  const pgp = keyValues(read, 'pgp');
  if (!parseBoolean(read, 'fix')) {
    if (age.length > 0 || pgp.length > 0) {
      throw new UserError('USAGE', 'lint takes age and pgp recipients only with fix', {
        hint: 'add --fix (input fix: true) to encrypt the flagged Secret files for them',
      });
    }
    return undefined;
  }
  return {
    command: 'encrypt',
    filenameOverride: undefined,
    indent: undefined,
    inputType: undefined,
    outputType: undefined,
    output: undefined,
    inPlace: true,
    sopsConfig: undefined,
    age,
    pgp,
    hcVaultTransit: [],
    kms: [],
    gcpKms: [],
    azureKv: [],
    encryptionContext: {},
    shamirThreshold: undefined,
    selection: undefined,
    macOnlyEncrypted: false,
    keys: parseKeys(read, env, shell),
  };
}

/** `rendered`: true, false (or empty), or auto: on when a kustomize can be found. */
function parseRendered(read: InputReader, env: Env, shell: ShellOptions): LintConfig['rendered'] {
  const value = read('rendered').trim();
  if (value === '' || value === 'false') return undefined;
  if (value !== 'true' && value !== 'auto') {
    throw new UserError('USAGE', `rendered is "${value}"; expected true, false or auto`, {
      hint: 'auto (the Action default) checks the rendering when a kustomize is available',
    });
  }
  return { ...parseKustomizeChoice(read, env, shell), env, ifAvailable: value === 'auto' };
}

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
    rendered: parseRendered(read, env, shell),
    fix: parseFix(read, env, shell),
  };
}
