/**
 * The GCP KMS key source, as sops 3.13's `gcpkms` package over REST: `POST
 * {endpoint}/v1/{resource_id}:decrypt` with `{"ciphertext": enc}` (enc is already standard
 * base64 of the ciphertext) and a bearer token; the answer's `plaintext` is the data key.
 *
 * Credentials, in order:
 * - `gcp-workload-identity-provider`: the job's GitHub OIDC token (audience
 *   `https://iam.googleapis.com/{provider}`, as google-github-actions/auth asks for) is
 *   exchanged at STS, then, with `gcp-service-account`, for that account's token through IAM
 *   Credentials `generateAccessToken`; otherwise the federated token is used directly.
 * - the decryption Secret's `sops.gcp-kms` credentials JSON (gcp-credentials.ts);
 * - `GOOGLE_CREDENTIALS` (sops's variable: a credentials JSON or a path to one);
 * - `GOOGLE_OAUTH_ACCESS_TOKEN` (sops's variable);
 * - Application Default Credentials: `GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's
 *   well-known file, else the GCE metadata server (a self-hosted runner on a GCE VM or GKE
 *   node; short timeout, a failure kept for the run). With `gcp-service-account`, the metadata
 *   server's token is exchanged for that account's through `generateAccessToken`, as the OIDC
 *   token is.
 *
 * Endpoints: `SOPS_GCP_KMS_ENDPOINT` (sops's variable), `KSD_GCP_STS_ENDPOINT` and
 * `KSD_GCP_IAM_ENDPOINT` (ours, for tests and private endpoints); Google's public hosts
 * otherwise. None comes from a file: the file only names the key, checked against
 * `gcp-allowed-keys` before any token exists.
 */
import { UserError } from '../errors.ts';
import type { IdTokenProvider } from './id-token.ts';
import { postApproved, sanitizeRemoteMessage } from './endpoint-policy.ts';
import { checkGcpKey } from './cloud-allowlists.ts';
import { GcpCredentialChain } from './gcp-credential-chain.ts';
import { gcpEndpoint, googleError, joinPath } from './gcp-credential-source.ts';
import type { KeySource } from './key-source.ts';
import type { KeyRecipient, MasterKey } from './master-key.ts';
import type { FetchLike, Mask } from '../ports.ts';

export interface GcpKmsKeySourceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mask: Mask;
  /** `gcp-workload-identity-provider`: `projects/N/locations/global/workloadIdentityPools/P/providers/Q`. */
  readonly workloadIdentityProvider?: string | undefined;
  /** `gcp-service-account` to impersonate after the exchange. */
  readonly serviceAccount?: string | undefined;
  /** `gcp-allowed-keys`: key resource patterns (`*` within a segment, `**` across); empty: any key. */
  readonly allowedKeys: readonly string[];
  /** The decryption Secret's `sops.gcp-kms` (a credentials JSON), used after the OIDC inputs. */
  readonly staticCredentialsJson?: string | undefined;
  readonly idToken: IdTokenProvider;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  /** The GCE metadata server's timeout; default 1 s, as the SDKs. */
  readonly metadataTimeoutMs?: number;
  readonly now?: () => number;
  /** Reads credentials files; tests inject it. */
  readonly readFile?: (file: string) => Promise<string>;
}

type GcpKey = Extract<MasterKey, { type: 'gcp_kms' }>;

