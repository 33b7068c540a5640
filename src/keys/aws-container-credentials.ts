/**
 * Container credentials (ECS, EKS pod identity): `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or
 * `_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`. Plain http is allowed only to
 * the container agent's link-local hosts or loopback, as the SDKs allow it.
 */
import { UserError } from '../errors.ts';
import {
  envValue,
  type AwsCredentialSource,
  type AwsSourceContext,
  type SourcedCredentials,
} from './aws-credential-source.ts';
import { metadataCredentials, metadataRequest } from './aws-metadata-answer.ts';

const CONTAINER_RELATIVE_HOST = 'http://169.254.170.2';
/** The hosts the SDKs let a plain-http FULL_URI name (ECS, EKS pod identity, loopback). */
const CONTAINER_HTTP_HOSTS = new Set([
  '169.254.170.2',
  '169.254.170.23',
  '[fd00:ec2::23]',
  'localhost',
  '[::1]',
]);
const WHAT = 'aws container credentials';

/** The SDKs' rule: https, or plain http only to the container agent's hosts or loopback. */
function allowedUrl(url: URL): boolean {
  const loopback = /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.username !== '' || url.password !== '') return false;
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && (loopback || CONTAINER_HTTP_HOSTS.has(url.hostname)))
  );
}

export class AwsContainerCredentials implements AwsCredentialSource {
  private readonly relative: string | undefined;
  private readonly full: string | undefined;

  private readonly context: AwsSourceContext;

  constructor(context: AwsSourceContext) {
    this.context = context;
    this.relative = envValue(context.env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
    this.full = envValue(context.env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  }

  get location(): string {
    return `container credentials (${this.relative !== undefined || this.full !== undefined ? 'set' : 'not set'})`;
  }

  /** Undefined when neither variable is set. */
  async credentials(): Promise<SourcedCredentials | undefined> {
    if (this.relative === undefined && this.full === undefined) return undefined;
    const { env, mask } = this.context;
    let url: URL;
    try {
      url = new URL(
        this.relative !== undefined ? `${CONTAINER_RELATIVE_HOST}${this.relative}` : (this.full ?? ''),
      );
    } catch {
      throw new UserError('KEY_SOURCE', `${WHAT}: AWS_CONTAINER_CREDENTIALS_*_URI is not a URL`);
    }
    if (!allowedUrl(url)) {
      throw new UserError(
        'KEY_SOURCE',
        `${WHAT}: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the container agent (169.254.170.2)`,
      );
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const tokenFile = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    let token = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
    if (tokenFile !== undefined) {
      try {
        token = (await this.context.readFile(tokenFile)).trim();
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `${WHAT}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile}`,
        );
      }
    }
    if (token !== undefined && token !== '') {
      mask(token);
      headers['authorization'] = token;
    }
    const answer = await metadataRequest(this.context.fetch, this.context.metadataTimeoutMs, {
      url,
      method: 'GET',
      headers,
      what: WHAT,
    });
    if (answer.status !== 200)
      throw new UserError('KEY_SOURCE', `${WHAT}: ${url.origin} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `${WHAT} from ${url.origin}`, mask);
  }
}
