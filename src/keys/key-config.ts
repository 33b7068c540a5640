/**
 * The typed key configuration the key sources are built from: what config/keys.ts reads from
 * the inputs (and the decryption Secret), held here so that keys/ imports nothing above it.
 */
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
