/**
 * STS `AssumeRole`, signed with base credentials: used for a stanza's `role` (sops's second
 * assume) and for a shared-config profile's `role_arn` with `source_profile`. The caller has
 * already approved the role (stanza roles go through the allowlist; profile roles are the
 * machine's own configuration) and the STS endpoint.
 */
import { UserError } from '../errors.ts';
import { signRequest } from './aws-sigv4.ts';
import {
  describeNetworkError,
  sanitizeRemoteMessage,
  sendApproved,
  type HttpAnswer,
} from './endpoint-policy.ts';
import type { SourcedCredentials } from './aws-credential-source.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** The text of the first `<tag>` in an AWS query-API answer, unescaped. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match === null) return undefined;
  return (match[1] ?? '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** One AssumeRole call. */
export interface AssumeRoleRequest {
  readonly role: string;
  readonly sessionName: string;
  /** `external_id` of a profile, when it has one. */
  readonly externalId?: string | undefined;
  readonly stsUrl: URL;
  /** The signing region. */
  readonly region: string;
  readonly base: SourcedCredentials;
  readonly fetch: FetchLike;
  readonly mask: Mask;
  readonly now: () => Date;
  readonly timeoutMs: number;
}

/** Assumes `role`; the new credentials are masked before anything can fail. */
export async function assumeAwsRole(request: AssumeRoleRequest): Promise<SourcedCredentials> {
  const { role, base, stsUrl } = request;
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    RoleArn: role,
    RoleSessionName: request.sessionName,
    ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
    Version: '2011-06-15',
  }).toString();
  const signed = signRequest({
    method: 'POST',
    url: stsUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
    region: request.region,
    service: 'sts',
    credentials: base.credentials,
    now: request.now(),
  });
  let answer: HttpAnswer;
  try {
    answer = await sendApproved(
      request.fetch,
      stsUrl,
      { method: 'POST', headers: signed.headers, body },
      request.timeoutMs,
    );
  } catch (error) {
    throw new UserError('KEY_SOURCE', `aws sts: ${describeNetworkError(error, stsUrl)}`);
  }
  if (answer.status < 200 || answer.status >= 300) {
    const code = xmlText(answer.body, 'Code') ?? '';
    const message = sanitizeRemoteMessage(xmlText(answer.body, 'Message') ?? '', [
      base.credentials.secretAccessKey,
    ]);
    throw new UserError(
      'KEY_SOURCE',
      `failed to assume role ${role} with ${base.from}: HTTP ${answer.status}${code === '' ? '' : ` ${code}`}${message === '' ? '' : `: ${message}`}`,
    );
  }
  const accessKeyId = xmlText(answer.body, 'AccessKeyId') ?? '';
  const secretAccessKey = xmlText(answer.body, 'SecretAccessKey') ?? '';
  const sessionToken = xmlText(answer.body, 'SessionToken') ?? '';
  if (secretAccessKey !== '') request.mask(secretAccessKey);
  if (sessionToken !== '') request.mask(sessionToken);
  if (accessKeyId === '' || secretAccessKey === '' || sessionToken === '') {
    throw new UserError('KEY_SOURCE', `failed to assume role ${role}: the answer has no credentials`);
  }
  const expiration = Date.parse(xmlText(answer.body, 'Expiration') ?? '');
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    from: `role ${role}`,
    ...(Number.isNaN(expiration) ? {} : { expiresAt: expiration }),
  };
}
