/**
 * Google credentials files, read the way google-auth-library reads them, for GCP KMS without
 * GitHub OIDC inputs: the decryption Secret's `sops.gcp-kms`, sops's `GOOGLE_CREDENTIALS`, and
 * Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's well-known
 * `application_default_credentials.json`). Three types:
 *
 * - `service_account`: an RS256 JWT signed here with the file's key (node:crypto), exchanged
 *   at `token_uri` (RFC 7523 jwt-bearer grant);
 * - `authorized_user`: a refresh-token grant (what `gcloud auth application-default login`
 *   writes);
 * - `external_account` (workload identity federation): a subject token from
 *   `credential_source.file` or `.url`, exchanged at `token_url` (STS), then optionally
 *   `service_account_impersonation_url`. AWS (`environment_id`) and executable sources are
 *   refused with a clear message.
 *
 * The last step of Application Default Credentials is the GCE metadata server (a self-hosted
 * runner on a GCE VM or GKE node): `GET /computeMetadata/v1/instance/service-accounts/default/token`
 * with `Metadata-Flavor: Google`, answered with the same header. As google-auth-library (its
 * gcp-metadata package): `GCE_METADATA_IP`, else `GCE_METADATA_HOST`, moves it (`host[:port]`
 * or a URL), and `METADATA_SERVER_DETECTION=none` turns it off (`NO_GCE_CHECK=true`, google-auth
 * for Python's switch, too). Its timeout is short and a failure is kept for the run: on a
 * GitHub-hosted runner nothing answers there, and every key must not wait again.
 *
 * The endpoints come from the credentials file or the environment, which are the workflow's
 * configuration (never a sops file); the token only ever goes to the KMS endpoint gcp-kms.ts
 * resolves. Secret fields are masked as soon as the file is parsed.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import {
  describeNetworkError,
  type HttpAnswer,
  postApproved,
  sanitizeRemoteMessage,
} from './endpoint-policy.ts';
import { isRecord } from '../is-record.ts';
import type { FetchLike, Mask } from '../ports.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const DEFAULT_STS_URL = 'https://sts.googleapis.com/v1/token';

/** An access token and where it came from (for messages; never the value). */
export interface GcpAccessToken {
  readonly value: string;
  readonly expiresAt: number;
  readonly from: string;
}

export interface GcpCredentialsOptions {
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly readFile?: (file: string) => Promise<string>;
}

type Json = Record<string, unknown>;

