/**
 * How inputs are read. Both shells feed the same kebab-case names through `read(name)`: the
 * Action from `INPUT_<NAME>`, the CLI from its flags. Multi-valued inputs are one value per
 * line (a repeated CLI flag is joined with newlines).
 */
import { UserError } from '../errors.ts';
import type { Mask } from '../ports.ts';

/** Reads one input; returns '' when it is not set (like `core.getInput`). */
export type InputReader = (name: string) => string;

/** How the shell presents stdout. */
export interface ShellOptions {
  /** In the Action, stdout is the job log: plaintext must go to a file instead. */
  readonly stdoutIsLog: boolean;
  /**
   * Running as the GitHub Action, not the CLI: tools install into the runner's tool cache, and
   * test-only environment overrides (KSD_KUSTOMIZE_DOWNLOAD_URL) are ignored, since an earlier
   * step of the job can set any variable through GITHUB_ENV.
   */
  readonly action?: boolean;
  /** Registers a secret read from an input (the decryption Secret's values) the moment it is parsed. */
  readonly mask?: Mask;
  /** Logs what an input held, never a value (the Action's "decryption-secret: ..." line). */
  readonly info?: (message: string) => void;
}

/** Non-empty trimmed lines of a multi-valued input. */
export function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A trimmed value, or undefined when it is empty. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `true`/`false` (or empty for false); anything else names the input and the choices. */
export function parseBoolean(read: InputReader, name: string): boolean {
  const value = read(name).trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new UserError('USAGE', `${name} is "${value}"; expected true or false`);
}

/**
 * `indent` (encrypt and decrypt): a whole number; sops refuses below -1 (JSON) or below 0
 * (YAML) when it emits.
 */
export function parseIndent(read: InputReader): number | undefined {
  const text = read('indent').trim();
  if (text === '') return undefined;
  if (!/^-?\d+$/.test(text) || Number(text) < -1 || Number(text) > 64) {
    throw new UserError('USAGE', `indent is "${text}"; expected a whole number from -1 to 64`, {
      hint: 'spaces per level of YAML or JSON output; -1 (JSON only) indents with tabs',
    });
  }
  return Number(text);
}
