/**
 * AWS's ambient credential chain, for runs with no `aws-role-arn` and no `sops.aws-kms` in the
 * decryption Secret. In the order the SDKs resolve it:
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
import path from 'node:path';
import { UserError } from '../errors.ts';
import { assumeAwsRole } from './aws-assume-role.ts';
import type { SourcedCredentials } from './aws-kms.ts';
import { describeNetworkError, resolveAwsEndpoint, type KmsArn } from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Sections = Map<string, Map<string, string>>;

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
const CONTAINER_RELATIVE_HOST = 'http://169.254.170.2';
const IMDS_DEFAULT = 'http://169.254.169.254';
/** The hosts the SDKs let a plain-http FULL_URI name (ECS, EKS pod identity, loopback). */
const CONTAINER_HTTP_HOSTS = new Set([
  '169.254.170.2',
  '169.254.170.23',
  '[fd00:ec2::23]',
  'localhost',
  '[::1]',
]);

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

function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads the AWS metadata-style JSON (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`). */
function metadataCredentials(body: string, from: string, mask: Mask): SourcedCredentials {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new UserError('KEY_SOURCE', `${from}: the answer is not JSON`);
  }
  const text = (name: string): string => (typeof parsed[name] === 'string' ? parsed[name] : '');
  const accessKeyId = text('AccessKeyId');
  const secretAccessKey = text('SecretAccessKey');
  const sessionToken = text('Token');
  // Masked the moment we hold them, before anything can fail.
  if (secretAccessKey !== '') mask(secretAccessKey);
  if (sessionToken !== '') mask(sessionToken);
  if (accessKeyId === '' || secretAccessKey === '') {
    const code = text('Code');
    throw new UserError(
      'KEY_SOURCE',
      `${from}: the answer has no credentials${code === '' ? '' : ` (${code})`}`,
    );
  }
  const expiration = Date.parse(text('Expiration'));
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
    from,
    ...(Number.isNaN(expiration) ? {} : { expiresAt: expiration }),
  };
}

/** Creates the chain. Nothing is read or contacted until the first key needs it. */
export function createAwsAmbientCredentials(options: AwsAmbientOptions): AwsAmbientCredentials {
  const { env, mask } = options;
  const read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  const now = options.now ?? (() => new Date());
  const hostname = options.hostname ?? osHostname;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const metadataTimeoutMs = options.metadataTimeoutMs ?? 1000;
  const home = envValue(env, 'HOME');
  const credentialsFile =
    envValue(env, 'AWS_SHARED_CREDENTIALS_FILE') ??
    (home === undefined ? undefined : path.join(home, '.aws', 'credentials'));
  const configFile =
    envValue(env, 'AWS_CONFIG_FILE') ?? (home === undefined ? undefined : path.join(home, '.aws', 'config'));
  const filesShown = [credentialsFile, configFile].filter((f) => f !== undefined).join(', ');

  const envCredentials = ((): SourcedCredentials | undefined => {
    const accessKeyId = envValue(env, 'AWS_ACCESS_KEY_ID') ?? '';
    const secretAccessKey = envValue(env, 'AWS_SECRET_ACCESS_KEY') ?? '';
    const sessionToken = envValue(env, 'AWS_SESSION_TOKEN') ?? '';
    if (secretAccessKey !== '') mask(secretAccessKey);
    if (sessionToken !== '') mask(sessionToken);
    if (accessKeyId === '' || secretAccessKey === '') return undefined;
    return {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
      from: 'AWS_ACCESS_KEY_ID',
    };
  })();

  const loadFile = async (file: string | undefined): Promise<Sections> => {
    if (file === undefined) return new Map();
    try {
      return parseSharedCredentials(await read(file));
    } catch {
      return new Map();
    }
  };
  let files: Promise<{ credentials: Sections; config: Sections }> | undefined;
  const loadFiles = (): Promise<{ credentials: Sections; config: Sections }> => {
    files ??= (async () => ({
      credentials: await loadFile(credentialsFile),
      config: await loadFile(configFile),
    }))();
    return files;
  };

  /** A profile as the SDKs see it: the config file's section, overridden by the credentials file's. */
  async function profileSection(name: string): Promise<Map<string, string> | undefined> {
    const { credentials, config } = await loadFiles();
    const fromConfig = config.get(name);
    const fromCredentials = credentials.get(name);
    if (fromConfig === undefined && fromCredentials === undefined) return undefined;
    const merged = new Map([...(fromConfig ?? []), ...(fromCredentials ?? [])]);
    for (const [key, value] of merged) {
      if (key === 'aws_secret_access_key' || key === 'aws_session_token') mask(value);
    }
    return merged;
  }

  async function metadataGet(
    url: URL,
    method: 'GET' | 'PUT',
    headers: Record<string, string>,
    what: string,
  ): Promise<{ status: number; body: string }> {
    try {
      const response = await options.fetch(url.href, {
        method,
        headers,
        // Never follow: the token header must not travel anywhere else.
        redirect: 'manual',
        signal: AbortSignal.timeout(metadataTimeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
    }
  }

  async function containerCredentials(): Promise<SourcedCredentials | undefined> {
    const relative = envValue(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
    const full = envValue(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
    if (relative === undefined && full === undefined) return undefined;
    const what = 'aws container credentials';
    let url: URL;
    try {
      url = new URL(relative !== undefined ? `${CONTAINER_RELATIVE_HOST}${relative}` : (full ?? ''));
    } catch {
      throw new UserError('KEY_SOURCE', `${what}: AWS_CONTAINER_CREDENTIALS_*_URI is not a URL`);
    }
    // The SDKs' rule: plain http only to the container agent's link-local hosts or loopback.
    const loopback = /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
    if (
      url.username !== '' ||
      url.password !== '' ||
      (url.protocol !== 'https:' &&
        !(url.protocol === 'http:' && (loopback || CONTAINER_HTTP_HOSTS.has(url.hostname))))
    ) {
      throw new UserError(
        'KEY_SOURCE',
        `${what}: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the container agent (169.254.170.2)`,
      );
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const tokenFile = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    let token = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
    if (tokenFile !== undefined) {
      try {
        token = (await read(tokenFile)).trim();
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          `${what}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile}`,
        );
      }
    }
    if (token !== undefined && token !== '') {
      mask(token);
      headers['authorization'] = token;
    }
    const answer = await metadataGet(url, 'GET', headers, what);
    if (answer.status !== 200)
      throw new UserError('KEY_SOURCE', `${what}: ${url.origin} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `${what} from ${url.origin}`, mask);
  }

  function imdsBase(): URL | string {
    const value = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT') ?? IMDS_DEFAULT;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL';
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      return 'AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http(s) URL without credentials';
    }
    return url;
  }

  async function instanceMetadataCredentials(): Promise<SourcedCredentials> {
    const base = imdsBase();
    if (typeof base === 'string') throw new UserError('KEY_SOURCE', `aws instance metadata: ${base}`);
    const root = base.href.replace(/\/+$/, '');
    const what = `aws instance metadata (IMDSv2 at ${base.origin})`;
    const tokenAnswer = await metadataGet(
      new URL(`${root}/latest/api/token`),
      'PUT',
      { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' },
      what,
    );
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
    const list = await metadataGet(listUrl, 'GET', headers, what);
    const role = list.body.split(/\r?\n/)[0]?.trim() ?? '';
    if (list.status !== 200 || role === '' || !/^[\w+=,.@-]+$/.test(role)) {
      throw new UserError(
        'KEY_SOURCE',
        `${what}: no instance profile role (HTTP ${list.status}); attach an IAM role to the runner's instance`,
      );
    }
    const answer = await metadataGet(new URL(`${listUrl.href}${role}`), 'GET', headers, what);
    if (answer.status !== 200)
      throw new UserError('KEY_SOURCE', `${what}: role ${role} answered HTTP ${answer.status}`);
    return metadataCredentials(answer.body, `instance profile role ${role}`, mask);
  }

  async function profileCredentials(
    name: string,
    section: Map<string, string>,
    arn: KmsArn,
    seen: readonly string[],
  ): Promise<SourcedCredentials> {
    const where = `aws profile ${JSON.stringify(name)} (${filesShown})`;
    for (const [key, feature] of [
      ['sso_session', 'sso'],
      ['sso_start_url', 'sso'],
      ['credential_process', 'credential_process'],
      ['web_identity_token_file', 'web_identity_token_file'],
    ] as const) {
      if (section.has(key) && !section.has('aws_access_key_id')) {
        throw new UserError(
          'UNSUPPORTED',
          `${where} uses ${feature}, which is not supported; use static keys or role_arn with source_profile, or the aws-role-arn input (GitHub OIDC)`,
        );
      }
    }
    const roleArn = section.get('role_arn');
    const staticKeys = (): SourcedCredentials | undefined => {
      const accessKeyId = section.get('aws_access_key_id') ?? '';
      const secretAccessKey = section.get('aws_secret_access_key') ?? '';
      const sessionToken = section.get('aws_session_token') ?? '';
      if (accessKeyId === '' || secretAccessKey === '') return undefined;
      return {
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
        from: `profile ${name}`,
      };
    };
    if (roleArn === undefined) {
      const found = staticKeys();
      if (found !== undefined) return found;
      throw new UserError(
        'KEY_SOURCE',
        `${where} has neither aws_access_key_id/aws_secret_access_key nor role_arn with source_profile`,
      );
    }
    const sourceName = section.get('source_profile');
    const credentialSource = section.get('credential_source');
    let base: SourcedCredentials;
    if (sourceName !== undefined && sourceName !== '') {
      if (sourceName === name) {
        const own = staticKeys();
        if (own === undefined)
          throw new UserError('KEY_SOURCE', `${where} is its own source_profile but has no static keys`);
        base = own;
      } else {
        if (seen.includes(sourceName)) {
          throw new UserError(
            'KEY_SOURCE',
            `${where}: source_profile chain loops (${[...seen, sourceName].join(' -> ')})`,
          );
        }
        const source = await profileSection(sourceName);
        if (source === undefined)
          throw new UserError(
            'KEY_SOURCE',
            `${where}: source_profile ${JSON.stringify(sourceName)} does not exist`,
          );
        base = await profileCredentials(sourceName, source, arn, [...seen, sourceName]);
      }
    } else if (credentialSource === 'Environment') {
      if (envCredentials === undefined)
        throw new UserError(
          'KEY_SOURCE',
          `${where}: credential_source Environment, but AWS_ACCESS_KEY_ID is not set`,
        );
      base = envCredentials;
    } else if (credentialSource === 'Ec2InstanceMetadata') {
      base = await instanceMetadataCredentials();
    } else if (credentialSource === 'EcsContainer') {
      const container = await containerCredentials();
      if (container === undefined)
        throw new UserError(
          'KEY_SOURCE',
          `${where}: credential_source EcsContainer, but no container credentials variable is set`,
        );
      base = container;
    } else {
      throw new UserError('KEY_SOURCE', `${where} has role_arn but no source_profile or credential_source`);
    }
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
      fetch: options.fetch,
      mask,
      now,
      timeoutMs,
    });
    return { ...assumed, from: `profile ${name} (role ${roleArn} via ${base.from})` };
  }

  /** The chain without a stanza profile; every link tried is named in the final error. */
  async function chain(arn: KmsArn): Promise<SourcedCredentials> {
    if (envCredentials !== undefined) return envCredentials;
    const envProfile = envValue(env, 'AWS_PROFILE');
    if (envProfile !== undefined) {
      const section = await profileSection(envProfile);
      if (section === undefined) {
        throw new UserError(
          'KEY_SOURCE',
          `AWS_PROFILE is ${JSON.stringify(envProfile)}, but ${filesShown || 'no shared file'} has no such profile`,
        );
      }
      return profileCredentials(envProfile, section, arn, [envProfile]);
    }
    const defaultSection = await profileSection('default');
    if (defaultSection !== undefined) return profileCredentials('default', defaultSection, arn, ['default']);
    const container = await containerCredentials();
    if (container !== undefined) return container;
    const tried = [
      'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)',
      `profile default in ${filesShown || '~/.aws'} (none)`,
      'container credentials (not set)',
    ];
    if (envValue(env, 'AWS_EC2_METADATA_DISABLED')?.toLowerCase() === 'true') {
      tried.push('instance metadata (AWS_EC2_METADATA_DISABLED)');
    } else {
      try {
        return await instanceMetadataCredentials();
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

  // One resolution per run (per stanza profile), renewed before expiry. A chain that found
  // nothing is not asked again: every key would wait for the metadata timeout once more.
  const cache = new Map<string, Promise<SourcedCredentials>>();
  async function cached(
    cacheKey: string,
    load: () => Promise<SourcedCredentials>,
  ): Promise<SourcedCredentials> {
    const pending = cache.get(cacheKey);
    if (pending !== undefined) {
      const value = await pending;
      if (value.expiresAt === undefined || value.expiresAt - RENEW_BEFORE_MS > now().getTime()) return value;
    }
    const fresh = load();
    cache.set(cacheKey, fresh);
    return fresh;
  }

  return {
    async resolve(arn: KmsArn, stanzaProfile: string | undefined): Promise<SourcedCredentials> {
      const profile = stanzaProfile?.trim();
      if (profile !== undefined && profile !== '') {
        const section = await profileSection(profile);
        if (section !== undefined)
          return cached(`profile\n${profile}\n${arn.region}`, () =>
            profileCredentials(profile, section, arn, [profile]),
          );
      }
      return cached(`chain\n${arn.region}`, () => chain(arn));
    },
    locations: [
      `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${envCredentials === undefined ? 'not set' : 'set'})`,
      `shared profiles: ${filesShown || '(no HOME)'} (AWS_PROFILE ${envValue(env, 'AWS_PROFILE') ?? 'not set'}; static keys or role_arn)`,
      `container credentials (${envValue(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') !== undefined || envValue(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI') !== undefined ? 'set' : 'not set'})`,
      envValue(env, 'AWS_EC2_METADATA_DISABLED')?.toLowerCase() === 'true'
        ? 'instance metadata (disabled)'
        : `instance metadata IMDSv2 at ${((b) => (typeof b === 'string' ? '(invalid)' : b.origin))(imdsBase())}`,
    ],
  };
}
