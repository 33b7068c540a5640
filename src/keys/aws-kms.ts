/**
 * The AWS KMS key source, as sops 3.13's `kms` package: `TrentService.Decrypt` in the region
 * of the key's ARN with the stanza's encryption context, after `sts:AssumeRole` when the
 * stanza names a role. Requests are signed here (aws-sigv4.ts); no AWS SDK is loaded.
 *
 * Credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, or a profile
 * with static keys in the shared credentials file (the stanza's `aws_profile`, which wins as
 * it does in sops, else `AWS_PROFILE`/`default` when the variables are not set). Every
 * endpoint, key and role is checked against the {@link AwsPolicy} before anything is sent.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Mask } from './age.ts';
import { signRequest, type AwsCredentials } from './aws-sigv4.ts';
import {
  checkAwsKey,
  checkAwsRole,
  describeNetworkError,
  parseKmsArn,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
  sendApproved,
  type AwsPolicy,
  type FetchLike,
  type HttpAnswer,
  type KmsArn,
} from './endpoint-policy.ts';
import type { KeySource } from './key-source.ts';
import type { MasterKey } from './master-key.ts';

/** What {@link createAwsKmsKeySource} needs. */
export interface AwsKmsKeySourceOptions {
  /** Read for `AWS_*` credentials, endpoints, profile and `HOME`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly policy: AwsPolicy;
  /** Registers a secret with the host so it is never printed. */
  readonly mask: Mask;
  /** The HTTP client; tests inject it. */
  readonly fetch?: FetchLike;
  /** Reads the shared credentials file; tests inject it. */
  readonly readFile?: (file: string) => Promise<string>;
  /** For the role session name (`sops@<hostname>`); default `os.hostname()`. */
  readonly hostname?: () => string;
  /** The signing clock; default `new Date()`. */
  readonly now?: () => Date;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Configured credentials (GitHub OIDC web identity, aws-oidc.ts) for the key's ARN. When
   * set it wins over the environment and over a stanza's `aws_profile`: the workflow chose it.
   */
  readonly credentialsProvider?: AwsCredentialsProvider;
  /** Describes the provider for the key report. */
  readonly credentialsProviderLocation?: string;
}

/** Supplies base credentials for a key (before a stanza's role is assumed). */
export type AwsCredentialsProvider = (arn: KmsArn) => Promise<SourcedCredentials>;

type KmsKey = Extract<MasterKey, { type: 'kms' }>;

/** Where credentials came from, for messages (never the values). */
export interface SourcedCredentials {
  readonly credentials: AwsCredentials;
  readonly from: string;
}

/** sops's `stsSessionRegex`. In RE2 and JS alike `@-_` is a range (@, A-Z, [\]^_), so `-` is removed. */
const STS_SESSION_STRIP = /[^a-zA-Z0-9=,.@-_]+/g;
const ROLE_SESSION_NAME_LIMIT = 64;

/** The RoleSessionName sops sends: `sops@` and the sanitised host name, at most 64 bytes. */
export function roleSessionName(hostname: string): string {
  const name = `sops@${hostname.replace(STS_SESSION_STRIP, '')}`;
  // Everything left is ASCII, so characters are bytes, as in Go's name[:64].
  return name.length >= ROLE_SESSION_NAME_LIMIT ? name.slice(0, ROLE_SESSION_NAME_LIMIT) : name;
}

/**
 * sops < 3.3.0 encrypted with an encryption context in which every key carried the same
 * value (getsops/sops#435). These are the contexts sops's `RecoverDataKeyFromBuggyKMS` tries:
 * one per distinct value, that value for every key. Empty when the bug cannot apply.
 */
export function buggyContextVariants(context: Readonly<Record<string, string>>): Record<string, string>[] {
  const keys = Object.keys(context);
  const values = [...new Set(Object.values(context))];
  if (keys.length < 2 || values.length < 2) return [];
  return values.map((value) => Object.fromEntries(keys.map((k) => [k, value])));
}

