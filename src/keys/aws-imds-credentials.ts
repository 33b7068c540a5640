/**
 * The EC2 instance metadata service, IMDSv2 only (a session token first), for self-hosted
 * runners. `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it, `AWS_EC2_METADATA_DISABLED=true`
 * turns it off. Its timeout is short: on a GitHub-hosted runner nothing answers there, and
 * that must not slow the run.
 */
import { UserError } from '../errors.ts';
import {
  envValue,
  type AwsCredentialSource,
  type AwsSourceContext,
  type Env,
  type SourcedCredentials,
} from './aws-credential-source.ts';
import { metadataCredentials, metadataRequest } from './aws-metadata-answer.ts';

const IMDS_DEFAULT = 'http://169.254.169.254';

/** The service's base URL, or why the endpoint variable cannot be used. */
function imdsBase(env: Env): URL | string {
  const value = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT') ?? IMDS_DEFAULT;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    return 'AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http(s) URL without credentials';
  }
  return url;
}

export class AwsImdsCredentials implements AwsCredentialSource {
  private readonly context: AwsSourceContext;

  constructor(context: AwsSourceContext) {
    this.context = context;
  }

  /** `AWS_EC2_METADATA_DISABLED=true`. */
  get disabled(): boolean {
    return envValue(this.context.env, 'AWS_EC2_METADATA_DISABLED')?.toLowerCase() === 'true';
  }

  get location(): string {
    if (this.disabled) return 'instance metadata (disabled)';
    const base = imdsBase(this.context.env);
    return `instance metadata IMDSv2 at ${typeof base === 'string' ? '(invalid)' : base.origin}`;
  }

  /** The instance profile role's credentials; every failure is a UserError naming the service. */
  async credentials(): Promise<SourcedCredentials> {
    const { mask } = this.context;
    const base = imdsBase(this.context.env);
    if (typeof base === 'string') throw new UserError('KEY_SOURCE', `aws instance metadata: ${base}`);
    const root = base.href.replace(/\/+$/, '');
    const what = `aws instance metadata (IMDSv2 at ${base.origin})`;
    const get = (url: URL, method: 'GET' | 'PUT', headers: Record<string, string>) =>
      metadataRequest(this.context.fetch, this.context.metadataTimeoutMs, { url, method, headers, what });
    const tokenAnswer = await get(new URL(`${root}/latest/api/token`), 'PUT', {
      'x-aws-ec2-metadata-token-ttl-seconds': '21600',
    });
    if (tokenAnswer.status !== 200 || tokenAnswer.body.trim() === '') {
      throw new UserError(
        'KEY_SOURCE',
        `${what}: the session token request answered HTTP ${tokenAnswer.status}`,
      );
    }
    const token = tokenAnswer.body.trim();
    mask(token);
    const headers = { 'x-aws-ec2-metadata-token': token };
    const listUrl = new URL(`${root}/latest/meta-data/iam/security-credentials/`);
    const list = await get(listUrl, 'GET', headers);
    const role = list.body.split(/\r?\n/)[0]?.trim() ?? '';
    if (list.status !== 200 || role === '' || !/^[\w+=,.@-]+$/.test(role)) {
      throw new UserError(
        'KEY_SOURCE',
        `${what}: no instance profile role (HTTP ${list.status}); attach an IAM role to the runner's instance`,
      );
    }
    const answer = await get(new URL(`${listUrl.href}${role}`), 'GET', headers);
    if (answer.status !== 200)
      throw new UserError('KEY_SOURCE', `${what}: role ${role} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `instance profile role ${role}`, mask);
  }
}
