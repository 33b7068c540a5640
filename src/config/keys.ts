/** The key inputs every command that decrypts shares (age, OpenPGP, cloud allowlists). */
import { lines, optional, type Env, type InputReader } from './inputs.ts';

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
  readonly env: Env;
}

/** The CLI flags for the key inputs (names equal the Action inputs). */
export const keyFlags = {
  'age-key-file': { type: 'string', multiple: true },
  'pgp-key-file': { type: 'string', multiple: true },
  'decryption-order': { type: 'string' },
  'vault-allowed-addresses': { type: 'string', multiple: true },
  'aws-allowed-accounts': { type: 'string', multiple: true },
  'aws-allowed-keys': { type: 'string', multiple: true },
  'aws-allowed-roles': { type: 'string', multiple: true },
} as const;

/** Reads the key inputs. Secrets given as text (age-key, pgp-key) are masked by the key sources. */
export function parseKeys(read: InputReader, env: Env): KeyConfig {
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
