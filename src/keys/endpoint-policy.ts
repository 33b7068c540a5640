/**
 * Where cloud key sources may send our credentials.
 *
 * A sops file names its own Vault address, KMS key ARN (and so its region) and IAM role. In a
 * pull-request run that file is untrusted: a PR could point `vault_address` at its own server
 * and receive our Vault token, or craft an ARN whose "region" turns the KMS host name into
 * one it owns. So every address, key and role from a file is checked here against a policy
 * that comes only from the workflow's configuration, before any request is made.
 *
 * Vault: a stanza's address must match an allowed address (same scheme, host and port, and
 * a path under the allowed one). Allowed are the `vault-allowed-addresses` setting,
 * `VAULT_ADDR`, and the entries of sops 3.13's `SOPS_HC_VAULT_ALLOWLIST`. That variable's
 * `all` allows any address and `none` allows none (sops's values); unlike sops, an unset
 * variable does not mean `all`, and entries match by URL, not by string prefix, since the
 * prefix `https://vault.example.com` would also admit `https://vault.example.com.evil.io`.
 *
 * AWS: requests go only to the real regional endpoint of the ARN's partition, or to the
 * endpoint the environment configures (`AWS_ENDPOINT_URL_KMS`/`_STS`, then
 * `AWS_ENDPOINT_URL`). Keys: with no `accounts` and no `keys` configured any key is allowed
 * (the credentials decide); otherwise a key must be in an allowed account or match a
 * pattern. Roles are assumed only when allowed by `roles` or `accounts`: assuming a role
 * named by the file would let a PR pick privileges the workflow never chose.
 */
import { UserError } from '../errors.ts';
import type { FetchLike } from '../ports.ts';

// ---------------------------------------------------------------------------------------------
// Vault

/** Which Vault servers may receive the Vault token. Build it with {@link buildVaultPolicy}. */
export interface VaultPolicy {
  /** True only when `SOPS_HC_VAULT_ALLOWLIST=all` asks for it explicitly. */
  readonly allowAll: boolean;
  /** Allowed addresses, normalised (`https://vault.example.com:8200`, maybe with a path). */
  readonly addresses: readonly string[];
  /** Set when Vault is switched off (`SOPS_HC_VAULT_ALLOWLIST=none`); says why. */
  readonly disabledReason?: string | undefined;
  /** Allowlist entries that are not http(s) URLs and were ignored, for the report. */
  readonly ignoredEntries: readonly string[];
}

/** The setting users edit to allow another Vault; named in every refusal. */
export const VAULT_ALLOWED_ADDRESSES_SETTING = 'vault-allowed-addresses';

/** What a policy check answers: the parsed URL to use, or the reason to refuse. */
export type EndpointCheck =
  { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly reason: string };

/**
 * Parses a key-service address (a Vault address, an Azure vault URL): http(s) only, no
 * credentials, query or fragment. Returns the URL with its path stripped of trailing
 * slashes, or null.
 */
export function parseVaultUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return null;
  if (url.hostname === '') return null;
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** An address as shown and compared: scheme, host, port and path without a trailing slash. */
export function formatVaultUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Builds the Vault policy from configuration: the explicit list, `VAULT_ADDR`, and
 * `SOPS_HC_VAULT_ALLOWLIST` (comma-separated; `all`/`none` as in sops 3.13).
 */
export function buildVaultPolicy(input: {
  readonly allowedAddresses?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}): VaultPolicy {
  const allowlist = (input.env['SOPS_HC_VAULT_ALLOWLIST'] ?? '').trim();
  if (allowlist === 'none') {
    // The stricter word wins over any list: `none` is how a workflow switches Vault off.
    return {
      allowAll: false,
      addresses: [],
      disabledReason: 'SOPS_HC_VAULT_ALLOWLIST is none',
      ignoredEntries: [],
    };
  }
  const candidates = [
    ...(input.allowedAddresses ?? []),
    ...(input.env['VAULT_ADDR'] === undefined ? [] : [input.env['VAULT_ADDR']]),
    ...(allowlist === 'all' ? [] : allowlist.split(',')),
  ]
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const addresses: string[] = [];
  const ignoredEntries: string[] = [];
  for (const entry of candidates) {
    const url = parseVaultUrl(entry);
    if (url === null) ignoredEntries.push(entry);
    else {
      const formatted = formatVaultUrl(url);
      if (!addresses.includes(formatted)) addresses.push(formatted);
    }
  }
  return { allowAll: allowlist === 'all', addresses, ignoredEntries };
}

/** True when `path` is `base` or below it, segment-wise (`/a` covers `/a/b`, not `/ab`). */
function isUnderPath(path: string, base: string): boolean {
  const p = path === '/' ? '' : path;
  const b = base === '/' ? '' : base;
  return p === b || p.startsWith(`${b}/`);
}

