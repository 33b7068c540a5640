/**
 * GitHub OIDC for Azure (`azure-client-id` + `azure-tenant-id`): the job's ID token is the
 * client assertion of an Entra client-credentials grant. A new ID token is fetched for each
 * exchange (Entra refuses a reused assertion: AADSTS700024).
 */
import { UserError } from '../errors.ts';
import { azureError, entraTokenUrl, JWT_BEARER, KEY_VAULT_SCOPE } from './azure-credential-source.ts';
import { postApproved, sanitizeRemoteMessage } from './endpoint-policy.ts';
import { refusedExchangeMessage, type IdTokenProvider } from './id-token.ts';
import { readOAuthToken, type OAuthToken } from './oauth-answer.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** The audience Entra ID's GitHub federated credentials expect. */
export const AZURE_OIDC_AUDIENCE = 'api://AzureADTokenExchange';

export interface AzureOidcOptions {
  readonly clientId: string;
  readonly tenantId: string;
  /** `AZURE_AUTHORITY_HOST`, when set. */
  readonly authorityHost: string | undefined;
  readonly idToken: IdTokenProvider;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
}

/** Exchanges a fresh GitHub ID token for a Key Vault token. */
export async function exchangeGithubOidc(options: AzureOidcOptions): Promise<OAuthToken> {
  const url = entraTokenUrl(options.authorityHost, options.tenantId, 'azure-tenant-id');
  const token = await options.idToken(AZURE_OIDC_AUDIENCE);
  const body = new URLSearchParams({
    client_id: options.clientId,
    scope: KEY_VAULT_SCOPE,
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER,
    client_assertion: token.value,
  }).toString();
  const what = 'azure entra';
  const answer = await postApproved(
    options.fetch,
    url,
    { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    what,
    options.timeoutMs,
  );
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(azureError(answer.body), [token.value, body]);
    throw new UserError(
      'KEY_SOURCE',
      refusedExchangeMessage(what, `HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}`, token),
    );
  }
  return readOAuthToken(answer.body, { what, mask: options.mask, now: options.now() });
}
