/**
 * The last step of Application Default Credentials: the GCE metadata server (a self-hosted
 * runner on a GCE VM or GKE node): `GET /computeMetadata/v1/instance/service-accounts/default/token`
 * with `Metadata-Flavor: Google`, answered with the same header. As google-auth-library (its
 * gcp-metadata package): `GCE_METADATA_IP`, else `GCE_METADATA_HOST`, moves it (`host[:port]`
 * or a URL), and `METADATA_SERVER_DETECTION=none` turns it off (`NO_GCE_CHECK=true`, google-auth
 * for Python's switch, too). Its timeout is short and a failure is kept for the run: on a
 * GitHub-hosted runner nothing answers there, and every key must not wait again.
 */
import { UserError } from '../errors.ts';
import { sanitizeRemoteMessage } from './endpoint-policy.ts';
import { googleError, type GcpAccessToken } from './gcp-credential-source.ts';
import { readOAuthToken } from './oauth-answer.ts';
import type { FetchLike, Mask } from '../ports.ts';

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
    const token = readOAuthToken(body, {
      what,
      mask,
      now: now(),
      defaultLifetimeSeconds: 300,
      positiveLifetime: true,
    });
    return { ...token, from: `the instance's service account (${what})` };
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
