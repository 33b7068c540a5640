/**
 * Google `external_account` credentials (workload identity federation): a subject token from
 * `credential_source.file` or `.url`, exchanged at `token_url` (STS), then optionally
 * `service_account_impersonation_url`. AWS (`environment_id`) and executable sources are
 * refused with a clear message.
 */
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { describeNetworkError, postApproved } from './endpoint-policy.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  DEFAULT_STS_URL,
  endpointUrl,
  field,
  impersonationToken,
  oauthToken,
  postForm,
  type GcpAccessToken,
  type GcpSourceContext,
  type Json,
} from './gcp-credential-source.ts';

/** The subject token, from the file or URL the credentials name; masked before it is used. */
async function subjectToken(json: Json, source: string, options: GcpSourceContext): Promise<string> {
  const { mask } = options;
  const credentialSource = json['credential_source'];
  if (!isRecord(credentialSource)) {
    throw new UserError(
      'KEY_SOURCE',
      `gcp external_account credentials in ${source} have no credential_source`,
    );
  }
  if (credentialSource['environment_id'] !== undefined || credentialSource['executable'] !== undefined) {
    throw new UserError(
      'UNSUPPORTED',
      `gcp external_account credentials in ${source} use an ${credentialSource['environment_id'] !== undefined ? 'environment_id (AWS)' : 'executable'} credential_source, which is not supported; use a file or url source, or the gcp-workload-identity-provider input (GitHub OIDC)`,
    );
  }
  const file = field(credentialSource, 'file');
  const url = field(credentialSource, 'url');
  let raw: string;
  if (file !== undefined) {
    try {
      raw = await options.readFile(file);
    } catch {
      throw new UserError(
        'KEY_SOURCE',
        `gcp external_account (${source}): cannot read credential_source.file ${file}`,
      );
    }
  } else if (url !== undefined) {
    const target = endpointUrl(url, `credential_source.url in ${source}`);
    const headers: Record<string, string> = {};
    const extra = credentialSource['headers'];
    if (isRecord(extra)) {
      for (const [name, value] of Object.entries(extra)) {
        if (typeof value === 'string') {
          mask(value.replace(/^bearer\s+/i, ''));
          headers[name] = value;
        }
      }
    }
    const what = `gcp external_account (${source}): subject token from ${target.origin}`;
    let response: Response;
    try {
      response = await options.fetch(target.href, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, target)}`);
    }
    raw = await response.text();
    if (response.status !== 200) throw new UserError('KEY_SOURCE', `${what}: HTTP ${response.status}`);
  } else {
    throw new UserError(
      'KEY_SOURCE',
      `gcp external_account credentials in ${source}: credential_source has no file or url`,
    );
  }
  const format = isRecord(credentialSource['format']) ? credentialSource['format'] : {};
  let token = raw.trim();
  if (format['type'] === 'json') {
    const name = field(format, 'subject_token_field_name') ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const value = isRecord(parsed) ? parsed[name] : undefined;
    if (typeof value !== 'string' || value === '') {
      throw new UserError(
        'KEY_SOURCE',
        `gcp external_account (${source}): the subject token source has no "${name}" field`,
      );
    }
    token = value;
  }
  if (token === '')
    throw new UserError('KEY_SOURCE', `gcp external_account (${source}): the subject token is empty`);
  mask(token);
  return token;
}

/** A token through STS, then the impersonated account's when the credentials name one. */
export async function externalAccountToken(
  json: Json,
  source: string,
  options: GcpSourceContext,
): Promise<GcpAccessToken> {
  const { mask, now } = options;
  const audience = field(json, 'audience');
  const tokenType = field(json, 'subject_token_type');
  if (audience === undefined || tokenType === undefined) {
    throw new UserError(
      'KEY_SOURCE',
      `gcp external_account credentials in ${source} lack audience or subject_token_type`,
    );
  }
  const token = await subjectToken(json, source, options);
  const stsUrl = endpointUrl(field(json, 'token_url') ?? DEFAULT_STS_URL, `token_url in ${source}`);
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token: token,
    subject_token_type: tokenType,
  }).toString();
  const what = `gcp sts for external_account (${source})`;
  const answer = await postForm(options, stsUrl, body, what);
  const federated = oauthToken(options, answer, {
    what,
    from: `workload identity ${audience.replace(/^\/\/iam\.googleapis\.com\//, '')}`,
    secrets: [token, body],
    hint: "check the provider's allowed audiences and attribute condition against the subject token",
  });
  const impersonation = field(json, 'service_account_impersonation_url');
  if (impersonation === undefined) return federated;
  const url = endpointUrl(impersonation, `service_account_impersonation_url in ${source}`);
  const account =
    /serviceAccounts\/([^/:]+):generateAccessToken/.exec(decodeURIComponent(url.pathname))?.[1] ??
    url.pathname;
  const impersonateWhat = `gcp service account impersonation of ${account}`;
  const lifetimeSetting = isRecord(json['service_account_impersonation'])
    ? Number(json['service_account_impersonation']['token_lifetime_seconds'])
    : Number.NaN;
  const impersonated = await postApproved(
    options.fetch,
    url,
    { 'content-type': 'application/json', authorization: `Bearer ${federated.value}` },
    JSON.stringify({
      scope: [CLOUD_PLATFORM_SCOPE],
      lifetime: `${Number.isFinite(lifetimeSetting) ? lifetimeSetting : 3600}s`,
    }),
    impersonateWhat,
    options.timeoutMs,
  );
  return impersonationToken(mask, now(), impersonated, {
    what: impersonateWhat,
    from: `service account ${account} (${source})`,
    secrets: [federated.value],
    hint: "the pool's principal needs roles/iam.workloadIdentityUser on the service account",
  });
}
