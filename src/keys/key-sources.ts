/**
 * All key sources for one run, built from the Config: local ones (age, OpenPGP) first, then
 * the cloud ones. Each source decides for itself whether a stanza is its own.
 *
 * Cloud sources are loaded lazily: their module is imported on the first stanza of their
 * type, so an age-only run never loads KMS, Vault, GCP or Azure code. They share one paced
 * HTTP client (bounded concurrency, throttling retries), one GitHub OIDC token provider, and
 * a cache of unwrapped data keys per ciphertext, so many files naming the same encrypted data
 * key (one `sops` invocation per file, same key) cost one call.
 */
import { homedir } from 'node:os';
import { UserError } from '../errors.ts';
import type { KeyConfig } from './key-config.ts';
import { createIdTokenProvider, type IdTokenProvider } from './id-token.ts';
import type { Exec } from '../ports.ts';
import type { Host } from '../ports.ts';
import { parseAzureAllowedVaults, parseGcpAllowedKeys } from './cloud-allowlists.ts';
import { buildVaultPolicy, parseAwsPolicy } from './endpoint-policy.ts';
import type { KeySource } from './key-source.ts';
import { buildLocalKeySources } from './local-keys.ts';
import type { KeyRecipient, MasterKey } from './master-key.ts';
import { createPacedFetch } from './paced-fetch.ts';
import type { FetchLike, Mask } from '../ports.ts';

export interface KeySourceDeps {
  readonly host: Host;
  readonly exec: Exec;
  /** The HTTP client for cloud sources; tests inject it. Paced either way. */
  readonly fetch?: FetchLike;
  /** Requests in flight at most across all cloud sources; default 16. */
  readonly concurrency?: number;
}

/** The stanza without its timestamp: two stanzas that unwrap alike share one cache entry. */
function cacheKeyOf(key: MasterKey): string {
  return JSON.stringify(Object.entries(key).filter(([name]) => name !== 'createdAt'));
}

/**
 * A source whose module is imported on first use. Until then its locations come from the
 * configuration; afterwards, from the loaded source (the report is built after decrypting).
 */
export function lazyKeySource(
  name: MasterKey['type'],
  locations: readonly string[],
  load: () => Promise<KeySource>,
  dataKeys: Map<string, Promise<Uint8Array | null>>,
): KeySource {
  let loaded: Promise<KeySource> | undefined;
  let ready: KeySource | undefined;
  return {
    name,
    get locations(): readonly string[] {
      return ready?.locations ?? locations;
    },
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== name) return null;
      const cacheKey = cacheKeyOf(key);
      let pending = dataKeys.get(cacheKey);
      if (pending === undefined) {
        pending = (async () => {
          loaded ??= load();
          ready = await loaded;
          return ready.decrypt(key);
        })();
        dataKeys.set(cacheKey, pending);
        // Failures are not cached: a later file may succeed (throttling, a fixed trust policy).
        pending.catch(() => dataKeys.delete(cacheKey));
      }
      const value = await pending;
      // Each caller gets its own copy: callers may wipe the data key when done.
      return value === null ? null : new Uint8Array(value);
    },
    async encrypt(key: KeyRecipient, plaintext: Uint8Array): Promise<string> {
      loaded ??= load();
      ready = await loaded;
      if (ready.encrypt === undefined) {
        throw new UserError('UNSUPPORTED', `encrypt cannot wrap a data key for ${name} keys yet`);
      }
      return ready.encrypt(key, plaintext);
    },
    async pin(key: KeyRecipient): Promise<KeyRecipient> {
      loaded ??= load();
      ready = await loaded;
      return ready.pin === undefined ? key : ready.pin(key);
    },
  };
}

/** Masks credentials from the environment at once, before any cloud module is loaded. */
function maskEnvironmentSecrets(config: KeyConfig, mask: Mask): void {
  for (const name of [
    'VAULT_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'GOOGLE_OAUTH_ACCESS_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PASSWORD',
    'IDENTITY_HEADER',
  ]) {
    const value = config.env[name]?.trim();
    if (value !== undefined && value !== '') mask(value);
  }
  if (config.vaultToken !== undefined) mask(config.vaultToken);
  // The decryption Secret's cloud credentials (masked by the Action already; again for other callers).
  const { aws, azure, gcp } = config.staticCredentials;
  if (aws !== undefined) {
    mask(aws.secretAccessKey);
    if (aws.sessionToken !== undefined) mask(aws.sessionToken);
  }
  if (azure?.kind === 'client-secret') mask(azure.clientSecret);
  if (azure?.kind === 'client-certificate') {
    mask(azure.certificate);
    if (azure.certificatePassword !== undefined) mask(azure.certificatePassword);
  }
  if (gcp !== undefined) mask(gcp.json);
}

