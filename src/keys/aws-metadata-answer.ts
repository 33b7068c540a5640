/**
 * The HTTP call and the answer shared by the container and instance-metadata sources: a short
 * request that never follows a redirect (the token header must go nowhere else), and AWS's
 * metadata-style JSON (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
 */
import { UserError } from '../errors.ts';
import type { SourcedCredentials } from './aws-credential-source.ts';
import { describeNetworkError } from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** One metadata request; a network failure is a UserError naming `what`. */
export async function metadataRequest(
  fetchFn: FetchLike,
  timeoutMs: number,
  request: { url: URL; method: 'GET' | 'PUT'; headers: Record<string, string>; what: string },
): Promise<{ status: number; body: string }> {
  const { url, method, headers, what } = request;
  try {
    const response = await fetchFn(url.href, {
      method,
      headers,
      // Never follow: the token header must not travel anywhere else.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
  }
}

/** Reads the metadata-style JSON; the secret parts are masked before anything can fail. */
export function metadataCredentials(body: string, from: string, mask: Mask): SourcedCredentials {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new UserError('KEY_SOURCE', `${from}: the answer is not JSON`);
  }
  const text = (name: string): string => (typeof parsed[name] === 'string' ? parsed[name] : '');
  const accessKeyId = text('AccessKeyId');
  const secretAccessKey = text('SecretAccessKey');
  const sessionToken = text('Token');
  // Masked the moment we hold them, before anything can fail.
  if (secretAccessKey !== '') mask(secretAccessKey);
  if (sessionToken !== '') mask(sessionToken);
  if (accessKeyId === '' || secretAccessKey === '') {
    const code = text('Code');
    throw new UserError(
      'KEY_SOURCE',
      `${from}: the answer has no credentials${code === '' ? '' : ` (${code})`}`,
    );
  }
  const expiration = Date.parse(text('Expiration'));
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
    from,
    ...(Number.isNaN(expiration) ? {} : { expiresAt: expiration }),
  };
}
