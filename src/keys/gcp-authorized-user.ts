/** Google `authorized_user` credentials: a refresh-token grant (what `gcloud auth application-default login` writes). */
import { UserError } from '../errors.ts';
import {
  DEFAULT_TOKEN_URI,
  endpointUrl,
  field,
  oauthToken,
  postForm,
  type GcpAccessToken,
  type GcpSourceContext,
  type Json,
} from './gcp-credential-source.ts';

/** A new token from the refresh token. */
export async function authorizedUserToken(
  json: Json,
  source: string,
  options: GcpSourceContext,
): Promise<GcpAccessToken> {
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
  const answer = await postForm(options, tokenUri, body, what);
  return oauthToken(options, answer, {
    what,
    from: `authorized_user (${source})`,
    secrets: [clientSecret, refreshToken, body],
    hint: 'run `gcloud auth application-default login` again, or use a service account or workload identity',
  });
}