function field(json: Json, name: string): string | undefined {
  const value = json[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Google's JSON errors (`{"error": {"status", "message"}}`) and OAuth's (`{"error", "error_description"}`). */
export function googleError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error === 'string') {
      return `${parsed.error}${typeof parsed.error_description === 'string' ? `: ${parsed.error_description}` : ''}`;
    }
    if (typeof parsed.error === 'object' && parsed.error !== null) {
      const e = parsed.error as { status?: unknown; message?: unknown };
      return [e.status, e.message].filter((v) => typeof v === 'string').join(': ');
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return '';
}

function endpointUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError('KEY_SOURCE', `${what} is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new UserError('KEY_SOURCE', `${what} must be an http(s) URL without credentials`);
  }
  return url;
}

/**
 * Parses a credentials JSON and masks its secret fields. `source` names it in messages
 * (`decryption-secret sops.gcp-kms`, a file path). Throws a one-line error naming the source.
 */
export function parseGcpCredentials(text: string, source: string, mask: Mask): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError('KEY_SOURCE', `gcp credentials in ${source} are not JSON`);
  }
  if (!isRecord(parsed))
    throw new UserError('KEY_SOURCE', `gcp credentials in ${source} are not a JSON object`);
  for (const name of ['private_key', 'private_key_id', 'client_secret', 'refresh_token']) {
    const value = field(parsed, name);
    if (value !== undefined) mask(value);
  }
  return parsed;
}

/** Creates a token getter for one credentials JSON. Each call asks for a new token. */
export function createGcpFileCredentials(
  text: string,
  source: string,
  options: GcpCredentialsOptions,
): () => Promise<GcpAccessToken> {
  const { mask, now } = options;
  const json = parseGcpCredentials(text, source, mask);
  const read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  const type = field(json, 'type');

  const post = (url: URL, headers: Record<string, string>, body: string, what: string): Promise<HttpAnswer> =>
    postApproved(options.fetch, url, headers, body, what, options.timeoutMs);

  /** Reads an OAuth token answer (`access_token`, `expires_in`) and masks the token. */
  function oauthToken(
    answer: HttpAnswer,
    what: string,
    from: string,
    secrets: readonly string[],
    hint: string,
  ): GcpAccessToken {
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(answer.body), secrets);
      throw new UserError(
        'KEY_SOURCE',
        `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}; ${hint}`,
      );
    }
    let parsed: Json = {};
    try {
      const value: unknown = JSON.parse(answer.body);
      if (isRecord(value)) parsed = value;
    } catch {
      // Checked below.
    }
    const token = field(parsed, 'access_token');
    if (token === undefined) throw new UserError('KEY_SOURCE', `${what}: the answer has no access_token`);
    mask(token);
    const lifetime = Number(parsed['expires_in']);
    return { value: token, expiresAt: now() + (Number.isFinite(lifetime) ? lifetime : 3600) * 1000, from };
  }

  async function serviceAccount(): Promise<GcpAccessToken> {
    const email = field(json, 'client_email');
    const privateKey = field(json, 'private_key');
    if (email === undefined || privateKey === undefined) {
      throw new UserError(
        'KEY_SOURCE',
        `gcp service_account credentials in ${source} lack client_email or private_key`,
      );
    }
    const tokenUri = endpointUrl(field(json, 'token_uri') ?? DEFAULT_TOKEN_URI, `token_uri in ${source}`);
    const kid = field(json, 'private_key_id');
    const issuedAt = Math.floor(now() / 1000);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) })}.${encode(
      {
        iss: email,
        scope: CLOUD_PLATFORM_SCOPE,
        aud: tokenUri.href,
        iat: issuedAt,
        exp: issuedAt + 3600,
      },
    )}`;
    let signature: Buffer;
    try {
      signature = sign('sha256', Buffer.from(unsigned), createPrivateKey(privateKey));
    } catch {
      throw new UserError(
        'KEY_SOURCE',
        `gcp service_account credentials in ${source}: private_key is not a PEM private key`,
      );
    }
    const assertion = `${unsigned}.${signature.toString('base64url')}`;
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString();
    const what = `gcp token for service account ${email}`;
    const answer = await post(tokenUri, { 'content-type': 'application/x-www-form-urlencoded' }, body, what);
    return oauthToken(
      answer,
      what,
      `service account ${email} (${source})`,
      [assertion, body],
      'the key may be deleted or disabled; create a new key for the service account',
    );
  }

  async function authorizedUser(): Promise<GcpAccessToken> {
    const clientId = field(json, 'client_id');
    const clientSecret = field(json, 'client_secret');
    const refreshToken = field(json, 'refresh_token');
    if (clientId === undefined || clientSecret === undefined || refreshToken === undefined) {
      throw new UserError(
        'KEY_SOURCE',
        `gcp authorized_user credentials in ${source} lack client_id, client_secret or refresh_token`,
      );
    }
    const tokenUri = endpointUrl(field(json, 'token_uri') ?? DEFAULT_TOKEN_URI, `token_uri in ${source}`);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
    }).toString();
    const what = `gcp token refresh for authorized_user ${clientId}`;
    const answer = await post(tokenUri, { 'content-type': 'application/x-www-form-urlencoded' }, body, what);
    return oauthToken(
      answer,
      what,
      `authorized_user (${source})`,
      [clientSecret, refreshToken, body],
      'run `gcloud auth application-default login` again, or use a service account or workload identity',
    );
  }

  async function subjectToken(): Promise<string> {
    const credentialSource = json['credential_source'];
    if (!isRecord(credentialSource)) {
      throw new UserError(
        'KEY_SOURCE',
        `gcp external_account credentials in ${source} have no credential_source`,
      );
    }
    if (credentialSource['environment_id'] !== undefined || credentialSource['executable'] !== undefined) {
      throw new UserError(
        'UNSUPPORTED',
        `gcp external_account credentials in ${source} use an ${credentialSource['environment_id'] !== undefined ? 'environment_id (AWS)' : 'executable'} credential_source, which is not supported; use a file or url source, or the gcp-workload-identity-provider input (GitHub OIDC)`,
      );
    }
    const file = field(credentialSource, 'file');
    const url = field(credentialSource, 'url');
    let raw: string;
    if (file !== undefined) {
      try {
        raw = await read(file);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `gcp external_account (${source}): cannot read credential_source.file ${file}`,
        );
      }
    } else if (url !== undefined) {
      const target = endpointUrl(url, `credential_source.url in ${source}`);
      const headers: Record<string, string> = {};
      const extra = credentialSource['headers'];
      if (isRecord(extra)) {
        for (const [name, value] of Object.entries(extra)) {
          if (typeof value === 'string') {
            mask(value.replace(/^bearer\s+/i, ''));
            headers[name] = value;
          }
        }
      }
      const what = `gcp external_account (${source}): subject token from ${target.origin}`;
      let response: Response;
      try {
        response = await options.fetch(target.href, {
          method: 'GET',
          headers,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, target)}`);
      }
      raw = await response.text();
      if (response.status !== 200) throw new UserError('KEY_SOURCE', `${what}: HTTP ${response.status}`);
    } else {
      throw new UserError(
        'KEY_SOURCE',
        `gcp external_account credentials in ${source}: credential_source has no file or url`,
      );
    }
    const format = isRecord(credentialSource['format']) ? credentialSource['format'] : {};
    let token = raw.trim();
    if (format['type'] === 'json') {
      const name = field(format, 'subject_token_field_name') ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const value = isRecord(parsed) ? parsed[name] : undefined;
      if (typeof value !== 'string' || value === '') {
        throw new UserError(
          'KEY_SOURCE',
          `gcp external_account (${source}): the subject token source has no "${name}" field`,
        );
      }
      token = value;
    }
    if (token === '')
      throw new UserError('KEY_SOURCE', `gcp external_account (${source}): the subject token is empty`);
    mask(token);
    return token;
  }

  async function externalAccount(): Promise<GcpAccessToken> {
    const audience = field(json, 'audience');
    const tokenType = field(json, 'subject_token_type');
    if (audience === undefined || tokenType === undefined) {
      throw new UserError(
        'KEY_SOURCE',
        `gcp external_account credentials in ${source} lack audience or subject_token_type`,
      );
    }
    const token = await subjectToken();
    const stsUrl = endpointUrl(field(json, 'token_url') ?? DEFAULT_STS_URL, `token_url in ${source}`);
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience,
      scope: CLOUD_PLATFORM_SCOPE,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: token,
      subject_token_type: tokenType,
    }).toString();
    const what = `gcp sts for external_account (${source})`;
    const answer = await post(stsUrl, { 'content-type': 'application/x-www-form-urlencoded' }, body, what);
    const federated = oauthToken(
      answer,
      what,
      `workload identity ${audience.replace(/^\/\/iam\.googleapis\.com\//, '')}`,
      [token, body],
      "check the provider's allowed audiences and attribute condition against the subject token",
    );
    const impersonation = field(json, 'service_account_impersonation_url');
    if (impersonation === undefined) return federated;
    const url = endpointUrl(impersonation, `service_account_impersonation_url in ${source}`);
    const account =
      /serviceAccounts\/([^/:]+):generateAccessToken/.exec(decodeURIComponent(url.pathname))?.[1] ??
      url.pathname;
    const impersonateWhat = `gcp service account impersonation of ${account}`;
    const lifetimeSetting = isRecord(json['service_account_impersonation'])
      ? Number(json['service_account_impersonation']['token_lifetime_seconds'])
      : Number.NaN;
    const impersonated = await post(
      url,
      { 'content-type': 'application/json', authorization: `Bearer ${federated.value}` },
      JSON.stringify({
        scope: [CLOUD_PLATFORM_SCOPE],
        lifetime: `${Number.isFinite(lifetimeSetting) ? lifetimeSetting : 3600}s`,
      }),
      impersonateWhat,
    );
    if (impersonated.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(impersonated.body), [federated.value]);
      throw new UserError(
        'KEY_SOURCE',
        `${impersonateWhat} failed: HTTP ${impersonated.status}${detail === '' ? '' : ` ${detail}`}; the pool's principal needs roles/iam.workloadIdentityUser on the service account`,
      );
    }
    let parsed: Json = {};
    try {
      const value: unknown = JSON.parse(impersonated.body);
      if (isRecord(value)) parsed = value;
    } catch {
      // Checked below.
    }
    const accessToken = field(parsed, 'accessToken');
    if (accessToken === undefined)
      throw new UserError('KEY_SOURCE', `${impersonateWhat}: the answer has no accessToken`);
    mask(accessToken);
    const expires = typeof parsed['expireTime'] === 'string' ? Date.parse(parsed['expireTime']) : Number.NaN;
    return {
      value: accessToken,
      expiresAt: Number.isNaN(expires) ? now() + 3600_000 : expires,
      from: `service account ${account} (${source})`,
    };
  }

  return () => {
    switch (type) {
      case 'service_account':
        return serviceAccount();
      case 'authorized_user':
        return authorizedUser();
      case 'external_account':
        return externalAccount();
      default:
        return Promise.reject(
          new UserError(
            'UNSUPPORTED',
            `gcp credentials in ${source} have type ${JSON.stringify(type ?? '')}; supported: service_account, authorized_user, external_account`,
          ),
        );
    }
  };
}

