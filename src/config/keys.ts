/** The key inputs every command that decrypts shares (age, OpenPGP, cloud allowlists). */
import { UserError } from '../errors.ts';
import { lines, optional, type InputReader } from './inputs.ts';
import { isRecord } from '../is-record.ts';
import type { Env } from '../ports.ts';

/** Static AWS keys, from Flux's `sops.aws-kms` (a credentials-file-like YAML). */
export interface AwsStaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Azure credentials from Flux's `sops.azure-kv`, in the order Flux's `TokenFromAADConfig`
 * picks them: a client secret, a client certificate (PEM), or, with only `clientId`, a
 * user-assigned managed identity.
 */
export type AzureStaticCredentials =
  | {
      readonly kind: 'client-secret';
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly authorityHost?: string;
    }
  | {
      readonly kind: 'client-certificate';
      readonly tenantId: string;
      readonly clientId: string;
      /** PEM text holding the certificate (chain) and its private key. */
      readonly certificate: string;
      readonly certificatePassword?: string;
      /** Send the chain as `x5c` (Flux's `clientCertificateSendChain`, for subject-name/issuer auth). */
      readonly sendChain: boolean;
      readonly authorityHost?: string;
    }
  | { readonly kind: 'managed-identity'; readonly clientId: string };

/** Credentials a run was handed as values (the decryption Secret), never as files on disk. */
export interface StaticCloudCredentials {
  readonly aws?: AwsStaticCredentials;
  readonly azure?: AzureStaticCredentials;
  /** A Google credentials JSON (Flux's `sops.gcp-kms`): service_account, authorized_user or external_account. */
  readonly gcp?: { readonly json: string };
}

/**
 * The reader name under which the Action hands the decryption Secret's cloud credentials to
 * {@link parseKeys} (src/github/action-run.ts). It is not an input of action.yml nor a CLI flag.
 */
export const STATIC_CREDENTIALS_INPUT = 'decryption-secret-credentials';

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
  /**
   * IAM role to assume with the job's GitHub OIDC token (`aws-role-arn`). Set, it is the KMS
   * source's credentials; unset, the environment and shared credentials file are used.
   */
  readonly awsRoleArn: string | undefined;
  /** STS region for `aws-role-arn` (`aws-region`); default: each key ARN's region. */
  readonly awsRegion: string | undefined;
  /** Lifetime of the web-identity session in seconds (`aws-session-duration`, 900 to 43200). */
  readonly awsSessionDuration: number | undefined;
  /** `projects/N/locations/global/workloadIdentityPools/P/providers/Q` (`gcp-workload-identity-provider`). */
  readonly gcpWorkloadIdentityProvider: string | undefined;
  /** Service account to impersonate after the exchange (`gcp-service-account`). */
  readonly gcpServiceAccount: string | undefined;
  /**
   * GCP KMS key patterns files may use (`gcp-allowed-keys`; `*` one segment, `**` any).
   * Empty allows any key: the endpoint is fixed, so a file can only pick a key, and IAM decides.
   */
  readonly gcpAllowedKeys: readonly string[];
  /** App registration (client) id with a GitHub federated credential (`azure-client-id`). */
  readonly azureClientId: string | undefined;
  /** Entra tenant id (`azure-tenant-id`). */
  readonly azureTenantId: string | undefined;
  /**
   * Key Vault URLs files may send our Azure token to (`azure-allowed-vaults`). Empty allows
   * none: the vault URL comes from the file, and the token would go wherever it points.
   */
  readonly azureAllowedVaults: readonly string[];
  /** Vault JWT auth role to log in to with the GitHub OIDC token (`vault-role`). */
  readonly vaultRole: string | undefined;
  /** Mount of the JWT auth method (`vault-auth-path`, default `jwt`). */
  readonly vaultAuthPath: string;
  /** Audience of the ID token for Vault (`vault-audience`); GitHub's default when unset. */
  readonly vaultAudience: string | undefined;
  /** Vault Enterprise namespace (`vault-namespace`); wins over VAULT_NAMESPACE. */
  readonly vaultNamespace: string | undefined;
  /** A Vault token given as an input (`vault-token`, a secret); wins over VAULT_TOKEN. */
  readonly vaultToken: string | undefined;
  /**
   * Cloud credentials from the decryption Secret (`sops.aws-kms`, `sops.azure-kv`,
   * `sops.gcp-kms`). They come after the OIDC inputs and before the ambient chains, and the
   * allowlists apply to them as to any credentials.
   */
  readonly staticCredentials: StaticCloudCredentials;
  /** The process environment, for sops's variables (SOPS_AGE_KEY, VAULT_TOKEN, AWS_*...). */
  readonly env: Env;
}

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

