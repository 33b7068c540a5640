/**
 * One GET to a chart repository with node's https (no extra dependency): the repository's own
 * CA and client certificate when its Secret gives them, basic auth only when the request goes
 * to the repository's own host, the remote address policy at connect time, a size limit
 * (source-controller's: 50 MiB for an index, 10 MiB for a chart), no redirects followed, and
 * a timeout. Errors name the URL without credentials and never a response body.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { UserError, errorMessage } from '../errors.ts';
import { checkRemoteUrl, guardedLookup } from './remote-policy.ts';
import type { RemotePolicy } from './remote-policy.ts';

export interface RepositoryAccess {
  /** The repository URL; credentials go only to its scheme, host and port. */
  readonly origin: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * A chart repository that could not be reached, or that the address policy refused: the
 * release is then not rendered (its objects are unknown), rather than the run failing.
 */
export class ChartFetchError extends UserError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/**
 * A chart whose digest is not the one its source pins (an index's digest, an OCIRepository's
 * `spec.ref.digest`): the source-controller refuses such an artifact, so the release is not
 * rendered, with this reason, rather than rendered from content nobody reviewed.
 */
export class ChartDigestError extends ChartFetchError {}

export const MAX_INDEX_BYTES = 50 * 1024 * 1024;
export const MAX_CHART_BYTES = 10 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Fetches `raw` and returns the body; throws a UserError naming `what`. */
export async function fetchFromRepository(
  raw: string,
  access: RepositoryAccess,
  policy: RemotePolicy,
  limit: number,
  what: string,
): Promise<Buffer> {
  const checked = checkRemoteUrl(raw, policy);
  if (!checked.ok) throw new ChartFetchError(`${what}: ${checked.reason}`);
  const url = checked.url;
  const sameOrigin = new URL(access.origin).origin === url.origin;
  const headers: Record<string, string> = { 'user-agent': 'kustomize-sops-deploy' };
  if (sameOrigin && access.username !== undefined) {
    headers['authorization'] =
      `Basic ${Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64')}`;
  }
  const tls = sameOrigin ? { ca: access.ca, cert: access.cert, key: access.key } : {};
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Buffer>((resolve, reject) => {
    const fail = (reason: string): void => {
      reject(new ChartFetchError(`${what}: GET ${shown(url)} failed: ${reason}`));
    };
    const req = request(
      url,
      { method: 'GET', headers, lookup: guardedLookup(policy), timeout: TIMEOUT_MS, ...tls },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          res.resume();
          fail(
            `HTTP ${String(status)}${status === 401 || status === 403 ? ' (check the repository secretRef)' : ''}`,
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            req.destroy();
            fail(`larger than ${String(limit)} bytes`);
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', (error) => fail(errorMessage(error)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${String(TIMEOUT_MS / 1000)} s`)));
    req.on('error', (error) => fail(errorMessage(error)));
    req.end();
  });
}
