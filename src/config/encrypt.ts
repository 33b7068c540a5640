/** Inputs of `encrypt FILE`. */
import { UserError } from '../errors.ts';
import type { KeyConfig } from '../keys/key-config.ts';
import type { Env } from '../ports.ts';
import { parseFormat } from '../sops/format-names.ts';
import type { Selection } from '../sops/metadata.ts';
import type { Format } from '../sops/tree.ts';
import { lines, optional, parseBoolean, parseIndent, type InputReader, type ShellOptions } from './inputs.ts';
import { keyFlags, parseKeys } from './keys.ts';

/** `encrypt FILE`: the same file as `sops -e`, by the `.sops.yaml` creation rules or flags. */
export interface EncryptConfig {
  readonly command: 'encrypt';
  /** The plaintext file to encrypt; `-` reads stdin (then `filenameOverride` is required, as in sops). */
  readonly file: string;
  /**
   * `--filename-override`: the name the creation rules are matched against and the formats
   * guessed from, instead of FILE's (sops's flag; required when FILE is `-`).
   */
  readonly filenameOverride: string | undefined;
  /**
   * `--indent`: spaces per level for YAML and JSON output, over the `.sops.yaml` `stores`
   * indents (sops's global flag: 0 keeps YAML's 4 and makes JSON unindented, -1 tabs in JSON).
   */
  readonly indent: number | undefined;
  /** Overrides the format guessed from the file name (sops's --input-type). */
  readonly inputType: Format | undefined;
  /** Output format; defaults to the input format (sops's --output-type). */
  readonly outputType: Format | undefined;
  /** Write the encrypted file here instead of stdout. */
  readonly output: string | undefined;
  /** Replace FILE with its encrypted form, atomically, once it decrypts back to the input. */
  readonly inPlace: boolean;
  /** The `.sops.yaml` to use; undefined looks for one from the current folder up, as sops does. */
  readonly sopsConfig: string | undefined;
  /** age recipients (`--age`); any key flag replaces the creation rule's keys, as in sops. */
  readonly age: readonly string[];
  /** OpenPGP fingerprints (`--pgp`). */
  readonly pgp: readonly string[];
  /** Vault transit key URLs (`--hc-vault-transit`). */
  readonly hcVaultTransit: readonly string[];
  /** AWS KMS key ARNs, `arn[+roleArn]` (`--kms`). */
  readonly kms: readonly string[];
  /** GCP KMS key resource IDs (`--gcp-kms`). */
  readonly gcpKms: readonly string[];
  /** Azure Key Vault key URLs, `https://<vault>/keys/<name>[/<version>]` (`--azure-kv`). */
  readonly azureKv: readonly string[];
  /** `--encryption-context k:v,…` for the kms keys of the flags and of a rule's flat `kms`. */
  readonly encryptionContext: Readonly<Record<string, string>>;
  /** `--shamir-secret-sharing-threshold`; undefined keeps the rule's. */
  readonly shamirThreshold: number | undefined;
  /** The selection option given as a flag; it wins over the rule's. */
  readonly selection: Selection | undefined;
  /** `--mac-only-encrypted`: true wins over the rule; false leaves the rule's value. */
  readonly macOnlyEncrypted: boolean;
  /** For the pgp key files (public keys), the Vault token and the cloud credentials. */
  readonly keys: KeyConfig;
}

const SELECTION_FLAGS = [
  ['encrypted-regex', 'encrypted_regex'],
  ['unencrypted-regex', 'unencrypted_regex'],
  ['encrypted-suffix', 'encrypted_suffix'],
  ['unencrypted-suffix', 'unencrypted_suffix'],
  ['encrypted-comment-regex', 'encrypted_comment_regex'],
  ['unencrypted-comment-regex', 'unencrypted_comment_regex'],
] as const;