/** Where Application Default Credentials are looked for, in order. */
export function applicationDefaultCredentialsPaths(env: Readonly<Record<string, string | undefined>>): {
  readonly explicit?: string;
  readonly wellKnown?: string;
} {
  const explicit = env['GOOGLE_APPLICATION_CREDENTIALS']?.trim();
  const configDir = env['CLOUDSDK_CONFIG']?.trim();
  const home = env['HOME']?.trim();
  const wellKnown =
    configDir !== undefined && configDir !== ''
      ? path.join(configDir, 'application_default_credentials.json')
      : home !== undefined && home !== ''
        ? path.join(home, '.config', 'gcloud', 'application_default_credentials.json')
        : undefined;
  return {
    ...(explicit === undefined || explicit === '' ? {} : { explicit }),
    ...(wellKnown === undefined ? {} : { wellKnown }),
  };
}

const GCE_METADATA_DEFAULT_HOST = 'metadata.google.internal';
const GCE_TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';
/** A token answer is a few hundred bytes; anything longer is not one. */
const MAX_METADATA_ANSWER_CHARS = 64 * 1024;

/** Where the metadata step asks, or why it does not. */
export type GceMetadataTarget =
  | { readonly kind: 'url'; readonly url: URL; readonly shown: string }
  | { readonly kind: 'off'; readonly shown: string }
  | { readonly kind: 'invalid'; readonly shown: string };

