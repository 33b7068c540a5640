/**
 * The Azure Key Vault key source: `POST {vaultUrl}/keys/{name}/{version}/decrypt` with
 * RSA-OAEP-256, as sops 3.13 calls it, so the permissions sops documents (`encrypt`,
 * `decrypt`) and keys created with only those operations work. When Key Vault answers 403
 * (the key or the caller's role does not permit `decrypt`), the same RSA operation is asked
 * for as `unwrapkey`, which is what the "Key Vault Crypto Service Encryption User" role grants
 * and what earlier sops releases and Flux used. The stanza's `enc` is base64url without
 * padding, as sops writes it. Encryption uses `encrypt`; a key named without a version is
 * first pinned to its latest version with `GET {vaultUrl}/keys/{name}/` (sops's
 * `ensureKeyHasVersion`, which needs the `get` permission), and that version is recorded.
 *
 * Credentials: an Entra ID client-credentials grant whose client assertion is the job's GitHub
 * OIDC token (audience `api://AzureADTokenExchange`), with `azure-client-id` and
 * `azure-tenant-id`. A FRESH OIDC token is fetched for every exchange: GitHub's tokens live
 * minutes, and reusing one in a long job is what fails with AADSTS700024 (Azure/login#180).
 * The access token is reused until shortly before it expires.
 *
 * Without those inputs: the decryption Secret's `sops.azure-kv`, then the environment and
 * managed identity (azure-credentials.ts).
 *
 * The vault URL comes from the file, and the bearer token goes to it: only vaults listed in
 * `azure-allowed-vaults` are contacted, and by default none is.
 */
import { UserError } from '../errors.ts';
import type { IdTokenProvider } from './id-token.ts';
import type { AzureStaticCredentials } from './key-config.ts';
import { azureError } from './azure-credential-source.ts';
import { createAzureCredentialChain } from './azure-credentials.ts';
import { exchangeGithubOidc } from './azure-oidc-credential.ts';
import { type HttpAnswer, getApproved, postApproved, sanitizeRemoteMessage } from './endpoint-policy.ts';
import { AZURE_ALLOWED_VAULTS_SETTING, checkAzureVault, formatVault } from './cloud-allowlists.ts';
import type { KeySource } from './key-source.ts';
import type { KeyRecipient, MasterKey } from './master-key.ts';
import type { FetchLike, Mask } from '../ports.ts';

export { AZURE_OIDC_AUDIENCE } from './azure-oidc-credential.ts';
const API_VERSION = '7.4';
const RENEW_BEFORE_MS = 2 * 60_000;
const NAME_RE = /^[A-Za-z0-9-]{1,127}$/;
const VERSION_RE = /^[A-Za-z0-9]{0,64}$/;

