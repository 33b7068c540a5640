/**
 * AWS Signature Version 4 with node:crypto. The AWS SDK is not used: it would add megabytes
 * to the bundle and slow the age-only path, and the two calls sops makes (KMS Decrypt over
 * JSON, STS AssumeRole over the Query protocol) need nothing but a signed POST.
 *
 * Checked against AWS's published SigV4 test suite (test/unit/keys/aws-sigv4.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';

/** Static or temporary AWS credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials (STS); sent as `X-Amz-Security-Token`. */
  readonly sessionToken?: string | undefined;
}

/** One request to sign. The body is hashed as given; `host` comes from the URL. */
export interface SigV4Request {
  readonly method: string;
  readonly url: URL;
  /** Headers to send and sign, any case. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly region: string;
  readonly service: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}

/** The signed request: every header to send (including `authorization`), and the steps. */
export interface SigV4Result {
  readonly headers: Readonly<Record<string, string>>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 wants. */
export function awsUriEncode(value: string, encodeSlash = true): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (char === '/' && !encodeSlash)) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI. The URL parser has already removed dot segments; each segment is decoded
 * and encoded once, so a raw and a pre-encoded path sign the same way. KMS and STS always use
 * `/`, so the S3-versus-others double-encoding rule never matters here.
 */
function canonicalUri(url: URL): string {
  const path = url.pathname === '' ? '/' : url.pathname;
  return path
    .split('/')
    .map((segment) => awsUriEncode(decodeComponent(segment)))
    .join('/');
}

function canonicalQuery(url: URL): string {
  const raw = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  if (raw === '') return '';
  const pairs = raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      return [awsUriEncode(decodeComponent(name)), awsUriEncode(decodeComponent(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** `20150830T123600Z`. */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The signing key: the secret, HMAC-chained through date, region, service and `aws4_request`. */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Signs a request with SigV4 (Authorization header form). Pure: the clock is an input. */
export function signRequest(request: SigV4Request): SigV4Result {
  const timestamp = amzDate(request.now);
  const date = timestamp.slice(0, 8);
  const scope = `${date}/${request.region}/${request.service}/aws4_request`;

  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name.toLowerCase(), value);
  headers.set('host', request.url.host);
  headers.set('x-amz-date', timestamp);
  if (request.credentials.sessionToken !== undefined && request.credentials.sessionToken !== '') {
    headers.set('x-amz-security-token', request.credentials.sessionToken);
  }

  const names = [...headers.keys()].sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${(headers.get(name) ?? '').trim().replace(/ +/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body ?? ''),
  ].join('\n');
  const stringToSign = [ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac(
    'sha256',
    deriveSigningKey(request.credentials.secretAccessKey, date, request.region, request.service),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');

  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    // fetch sets Host from the URL itself and refuses to be given one.
    if (name !== 'host') out[name] = value;
  }
  out['authorization'] =
    `${ALGORITHM} Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: out, canonicalRequest, stringToSign, signature };
}
