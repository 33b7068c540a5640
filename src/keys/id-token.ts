/**
 * GitHub Actions OIDC ID tokens, fetched the way `core.getIDToken` does: `GET
 * $ACTIONS_ID_TOKEN_REQUEST_URL&audience=X` with `$ACTIONS_ID_TOKEN_REQUEST_TOKEN` as bearer,
 * answered by `{"value": "<jwt>"}`. Written here without `@actions/core` so that the key
 * sources stay free of the runner and the CLI can use the same code.
 *
 * The runner sets both variables only when the job has `permissions: id-token: write`, and
 * never for a pull request from a fork; the error says so, since that is nearly always why.
 */
import { UserError } from '../errors.ts';
import type { Mask } from '../ports.ts';

/** Registers a secret with the host so it is never printed. */

/** The claims a provider judges a token by; they name no secret and may be printed. */
export interface TokenClaims {
  readonly sub?: string;
  readonly aud?: string;
  readonly repository?: string;
  readonly ref?: string;
  readonly eventName?: string;
  /** Seconds since the epoch. */
  readonly exp?: number;
}

/** An ID token and what it says about itself (read, not verified: the provider verifies). */
export interface IdToken {
  readonly value: string;
  readonly claims: TokenClaims;
}

/** Fetches a new ID token for `audience` (GitHub's default audience when undefined). */
export type IdTokenProvider = (audience: string | undefined) => Promise<IdToken>;

/** The fetch the provider uses; tests inject it. */
export type OidcFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface IdTokenProviderOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mask: Mask;
  readonly fetch?: OidcFetch;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

/** The usual reasons a job has no token or a provider refuses it, for every such message. */
export const OIDC_CAUSES = 'check: trust policy sub/aud, `id-token: write`, fork PRs (no token)';

/** Key reports show one line of at most this many characters per reason (data-key.ts). */
const REPORT_LINE_LIMIT = 300;

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',');
  return undefined;
}

/** Reads the claims of a JWT without verifying it; unreadable tokens give no claims. */
export function readClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (payload === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const claims = parsed as Record<string, unknown>;
  const pick = (
    name: string,
    key: Exclude<keyof TokenClaims, 'exp'>,
  ): Partial<Record<Exclude<keyof TokenClaims, 'exp'>, string>> => {
    const value = stringClaim(claims, name);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    ...pick('sub', 'sub'),
    ...pick('aud', 'aud'),
    ...pick('repository', 'repository'),
    ...pick('ref', 'ref'),
    ...pick('event_name', 'eventName'),
    ...(typeof claims['exp'] === 'number' ? { exp: claims['exp'] } : {}),
  };
}

/**
 * `sub=... aud=... repository=...`: what the provider saw, for refusal messages. The
 * repository is left out when the subject already names it (GitHub's default subjects do).
 */
export function describeClaims(claims: TokenClaims): string {
  // Long values (GCP's audience is a provider URL) are cut in the middle to keep the line short.
  const shown = (value: string | undefined): string =>
    value === undefined
      ? '(none)'
      : value.length <= 64
        ? value
        : `${value.slice(0, 30)}...${value.slice(-31)}`;
  const repository =
    claims.repository !== undefined && claims.sub?.startsWith(`repo:${claims.repository}:`) === true
      ? ''
      : ` repository=${shown(claims.repository)}`;
  return `sub=${shown(claims.sub)} aud=${shown(claims.aud)}${repository}`;
}

/**
 * The one-line message for a token exchange the provider refused: who refused, the claims it
 * saw, what it said, and the usual causes. The provider's words are cut so that the whole
 * line fits a key report.
 */
export function refusedExchangeMessage(provider: string, detail: string, token: IdToken): string {
  const expired =
    token.claims.exp !== undefined && token.claims.exp * 1000 < Date.now() ? ' (token expired)' : '';
  const head = `${provider} refused the oidc token ${describeClaims(token.claims)}${expired}`;
  const tail = `; ${OIDC_CAUSES}`;
  if (detail === '') return `${head}${tail}`;
  const room = Math.max(40, REPORT_LINE_LIMIT - head.length - tail.length - 2);
  return `${head}: ${detail.length > room ? `${detail.slice(0, room - 3)}...` : detail}${tail}`;
}

/** True when the runner offers ID tokens to this job. */
export function hasIdTokenRequest(env: Readonly<Record<string, string | undefined>>): boolean {
  return (
    (env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '').trim() !== '' &&
    (env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '').trim() !== ''
  );
}

const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Creates the provider. Every call fetches a new token: callers that may reuse one (AWS, GCP,
 * Vault) cache what they exchanged it for, and Azure must send a fresh assertion each time.
 */
export function createIdTokenProvider(options: IdTokenProviderOptions): IdTokenProvider {
  const { env, mask } = options;
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (audience) => {
    const requestUrl = (env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '').trim();
    const requestToken = (env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '').trim();
    if (requestToken !== '') mask(requestToken);
    if (requestUrl === '' || requestToken === '') {
      throw new UserError(
        'KEY_SOURCE',
        'no github oidc token: ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set; add `permissions: id-token: write` to the job (pull requests from forks never get a token)',
      );
    }
    let url: URL;
    try {
      url = new URL(requestUrl);
    } catch {
      throw new UserError('KEY_SOURCE', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
    }
    if (audience !== undefined) url.searchParams.set('audience', audience);
    let response: Response;
    try {
      response = await fetchFn(url.href, {
        method: 'GET',
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
        // The request token must not follow a redirect to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError('KEY_SOURCE', `cannot fetch a github oidc token from ${url.origin}: ${reason}`);
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new UserError(
        'KEY_SOURCE',
        `the github oidc token service answered HTTP ${response.status} for audience ${audience ?? '(default)'}; ${OIDC_CAUSES}`,
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || !JWT_RE.test(value)) {
      throw new UserError('KEY_SOURCE', 'the github oidc token service answered without a token');
    }
    // Masked before anything else can fail and print it.
    mask(value);
    return { value, claims: readClaims(value) };
  };
}
