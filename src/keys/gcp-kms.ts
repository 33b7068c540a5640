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
import { readFile as fsReadFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { refusedExchangeMessage, type IdToken, type IdTokenProvider } from './id-token.ts';
import { type HttpAnswer, postApproved, sanitizeRemoteMessage } from './endpoint-policy.ts';
import { checkGcpKey } from './cloud-allowlists.ts';
import {
  applicationDefaultCredentialsPaths,
  CLOUD_PLATFORM_SCOPE,
  createGceMetadataCredentials,
  createGcpFileCredentials,
  googleError,
  type GcpAccessToken,
} from './gcp-credentials.ts';
import type { KeySource } from './key-source.ts';
import type { MasterKey } from './master-key.ts';
import type { FetchLike, Mask } from '../ports.ts';

const PROVIDER_RE = /^projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/;
const SERVICE_ACCOUNT_RE = /^[^@\s/:]+@[^@\s/:]+$/;
/** Tokens are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

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

function endpoint(env: Readonly<Record<string, string | undefined>>, name: string, fallback: string): URL {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return new URL(fallback);
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `https://${value}`);
  } catch {
    throw new UserError('KEY_SOURCE', `${name} is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new UserError('KEY_SOURCE', `${name} must be an http(s) URL without credentials`);
  }
  return url;
}

function join(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${path}`);
}

type AccessToken = GcpAccessToken;

/** Creates the `gcp_kms` source. */
export function createGcpKmsKeySource(options: GcpKmsKeySourceOptions): KeySource {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const provider = options.workloadIdentityProvider?.trim() || undefined;
  const serviceAccount = options.serviceAccount?.trim() || undefined;
  const staticToken = env['GOOGLE_OAUTH_ACCESS_TOKEN']?.trim() || undefined;
  if (staticToken !== undefined) mask(staticToken);
  const read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  const fileOptions = { mask, fetch: fetchFn, now, timeoutMs, readFile: read };
  const adc = applicationDefaultCredentialsPaths(env);
  const sopsCredentials = env['GOOGLE_CREDENTIALS']?.trim() || undefined;
  let fileCredentials: (() => Promise<AccessToken>) | undefined;
  const metadata = createGceMetadataCredentials({
    env,
    mask,
    fetch: fetchFn,
    now,
    timeoutMs: options.metadataTimeoutMs ?? 1000,
  });

  /** The first credentials JSON that exists, in sops's and then ADC's order; undefined when none. */
  async function loadFileCredentials(): Promise<(() => Promise<AccessToken>) | undefined> {
    if (options.staticCredentialsJson !== undefined) {
      return createGcpFileCredentials(
        options.staticCredentialsJson,
        'decryption-secret sops.gcp-kms',
        fileOptions,
      );
    }
    if (sopsCredentials !== undefined) {
      // sops reads GOOGLE_CREDENTIALS as a path when such a file exists, else as the JSON itself.
      if (sopsCredentials.startsWith('{')) {
        mask(sopsCredentials);
        return createGcpFileCredentials(sopsCredentials, 'GOOGLE_CREDENTIALS', fileOptions);
      }
      let text: string;
      try {
        text = await read(sopsCredentials);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `GOOGLE_CREDENTIALS names ${sopsCredentials}, which cannot be read`,
        );
      }
      return createGcpFileCredentials(text, sopsCredentials, fileOptions);
    }
    if (staticToken !== undefined) return undefined;
    if (adc.explicit !== undefined) {
      let text: string;
      try {
        text = await read(adc.explicit);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `GOOGLE_APPLICATION_CREDENTIALS names ${adc.explicit}, which cannot be read; fix the path or unset it`,
        );
      }
      return createGcpFileCredentials(text, adc.explicit, fileOptions);
    }
    if (adc.wellKnown !== undefined) {
      let text: string | undefined;
      try {
        text = await read(adc.wellKnown);
      } catch {
        text = undefined;
      }
      if (text !== undefined) return createGcpFileCredentials(text, adc.wellKnown, fileOptions);
    }
    return undefined;
  }

  const post = (url: URL, headers: Record<string, string>, body: string, what: string): Promise<HttpAnswer> =>
    postApproved(fetchFn, url, headers, body, what, timeoutMs);

  async function federate(wip: string): Promise<AccessToken> {
    const token: IdToken = await options.idToken(`https://iam.googleapis.com/${wip}`);
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${wip}`,
      scope: CLOUD_PLATFORM_SCOPE,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: token.value,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    }).toString();
    const what = 'gcp sts';
    const answer = await post(
      endpoint(env, 'KSD_GCP_STS_ENDPOINT', 'https://sts.googleapis.com/v1/token'),
      { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      what,
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, body]);
      throw new UserError(
        'KEY_SOURCE',
        refusedExchangeMessage(what, `HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}`, token),
      );
    }
    const parsed = JSON.parse(answer.body) as { access_token?: unknown; expires_in?: unknown };
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new UserError('KEY_SOURCE', `${what}: the answer has no access_token`);
    }
    mask(parsed.access_token);
    const lifetime = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    return {
      value: parsed.access_token,
      expiresAt: now() + lifetime * 1000,
      from: `workload identity ${wip}`,
    };
  }

  /** `email`'s token through IAM Credentials; `hint` says which role the caller lacks when refused. */
  async function impersonate(federated: AccessToken, email: string, hint: string): Promise<AccessToken> {
    if (!SERVICE_ACCOUNT_RE.test(email)) {
      throw new UserError('KEY_SOURCE', `gcp-service-account "${email}" is not an email address`);
    }
    const base = endpoint(env, 'KSD_GCP_IAM_ENDPOINT', 'https://iamcredentials.googleapis.com');
    const url = join(base, `/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}:generateAccessToken`);
    const what = `gcp service account impersonation of ${email}`;
    const answer = await post(
      url,
      { 'content-type': 'application/json', authorization: `Bearer ${federated.value}` },
      JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: '3600s' }),
      what,
    );
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), [federated.value]);
      throw new UserError(
        'KEY_SOURCE',
        `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}; ${hint}`,
      );
    }
    const parsed = JSON.parse(answer.body) as { accessToken?: unknown; expireTime?: unknown };
    if (typeof parsed.accessToken !== 'string' || parsed.accessToken === '') {
      throw new UserError('KEY_SOURCE', `${what}: the answer has no accessToken`);
    }
    mask(parsed.accessToken);
    const expires = typeof parsed.expireTime === 'string' ? Date.parse(parsed.expireTime) : Number.NaN;
    return {
      value: parsed.accessToken,
      expiresAt: Number.isNaN(expires) ? now() + 3600_000 : expires,
      from: `service account ${email} (impersonated by ${federated.from})`,
    };
  }

  let cached: Promise<AccessToken> | undefined;
  async function accessToken(): Promise<AccessToken> {
    if (cached !== undefined) {
      const value = await cached.catch(() => undefined);
      if (value !== undefined && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = (async (): Promise<AccessToken> => {
      if (provider !== undefined) {
        if (!PROVIDER_RE.test(provider)) {
          throw new UserError(
            'KEY_SOURCE',
            `gcp-workload-identity-provider "${provider}" is not projects/N/locations/global/workloadIdentityPools/P/providers/Q`,
          );
        }
        const federated = await federate(provider);
        if (serviceAccount === undefined) return federated;
        return impersonate(
          federated,
          serviceAccount,
          "the workload identity pool's principal needs roles/iam.workloadIdentityUser on the service account",
        );
      }
      // gcp-service-account applies to every source, as gcloud's --impersonate-service-account
      // does: a named account is never silently ignored.
      const asServiceAccount = (token: AccessToken): Promise<AccessToken> | AccessToken =>
        serviceAccount === undefined
          ? token
          : impersonate(
              token,
              serviceAccount,
              `${token.from} needs roles/iam.serviceAccountTokenCreator on the service account`,
            );
      fileCredentials ??= await loadFileCredentials();
      if (fileCredentials !== undefined) return asServiceAccount(await fileCredentials());
      if (staticToken !== undefined) {
        return asServiceAccount({
          value: staticToken,
          expiresAt: Number.POSITIVE_INFINITY,
          from: 'GOOGLE_OAUTH_ACCESS_TOKEN',
        });
      }
      let instance: AccessToken;
      try {
        instance = await metadata.token();
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        // Every step, then the usual fixes, in one line short enough for the key report.
        throw new UserError(
          'KEY_SOURCE',
          `no gcp credentials: tried gcp-workload-identity-provider, sops.gcp-kms, GOOGLE_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_APPLICATION_CREDENTIALS (none set), ${adc.wellKnown ?? 'the gcloud well-known file (no HOME)'} (missing), ${error.message}; set gcp-workload-identity-provider (GitHub OIDC) or GOOGLE_APPLICATION_CREDENTIALS, or give the GCE VM or GKE node (Workload Identity) a service account`,
        );
      }
      if (serviceAccount === undefined) return instance;
      return impersonate(
        instance,
        serviceAccount,
        "the instance's service account needs roles/iam.serviceAccountTokenCreator on the service account",
      );
    })();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    return pending;
  }

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
    const token = await accessToken();
    const base = endpoint(env, 'SOPS_GCP_KMS_ENDPOINT', 'https://cloudkms.googleapis.com');
    const url = join(base, `/v1/${key.resourceId}:decrypt`);
    const what = `gcp kms decrypt with ${key.resourceId}`;
    const body = JSON.stringify({ ciphertext: key.enc });
    const answer = await post(
      url,
      { 'content-type': 'application/json', authorization: `Bearer ${token.value}` },
      body,
      what,
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

  return {
    name: 'gcp_kms',
    locations: [
      provider === undefined
        ? 'gcp-workload-identity-provider (not set)'
        : `github oidc via workload identity provider ${provider}${serviceAccount === undefined ? '' : `, impersonating ${serviceAccount}`}`,
      ...(options.staticCredentialsJson === undefined ? [] : ['decryption-secret sops.gcp-kms']),
      `GOOGLE_CREDENTIALS (${sopsCredentials === undefined ? 'not set' : 'set'})`,
      `GOOGLE_OAUTH_ACCESS_TOKEN (${staticToken === undefined ? 'not set' : 'set'})`,
      `application default credentials: ${adc.explicit ?? `GOOGLE_APPLICATION_CREDENTIALS not set; ${adc.wellKnown ?? 'no HOME'}`}`,
      `GCE metadata server: ${metadata.target.shown}`,
      ...(provider === undefined && serviceAccount !== undefined
        ? [`then impersonating ${serviceAccount}`]
        : []),
      `allowed keys: ${options.allowedKeys.length === 0 ? 'any' : options.allowedKeys.join(', ')}`,
    ],
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'gcp_kms') return null;
      return decryptGcp(key);
    },
  };
}
