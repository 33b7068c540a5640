/**
 * What the Google credential sources share (one module per kind: gcp-service-account.ts,
 * gcp-authorized-user.ts, gcp-external-account.ts, gcp-metadata-credentials.ts, and the
 * GitHub OIDC and impersonation steps of gcp-kms.ts): the token they yield, the context they
 * are built with, Google's error texts, endpoint checks, and token answers read through the
 * one OAuth reader (oauth-answer.ts).
 */
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { postApproved, sanitizeRemoteMessage, type HttpAnswer } from './endpoint-policy.ts';
import { readOAuthAnswer } from './oauth-answer.ts';
import type { IdTokenProvider } from './id-token.ts';
import type { FetchLike, Mask } from '../ports.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const DEFAULT_STS_URL = 'https://sts.googleapis.com/v1/token';

/** An access token and where it came from (for messages; never the value). */
export interface GcpAccessToken {
  readonly value: string;
  readonly expiresAt: number;
  readonly from: string;
}

/** What the credential sources are built with. */
export interface GcpCredentialsOptions {
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly readFile?: (file: string) => Promise<string>;
}

/** The options with a file reader, as the sources use them. */
export type GcpSourceContext = GcpCredentialsOptions & {
  readonly readFile: (file: string) => Promise<string>;
};

export type Json = Record<string, unknown>;

export function field(json: Json, name: string): string | undefined {
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

export function endpointUrl(value: string, what: string): URL {
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

/** A form POST to an approved endpoint. */
export function postForm(
  options: GcpCredentialsOptions,
  url: URL,
  body: string,
  what: string,
): Promise<HttpAnswer> {
  return postApproved(
    options.fetch,
    url,
    { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    what,
    options.timeoutMs,
  );
}

/** Reads an OAuth token answer (`access_token`, `expires_in`) and masks the token. */
export function oauthToken(
  options: GcpCredentialsOptions,
  answer: HttpAnswer,
  call: {
    readonly what: string;
    readonly from: string;
    readonly secrets: readonly string[];
    readonly hint: string;
  },
): GcpAccessToken {
  const token = readOAuthAnswer(
    answer,
    { what: call.what, mask: options.mask, now: options.now() },
    { reason: googleError, secrets: call.secrets, hint: call.hint },
  );
  return { ...token, from: call.from };
}

/**
 * Reads IAM Credentials' `generateAccessToken` answer (`accessToken`, `expireTime`): a refusal
 * names the call, Google's reason and `hint`; the token is masked the moment it is read.
 */
export function impersonationToken(
  mask: Mask,
  now: number,
  answer: HttpAnswer,
  call: {
    readonly what: string;
    readonly from: string;
    readonly secrets: readonly string[];
    readonly hint: string;
  },
): GcpAccessToken {
  const { what } = call;
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(googleError(answer.body), call.secrets);
    throw new UserError(
      'KEY_SOURCE',
      `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}; ${call.hint}`,
    );
  }
  let parsed: Json = {};
  try {
    const value: unknown = JSON.parse(answer.body);
    if (isRecord(value)) parsed = value;
  } catch {
    // Checked below.
  }
  const accessToken = field(parsed, 'accessToken');
  if (accessToken === undefined) throw new UserError('KEY_SOURCE', `${what}: the answer has no accessToken`);
  mask(accessToken);
  const expires = typeof parsed['expireTime'] === 'string' ? Date.parse(parsed['expireTime']) : Number.NaN;
  return { value: accessToken, expiresAt: Number.isNaN(expires) ? now + 3600_000 : expires, from: call.from };
}

/** An endpoint from a variable (ours or sops's), else Google's public one. */
export function gcpEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: string,
): URL {
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

/** `path` under the endpoint's own path. */
export function joinPath(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${path}`);
}

/** What the OIDC and impersonation steps need. */
export interface GcpChainContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly idToken: IdTokenProvider;
}
