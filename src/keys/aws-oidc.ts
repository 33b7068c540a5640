/**
 * AWS credentials from the job's GitHub OIDC token: STS `AssumeRoleWithWebIdentity` for the
 * configured `aws-role-arn` (as aws-actions/configure-aws-credentials does), in `aws-region`
 * or else the region of the KMS key being opened. The call is unsigned; the ID token is the
 * credential. The role comes from the workflow, never from a file, so it needs no allowlist.
 */
import { UserError } from '../errors.ts';
import { refusedExchangeMessage, type IdToken, type IdTokenProvider } from './id-token.ts';
import { xmlText } from './aws-assume-role.ts';
import type { AwsCredentialsProvider, SourcedCredentials } from './aws-credential-source.ts';
import {
  describeNetworkError,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
  sendApproved,
  type HttpAnswer,
  type KmsArn,
} from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** The audience AWS's GitHub OIDC provider expects (configure-aws-credentials' default). */
export const AWS_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface AwsWebIdentityOptions {
  /** `aws-role-arn`. */
  readonly roleArn: string;
  /** `aws-region`; default: the key ARN's region. */
  readonly region?: string | undefined;
  /** `aws-session-duration` in seconds; default 3600. */
  readonly sessionDurationSeconds?: number | undefined;
  /** For `AWS_ENDPOINT_URL_STS`/`AWS_ENDPOINT_URL` and `GITHUB_RUN_ID`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly idToken: IdTokenProvider;
  readonly mask: Mask;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** Credentials are renewed this long before they expire, so a call never carries stale ones. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** The session name CloudTrail shows: this tool and the run, within STS's character set. */
export function webIdentitySessionName(env: Readonly<Record<string, string | undefined>>): string {
  const run = (env['GITHUB_RUN_ID'] ?? '').replace(/[^\w+=,.@-]/g, '');
  return `kustomize-sops-deploy${run === '' ? '' : `-${run}`}`.slice(0, 64);
}

/** Creates a credentials provider for the `kms` source; one STS call per region per run. */
export function createAwsWebIdentityCredentials(options: AwsWebIdentityOptions): AwsCredentialsProvider {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { pending: Promise<SourcedCredentials & { expiresAt: number }> }>();

  async function assume(url: URL): Promise<SourcedCredentials & { expiresAt: number }> {
    const token: IdToken = await options.idToken(AWS_OIDC_AUDIENCE);
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: options.roleArn,
      RoleSessionName: webIdentitySessionName(options.env),
      WebIdentityToken: token.value,
      DurationSeconds: String(options.sessionDurationSeconds ?? 3600),
    }).toString();
    let answer: HttpAnswer;
    try {
      answer = await sendApproved(
        fetchFn,
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body,
        },
        timeoutMs,
      );
    } catch (error) {
      throw new UserError('KEY_SOURCE', `aws sts: ${describeNetworkError(error, url)}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const code = xmlText(answer.body, 'Code') ?? '';
      const message = sanitizeRemoteMessage(xmlText(answer.body, 'Message') ?? '', [token.value, body]);
      throw new UserError(
        'KEY_SOURCE',
        refusedExchangeMessage(
          `aws sts (role ${options.roleArn})`,
          `HTTP ${answer.status}${code === '' ? '' : ` ${code}`}${message === '' ? '' : `: ${message}`}`,
          token,
        ),
      );
    }
    const accessKeyId = xmlText(answer.body, 'AccessKeyId') ?? '';
    const secretAccessKey = xmlText(answer.body, 'SecretAccessKey') ?? '';
    const sessionToken = xmlText(answer.body, 'SessionToken') ?? '';
    if (secretAccessKey !== '') options.mask(secretAccessKey);
    if (sessionToken !== '') options.mask(sessionToken);
    if (accessKeyId === '' || secretAccessKey === '' || sessionToken === '') {
      throw new UserError(
        'KEY_SOURCE',
        `aws sts AssumeRoleWithWebIdentity for ${options.roleArn}: the answer has no credentials`,
      );
    }
    const expiration = Date.parse(xmlText(answer.body, 'Expiration') ?? '');
    return {
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      from: `web identity role ${options.roleArn}`,
      expiresAt: Number.isNaN(expiration) ? now() + 15 * 60_000 : expiration,
    };
  }

  return async (arn: KmsArn) => {
    const region = options.region ?? arn.region;
    const endpoint = resolveAwsEndpoint('sts', { ...arn, region }, options.env);
    if (!endpoint.ok) throw new UserError('KEY_SOURCE', endpoint.reason);
    const cacheKey = endpoint.url.href;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) {
      const value = await cached.pending.catch(() => undefined);
      if (value !== undefined && value.expiresAt - RENEW_BEFORE_MS > now()) return value;
    }
    const pending = assume(endpoint.url);
    const entry = { pending };
    cache.set(cacheKey, entry);
    // A refusal is not cached: the next key asks again (and fails the same way, with its message).
    pending.catch(() => {
      if (cache.get(cacheKey) === entry) cache.delete(cacheKey);
    });
    return pending;
  };
}
