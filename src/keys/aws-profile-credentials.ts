/**
 * Profiles of AWS's shared files (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, default
 * `~/.aws/credentials` and `~/.aws/config`): static keys, or `role_arn` with `source_profile`
 * (or `credential_source`), assumed with STS. SSO, `credential_process` and
 * `web_identity_token_file` profiles are refused with a clear message. The files are read
 * once, on first use, and a missing file is an empty one.
 */
import path from 'node:path';
import { UserError } from '../errors.ts';
import { assumeAwsRole } from './aws-assume-role.ts';
import type { AwsContainerCredentials } from './aws-container-credentials.ts';
import {
  envValue,
  staticCredentials,
  type AwsSourceContext,
  type SourcedCredentials,
} from './aws-credential-source.ts';
import type { AwsEnvCredentials } from './aws-env-credentials.ts';
import type { AwsImdsCredentials } from './aws-imds-credentials.ts';
import { resolveAwsEndpoint, type KmsArn } from './endpoint-policy.ts';

type Sections = Map<string, Map<string, string>>;
type Section = Map<string, string>;

/** Minimal INI reading of the shared files: sections of `key = value` lines. */
export function parseSharedCredentials(text: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header !== null) {
      const name = (header[1] ?? '').replace(/^profile\s+/, '');
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq === -1) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

const UNSUPPORTED = [
  ['sso_session', 'sso'],
  ['sso_start_url', 'sso'],
  ['credential_process', 'credential_process'],
  ['web_identity_token_file', 'web_identity_token_file'],
] as const;

/** The other sources a profile's `credential_source` may name. */
export interface ProfileBaseSources {
  readonly env: AwsEnvCredentials;
  readonly container: AwsContainerCredentials;
  readonly imds: AwsImdsCredentials;
}

export class AwsProfileCredentials {
  /** The shared files, as shown in messages. */
  readonly filesShown: string;
  private readonly credentialsFile: string | undefined;
  private readonly configFile: string | undefined;
  private files: Promise<{ credentials: Sections; config: Sections }> | undefined;

  private readonly context: AwsSourceContext;
  private readonly bases: ProfileBaseSources;

  constructor(context: AwsSourceContext, bases: ProfileBaseSources) {
    this.context = context;
    this.bases = bases;
    const { env } = context;
    const home = envValue(env, 'HOME');
    this.credentialsFile =
      envValue(env, 'AWS_SHARED_CREDENTIALS_FILE') ??
      (home === undefined ? undefined : path.join(home, '.aws', 'credentials'));
    this.configFile =
      envValue(env, 'AWS_CONFIG_FILE') ??
      (home === undefined ? undefined : path.join(home, '.aws', 'config'));
    this.filesShown = [this.credentialsFile, this.configFile].filter((f) => f !== undefined).join(', ');
  }

  get location(): string {
    return `shared profiles: ${this.filesShown || '(no HOME)'} (AWS_PROFILE ${envValue(this.context.env, 'AWS_PROFILE') ?? 'not set'}; static keys or role_arn)`;
  }

  private async loadFile(file: string | undefined): Promise<Sections> {
    if (file === undefined) return new Map();
    try {
      return parseSharedCredentials(await this.context.readFile(file));
    } catch {
      return new Map();
    }
  }

  private loadFiles(): Promise<{ credentials: Sections; config: Sections }> {
    this.files ??= (async () => ({
      credentials: await this.loadFile(this.credentialsFile),
      config: await this.loadFile(this.configFile),
    }))();
    return this.files;
  }

  /** A profile as the SDKs see it: the config file's section, overridden by the credentials file's. */
  async section(name: string): Promise<Section | undefined> {
    const { credentials, config } = await this.loadFiles();
    const fromConfig = config.get(name);
    const fromCredentials = credentials.get(name);
    if (fromConfig === undefined && fromCredentials === undefined) return undefined;
    const merged = new Map([...(fromConfig ?? []), ...(fromCredentials ?? [])]);
    for (const [key, value] of merged) {
      if (key === 'aws_secret_access_key' || key === 'aws_session_token') this.context.mask(value);
    }
    return merged;
  }

