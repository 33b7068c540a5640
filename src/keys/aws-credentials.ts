/**
 * AWS's ambient credential chain, for runs with no `aws-role-arn` and no `sops.aws-kms` in the
 * decryption Secret. Each source is its own module (aws-env-, aws-profile-, aws-container-,
 * aws-imds-credentials.ts); this one orders them as the SDKs resolve them:
 *
 * 1. `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
 * 2. a profile of the shared files (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, default
 *    `~/.aws/credentials` and `~/.aws/config`): `AWS_PROFILE`, else `default` when it exists.
 *    Static keys, or `role_arn` with `source_profile` (or `credential_source`), assumed with
 *    STS. SSO, `credential_process` and `web_identity_token_file` profiles are refused with a
 *    clear message;
 * 3. container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`/`_FULL_URI`, with
 *    `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`);
 * 4. the EC2 instance metadata service, IMDSv2 only (a session token first), for self-hosted
 *    runners. `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it, `AWS_EC2_METADATA_DISABLED=true`
 *    turns it off. Its timeout is short: on a GitHub-hosted runner nothing answers there, and
 *    that must not slow the run.
 *
 * A stanza's `aws_profile` is honoured when the shared files define that profile (sops does
 * the same); a profile the runner does not have (a developer's laptop profile) falls back to
 * the chain, since the files are the runner's own configuration. The key and role named by
 * the file still go through the allowlist in aws-kms.ts, whatever the credentials.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { UserError } from '../errors.ts';
import { AwsContainerCredentials } from './aws-container-credentials.ts';
import {
  envValue,
  type AwsSourceContext,
  type Env,
  type SourcedCredentials,
} from './aws-credential-source.ts';
import { AwsEnvCredentials } from './aws-env-credentials.ts';
import { AwsImdsCredentials } from './aws-imds-credentials.ts';
import { AwsProfileCredentials } from './aws-profile-credentials.ts';
import type { KmsArn } from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

export { parseSharedCredentials } from './aws-profile-credentials.ts';

/** What {@link createAwsAmbientCredentials} needs. */
export interface AwsAmbientOptions {
  readonly env: Env;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly readFile?: (file: string) => Promise<string>;
  readonly now?: () => Date;
  readonly hostname?: () => string;
  /** STS calls; default 30 s. */
  readonly timeoutMs?: number;
  /** Container and instance metadata calls; default 1 s each, as the SDKs. */
  readonly metadataTimeoutMs?: number;
}

/** The chain: base credentials for a key, honouring a stanza's `aws_profile`. */
export interface AwsAmbientCredentials {
  resolve(arn: KmsArn, stanzaProfile: string | undefined): Promise<SourcedCredentials>;
  /** Where the chain looks, for the key report. */
  readonly locations: readonly string[];
}

/** Credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

class AwsCredentialChain implements AwsAmbientCredentials {
  readonly locations: readonly string[];
  private readonly env: AwsEnvCredentials;
  private readonly profiles: AwsProfileCredentials;
  private readonly container: AwsContainerCredentials;
  private readonly imds: AwsImdsCredentials;
  // One resolution per run (per stanza profile), renewed before expiry. A chain that found
  // nothing is not asked again: every key would wait for the metadata timeout once more.
  private readonly cache = new Map<string, Promise<SourcedCredentials>>();

  private readonly context: AwsSourceContext;

  constructor(context: AwsSourceContext) {
    this.context = context;
    this.env = new AwsEnvCredentials(context.env, context.mask);
    this.container = new AwsContainerCredentials(context);
    this.imds = new AwsImdsCredentials(context);
    this.profiles = new AwsProfileCredentials(context, {
      env: this.env,
      container: this.container,
      imds: this.imds,
    });
    this.locations = [this.env.location, this.profiles.location, this.container.location, this.imds.location];
  }

  async resolve(arn: KmsArn, stanzaProfile: string | undefined): Promise<SourcedCredentials> {
    const profile = stanzaProfile?.trim();
    if (profile !== undefined && profile !== '') {
      const section = await this.profiles.section(profile);
      if (section !== undefined)
        return this.cached(`profile\n${profile}\n${arn.region}`, () =>
          this.profiles.credentials(profile, section, arn, [profile]),
        );
    }
    return this.cached(`chain\n${arn.region}`, () => this.chain(arn));
  }

  private async cached(
    cacheKey: string,
    load: () => Promise<SourcedCredentials>,
  ): Promise<SourcedCredentials> {
    const pending = this.cache.get(cacheKey);
    if (pending !== undefined) {
      const value = await pending;
      if (value.expiresAt === undefined || value.expiresAt - RENEW_BEFORE_MS > this.context.now().getTime())
        return value;
    }
    const fresh = load();
    this.cache.set(cacheKey, fresh);
    return fresh;
  }

  /** The chain without a stanza profile; every link tried is named in the final error. */
  private async chain(arn: KmsArn): Promise<SourcedCredentials> {
    if (this.env.found !== undefined) return this.env.found;
    const { filesShown } = this.profiles;
    const envProfile = envValue(this.context.env, 'AWS_PROFILE');
    if (envProfile !== undefined) {
      const section = await this.profiles.section(envProfile);
      if (section === undefined) {
        throw new UserError(
          'KEY_SOURCE',
          `AWS_PROFILE is ${JSON.stringify(envProfile)}, but ${filesShown || 'no shared file'} has no such profile`,
        );
      }
      return this.profiles.credentials(envProfile, section, arn, [envProfile]);
    }
    const defaultSection = await this.profiles.section('default');
    if (defaultSection !== undefined)
      return this.profiles.credentials('default', defaultSection, arn, ['default']);
    const container = await this.container.credentials();
    if (container !== undefined) return container;
    const tried = [
      'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)',
      `profile default in ${filesShown || '~/.aws'} (none)`,
      'container credentials (not set)',
    ];
    if (this.imds.disabled) {
      tried.push('instance metadata (AWS_EC2_METADATA_DISABLED)');
    } else {
      try {
        return await this.imds.credentials();
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        tried.push(error.message);
      }
    }
    throw new UserError(
      'KEY_SOURCE',
      `no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the aws-role-arn input (GitHub OIDC) or sops.aws-kms in decryption-secret; tried ${tried.join('; ')}`,
    );
  }
}

/** Creates the chain. Nothing is read or contacted until the first key needs it. */
export function createAwsAmbientCredentials(options: AwsAmbientOptions): AwsAmbientCredentials {
  return new AwsCredentialChain({
    env: options.env,
    mask: options.mask,
    fetch: options.fetch,
    readFile: options.readFile ?? ((file: string) => fsReadFile(file, 'utf8')),
    now: options.now ?? (() => new Date()),
    hostname: options.hostname ?? osHostname,
    timeoutMs: options.timeoutMs ?? 30_000,
    metadataTimeoutMs: options.metadataTimeoutMs ?? 1000,
  });
}
