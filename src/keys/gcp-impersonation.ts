/**
 * Service account impersonation through IAM Credentials `generateAccessToken`: how
 * `gcp-service-account` turns a federated, file or metadata token into that account's token.
 */
import { UserError } from '../errors.ts';
import { postApproved } from './endpoint-policy.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  gcpEndpoint,
  impersonationToken,
  joinPath,
  type GcpAccessToken,
  type GcpChainContext,
} from './gcp-credential-source.ts';

const SERVICE_ACCOUNT_RE = /^[^@\s/:]+@[^@\s/:]+$/;

/** `email`'s token through IAM Credentials; `hint` says which role the caller lacks when refused. */
export async function impersonateServiceAccount(
  context: GcpChainContext,
  federated: GcpAccessToken,
  email: string,
  hint: string,
): Promise<GcpAccessToken> {
  const { env, mask, now } = context;
  if (!SERVICE_ACCOUNT_RE.test(email)) {
    throw new UserError('KEY_SOURCE', `gcp-service-account "${email}" is not an email address`);
  }
  const base = gcpEndpoint(env, 'KSD_GCP_IAM_ENDPOINT', 'https://iamcredentials.googleapis.com');
  const url = joinPath(
    base,
    `/v1/projects/-/serviceAccounts/${encodeURIComponent(email)}:generateAccessToken`,
  );
  const what = `gcp service account impersonation of ${email}`;
  const answer = await postApproved(
    context.fetch,
    url,
    { 'content-type': 'application/json', authorization: `Bearer ${federated.value}` },
    JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: '3600s' }),
    what,
    context.timeoutMs,
  );
  return impersonationToken(mask, now(), answer, {
    what,
    from: `service account ${email} (impersonated by ${federated.from})`,
    secrets: [federated.value],
    hint,
  });
}