  /** The profile's credentials for a key; `seen` is the source_profile chain so far. */
  async credentials(
    name: string,
    section: Section,
    arn: KmsArn,
    seen: readonly string[],
  ): Promise<SourcedCredentials> {
    const where = `aws profile ${JSON.stringify(name)} (${this.filesShown})`;
    for (const [key, feature] of UNSUPPORTED) {
      if (section.has(key) && !section.has('aws_access_key_id')) {
        throw new UserError(
          'UNSUPPORTED',
          `${where} uses ${feature}, which is not supported; use static keys or role_arn with source_profile, or the aws-role-arn input (GitHub OIDC)`,
        );
      }
    }
    const roleArn = section.get('role_arn');
    if (roleArn === undefined) {
      const found = staticKeys(name, section);
      if (found !== undefined) return found;
      throw new UserError(
        'KEY_SOURCE',
        `${where} has neither aws_access_key_id/aws_secret_access_key nor role_arn with source_profile`,
      );
    }
    const base = await this.baseCredentials(name, section, arn, seen, where);
    return this.assumeProfileRole(name, section, arn, roleArn, base);
  }

  /** What a role profile assumes its role with: its source_profile or credential_source. */
  private async baseCredentials(
    name: string,
    section: Section,
    arn: KmsArn,
    seen: readonly string[],
    where: string,
  ): Promise<SourcedCredentials> {
    const sourceName = section.get('source_profile');
    const credentialSource = section.get('credential_source');
    if (sourceName !== undefined && sourceName !== '') {
      if (sourceName === name) {
        const own = staticKeys(name, section);
        if (own === undefined)
          throw new UserError('KEY_SOURCE', `${where} is its own source_profile but has no static keys`);
        return own;
      }
      if (seen.includes(sourceName)) {
        throw new UserError(
          'KEY_SOURCE',
          `${where}: source_profile chain loops (${[...seen, sourceName].join(' -> ')})`,
        );
      }
      const source = await this.section(sourceName);
      if (source === undefined)
        throw new UserError(
          'KEY_SOURCE',
          `${where}: source_profile ${JSON.stringify(sourceName)} does not exist`,
        );
      return this.credentials(sourceName, source, arn, [...seen, sourceName]);
    }
    if (credentialSource === 'Environment') {
      if (this.bases.env.found === undefined)
        throw new UserError(
          'KEY_SOURCE',
          `${where}: credential_source Environment, but AWS_ACCESS_KEY_ID is not set`,
        );
      return this.bases.env.found;
    }
    if (credentialSource === 'Ec2InstanceMetadata') return this.bases.imds.credentials();
    if (credentialSource === 'EcsContainer') {
      const container = await this.bases.container.credentials();
      if (container === undefined)
        throw new UserError(
          'KEY_SOURCE',
          `${where}: credential_source EcsContainer, but no container credentials variable is set`,
        );
      return container;
    }
    throw new UserError('KEY_SOURCE', `${where} has role_arn but no source_profile or credential_source`);
  }

  private async assumeProfileRole(
    name: string,
    section: Section,
    arn: KmsArn,
    roleArn: string,
    base: SourcedCredentials,
  ): Promise<SourcedCredentials> {
    const { env, hostname } = this.context;
    const region = section.get('region') ?? arn.region;
    const sts = resolveAwsEndpoint('sts', { ...arn, region }, env);
    if (!sts.ok) throw new UserError('KEY_SOURCE', sts.reason);
    const sessionName =
      section.get('role_session_name') ?? `sops@${hostname().replace(/[^\w+=,.@-]+/g, '')}`.slice(0, 64);
    const assumed = await assumeAwsRole({
      role: roleArn,
      sessionName,
      externalId: section.get('external_id'),
      stsUrl: sts.url,
      region,
      base,
      fetch: this.context.fetch,
      mask: this.context.mask,
      now: this.context.now,
      timeoutMs: this.context.timeoutMs,
    });
    return { ...assumed, from: `profile ${name} (role ${roleArn} via ${base.from})` };
  }
}

/** A profile's static keys, or undefined when it has none. */
function staticKeys(name: string, section: Section): SourcedCredentials | undefined {
  return staticCredentials(
    section.get('aws_access_key_id') ?? '',
    section.get('aws_secret_access_key') ?? '',
    section.get('aws_session_token') ?? '',
    `profile ${name}`,
  );
}
