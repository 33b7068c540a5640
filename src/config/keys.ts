/**
 * The key inputs every command that decrypts shares (age, OpenPGP, Vault, cloud OIDC and
 * allowlists), and the Action's `decryption-secret`, merged into one readonly KeyConfig: the
 * Secret's age and OpenPGP keys join the `age-key` and `pgp-key` inputs, its Vault token
 * stands in for an empty `vault-token`, and its cloud entries become the static credentials
 * (after the OIDC inputs, before the ambient chains, as the key sources apply them).
 */
import { UserError } from '../errors.ts';
import type { KeyConfig } from '../keys/key-config.ts';
import type { Env } from '../ports.ts';
import {
  describeDecryptionSecret,
  parseDecryptionSecret,
  type DecryptionSecretKeys,
} from './decryption-secret.ts';
import { lines, optional, type InputReader, type ShellOptions } from './inputs.ts';

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function parseSessionDuration(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 900 || seconds > 43_200) {
    throw new UserError(
      'USAGE',
      `aws-session-duration is "${text}"; expected whole seconds from 900 to 43200`,
    );
  }
  return seconds;
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
  'aws-role-arn': { type: 'string' },
  'aws-region': { type: 'string' },
  'aws-session-duration': { type: 'string' },
  'gcp-workload-identity-provider': { type: 'string' },
  'gcp-service-account': { type: 'string' },
  'gcp-allowed-keys': { type: 'string', multiple: true },
  'azure-client-id': { type: 'string' },
  'azure-tenant-id': { type: 'string' },
  'azure-allowed-vaults': { type: 'string', multiple: true },
  'vault-role': { type: 'string' },
  'vault-auth-path': { type: 'string' },
  'vault-audience': { type: 'string' },
  'vault-namespace': { type: 'string' },
} as const;

/** Key texts given inline: the input (when not blank) and then the Secret's, as one text. */
function joinedKeys(input: string, fromSecret: readonly string[]): string[] {
  const texts = [input, ...fromSecret].filter((k) => k.trim() !== '');
  return texts.length === 0 ? [] : [texts.join('\n')];
}

/** The `decryption-secret` input, parsed (masked through the shell) and logged; undefined when empty. */
function readDecryptionSecret(read: InputReader, shell: ShellOptions): DecryptionSecretKeys | undefined {
  const text = read('decryption-secret');
  if (text.trim() === '') return undefined;
  const keys = parseDecryptionSecret(text, (value) => shell.mask?.(value));
  shell.info?.(describeDecryptionSecret(keys));
  return keys;
}

/**
 * Reads the key inputs. Secrets given as text (age-key, pgp-key) are masked by the key
 * sources; the decryption Secret's values are masked through `shell.mask` as they are parsed.
 */
export function parseKeys(
  read: InputReader,
  env: Env,
  shell: ShellOptions = { stdoutIsLog: false },
): KeyConfig {
  const secret = readDecryptionSecret(read, shell);
  const order = optional(read('decryption-order') || (env['SOPS_DECRYPTION_ORDER'] ?? ''));
  const awsRoleArn = optional(read('aws-role-arn'));
  if (awsRoleArn !== undefined && !ROLE_ARN_RE.test(awsRoleArn)) {
    throw new UserError(
      'USAGE',
      `aws-role-arn is "${awsRoleArn}"; expected arn:aws:iam::<account>:role/<name>`,
    );
  }
  const awsRegion = optional(read('aws-region'));
  if (awsRegion !== undefined && !REGION_RE.test(awsRegion)) {
    throw new UserError('USAGE', `aws-region is "${awsRegion}"; expected a region such as us-east-1`);
  }
  const vaultAuthPath = optional(read('vault-auth-path')) ?? 'jwt';
  return {
    ageKeyFiles: lines(read('age-key-file')),
    ageKeys: joinedKeys(read('age-key'), secret?.ageKeys ?? []),
    pgpKeyFiles: lines(read('pgp-key-file')),
    pgpKeys: joinedKeys(read('pgp-key'), secret?.pgpKeys ?? []),
    pgpPassphrase: read('pgp-passphrase') === '' ? undefined : read('pgp-passphrase'),
    decryptionOrder: order === undefined ? undefined : order.split(',').map((s) => s.trim()),
    vaultAllowedAddresses: lines(read('vault-allowed-addresses')),
    awsAllowedAccounts: lines(read('aws-allowed-accounts')),
    awsAllowedKeys: lines(read('aws-allowed-keys')),
    awsAllowedRoles: lines(read('aws-allowed-roles')),
    awsRoleArn,
    awsRegion,
    awsSessionDuration: parseSessionDuration(read('aws-session-duration')),
    gcpWorkloadIdentityProvider: optional(read('gcp-workload-identity-provider')),
    gcpServiceAccount: optional(read('gcp-service-account')),
    gcpAllowedKeys: lines(read('gcp-allowed-keys')),
    azureClientId: optional(read('azure-client-id')),
    azureTenantId: optional(read('azure-tenant-id')),
    azureAllowedVaults: lines(read('azure-allowed-vaults')),
    vaultRole: optional(read('vault-role')),
    // Mount paths have no leading or trailing slash in Vault's API paths.
    vaultAuthPath: vaultAuthPath.replace(/^\/+|\/+$/g, ''),
    vaultAudience: optional(read('vault-audience')),
    vaultNamespace: optional(read('vault-namespace')),
    // The input wins over the Secret's `sops.vault-token`.
    vaultToken: optional(read('vault-token')) ?? secret?.vaultToken,
    staticCredentials: secret?.cloud ?? {},
    env,
  };
}