/** Checks a stanza's `vault_address` against the policy. Never contacts anything. */
export function checkVaultAddress(policy: VaultPolicy, address: string): EndpointCheck {
  const url = parseVaultUrl(address);
  if (url === null) {
    return { ok: false, reason: `vault address ${JSON.stringify(address)} is not a plain http(s) URL` };
  }
  const shown = formatVaultUrl(url);
  if (policy.disabledReason !== undefined) {
    return { ok: false, reason: `vault address ${shown} is not allowed: ${policy.disabledReason}` };
  }
  if (policy.allowAll) return { ok: true, url };
  const allowed = policy.addresses.some((entry) => {
    const base = parseVaultUrl(entry);
    return (
      base !== null &&
      base.protocol === url.protocol &&
      base.hostname === url.hostname &&
      base.port === url.port &&
      isUnderPath(url.pathname, base.pathname)
    );
  });
  if (allowed) return { ok: true, url };
  const allowedNow =
    policy.addresses.length === 0 ? 'none, and VAULT_ADDR is not set' : policy.addresses.join(', ');
  return {
    ok: false,
    reason: `vault address ${shown} is not in the allowed list; add it to ${VAULT_ALLOWED_ADDRESSES_SETTING} (allowed now: ${allowedNow})`,
  };
}

// ---------------------------------------------------------------------------------------------
// AWS

/** Which KMS keys may be used and which IAM roles assumed. Build it with {@link parseAwsPolicy}. */
export interface AwsPolicy {
  /** 12-digit account IDs: their keys may be used and their roles assumed. */
  readonly accounts: readonly string[];
  /** Key ARN patterns (`*` matches any run of characters). */
  readonly keys: readonly string[];
  /** Role ARN patterns (`*` matches any run of characters). */
  readonly roles: readonly string[];
}

/** The settings users edit; named in every refusal. */
export const AWS_ALLOWED_KEYS_SETTING = 'aws-allowed-keys';
export const AWS_ALLOWED_ROLES_SETTING = 'aws-allowed-roles';
export const AWS_ALLOWED_ACCOUNTS_SETTING = 'aws-allowed-accounts';

const ACCOUNT_RE = /^\d{12}$/;

/**
 * Validates the configured AWS policy. Entries must be account IDs or `arn:` patterns, so a
 * typo cannot silently allow nothing (or everything).
 */
export function parseAwsPolicy(input: {
  readonly accounts?: readonly string[];
  readonly keys?: readonly string[];
  readonly roles?: readonly string[];
}): AwsPolicy {
  const clean = (values: readonly string[] | undefined): string[] =>
    (values ?? []).map((v) => v.trim()).filter((v) => v !== '');
  const accounts = clean(input.accounts);
  for (const account of accounts) {
    if (!ACCOUNT_RE.test(account)) {
      throw new UserError(
        'USAGE',
        `${AWS_ALLOWED_ACCOUNTS_SETTING} entry "${account}" is not a 12-digit account ID`,
      );
    }
  }
  const keys = clean(input.keys);
  const roles = clean(input.roles);
  for (const [setting, values] of [
    [AWS_ALLOWED_KEYS_SETTING, keys],
    [AWS_ALLOWED_ROLES_SETTING, roles],
  ] as const) {
    for (const value of values) {
      if (!value.startsWith('arn:')) {
        throw new UserError('USAGE', `${setting} entry "${value}" is not an ARN pattern`, {
          hint: 'use a full ARN, * as a wildcard (arn:aws:kms:*:123456789012:key/*), or list the account in aws-allowed-accounts',
        });
      }
    }
  }
  return { accounts, keys, roles };
}

/** The policy with nothing configured: any key, no roles. */
export const DEFAULT_AWS_POLICY: AwsPolicy = { accounts: [], keys: [], roles: [] };

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

function matchesAny(value: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(value));
}

/** A KMS key ARN split as sops reads it (`^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)/.+$`). */
export interface KmsArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const KMS_ARN_RE = /^arn:(aws[\w-]*):kms:(.+):([0-9]+):(key|alias)\/.+$/;
/**
 * Region names as AWS spells them (`us-east-1`, `us-gov-west-1`, `cn-north-1`). sops accepts
 * any text here; we do not, since the region becomes part of the host name we connect to.
 */
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Parses a KMS key ARN; throws a one-line error naming the ARN when it is not one. */
export function parseKmsArn(arn: string): KmsArn {
  const match = KMS_ARN_RE.exec(arn);
  if (match === null)
    throw new UserError('KEY_SOURCE', `no valid kms key arn found in ${JSON.stringify(arn)}`);
  const [, partition = '', region = '', account = ''] = match;
  if (!REGION_RE.test(region)) {
    throw new UserError(
      'KEY_SOURCE',
      `kms key arn ${JSON.stringify(arn)} names region ${JSON.stringify(region)}, which is not an aws region`,
    );
  }
  return { partition, region, account };
}

const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** Checks a key ARN against the policy. */
export function checkAwsKey(
  policy: AwsPolicy,
  arn: string,
  parsed: KmsArn,
): { ok: true } | { ok: false; reason: string } {
  if (policy.accounts.length === 0 && policy.keys.length === 0) return { ok: true };
  if (policy.accounts.includes(parsed.account) || matchesAny(arn, policy.keys)) return { ok: true };
  return {
    ok: false,
    reason: `kms key ${arn} is not in the allowed keys or accounts; add it to ${AWS_ALLOWED_KEYS_SETTING} or its account to ${AWS_ALLOWED_ACCOUNTS_SETTING}`,
  };
}

