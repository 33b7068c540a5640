/**
 * Google `service_account` credentials: an RS256 JWT signed here with the file's key
 * (node:crypto), exchanged at `token_uri` (RFC 7523 jwt-bearer grant).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { UserError } from '../errors.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  DEFAULT_TOKEN_URI,
  endpointUrl,
  field,
  oauthToken,
  postForm,
  type GcpAccessToken,
  type GcpSourceContext,
  type Json,
} from './gcp-credential-source.ts';

/** A new token for the service account. */
export async function serviceAccountToken(
  json: Json,
  source: string,
  options: GcpSourceContext,
): Promise<GcpAccessToken> {
  const { now } = options;
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
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) })}.${encode({
    iss: email,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: tokenUri.href,
    iat: issuedAt,
    exp: issuedAt + 3600,
  })}`;
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
  const answer = await postForm(options, tokenUri, body, what);
  return oauthToken(options, answer, {
    what,
    from: `service account ${email} (${source})`,
    secrets: [assertion, body],
    hint: 'the key may be deleted or disabled; create a new key for the service account',
  });
}
