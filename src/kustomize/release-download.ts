/**
 * One GET of a release asset (kustomize-version): it goes only to the origins it is given,
 * before and after every redirect, reads at most a given number of bytes, and gives up after a
 * timeout. A 404 is an answer (undefined), so the caller can name the version that does not
 * exist; every other failure is a UserError naming the URL.
 *
 * On node's fetch with `redirect: 'manual'`, because following redirects blindly would let the
 * release host (or a test double) send the download anywhere; GitHub answers a release download
 * with a redirect to its object store, which is why redirects are followed at all.
 */
import { UserError } from '../errors.ts';
import { describeNetworkError } from '../keys/endpoint-policy.ts';
import type { FetchLike } from '../ports.ts';

export interface DownloadOptions {
  /** Origins (`https://github.com`) the first request and every redirect may go to. */
  readonly origins: readonly string[];
  /** A larger body is refused. */
  readonly maxBytes: number;
  readonly fetch: FetchLike;
  /** Per request, redirects included. */
  readonly timeoutMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** The body, at most `maxBytes` of it, or a TOO_LARGE error. */
async function readCapped(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new UserError('TOO_LARGE', `${url} is ${declared} bytes; the limit is ${maxBytes}`);
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // fetch's body is a byte stream; the DOM typings leave its chunk type open.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new UserError('TOO_LARGE', `${url} is more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Downloads `url`; undefined when the server answers 404. */
export async function downloadAsset(url: string, options: DownloadOptions): Promise<Uint8Array | undefined> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const origin = URL.canParse(current) ? new URL(current).origin : undefined;
    if (origin === undefined || !options.origins.includes(origin)) {
      throw new UserError(
        'DOWNLOAD_FAILED',
        `refusing to download ${current}: only ${options.origins.join(', ')}`,
        {
          hint: hop === 0 ? undefined : `${url} redirected there`,
        },
      );
    }
    let response: Response;
    try {
      response = await options.fetch(current, { redirect: 'manual', signal });
    } catch (cause) {
      throw new UserError('DOWNLOAD_FAILED', `${current}: ${describeNetworkError(cause, new URL(current))}`, {
        cause,
      });
    }
    if (REDIRECTS.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null || hop >= MAX_REDIRECTS) {
        throw new UserError('DOWNLOAD_FAILED', `${url}: too many or empty redirects`);
      }
      current = new URL(location, current).href;
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UserError('DOWNLOAD_FAILED', `${current} answered HTTP ${response.status}`);
    }
    try {
      return await readCapped(response, current, options.maxBytes);
    } catch (cause) {
      if (cause instanceof UserError) throw cause;
      throw new UserError('DOWNLOAD_FAILED', `${current}: ${describeNetworkError(cause, new URL(current))}`, {
        cause,
      });
    }
  }
}