/** What the cloud sources of one run share. */
interface SharedCloud {
  readonly mask: Mask;
  readonly fetchFn: FetchLike;
  readonly idToken: IdTokenProvider;
  readonly dataKeys: Map<string, Promise<Uint8Array | null>>;
  readonly awsPolicy: ReturnType<typeof parseAwsPolicy>;
  readonly vaultPolicy: ReturnType<typeof buildVaultPolicy>;
  readonly gcpAllowedKeys: ReturnType<typeof parseGcpAllowedKeys>;
  readonly azureAllowedVaults: ReturnType<typeof parseAzureAllowedVaults>;
}

/** AWS KMS: the OIDC role, else the decryption Secret's keys, else the ambient chain. */
function awsKeySource(config: KeyConfig, shared: SharedCloud): KeySource {
  const { mask, fetchFn, idToken, dataKeys, awsPolicy } = shared;
  const staticAws = config.staticCredentials.aws;
  return lazyKeySource(
    'kms',
    [
      config.awsRoleArn !== undefined
        ? `github oidc role ${config.awsRoleArn}`
        : staticAws !== undefined
          ? 'aws keys from decryption-secret (sops.aws-kms)'
          : 'aws credentials from the environment, shared profiles, container or instance metadata',
    ],
    async () => {
      const { createAwsKmsKeySource } = await import('./aws-kms.ts');
      // Precedence: the OIDC inputs, then the decryption Secret's keys, then the ambient chain.
      if (config.awsRoleArn === undefined && staticAws !== undefined) {
        const { accessKeyId, secretAccessKey, sessionToken } = staticAws;
        const credentials = {
          accessKeyId,
          secretAccessKey,
          ...(sessionToken === undefined ? {} : { sessionToken }),
        };
        return createAwsKmsKeySource({
          env: config.env,
          policy: awsPolicy,
          mask,
          fetch: fetchFn,
          credentialsProvider: () => Promise.resolve({ credentials, from: 'decryption-secret sops.aws-kms' }),
          credentialsProviderLocation: `decryption-secret sops.aws-kms (access key ${accessKeyId})`,
        });
      }
      if (config.awsRoleArn === undefined) {
        return createAwsKmsKeySource({ env: config.env, policy: awsPolicy, mask, fetch: fetchFn });
      }
      const { createAwsWebIdentityCredentials } = await import('./aws-oidc.ts');
      return createAwsKmsKeySource({
        env: config.env,
        policy: awsPolicy,
        mask,
        fetch: fetchFn,
        credentialsProvider: createAwsWebIdentityCredentials({
          roleArn: config.awsRoleArn,
          region: config.awsRegion,
          sessionDurationSeconds: config.awsSessionDuration,
          env: config.env,
          idToken,
          mask,
          fetch: fetchFn,
        }),
        credentialsProviderLocation: `github oidc web identity: role ${config.awsRoleArn}${config.awsRegion === undefined ? '' : ` in ${config.awsRegion}`}`,
      });
    },
    dataKeys,
  );
}

/** Vault: the JWT login with the OIDC token, else a token (input, Secret, VAULT_TOKEN). */
function vaultKeySource(config: KeyConfig, shared: SharedCloud): KeySource {
  const { mask, fetchFn, idToken, dataKeys, vaultPolicy } = shared;
  const cloudEnv =
    config.vaultToken === undefined ? config.env : { ...config.env, VAULT_TOKEN: config.vaultToken };
  return lazyKeySource(
    'hc_vault',
    [
      config.vaultRole === undefined
        ? 'vault token from the environment'
        : `github oidc jwt login with role ${config.vaultRole}`,
    ],
    async () => {
      const { createVaultKeySource } = await import('./vault.ts');
      return createVaultKeySource({
        env: cloudEnv,
        policy: vaultPolicy,
        mask,
        fetch: fetchFn,
        namespace: config.vaultNamespace,
        jwtLogin:
          config.vaultRole === undefined
            ? undefined
            : {
                role: config.vaultRole,
                authPath: config.vaultAuthPath,
                audience: config.vaultAudience,
                idToken,
              },
      });
    },
    dataKeys,
  );
}