/**
 * The metadata server's token URL from the environment, read as gcp-metadata reads it:
 * `GCE_METADATA_IP` wins over `GCE_METADATA_HOST`, a value without a scheme is `http://`.
 */
export function gceMetadataTarget(env: Readonly<Record<string, string | undefined>>): GceMetadataTarget {
  const detection = env['METADATA_SERVER_DETECTION']?.trim().toLowerCase();
  if (detection === 'none') return { kind: 'off', shown: 'off (METADATA_SERVER_DETECTION=none)' };
  if (env['NO_GCE_CHECK']?.trim().toLowerCase() === 'true')
    return { kind: 'off', shown: 'off (NO_GCE_CHECK=true)' };
  const variable = ['GCE_METADATA_IP', 'GCE_METADATA_HOST'].find((name) => (env[name]?.trim() ?? '') !== '');
  const value = variable === undefined ? GCE_METADATA_DEFAULT_HOST : (env[variable]?.trim() ?? '');
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return { kind: 'invalid', shown: `(${variable ?? 'default host'} is not a host[:port] or URL)` };
  }
  if (url.username !== '' || url.password !== '' || !/^\/*$/.test(url.pathname)) {
    return {
      kind: 'invalid',
      shown: `(${variable ?? 'default host'} must be a host[:port], or a URL without credentials or path)`,
    };
  }
  return {
    kind: 'url',
    url: new URL(`${url.origin}${GCE_TOKEN_PATH}`),
    shown: `${url.origin}${variable === undefined ? '' : ` (${variable})`}`,
  };
}

/** What {@link createGceMetadataCredentials} needs. */
export interface GceMetadataOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  /** Per request; about a second, as google-auth-library's detection. */
  readonly timeoutMs: number;
}

