/**
 * GitHub OIDC for GCP (`gcp-workload-identity-provider`): the job's ID token (audience
 * `https://iam.googleapis.com/{provider}`, as google-github-actions/auth asks for) exchanged
 * at STS for a federated token.
 */
import { UserError } from '../errors.ts';
import { postApproved, sanitizeRemoteMessage } from './endpoint-policy.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  gcpEndpoint,
  googleError,
  type GcpAccessToken,
  type GcpChainContext,
} from './gcp-credential-source.ts';
import { refusedExchangeMessage, type IdToken } from './id-token.ts';
import { readOAuthToken } from './oauth-answer.ts';

/** The federated token for the provider. */
export async function federateGithubOidc(context: GcpChainContext, wip: string): Promise<GcpAccessToken> {
  const { env, mask, now } = context;
  const token: IdToken = await context.idToken(`https://iam.googleapis.com/${wip}`);
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience: `//iam.googleapis.com/${wip}`,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token: token.value,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  }).toString();
  const what = 'gcp sts';
  const answer = await postApproved(
    context.fetch,
    gcpEndpoint(env, 'KSD_GCP_STS_ENDPOINT', 'https://sts.googleapis.com/v1/token'),
    { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    what,
    context.timeoutMs,
  );
  if (answer.status !== 200) {
    const detail = sanitizeRemoteMessage(googleError(answer.body), [token.value, body]);
    throw new UserError(
      'KEY_SOURCE',
      refusedExchangeMessage(what, `HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}`, token),
    );
  }
  const federated = readOAuthToken(answer.body, { what, mask, now: now() });
  return { ...federated, from: `workload identity ${wip}` };
}