/** GCP KMS, with the decryption Secret's credentials JSON after the OIDC inputs. */
function gcpKeySource(config: KeyConfig, shared: SharedCloud): KeySource {
  const { mask, fetchFn, idToken, dataKeys, gcpAllowedKeys } = shared;
  return lazyKeySource(
    'gcp_kms',
    [
      `gcp workload identity provider: ${config.gcpWorkloadIdentityProvider ?? 'not set'}`,
      ...(config.staticCredentials.gcp === undefined
        ? []
        : ['gcp credentials from decryption-secret (sops.gcp-kms)']),
    ],
    async () => {
      const { createGcpKmsKeySource } = await import('./gcp-kms.ts');
      return createGcpKmsKeySource({
        env: config.env,
        mask,
        workloadIdentityProvider: config.gcpWorkloadIdentityProvider,
        serviceAccount: config.gcpServiceAccount,
        allowedKeys: gcpAllowedKeys,
        staticCredentialsJson: config.staticCredentials.gcp?.json,
        idToken,
        fetch: fetchFn,
      });
    },
    dataKeys,
  );
}

/** Azure Key Vault, with the decryption Secret's credentials after the OIDC inputs. */
function azureKeySource(config: KeyConfig, shared: SharedCloud): KeySource {
  const { mask, fetchFn, idToken, dataKeys, azureAllowedVaults } = shared;
  return lazyKeySource(
    'azure_kv',
    [
      `azure client ${config.azureClientId ?? 'not set'}`,
      ...(config.staticCredentials.azure === undefined
        ? []
        : ['azure credentials from decryption-secret (sops.azure-kv)']),
    ],
    async () => {
      const { createAzureKvKeySource } = await import('./azure-kv.ts');
      return createAzureKvKeySource({
        env: config.env,
        mask,
        clientId: config.azureClientId,
        tenantId: config.azureTenantId,
        allowedVaults: azureAllowedVaults,
        staticCredentials: config.staticCredentials.azure,
        idToken,
        fetch: fetchFn,
      });
    },
    dataKeys,
  );
}

export async function createKeySources(config: KeyConfig, deps: KeySourceDeps): Promise<KeySource[]> {
  const mask = (value: string): void => deps.host.setSecret(value);
  for (const key of config.ageKeys) mask(key);
  maskEnvironmentSecrets(config, mask);
  const local = await buildLocalKeySources({
    ageKeyFiles: config.ageKeyFiles,
    ageKeys: config.ageKeys,
    pgpKeyFiles: config.pgpKeyFiles,
    pgpKeys: config.pgpKeys,
    ...(config.pgpPassphrase === undefined ? {} : { pgpPassphrase: config.pgpPassphrase }),
    env: config.env,
    homeDir: config.env['HOME'] ?? homedir(),
    exec: deps.exec,
    mask,
  });
  // Policies are validated before any key is tried, so a typo in them fails the run at once.
  const awsPolicy = parseAwsPolicy({
    accounts: config.awsAllowedAccounts,
    keys: config.awsAllowedKeys,
    roles: config.awsAllowedRoles,
  });
  const vaultPolicy = buildVaultPolicy({ allowedAddresses: config.vaultAllowedAddresses, env: config.env });
  const gcpAllowedKeys = parseGcpAllowedKeys(config.gcpAllowedKeys);
  const azureAllowedVaults = parseAzureAllowedVaults(config.azureAllowedVaults);

  const fetchFn = createPacedFetch(deps.fetch ?? fetch, {
    ...(deps.concurrency === undefined ? {} : { concurrency: deps.concurrency }),
  });
  const idToken: IdTokenProvider = createIdTokenProvider({ env: config.env, mask, fetch: fetchFn });
  const dataKeys = new Map<string, Promise<Uint8Array | null>>();
  const shared: SharedCloud = {
    mask,
    fetchFn,
    idToken,
    dataKeys,
    awsPolicy,
    vaultPolicy,
    gcpAllowedKeys,
    azureAllowedVaults,
  };

  return [
    ...local,
    awsKeySource(config, shared),
    vaultKeySource(config, shared),
    gcpKeySource(config, shared),
    azureKeySource(config, shared),
  ];
}