/** Checks a stanza's role ARN against the policy. Roles are refused unless configured. */
export function checkAwsRole(policy: AwsPolicy, role: string): { ok: true } | { ok: false; reason: string } {
  const match = ROLE_ARN_RE.exec(role);
  if (match === null) return { ok: false, reason: `role ${JSON.stringify(role)} is not an iam role arn` };
  if (policy.accounts.includes(match[1] ?? '') || matchesAny(role, policy.roles)) return { ok: true };
  if (policy.accounts.length === 0 && policy.roles.length === 0) {
    return {
      ok: false,
      reason: `role ${role} is not allowed: roles named in sops files are assumed only when configured; add it to ${AWS_ALLOWED_ROLES_SETTING}`,
    };
  }
  return {
    ok: false,
    reason: `role ${role} is not in the allowed roles or accounts; add it to ${AWS_ALLOWED_ROLES_SETTING}`,
  };
}

/** DNS suffixes of the partitions whose public endpoints follow `{service}.{region}.{suffix}`. */
const PARTITION_SUFFIX: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
};

/**
 * The endpoint for `service` (`kms`, `sts`) in `region`: `AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL` (the SDKs' names; the environment is trusted configuration), else the
 * partition's public regional endpoint. The region must already be validated.
 */
export function resolveAwsEndpoint(
  service: 'kms' | 'sts',
  arn: KmsArn,
  env: Readonly<Record<string, string | undefined>>,
): EndpointCheck {
  const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
  for (const name of [variable, 'AWS_ENDPOINT_URL']) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, reason: `${name} is not a URL` };
    }
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      return { ok: false, reason: `${name} must be an http(s) URL without credentials` };
    }
    return { ok: true, url };
  }
  const suffix = PARTITION_SUFFIX[arn.partition];
  if (suffix === undefined) {
    return {
      ok: false,
      reason: `aws partition ${arn.partition} has no known ${service} endpoint; set ${variable}`,
    };
  }
  return { ok: true, url: new URL(`https://${service}.${arn.region}.${suffix}/`) };
}

// ---------------------------------------------------------------------------------------------
// Sending

/** The fetch function the sources use; injectable for tests. */

/** An HTTP answer, read in full (capped). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Answers larger than this are cut: KMS, STS and Vault answers are a few kilobytes. */
const MAX_ANSWER_CHARS = 1024 * 1024;

/**
 * Sends one request to an endpoint the policy approved. Redirects are refused rather than
 * followed: fetch drops only `Authorization` on a cross-origin redirect and would carry
 * `X-Vault-Token` or `X-Amz-Security-Token` to wherever the server points.
 */
export async function sendApproved(
  fetchFn: FetchLike,
  url: URL,
  init: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    /** Absent for a GET. */
    readonly body?: string;
  },
  timeoutMs: number,
): Promise<HttpAnswer> {
  const response = await fetchFn(url.href, {
    method: init.method,
    headers: init.headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new UserError(
      'KEY_SOURCE',
      `${url.origin} answered with a redirect (HTTP ${response.status}), which is not followed`,
    );
  }
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > MAX_ANSWER_CHARS ? text.slice(0, MAX_ANSWER_CHARS) : text,
  };
}

/**
 * A server's error message made safe for one log line: secrets we sent (token, ciphertext,
 * body) are cut out in case the server echoes them, control characters and long runs of
 * base64 are removed, and the length is capped.
 */
export function sanitizeRemoteMessage(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  }
  return (
    text
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/[A-Za-z0-9+/=_-]{64,}/g, '[redacted]')
      .trim()
      .slice(0, 300)
      .trim()
  );
}

/**
 * POSTs to an approved endpoint (see {@link sendApproved}); when no answer comes (refused,
 * timed out, bad TLS, a redirect), the error is one KEY_SOURCE line that starts with `what`.
 */
export async function postApproved(
  fetchFn: FetchLike,
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  what: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return requestApproved(fetchFn, url, { method: 'POST', headers, body }, what, timeoutMs);
}

/** GETs from an approved endpoint, with the same refusals and error line as {@link postApproved}. */
export async function getApproved(
  fetchFn: FetchLike,
  url: URL,
  headers: Readonly<Record<string, string>>,
  what: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return requestApproved(fetchFn, url, { method: 'GET', headers }, what, timeoutMs);
}

async function requestApproved(
  fetchFn: FetchLike,
  url: URL,
  init: Parameters<typeof sendApproved>[2],
  what: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  try {
    return await sendApproved(fetchFn, url, init, timeoutMs);
  } catch (error) {
    throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
  }
}

/** A network failure (refused, timed out, bad TLS) as a one-line reason. */
export function describeNetworkError(error: unknown, url: URL): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${url.origin} in time`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  return `cannot reach ${url.origin}: ${sanitizeRemoteMessage(code === '' ? message : `${code} ${message}`, [])}`;
}
