/**
 * The AWS KMS key source, as sops 3.13's `kms` package: `TrentService.Decrypt` in the region
 * of the key's ARN with the stanza's encryption context, after `sts:AssumeRole` when the
 * stanza names a role. Requests are signed here (aws-sigv4.ts); no AWS SDK is loaded.
 *
 * Credentials: the configured provider (GitHub OIDC web identity, or static credentials from
 * the decryption Secret's `sops.aws-kms`), else the ambient chain of aws-credentials.ts
 * (environment, shared profiles honouring the stanza's `aws_profile`, container credentials,
 * instance metadata). Every endpoint, key and role is checked against the {@link AwsPolicy}
 * before any credentials are even looked up.
 */
import { hostname as osHostname } from 'node:os';
import { UserError } from '../errors.ts';
import { assumeAwsRole } from './aws-assume-role.ts';
import type { AwsCredentialsProvider, SourcedCredentials } from './aws-credential-source.ts';
import { createAwsAmbientCredentials } from './aws-credentials.ts';
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
  type HttpAnswer,
  type KmsArn,
} from './endpoint-policy.ts';
import type { KeySource } from './key-source.ts';
import type { KeyRecipient, MasterKey } from './master-key.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** What {@link createAwsKmsKeySource} needs. */
export interface AwsKmsKeySourceOptions {
  /** Read for `AWS_*` credentials, endpoints, profile and `HOME`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly policy: AwsPolicy;
  /** Registers a secret with the host so it is never printed. */
  readonly mask: Mask;
  /** The HTTP client; tests inject it. */
  readonly fetch?: FetchLike;
  /** Reads the shared credentials and config files; tests inject it. */
  readonly readFile?: (file: string) => Promise<string>;
  /** For the role session name (`sops@<hostname>`); default `os.hostname()`. */
  readonly hostname?: () => string;
  /** The signing clock; default `new Date()`. */
  readonly now?: () => Date;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Configured credentials (GitHub OIDC web identity, aws-oidc.ts, or the decryption Secret's
   * static keys) for the key's ARN. When set it wins over the ambient chain and over a
   * stanza's `aws_profile`: the workflow chose it.
   */
  readonly credentialsProvider?: AwsCredentialsProvider;
  /** Describes the provider for the key report. */
  readonly credentialsProviderLocation?: string;
  /** Instance metadata and container credential calls; default 1 s. */
  readonly metadataTimeoutMs?: number;
}

type KmsKey = Extract<MasterKey, { type: 'kms' }>;

export { parseSharedCredentials } from './aws-profile-credentials.ts';
export type { AwsCredentialsProvider, SourcedCredentials } from './aws-credential-source.ts';
export { xmlText } from './aws-assume-role.ts';

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

/** The `kms` source: one object per run, with its credential chain and assumed roles. */
class AwsKmsKeySource implements KeySource {
  readonly name = 'kms';
  readonly locations: readonly string[];
  private readonly options: AwsKmsKeySourceOptions;
  private readonly fetchFn: FetchLike;
  private readonly hostname: () => string;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly ambient: ReturnType<typeof createAwsAmbientCredentials>;
  private readonly assumed = new Map<string, Promise<SourcedCredentials>>();

  constructor(options: AwsKmsKeySourceOptions) {
    this.options = options;
    this.fetchFn = options.fetch ?? fetch;
    this.hostname = options.hostname ?? osHostname;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.ambient = createAwsAmbientCredentials({
      env: options.env,
      mask: options.mask,
      fetch: this.fetchFn,
      ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
      now: this.now,
      hostname: this.hostname,
      timeoutMs: this.timeoutMs,
      ...(options.metadataTimeoutMs === undefined ? {} : { metadataTimeoutMs: options.metadataTimeoutMs }),
    });
    this.locations = this.describe();
  }

  async decrypt(key: MasterKey): Promise<Uint8Array | null> {
    if (key.type !== 'kms') return null;
    return this.decryptKms(key);
  }

  /** The configured provider wins; otherwise the ambient chain (which honours `aws_profile`). */
  private async baseCredentials(key: Omit<KmsKey, 'enc'>, arn: KmsArn): Promise<SourcedCredentials> {
    if (this.options.credentialsProvider !== undefined) return this.options.credentialsProvider(arn);
    return this.ambient.resolve(arn, key.awsProfile);
  }

