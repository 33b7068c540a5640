/** Inputs of `decrypt FILE`. */
import { UserError } from '../errors.ts';
import { parseExtractPath, type ExtractPath } from '../sops/extract.ts';
import { parseFormat } from '../sops/format-names.ts';
import type { Format } from '../sops/tree.ts';
import { optional, parseBoolean, parseIndent, type InputReader, type ShellOptions } from './inputs.ts';
import type { KeyConfig } from '../keys/key-config.ts';
import { keyFlags, parseKeys } from './keys.ts';
import type { Env } from '../ports.ts';

/** `decrypt FILE`: the same output as `sops -d`. */
export interface DecryptConfig {
  readonly command: 'decrypt';
  /** The file to decrypt; `-` reads stdin. */
  readonly file: string;
  /** Overrides the format guessed from the file name (sops's --input-type). */
  readonly inputType: Format | undefined;
  /** Output format; defaults to the input format (sops's --output-type). */
  readonly outputType: Format | undefined;
  /** Write here (mode 0600) instead of stdout. Never one of the inputs (use `inPlace`). */
  readonly output: string | undefined;
  /**
   * Replace the file with its plaintext, atomically and keeping its mode, as `sops -d -i`
   * does. Only for a file (not stdin), and never with `output`.
   */
  readonly inPlace: boolean;
  /** Print only this part of the document, e.g. `["data"]["password"]`. */
  readonly extract: ExtractPath | undefined;
  /** Accept a file whose MAC does not verify. Values must still authenticate. */
  readonly ignoreMac: boolean;
  readonly keys: KeyConfig;
  /**
   * `--indent`: spaces per level of YAML or JSON output, over the `.sops.yaml` `stores`
   * indents, as sops's global flag.
   */
  readonly indent: number | undefined;
  /** `--config` / `SOPS_CONFIG`: the `.sops.yaml` whose `stores` shape the output (else the nearest). */
  readonly sopsConfig: string | undefined;
}

/** CLI flags of `decrypt` (names equal the Action inputs). */
export const decryptFlags = {
  ...keyFlags,
  'input-type': { type: 'string' },
  'output-type': { type: 'string' },
  output: { type: 'string' },
  'in-place': { type: 'boolean' },
  extract: { type: 'string' },
  'ignore-mac': { type: 'boolean' },
  indent: { type: 'string' },
  config: { type: 'string' },
} as const;

/** Reads and validates the inputs of `decrypt`. */
export function parseDecryptConfig(read: InputReader, env: Env, shell: ShellOptions): DecryptConfig {
  const file = read('file').trim();
  if (file === '') throw new UserError('USAGE', 'decrypt needs a FILE (or - for stdin)');
  const inputType = optional(read('input-type'));
  const outputType = optional(read('output-type'));
  const extract = optional(read('extract'));
  if (file === '-' && inputType === undefined) {
    throw new UserError('USAGE', 'reading stdin needs --input-type', {
      hint: 'pass --input-type yaml, json, dotenv, ini or binary',
    });
  }
  const output = optional(read('output'));
  const inPlace = parseBoolean(read, 'in-place');
  if (inPlace && output !== undefined) {
    throw new UserError('USAGE', 'in-place and output cannot be used together', {
      hint: 'in-place writes the plaintext over the file itself; drop one of them',
    });
  }
  if (inPlace && file === '-') {
    throw new UserError('USAGE', 'in-place needs a file, not stdin', {
      hint: 'give the path of the file to decrypt in place',
    });
  }
  if (output === undefined && !inPlace && shell.stdoutIsLog) {
    throw new UserError(
      'USAGE',
      'decrypt needs the output input in the Action, so plaintext never reaches the job log',
      {
        hint: 'set output: to a file path, e.g. ${{ runner.temp }}/secret.yaml, or in-place: true',
      },
    );
  }
  return {
    command: 'decrypt',
    file,
    inputType: inputType === undefined ? undefined : parseFormat(inputType, '--input-type'),
    outputType: outputType === undefined ? undefined : parseFormat(outputType, '--output-type'),
    output,
    inPlace,
    extract: extract === undefined ? undefined : parseExtractPath(extract),
    ignoreMac: parseBoolean(read, 'ignore-mac'),
    keys: parseKeys(read, env, shell),
    indent: parseIndent(read),
    sopsConfig: optional(read('config')) ?? optional(env['SOPS_CONFIG'] ?? ''),
  };
}