/** The metadata step: where it asks, and a token getter whose failure is kept for the run. */
export interface GceMetadataCredentials {
  readonly target: GceMetadataTarget;
  /** A fresh token from the instance's default service account; rejects with a one-line UserError. */
  token(): Promise<GcpAccessToken>;
}

/** A failed metadata request in a few words: the error code, or the timeout. */
function metadataNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer in ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  if (code !== '') return `unreachable (${sanitizeRemoteMessage(code, [])})`;
  return `unreachable (${sanitizeRemoteMessage(cause instanceof Error ? cause.message : String(cause), []).slice(0, 80)})`;
}

/** Creates the metadata step (the caller caches tokens; this caches only a failure). */
export function createGceMetadataCredentials(options: GceMetadataOptions): GceMetadataCredentials {
  const { mask, now } = options;
  const target = gceMetadataTarget(options.env);
  let failure: UserError | undefined;

  async function ask(url: URL): Promise<GcpAccessToken> {
    // Short reasons: this one ends a list of every step tried, which must stay one readable line.
    const what = `GCE metadata server ${url.origin}`;
    let response: Response;
    let body: string;
    try {
      response = await options.fetch(url.href, {
        method: 'GET',
        headers: { 'Metadata-Flavor': 'Google' },
        // Never follow: whatever answers there is not the metadata server.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      body = (await response.text()).slice(0, MAX_METADATA_ANSWER_CHARS);
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${metadataNetworkError(error, options.timeoutMs)}`);
    }
    if (response.headers.get('metadata-flavor') !== 'Google') {
      throw new UserError(
        'KEY_SOURCE',
        `${what}: HTTP ${response.status} without Metadata-Flavor: Google (not a metadata server)`,
      );
    }
    if (response.status === 404) {
      throw new UserError('KEY_SOURCE', `${what}: the instance has no service account (HTTP 404)`);
    }
    if (response.status !== 200) {
      const detail = sanitizeRemoteMessage(googleError(body) || body, []).slice(0, 120);
      throw new UserError(
        'KEY_SOURCE',
        `${what}: HTTP ${response.status}${detail === '' ? '' : ` ${detail}`}`,
      );
    }
    let parsed: Json = {};
    try {
      const value: unknown = JSON.parse(body);
      if (isRecord(value)) parsed = value;
    } catch {
      // Checked below.
    }
    const token = field(parsed, 'access_token');
    if (token === undefined) throw new UserError('KEY_SOURCE', `${what}: the answer has no access_token`);
    mask(token);
    const lifetime = Number(parsed['expires_in']);
    return {
      value: token,
      expiresAt: now() + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 300) * 1000,
      from: `the instance's service account (${what})`,
    };
  }

  return {
    target,
    async token(): Promise<GcpAccessToken> {
      if (target.kind !== 'url') throw new UserError('KEY_SOURCE', `GCE metadata server ${target.shown}`);
      if (failure !== undefined) throw failure;
      try {
        return await ask(target.url);
      } catch (error) {
        // Kept for the run: a runner where nothing answers pays the timeout once, not per key.
        if (error instanceof UserError) failure = error;
        throw error;
      }
    },
  };
}