export interface AzureKvKeySourceOptions {
  /** For `AZURE_AUTHORITY_HOST` (the SDKs' name; default https://login.microsoftonline.com). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mask: Mask;
  readonly clientId?: string | undefined;
  readonly tenantId?: string | undefined;
  /** `azure-allowed-vaults`: vault URLs (`https://name.vault.azure.net`). */
  readonly allowedVaults: readonly string[];
  /** The decryption Secret's `sops.azure-kv`, used when the OIDC inputs are not set. */
  readonly staticCredentials?: AzureStaticCredentials | undefined;
  readonly idToken: IdTokenProvider;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

type AzureKey = Extract<MasterKey, { type: 'azure_kv' }>;

/**
 * A token getter that reuses the token: short-lived tokens up to their end, long ones until a
 * little before it; a failed exchange is not cached.
 */
function cachedToken(
  exchange: () => Promise<{ value: string; expiresAt: number }>,
  now: () => number,
): () => Promise<string> {
  let cached: Promise<{ value: string; expiresAt: number }> | undefined;
  return async () => {
    if (cached !== undefined) {
      const value = await cached.catch(() => undefined);
      // Short-lived tokens are used up to their end; long ones are renewed a little early.
      const margin = value === undefined ? 0 : Math.min(RENEW_BEFORE_MS, (value.expiresAt - now()) / 2);
      if (value !== undefined && value.expiresAt - margin > now()) return value.value;
    }
    const pending = exchange();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    return (await pending).value;
  };
}

/** Creates the `azure_kv` source. */
export function createAzureKvKeySource(options: AzureKvKeySourceOptions): KeySource {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const clientId = options.clientId?.trim() || undefined;
  const tenantId = options.tenantId?.trim() || undefined;

  const post = (url: URL, headers: Record<string, string>, body: string, what: string): Promise<HttpAnswer> =>
    postApproved(fetchFn, url, headers, body, what, timeoutMs);

  const oidc = clientId === undefined || tenantId === undefined ? undefined : { clientId, tenantId };
  const credentials =
    oidc !== undefined
      ? { oidc }
      : {
          chain: createAzureCredentialChain({
            env,
            mask,
            fetch: fetchFn,
            now,
            timeoutMs,
            staticCredentials: options.staticCredentials,
          }),
        };

  // Precedence: the OIDC inputs, then the decryption Secret, then the environment chain.
  const halfConfigured = (clientId === undefined) !== (tenantId === undefined);
  const exchange = (): Promise<{ value: string; expiresAt: number }> =>
    halfConfigured
      ? Promise.reject(
          new UserError(
            'KEY_SOURCE',
            `azure-${clientId === undefined ? 'tenant' : 'client'}-id is set without azure-${clientId === undefined ? 'client' : 'tenant'}-id; GitHub OIDC needs both`,
          ),
        )
      : 'oidc' in credentials
        ? exchangeGithubOidc({
            ...credentials.oidc,
            authorityHost: env['AZURE_AUTHORITY_HOST'],
            idToken: options.idToken,
            mask,
            fetch: fetchFn,
            now,
            timeoutMs,
          })
        : credentials.chain.getToken();

  const accessToken = cachedToken(exchange, now);

  /** The vault, name and version checks every call makes, before any token exists. */
  function checkKey(key: Omit<AzureKey, 'enc'>): { keyUrl: string; what: string } {
    const check = checkAzureVault(options.allowedVaults, key.vaultUrl);
    if (!check.ok) throw new UserError('KEY_SOURCE', check.reason);
    if (!NAME_RE.test(key.name))
      throw new UserError('KEY_SOURCE', `azure key name ${JSON.stringify(key.name)} is not a plain name`);
    if (!VERSION_RE.test(key.version)) {
      throw new UserError(
        'KEY_SOURCE',
        `azure key version ${JSON.stringify(key.version)} is not a plain version`,
      );
    }
    const base = check.url.pathname === '/' ? '' : check.url.pathname;
    const version = key.version === '' ? '' : `/${key.version}`;
    return {
      keyUrl: `${check.url.origin}${base}/keys/${key.name}${version}`,
      what: `${formatVault(check.url)}/keys/${key.name}${version}`,
    };
  }

  /** One RSA-OAEP-256 key operation; answers the status and, on 200, the result's base64url. */
  async function keyOperation(
    keyUrl: string,
    op: 'decrypt' | 'unwrapkey' | 'encrypt',
    value: string,
    token: string,
    what: string,
  ): Promise<{ status: number; value?: string; detail: string }> {
    const answer = await post(
      new URL(`${keyUrl}/${op}?api-version=${API_VERSION}`),
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      JSON.stringify({ alg: 'RSA-OAEP-256', value }),
      what,
    );
    if (answer.status !== 200) {
      return {
        status: answer.status,
        detail: sanitizeRemoteMessage(azureError(answer.body), [token, value]),
      };
    }
    let result: unknown;
    try {
      result = (JSON.parse(answer.body) as { value?: unknown }).value;
    } catch {
      throw new UserError('KEY_SOURCE', `${what}: the answer is not JSON`);
    }
    if (typeof result !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(result)) {
      throw new UserError('KEY_SOURCE', `${what}: the answer has no value`);
    }
    return { status: 200, value: result, detail: '' };
  }

  const failure = (what: string, status: number, detail: string): string =>
    `${what} failed: HTTP ${status}${detail === '' ? '' : ` ${detail}`}`;

  async function decryptAzure(key: AzureKey): Promise<Uint8Array> {
    const { keyUrl, what: keyName } = checkKey(key);
    if (key.enc === '' || !/^[A-Za-z0-9_-]+$/.test(key.enc)) {
      throw new UserError(
        'KEY_SOURCE',
        `azure key vault stanza for ${key.name} has an enc value that is not base64url`,
      );
    }
    const token = await accessToken();
    const what = `azure key vault decrypt with ${keyName}`;
    let answer = await keyOperation(keyUrl, 'decrypt', key.enc, token, what);
    if (answer.status === 403) {
      // Forbidden: the key's operations or the caller's role may permit unwrapKey instead.
      const unwrap = await keyOperation(
        keyUrl,
        'unwrapkey',
        key.enc,
        token,
        `azure key vault unwrapKey with ${keyName}`,
      );
      if (unwrap.status !== 200) {
        throw new UserError(
          'KEY_SOURCE',
          `${failure(what, answer.status, answer.detail)}; unwrapKey was refused too (HTTP ${unwrap.status})`,
          {
            hint: 'grant the decrypt key permission (sops documents encrypt and decrypt) or the "Key Vault Crypto User" role, and check the key\'s permitted operations',
          },
        );
      }
      answer = unwrap;
    }
    if (answer.value === undefined)
      throw new UserError('KEY_SOURCE', failure(what, answer.status, answer.detail));
    mask(answer.value);
    return new Uint8Array(Buffer.from(answer.value, 'base64url'));
  }

  /**
   * sops's `ensureKeyHasVersion`: a version-less key is pinned to the version Key Vault calls
   * latest (the last segment of the bundle's `kid`), so the file names the key that wrapped it.
   */
  async function pinVersion(key: Omit<AzureKey, 'enc'>): Promise<Omit<AzureKey, 'enc'>> {
    if (key.version !== '') return key;
    const { keyUrl, what: keyName } = checkKey(key);
    const token = await accessToken();
    const what = `azure key vault get key ${keyName} (to find its latest version)`;
    const answer = await getApproved(
      fetchFn,
      new URL(`${keyUrl}/?api-version=${API_VERSION}`),
      { authorization: `Bearer ${token}` },
      what,
      timeoutMs,
    );
    if (answer.status !== 200) {
      throw new UserError(
        'KEY_SOURCE',
        failure(what, answer.status, sanitizeRemoteMessage(azureError(answer.body), [token])),
        {
          hint: 'grant the get key permission (getsops/sops#2112), or give the version in the key URL (https://<vault>/keys/<name>/<version>) or in key_groups',
        },
      );
    }
    let kid: unknown;
    try {
      kid = (JSON.parse(answer.body) as { key?: { kid?: unknown } }).key?.kid;
    } catch {
      throw new UserError('KEY_SOURCE', `${what}: the answer is not JSON`);
    }
    const version = typeof kid === 'string' ? kid.slice(kid.lastIndexOf('/') + 1) : '';
    if (version === '' || !VERSION_RE.test(version)) {
      throw new UserError('KEY_SOURCE', `${what}: the answer names no key version`);
    }
    return { ...key, version };
  }

  /**
   * The wrap direction (sops `azkv.MasterKey.Encrypt`): the key operation `encrypt` with
   * RSA-OAEP-256; `enc` is the result as unpadded base64url.
   */
  async function encryptAzure(key: Omit<AzureKey, 'enc'>, plaintext: Uint8Array): Promise<string> {
    const { keyUrl, what: keyName } = checkKey(key);
    if (key.version === '') {
      throw new UserError('KEY_SOURCE', `azure key ${key.name} was not pinned to a version before wrapping`);
    }
    const token = await accessToken();
    const what = `azure key vault encrypt with ${keyName}`;
    const value = Buffer.from(plaintext).toString('base64url');
    const answer = await keyOperation(keyUrl, 'encrypt', value, token, what);
    if (answer.value === undefined)
      throw new UserError('KEY_SOURCE', failure(what, answer.status, answer.detail));
    return Buffer.from(answer.value, 'base64url').toString('base64url');
  }

  return {
    name: 'azure_kv',
    async encrypt(key: KeyRecipient, plaintext: Uint8Array): Promise<string> {
      if (key.type !== 'azure_kv')
        throw new UserError('KEY_SOURCE', `the azure source cannot wrap for ${key.type}`);
      return encryptAzure(key, plaintext);
    },
    async pin(key: KeyRecipient): Promise<KeyRecipient> {
      return key.type === 'azure_kv' ? pinVersion(key) : key;
    },
    locations: [
      clientId === undefined || tenantId === undefined
        ? 'azure-client-id/azure-tenant-id (not set)'
        : `github oidc client assertion for client ${clientId} in tenant ${tenantId}`,
      ...('chain' in credentials ? credentials.chain.locations : []),
      `allowed vaults: ${options.allowedVaults.length === 0 ? `none (set ${AZURE_ALLOWED_VAULTS_SETTING})` : options.allowedVaults.join(', ')}`,
    ],
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'azure_kv') return null;
      return decryptAzure(key);
    },
  };
}
