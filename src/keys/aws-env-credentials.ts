/**
 * The first source of AWS's ambient chain: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
 * (+ `AWS_SESSION_TOKEN`). The secret parts are masked when the source is built.
 */
import {
  envValue,
  staticCredentials,
  type AwsCredentialSource,
  type Env,
  type SourcedCredentials,
} from './aws-credential-source.ts';
import type { Mask } from '../ports.ts';

export class AwsEnvCredentials implements AwsCredentialSource {
  /** The keys, or undefined when the variables are not both set. */
  readonly found: SourcedCredentials | undefined;

  constructor(env: Env, mask: Mask) {
    const secretAccessKey = envValue(env, 'AWS_SECRET_ACCESS_KEY') ?? '';
    const sessionToken = envValue(env, 'AWS_SESSION_TOKEN') ?? '';
    if (secretAccessKey !== '') mask(secretAccessKey);
    if (sessionToken !== '') mask(sessionToken);
    this.found = staticCredentials(
      envValue(env, 'AWS_ACCESS_KEY_ID') ?? '',
      secretAccessKey,
      sessionToken,
      'AWS_ACCESS_KEY_ID',
    );
  }

  get location(): string {
    return `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${this.found === undefined ? 'not set' : 'set'})`;
  }

  credentials(): Promise<SourcedCredentials | undefined> {
    return Promise.resolve(this.found);
  }
}