const text = (record: Record<string, unknown>, name: string): string | undefined =>
  typeof record[name] === 'string' && record[name] !== '' ? record[name] : undefined;

/** Reads what the Action serialized (decryption-secret.ts built it); the shape is checked anyway. */
function parseStaticCredentials(value: string): StaticCloudCredentials {
  if (value.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const bad = (): UserError =>
    new UserError('USAGE', 'decryption-secret: the cloud credentials could not be read back; this is a bug');
  if (!isRecord(parsed)) throw bad();
  const out: { aws?: AwsStaticCredentials; azure?: AzureStaticCredentials; gcp?: { json: string } } = {};
  const aws = parsed['aws'];
  if (aws !== undefined) {
    if (!isRecord(aws)) throw bad();
    const accessKeyId = text(aws, 'accessKeyId');
    const secretAccessKey = text(aws, 'secretAccessKey');
    const sessionToken = text(aws, 'sessionToken');
    if (accessKeyId === undefined || secretAccessKey === undefined) throw bad();
    out.aws = { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  }
  const azure = parsed['azure'];
  if (azure !== undefined) {
    if (!isRecord(azure)) throw bad();
    const clientId = text(azure, 'clientId');
    const tenantId = text(azure, 'tenantId');
    const authorityHost = text(azure, 'authorityHost');
    const authority = authorityHost === undefined ? {} : { authorityHost };
    const kind = azure['kind'];
    if (clientId === undefined) throw bad();
    if (kind === 'managed-identity') out.azure = { kind, clientId };
    else if (kind === 'client-secret') {
      const clientSecret = text(azure, 'clientSecret');
      if (tenantId === undefined || clientSecret === undefined) throw bad();
      out.azure = { kind, tenantId, clientId, clientSecret, ...authority };
    } else if (kind === 'client-certificate') {
      const certificate = text(azure, 'certificate');
      const certificatePassword = text(azure, 'certificatePassword');
      if (tenantId === undefined || certificate === undefined) throw bad();
      out.azure = {
        kind,
        tenantId,
        clientId,
        certificate,
        ...(certificatePassword === undefined ? {} : { certificatePassword }),
        sendChain: azure['sendChain'] === true,
        ...authority,
      };
    } else throw bad();
  }
  const gcp = parsed['gcp'];
  if (gcp !== undefined) {
    const json = isRecord(gcp) ? text(gcp, 'json') : undefined;
    if (json === undefined) throw bad();
    out.gcp = { json };
  }
  return out;
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

/** Reads the key inputs. Secrets given as text (age-key, pgp-key) are masked by the key sources. */
export function parseKeys(read: InputReader, env: Env): KeyConfig {
  const ageKey = read('age-key');
  const pgpKey = read('pgp-key');
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
    ageKeys: ageKey.trim() === '' ? [] : [ageKey],
    pgpKeyFiles: lines(read('pgp-key-file')),
    pgpKeys: pgpKey.trim() === '' ? [] : [pgpKey],
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
    vaultToken: optional(read('vault-token')),
    staticCredentials: parseStaticCredentials(read(STATIC_CREDENTIALS_INPUT)),
    env,
  };
}
