/**
 * Azure credentials without the GitHub OIDC inputs, in the order of the Azure SDKs'
 * DefaultAzureCredential (minus the developer-tool links), after the decryption Secret:
 *
 * 1. the decryption Secret's `sops.azure-kv` (Flux's AADConfig: client secret, client
 *    certificate, or a user-assigned managed identity by client id);
 * 2. the environment: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` with `AZURE_CLIENT_SECRET`, or
 *    `AZURE_CLIENT_CERTIFICATE_PATH` (PEM; `AZURE_CLIENT_CERTIFICATE_PASSWORD` for an encrypted
 *    key), or `AZURE_FEDERATED_TOKEN_FILE` (workload identity; read again for every exchange,
 *    since the kubelet rotates it);
 * 3. managed identity: `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (App Service, Functions,
 *    Arc), else the instance metadata service at 169.254.169.254 with `Metadata: true`, for
 *    a self-hosted runner on an Azure VM. `AZURE_POD_IDENTITY_AUTHORITY_HOST` (the SDKs'
 *    variable) moves the IMDS address; tests point it at the double. Its timeout is short, so
 *    a runner with no IMDS loses about a second once.
 *
 * Each link is its own module (azure-static-credential.ts, azure-environment-credential.ts,
 * azure-managed-identity.ts; client assertions in azure-client-assertion.ts); this one picks
 * the first configured link and remembers an absent managed identity.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import {
  envValue,
  type AzureAccessToken,
  type AzureCredential,
  type AzureSourceContext,
  type Env,
} from './azure-credential-source.ts';
import { azureEnvironmentCredential } from './azure-environment-credential.ts';
import { AzureManagedIdentity } from './azure-managed-identity.ts';
import { azureStaticCredential } from './azure-static-credential.ts';
import type { AzureStaticCredentials } from './key-config.ts';
import type { FetchLike, Mask } from '../ports.ts';

export {
  azureError,
  entraTokenUrl,
  KEY_VAULT_SCOPE,
  type AzureAccessToken,
} from './azure-credential-source.ts';
export {
  parseClientCertificate,
  signClientAssertion,
  type ClientCertificate,
} from './azure-client-assertion.ts';

export interface AzureCredentialOptions {
  readonly env: Env;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  /** Managed identity calls; default 1 s (IMDS) as the SDKs' probe. */
  readonly metadataTimeoutMs?: number;
  readonly staticCredentials?: AzureStaticCredentials | undefined;
  readonly readFile?: (file: string) => Promise<string>;
}

/** The chain of non-OIDC credentials: the first configured link is used. */
export interface AzureCredentialChain {
  getToken(): Promise<AzureAccessToken>;
  readonly locations: readonly string[];
}

/** The first configured link: the decryption Secret, the environment, else managed identity. */
function selectCredential(
  context: AzureSourceContext,
  fixed: AzureStaticCredentials | undefined,
): AzureCredential {
  if (fixed !== undefined) return azureStaticCredential(context, fixed);
  const fromEnv = azureEnvironmentCredential(context);
  if (fromEnv !== undefined) return fromEnv;
  // Without a tenant, AZURE_CLIENT_ID names a user-assigned managed identity (the SDKs' rule).
  return new AzureManagedIdentity(context, envValue(context.env, 'AZURE_CLIENT_ID'));
}

/** Builds the chain from the static credentials and the environment. */
export function createAzureCredentialChain(options: AzureCredentialOptions): AzureCredentialChain {
  const context: AzureSourceContext = {
    env: options.env,
    mask: options.mask,
    fetch: options.fetch,
    now: options.now,
    timeoutMs: options.timeoutMs,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1000,
    readFile: options.readFile ?? ((file: string) => fsReadFile(file, 'utf8')),
  };
  const selected = selectCredential(context, options.staticCredentials);
  const lastLink = selected instanceof AzureManagedIdentity && options.staticCredentials === undefined;
  // An absent managed identity is remembered: every key would wait for the timeout again.
  let unreachable: UserError | undefined;
  return {
    locations: [selected.location],
    getToken: async () => {
      if (unreachable !== undefined) throw unreachable;
      try {
        return await selected.getToken();
      } catch (error) {
        // Managed identity is the last link: when it is not there, say what would have worked.
        if (lastLink && error instanceof UserError && /cannot reach|no answer/.test(error.message)) {
          unreachable = new UserError(
            'KEY_SOURCE',
            `no azure credentials: set azure-client-id and azure-tenant-id (GitHub OIDC), sops.azure-kv in decryption-secret, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/AZURE_CLIENT_CERTIFICATE_PATH/AZURE_FEDERATED_TOKEN_FILE; tried ${error.message}`,
          );
          throw unreachable;
        }
        throw error;
      }
    },
  };
}
