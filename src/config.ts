/**
 * Every input, flag and environment variable is read here, once, into a readonly Config.
 * Both shells feed it through `read(name)`: the Action from `INPUT_<NAME>`, the CLI from its
 * flags, with the same kebab-case names.
 */
import { UserError } from './errors.ts';
import { parseFormat } from './sops/formats.ts';
import { parseExtractPath, type ExtractPath } from './sops/extract.ts';
import type { Format } from './sops/tree.ts';

/** Where master keys come from. */
export interface KeyConfig {
  /** Age identity files (`--age-key-file`, repeatable; `age-key-file` input, one per line). */
  readonly ageKeyFiles: readonly string[];
  /** Age identities given as text (`age-key` input, usually a secret). Same form as SOPS_AGE_KEY. */
  readonly ageKeys: readonly string[];
  /** Armored OpenPGP private key files (`--pgp-key-file`, repeatable). */
  readonly pgpKeyFiles: readonly string[];
  /** Armored OpenPGP private keys given as text (`pgp-key` input, usually a secret). */
  readonly pgpKeys: readonly string[];
  /** Passphrase for the OpenPGP keys, if they are protected. */
  readonly pgpPassphrase: string | undefined;
  /** Key types tried first within a key group, as sops's `--decryption-order`. */
  readonly decryptionOrder: readonly string[] | undefined;
  /**
   * Vault addresses a file may send our token to (`vault-allowed-addresses`, one per line),
   * besides VAULT_ADDR and SOPS_HC_VAULT_ALLOWLIST. Repo content is untrusted in PR runs: a
   * file must not steer credentials to a server the workflow did not name.
   */
  readonly vaultAllowedAddresses: readonly string[];
  /** AWS accounts whose KMS keys and roles files may use (`aws-allowed-accounts`). */
  readonly awsAllowedAccounts: readonly string[];
  /** KMS key ARN patterns (`*` wildcards) files may use (`aws-allowed-keys`). */
  readonly awsAllowedKeys: readonly string[];
  /** IAM role ARN patterns files may ask us to assume (`aws-allowed-roles`). */
  readonly awsAllowedRoles: readonly string[];
  /** The process environment, for sops's variables (SOPS_AGE_KEY, VAULT_TOKEN, AWS_*...). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `decrypt FILE`: the same output as `sops -d`. */
export interface DecryptConfig {
  readonly command: 'decrypt';
  /** The file to decrypt; `-` reads stdin. */
  readonly file: string;
  /** Overrides the format guessed from the file name (sops's --input-type). */
  readonly inputType: Format | undefined;
  /** Output format; defaults to the input format (sops's --output-type). */
  readonly outputType: Format | undefined;
  /** Write here (mode 0600) instead of stdout. */
  readonly output: string | undefined;
  /** Print only this part of the document, e.g. `["data"]["password"]`. */
  readonly extract: ExtractPath | undefined;
  /** Accept a file whose MAC does not verify. Values must still authenticate. */
  readonly ignoreMac: boolean;
  readonly keys: KeyConfig;
}

export type Config = DecryptConfig;

/** Reads one input; returns '' when it is not set (like `core.getInput`). */
export type InputReader = (name: string) => string;

const COMMANDS = ['decrypt'] as const;

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseBoolean(read: InputReader, name: string): boolean {
  const value = read(name).trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new UserError('USAGE', `${name} is "${value}"; expected true or false`);
}

function parseKeys(read: InputReader, env: Readonly<Record<string, string | undefined>>): KeyConfig {
  const ageKey = read('age-key');
  const pgpKey = read('pgp-key');
  const order = optional(read('decryption-order') || (env['SOPS_DECRYPTION_ORDER'] ?? ''));
  return {
    ageKeyFiles: lines(read('age-key-file')),
    ageKeys: ageKey.trim() === '' ? [] : [ageKey],
    pgpKeyFiles: lines(read('pgp-key-file')),
    pgpKeys: pgpKey.trim() === '' ? [] : [pgpKey],
    pgpPassphrase: read('pgp-passphrase') === '' ? undefined : read('pgp-passphrase'),
    decryptionOrder: order === undefined ? undefined : order.split(',').map((s) => s.trim()),
    vaultAllowedAddresses: lines(read('vault-allowed-addresses')),
    awsAllowedAccounts: lines(read('aws-allowed-accounts')),
    awsAllowedKeys: lines(read('aws-allowed-keys')),
    awsAllowedRoles: lines(read('aws-allowed-roles')),
    env,
  };
}

/** How the shell presents stdout. */
export interface ShellOptions {
  /** In the Action, stdout is the job log: plaintext must go to a file instead. */
  readonly stdoutIsLog: boolean;
}

/** Builds the Config; every validation error names the input and the expected value. */
export function parseConfig(
  read: InputReader,
  env: Readonly<Record<string, string | undefined>>,
  shell: ShellOptions = { stdoutIsLog: false },
): Config {
  const command = read('command').trim();
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UserError('USAGE', command === '' ? 'no command given' : `unknown command "${command}"`, {
      hint: `use one of: ${COMMANDS.join(', ')}`,
    });
  }
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
  if (output === undefined && shell.stdoutIsLog) {
    throw new UserError(
      'USAGE',
      'decrypt needs the output input in the Action, so plaintext never reaches the job log',
      {
        hint: 'set output: to a file path, e.g. ${{ runner.temp }}/secret.yaml',
      },
    );
  }
  return {
    command: 'decrypt',
    file,
    inputType: inputType === undefined ? undefined : parseFormat(inputType, '--input-type'),
    outputType: outputType === undefined ? undefined : parseFormat(outputType, '--output-type'),
    output,
    extract: extract === undefined ? undefined : parseExtractPath(extract),
    ignoreMac: parseBoolean(read, 'ignore-mac'),
    keys: parseKeys(read, env),
  };
}