  private async call(
    url: URL,
    arn: KmsArn,
    service: 'kms' | 'sts',
    credentials: AwsCredentials,
    headers: Readonly<Record<string, string>>,
    body: string,
  ): Promise<HttpAnswer> {
    const { fetchFn, now, timeoutMs } = this;
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

  private assumeRole(
    role: string,
    arn: KmsArn,
    base: SourcedCredentials,
    stsUrl: URL,
  ): Promise<SourcedCredentials> {
    const { mask } = this.options;
    const { fetchFn, hostname, now, timeoutMs } = this;
    const cacheKey = `${role}\n${stsUrl.href}\n${arn.region}\n${base.from}`;
    let pending = this.assumed.get(cacheKey);
    if (pending === undefined) {
      pending = assumeAwsRole({
        role,
        sessionName: roleSessionName(hostname()),
        stsUrl,
        region: arn.region,
        base,
        fetch: fetchFn,
        mask,
        now,
        timeoutMs,
      });
      // A failure is not cached, so the next stanza tries again.
      pending.catch(() => this.assumed.delete(cacheKey));
      this.assumed.set(cacheKey, pending);
    }
    return pending;
  }

  /**
   * One KMS `TrentService.<operation>` call with the key's ARN and the given fields; a non-2xx
   * answer comes back as its error type and a reason with nothing of the request in it (the
   * fields, the body and the secret key are taken out of AWS's message).
   */
  private async trent(
    operation: 'Decrypt' | 'Encrypt',
    keyArn: string,
    arn: KmsArn,
    url: URL,
    credentials: AwsCredentials,
    fields: Readonly<Record<string, string>>,
    context: Readonly<Record<string, string>>,
  ): Promise<{ ok: true; body: string } | { ok: false; type: string; reason: string }> {
    const request: Record<string, unknown> = { KeyId: keyArn, ...fields };
    // sops sends no context when the stanza has none (ParseKMSContext returns nil).
    if (Object.keys(context).length > 0) request['EncryptionContext'] = context;
    const body = JSON.stringify(request);
    const answer = await this.call(
      url,
      arn,
      'kms',
      credentials,
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
      body,
    );
    if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body };
    const { type, message } = jsonError(answer);
    const detail = sanitizeRemoteMessage(message, [
      ...Object.values(fields),
      body,
      credentials.secretAccessKey,
    ]);
    return {
      ok: false,
      type,
      reason: `kms ${operation.toLowerCase()} with ${keyArn} failed: HTTP ${answer.status}${type === '' ? '' : ` ${type}`}${detail === '' ? '' : `: ${detail}`}`,
    };
  }

  private async kmsDecrypt(
    key: KmsKey,
    arn: KmsArn,
    url: URL,
    credentials: AwsCredentials,
    context: Readonly<Record<string, string>>,
  ): Promise<{ ok: true; value: Uint8Array } | { ok: false; type: string; reason: string }> {
    const { mask } = this.options;
    const answer = await this.trent(
      'Decrypt',
      key.arn,
      arn,
      url,
      credentials,
      { CiphertextBlob: key.enc },
      context,
    );
    if (!answer.ok) return answer;
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

  /**
   * Everything the key names is checked against the policy, then credentials are found (and
   * the role assumed): what a Decrypt or an Encrypt call needs.
   */
  private async prepare(
    key: Omit<KmsKey, 'enc'>,
  ): Promise<{ arn: KmsArn; url: URL; credentials: AwsCredentials }> {
    const { env, policy } = this.options;
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

    let credentials = await this.baseCredentials(key, arn);
    if (role !== undefined && stsEndpoint?.ok === true) {
      credentials = await this.assumeRole(role, arn, credentials, stsEndpoint.url);
    }
    return { arn, url: kmsEndpoint.url, credentials: credentials.credentials };
  }

  private async decryptKms(key: KmsKey): Promise<Uint8Array> {
    if (!isBase64(key.enc) || key.enc === '') {
      throw new UserError('KEY_SOURCE', `kms stanza for ${key.arn} has an enc value that is not base64`);
    }
    const { arn, url, credentials } = await this.prepare(key);
    const first = await this.kmsDecrypt(key, arn, url, credentials, key.context);
    if (first.ok) return first.value;
    // sops < 3.3.0 encrypted with a wrong context; sops retries those variants (only for such
    // old files, which this source cannot see, so it retries on the one error the bug causes).
    if (first.type === 'InvalidCiphertextException') {
      for (const variant of buggyContextVariants(key.context)) {
        const retry = await this.kmsDecrypt(key, arn, url, credentials, variant);
        if (retry.ok) return retry.value;
      }
    }
    throw new UserError('KEY_SOURCE', first.reason);
  }

  /**
   * The wrap direction (sops `kms.MasterKey.Encrypt`): `TrentService.Encrypt` with the key's
   * ARN and encryption context, after the role is assumed; `enc` is the base64 CiphertextBlob.
   */
  async encrypt(key: KeyRecipient, plaintext: Uint8Array): Promise<string> {
    if (key.type !== 'kms') throw new UserError('KEY_SOURCE', `the kms source cannot wrap for ${key.type}`);
    const { arn, url, credentials } = await this.prepare(key);
    const encoded = Buffer.from(plaintext).toString('base64');
    const answer = await this.trent(
      'Encrypt',
      key.arn,
      arn,
      url,
      credentials,
      { Plaintext: encoded },
      key.context,
    );
    if (!answer.ok) throw new UserError('KEY_SOURCE', answer.reason);
    let blob: unknown;
    try {
      blob = (JSON.parse(answer.body) as { CiphertextBlob?: unknown }).CiphertextBlob;
    } catch {
      throw new UserError('KEY_SOURCE', `kms encrypt with ${key.arn}: the answer is not JSON`);
    }
    if (typeof blob !== 'string' || blob === '' || !isBase64(blob)) {
      throw new UserError('KEY_SOURCE', `kms encrypt with ${key.arn}: the answer has no CiphertextBlob`);
    }
    return blob;
  }

  private describe(): string[] {
    const { env, policy } = this.options;
    const { options, ambient } = this;
    const kmsOverride = env['AWS_ENDPOINT_URL_KMS']?.trim() || env['AWS_ENDPOINT_URL']?.trim();
    return [
      ...(options.credentialsProviderLocation === undefined ? [] : [options.credentialsProviderLocation]),
      ...(options.credentialsProvider === undefined ? ambient.locations : []),
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
  }
}

/** Creates the `kms` key source. */
export function createAwsKmsKeySource(options: AwsKmsKeySourceOptions): KeySource {
  return new AwsKmsKeySource(options);
}