/** Creates the `gcp_kms` source. */
export function createGcpKmsKeySource(options: GcpKmsKeySourceOptions): KeySource {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const chain = new GcpCredentialChain({
    env,
    mask,
    fetch: fetchFn,
    now: options.now ?? Date.now,
    timeoutMs,
    idToken: options.idToken,
    workloadIdentityProvider: options.workloadIdentityProvider,
    serviceAccount: options.serviceAccount,
    staticCredentialsJson: options.staticCredentialsJson,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1000,
    readFile: options.readFile,
  });

  async function decryptGcp(key: GcpKey): Promise<Uint8Array> {
    // The key is checked before any token exists, so a refused key costs no exchange.
    const check = checkGcpKey(options.allowedKeys, key.resourceId);
    if (!check.ok) throw new UserError('KEY_SOURCE', check.reason);
    if (key.enc === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(key.enc) || key.enc.length % 4 !== 0) {
      throw new UserError(
        'KEY_SOURCE',
        `gcp kms stanza for ${key.resourceId} has an enc value that is not base64`,
      );
    }
    const token = await chain.accessToken();
    const base = gcpEndpoint(env, 'SOPS_GCP_KMS_ENDPOINT', 'https://cloudkms.googleapis.com');
    const url = joinPath(base, `/v1/${key.resourceId}:decrypt`);
    const what = `gcp kms decrypt with ${key.resourceId}`;
    const body = JSON.stringify({ ciphertext: key.enc });
    const answer = await postApproved(
      fetchFn,
      url,
      { 'content-type': 'application/json', authorization: `Bearer ${token.value}` },
      body,
      what,
      timeoutMs,
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, key.enc]);
      throw new UserError(
        'KEY_SOURCE',
        `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`} (as ${token.from})`,
      );
    }
    let plaintext: unknown;
    try {
      plaintext = (JSON.parse(answer.body) as { plaintext?: unknown }).plaintext;
    } catch {
      throw new UserError('KEY_SOURCE', `${what}: the answer is not JSON`);
    }
    if (typeof plaintext !== 'string')
      throw new UserError('KEY_SOURCE', `${what}: the answer has no plaintext`);
    mask(plaintext);
    return new Uint8Array(Buffer.from(plaintext, 'base64'));
  }

  /** The wrap direction (sops `gcpkms.MasterKey.Encrypt`): `:encrypt`; `enc` is the ciphertext. */
  async function encryptGcp(resourceId: string, plaintext: Uint8Array): Promise<string> {
    const check = checkGcpKey(options.allowedKeys, resourceId);
    if (!check.ok) throw new UserError('KEY_SOURCE', check.reason);
    const token = await chain.accessToken();
    const base = gcpEndpoint(env, 'SOPS_GCP_KMS_ENDPOINT', 'https://cloudkms.googleapis.com');
    const url = joinPath(base, `/v1/${resourceId}:encrypt`);
    const what = `gcp kms encrypt with ${resourceId}`;
    const encoded = Buffer.from(plaintext).toString('base64');
    const answer = await postApproved(
      fetchFn,
      url,
      { 'content-type': 'application/json', authorization: `Bearer ${token.value}` },
      JSON.stringify({ plaintext: encoded }),
      what,
      timeoutMs,
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, encoded]);
      throw new UserError(
        'KEY_SOURCE',
        `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`} (as ${token.from})`,
      );
    }
    let ciphertext: unknown;
    try {
      ciphertext = (JSON.parse(answer.body) as { ciphertext?: unknown }).ciphertext;
    } catch {
      throw new UserError('KEY_SOURCE', `${what}: the answer is not JSON`);
    }
    if (typeof ciphertext !== 'string' || ciphertext === '')
      throw new UserError('KEY_SOURCE', `${what}: the answer has no ciphertext`);
    return ciphertext;
  }

  return {
    name: 'gcp_kms',
    async encrypt(key: KeyRecipient, plaintext: Uint8Array): Promise<string> {
      if (key.type !== 'gcp_kms')
        throw new UserError('KEY_SOURCE', `the gcp kms source cannot wrap for ${key.type}`);
      return encryptGcp(key.resourceId, plaintext);
    },
    locations: [
      ...chain.locations,
      `allowed keys: ${options.allowedKeys.length === 0 ? 'any' : options.allowedKeys.join(', ')}`,
    ],
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'gcp_kms') return null;
      return decryptGcp(key);
    },
  };
}