/** CLI flags of `encrypt` (names equal the Action inputs). */
export const encryptFlags = {
  ...keyFlags,
  'input-type': { type: 'string' },
  'output-type': { type: 'string' },
  output: { type: 'string' },
  'in-place': { type: 'boolean', short: 'i' },
  'filename-override': { type: 'string' },
  indent: { type: 'string' },
  config: { type: 'string' },
  age: { type: 'string', multiple: true },
  pgp: { type: 'string', multiple: true },
  'hc-vault-transit': { type: 'string', multiple: true },
  kms: { type: 'string', multiple: true },
  'gcp-kms': { type: 'string', multiple: true },
  'azure-kv': { type: 'string', multiple: true },
  'encryption-context': { type: 'string' },
  'shamir-secret-sharing-threshold': { type: 'string' },
  'encrypted-regex': { type: 'string' },
  'unencrypted-regex': { type: 'string' },
  'encrypted-suffix': { type: 'string' },
  'unencrypted-suffix': { type: 'string' },
  'encrypted-comment-regex': { type: 'string' },
  'unencrypted-comment-regex': { type: 'string' },
  'mac-only-encrypted': { type: 'boolean' },
} as const;

/** A multi-valued key input: one per line or comma-separated, as sops's flags take them. */
export function keyValues(read: InputReader, name: string): string[] {
  return lines(read(name)).flatMap((line) =>
    line
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

/** sops `ParseKMSContext` of a string: `key:value` pairs separated by commas. */
function parseEncryptionContext(text: string): Record<string, string> {
  const context: Record<string, string> = {};
  if (text === '') return context;
  for (const pair of text.split(',')) {
    const parts = pair.split(':');
    if (parts.length !== 2) {
      throw new UserError('USAGE', `encryption-context "${text}" is not key:value pairs separated by commas`);
    }
    context[parts[0] ?? ''] = parts[1] ?? '';
  }
  return context;
}

function parseThreshold(text: string): number | undefined {
  if (text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 255) {
    throw new UserError(
      'USAGE',
      `shamir-secret-sharing-threshold is "${text}"; expected a whole number from 1 to 255`,
    );
  }
  return Number(text);
}

/** Reads and validates the inputs of `encrypt`. */
export function parseEncryptConfig(read: InputReader, env: Env, shell: ShellOptions): EncryptConfig {
  const file = read('file').trim();
  if (file === '') throw new UserError('USAGE', 'encrypt needs a FILE (or - for stdin)');
  const output = optional(read('output'));
  const inPlace = parseBoolean(read, 'in-place');
  if (inPlace && output !== undefined) {
    throw new UserError('USAGE', 'in-place and output cannot be used together', {
      hint: 'in-place replaces FILE; output writes somewhere else',
    });
  }
  const filenameOverride = optional(read('filename-override'));
  if (file === '-' && inPlace) {
    throw new UserError('USAGE', 'in-place needs a file, not stdin', {
      hint: 'give the path of the file to encrypt in place, or use output',
    });
  }
  if (file === '-' && filenameOverride === undefined) {
    throw new UserError('USAGE', 'reading stdin needs --filename-override', {
      hint: 'the name the .sops.yaml creation rules are matched against and the format is guessed from, as in sops',
    });
  }
  const selected = SELECTION_FLAGS.flatMap(([flag, kind]): Selection[] => {
    const value = read(flag);
    return value === '' ? [] : [{ kind, value }];
  });
  if (selected.length > 1) {
    throw new UserError('USAGE', `cannot use more than one of ${selected.map((s) => s.kind).join(', ')}`, {
      hint: 'sops stores one selection option per file',
    });
  }
  const inputType = optional(read('input-type'));
  const outputType = optional(read('output-type'));
  return {
    command: 'encrypt',
    file,
    filenameOverride,
    indent: parseIndent(read),
    inputType: inputType === undefined ? undefined : parseFormat(inputType, '--input-type'),
    outputType: outputType === undefined ? undefined : parseFormat(outputType, '--output-type'),
    output,
    inPlace,
    sopsConfig: optional(read('config')) ?? optional(env['SOPS_CONFIG'] ?? ''),
    age: keyValues(read, 'age'),
    pgp: keyValues(read, 'pgp'),
    hcVaultTransit: keyValues(read, 'hc-vault-transit'),
    kms: keyValues(read, 'kms'),
    gcpKms: keyValues(read, 'gcp-kms'),
    azureKv: keyValues(read, 'azure-kv'),
    encryptionContext: parseEncryptionContext(read('encryption-context').trim()),
    shamirThreshold: parseThreshold(read('shamir-secret-sharing-threshold').trim()),
    selection: selected[0],
    macOnlyEncrypted: parseBoolean(read, 'mac-only-encrypted'),
    keys: parseKeys(read, env, shell),
  };
}