/** Minimal INI reading of the shared credentials file: sections of `key = value` lines. */
export function parseSharedCredentials(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
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

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64_RE.test(value);
}

/** `{"__type":"com.amazonaws.kms#NotFoundException","message":"..."}` → type and message. */
function jsonError(answer: HttpAnswer): { type: string; message: string } {
  try {
    const parsed = JSON.parse(answer.body) as Record<string, unknown>;
    const rawType = typeof parsed['__type'] === 'string' ? parsed['__type'] : '';
    const message =
      typeof parsed['message'] === 'string'
        ? parsed['message']
        : typeof parsed['Message'] === 'string'
          ? parsed['Message']
          : '';
    return { type: rawType.slice(rawType.lastIndexOf('#') + 1), message };
  } catch {
    return { type: '', message: '' };
  }
}

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

/** Creates the `kms` key source. */
export function createAwsKmsKeySource(options: AwsKmsKeySourceOptions): KeySource {
  const { env, policy, mask } = options;
  const read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  const fetchFn = options.fetch ?? fetch;
  const hostname = options.hostname ?? osHostname;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 30_000;

  const envCredentials = ((): SourcedCredentials | undefined => {
    const accessKeyId = env['AWS_ACCESS_KEY_ID']?.trim() ?? '';
    const secretAccessKey = env['AWS_SECRET_ACCESS_KEY']?.trim() ?? '';
    const sessionToken = env['AWS_SESSION_TOKEN']?.trim() ?? '';
    // Masked the moment we hold them, before anything can fail.
    if (secretAccessKey !== '') mask(secretAccessKey);
    if (sessionToken !== '') mask(sessionToken);
    if (accessKeyId === '' || secretAccessKey === '') return undefined;
    return {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
      from: 'AWS_ACCESS_KEY_ID',
    };
  })();
  const home = env['HOME'];
  const sharedFile =
    env['AWS_SHARED_CREDENTIALS_FILE']?.trim() ||
    (home === undefined || home === '' ? undefined : path.join(home, '.aws', 'credentials'));

  let shared: Promise<Map<string, Map<string, string>> | null> | undefined;
  const loadShared = (): Promise<Map<string, Map<string, string>> | null> => {
    shared ??= (async () => {
      if (sharedFile === undefined) return null;
      try {
        return parseSharedCredentials(await read(sharedFile));
      } catch {
        return null;
      }
    })();
    return shared;
  };

  async function profileCredentials(profile: string): Promise<SourcedCredentials> {
    const sections = await loadShared();
    const section = sections?.get(profile);
    const accessKeyId = section?.get('aws_access_key_id') ?? '';
    const secretAccessKey = section?.get('aws_secret_access_key') ?? '';
    const sessionToken = section?.get('aws_session_token') ?? '';
    if (secretAccessKey !== '') mask(secretAccessKey);
    if (sessionToken !== '') mask(sessionToken);
    if (accessKeyId === '' || secretAccessKey === '') {
      throw new UserError(
        'KEY_SOURCE',
        `aws profile ${JSON.stringify(profile)} has no static keys in ${sharedFile ?? '~/.aws/credentials'}; profiles from ~/.aws/config (sso, role_arn, credential_process) are not supported`,
      );
    }
    return {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) },
      from: `profile ${profile}`,
    };
  }

  /** The credentials chain, in the order the SDK sops uses (v2) resolves it. */
  async function baseCredentials(key: KmsKey, arn: KmsArn): Promise<SourcedCredentials> {
    if (options.credentialsProvider !== undefined) return options.credentialsProvider(arn);
    if (key.awsProfile !== undefined && key.awsProfile !== '') return profileCredentials(key.awsProfile);
    if (envCredentials !== undefined) return envCredentials;
    const envProfile = env['AWS_PROFILE']?.trim();
    if (envProfile !== undefined && envProfile !== '') return profileCredentials(envProfile);
    const sections = await loadShared();
    if (sections?.has('default') === true) return profileCredentials('default');
    throw new UserError(
      'KEY_SOURCE',
      'no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)',
    );
  }

  async function call(
    url: URL,
    arn: KmsArn,
    service: 'kms' | 'sts',
    credentials: AwsCredentials,
    headers: Readonly<Record<string, string>>,
    body: string,
  ): Promise<HttpAnswer> {
    const signed = signRequest({
      method: 'POST',
      url,
      headers,
      body,
      region: arn.region,
      service,
      credentials,
      now: now(),
    });
    try {
      return await sendApproved(fetchFn, url, { method: 'POST', headers: signed.headers, body }, timeoutMs);
    } catch (error) {
      throw new UserError('KEY_SOURCE', `aws ${service}: ${describeNetworkError(error, url)}`);
    }
  }

  const assumed = new Map<string, Promise<SourcedCredentials>>();

  function assumeRole(
    role: string,
    arn: KmsArn,
    base: SourcedCredentials,
    stsUrl: URL,
  ): Promise<SourcedCredentials> {
    const cacheKey = `${role}\n${stsUrl.href}\n${arn.region}\n${base.from}`;
    let pending = assumed.get(cacheKey);
    if (pending === undefined) {
      pending = (async () => {
        const body = new URLSearchParams({
          Action: 'AssumeRole',
          RoleArn: role,
          RoleSessionName: roleSessionName(hostname()),
          Version: '2011-06-15',
        }).toString();
        const answer = await call(
          stsUrl,
          arn,
          'sts',
          base.credentials,
          { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body,
        );
        if (answer.status < 200 || answer.status >= 300) {
          const code = xmlText(answer.body, 'Code') ?? '';
          const message = sanitizeRemoteMessage(xmlText(answer.body, 'Message') ?? '', [
            base.credentials.secretAccessKey,
          ]);
          throw new UserError(
            'KEY_SOURCE',
            `failed to assume role ${role}: HTTP ${answer.status}${code === '' ? '' : ` ${code}`}${message === '' ? '' : `: ${message}`}`,
          );
        }
        const accessKeyId = xmlText(answer.body, 'AccessKeyId') ?? '';
        const secretAccessKey = xmlText(answer.body, 'SecretAccessKey') ?? '';
        const sessionToken = xmlText(answer.body, 'SessionToken') ?? '';
        if (secretAccessKey !== '') mask(secretAccessKey);
        if (sessionToken !== '') mask(sessionToken);
        if (accessKeyId === '' || secretAccessKey === '' || sessionToken === '') {
          throw new UserError('KEY_SOURCE', `failed to assume role ${role}: the answer has no credentials`);
        }
        return { credentials: { accessKeyId, secretAccessKey, sessionToken }, from: `role ${role}` };
      })();
      // A failure is not cached, so the next stanza tries again.
      pending.catch(() => assumed.delete(cacheKey));
      assumed.set(cacheKey, pending);
    }
    return pending;
  }

  async function kmsDecrypt(
    key: KmsKey,
    arn: KmsArn,
    url: URL,
    credentials: AwsCredentials,
    context: Readonly<Record<string, string>>,
  ): Promise<{ ok: true; value: Uint8Array } | { ok: false; type: string; reason: string }> {
    const request: Record<string, unknown> = { KeyId: key.arn, CiphertextBlob: key.enc };
    // sops sends no context when the stanza has none (ParseKMSContext returns nil).
    if (Object.keys(context).length > 0) request['EncryptionContext'] = context;
    const body = JSON.stringify(request);
    const answer = await call(
      url,
      arn,
      'kms',
      credentials,
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Decrypt' },
      body,
    );
    if (answer.status < 200 || answer.status >= 300) {
      const { type, message } = jsonError(answer);
      const detail = sanitizeRemoteMessage(message, [key.enc, body, credentials.secretAccessKey]);
      return {
        ok: false,
        type,
        reason: `kms decrypt with ${key.arn} failed: HTTP ${answer.status}${type === '' ? '' : ` ${type}`}${detail === '' ? '' : `: ${detail}`}`,
      };
    }
    let plaintext: unknown;
    try {
      plaintext = (JSON.parse(answer.body) as { Plaintext?: unknown }).Plaintext;
    } catch {
      throw new UserError('KEY_SOURCE', `kms decrypt with ${key.arn}: the answer is not JSON`);
    }
    if (typeof plaintext !== 'string')
      throw new UserError('KEY_SOURCE', `kms decrypt with ${key.arn}: the answer has no Plaintext`);
    mask(plaintext);
    if (!isBase64(plaintext))
      throw new UserError('KEY_SOURCE', `kms decrypt with ${key.arn}: the answer's Plaintext is not base64`);
    return { ok: true, value: new Uint8Array(Buffer.from(plaintext, 'base64')) };
  }

  async function decryptKms(key: KmsKey): Promise<Uint8Array> {
    // Everything the file names is checked before credentials are even looked up.
    const arn = parseKmsArn(key.arn);
    const keyCheck = checkAwsKey(policy, key.arn, arn);
    if (!keyCheck.ok) throw new UserError('KEY_SOURCE', keyCheck.reason);
    const role = key.role !== undefined && key.role !== '' ? key.role : undefined;
    if (role !== undefined) {
      const roleCheck = checkAwsRole(policy, role);
      if (!roleCheck.ok) throw new UserError('KEY_SOURCE', roleCheck.reason);
    }
    const kmsEndpoint = resolveAwsEndpoint('kms', arn, env);
    if (!kmsEndpoint.ok) throw new UserError('KEY_SOURCE', kmsEndpoint.reason);
    const stsEndpoint = role === undefined ? undefined : resolveAwsEndpoint('sts', arn, env);
    if (stsEndpoint !== undefined && !stsEndpoint.ok) throw new UserError('KEY_SOURCE', stsEndpoint.reason);
    if (!isBase64(key.enc) || key.enc === '') {
      throw new UserError('KEY_SOURCE', `kms stanza for ${key.arn} has an enc value that is not base64`);
    }

    let credentials = await baseCredentials(key, arn);
    if (role !== undefined && stsEndpoint?.ok === true) {
      credentials = await assumeRole(role, arn, credentials, stsEndpoint.url);
    }

    const first = await kmsDecrypt(key, arn, kmsEndpoint.url, credentials.credentials, key.context);
    if (first.ok) return first.value;
    // sops < 3.3.0 encrypted with a wrong context; sops retries those variants (only for such
    // old files, which this source cannot see, so it retries on the one error the bug causes).
    if (first.type === 'InvalidCiphertextException') {
      for (const variant of buggyContextVariants(key.context)) {
        const retry = await kmsDecrypt(key, arn, kmsEndpoint.url, credentials.credentials, variant);
        if (retry.ok) return retry.value;
      }
    }
    throw new UserError('KEY_SOURCE', first.reason);
  }

  const kmsOverride = env['AWS_ENDPOINT_URL_KMS']?.trim() || env['AWS_ENDPOINT_URL']?.trim();
  const locations = [
    ...(options.credentialsProviderLocation === undefined ? [] : [options.credentialsProviderLocation]),
    `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${envCredentials === undefined ? 'not set' : 'set'})`,
    ...(sharedFile === undefined ? [] : [`${sharedFile} (profiles with static keys)`]),
    `kms endpoint: ${kmsOverride === undefined || kmsOverride === '' ? "the key's regional AWS endpoint" : URL.canParse(kmsOverride) ? new URL(kmsOverride).origin : '(not a URL)'}`,
    `allowed keys: ${
      policy.accounts.length === 0 && policy.keys.length === 0
        ? 'any'
        : [...policy.accounts.map((a) => `account ${a}`), ...policy.keys].join(', ')
    }`,
    `allowed roles: ${
      policy.accounts.length === 0 && policy.roles.length === 0
        ? 'none'
        : [...policy.accounts.map((a) => `account ${a}`), ...policy.roles].join(', ')
    }`,
  ];

  return {
    name: 'kms',
    locations,
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'kms') return null;
      return decryptKms(key);
    },
  };
}
