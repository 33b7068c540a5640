/**
 * The HashiCorp Vault (and OpenBao) transit key source, as sops 3.13's `hcvault` package:
 * `POST {vault_address}/v1/{engine_path}/decrypt/{key_name}` with `{"ciphertext": enc}` and
 * the token in `X-Vault-Token`; the answer's `data.plaintext` is base64 of the data key.
 *
 * The token comes from a JWT login with the job's GitHub OIDC token when `vault-role` is
 * configured (`POST /v1/auth/{vault-auth-path}/login`, once per Vault address per run, the
 * token masked at once), else `VAULT_TOKEN`, else `$HOME/.vault-token` (the Vault client's
 * default, which sops uses). Either is sent only to addresses the {@link VaultPolicy} allows:
 * the address comes from the file, which in a pull request is untrusted.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { refusedExchangeMessage, type IdTokenProvider } from './id-token.ts';
import {
  checkVaultAddress,
  describeNetworkError,
  sanitizeRemoteMessage,
  sendApproved,
  type HttpAnswer,
  type VaultPolicy,
} from './endpoint-policy.ts';
import type { KeySource } from './key-source.ts';
import type { KeyRecipient, MasterKey } from './master-key.ts';
import type { FetchLike, Mask } from '../ports.ts';

/** What {@link createVaultKeySource} needs. */
export interface VaultKeySourceOptions {
  /** Read for `VAULT_TOKEN`, `VAULT_NAMESPACE`, `VAULT_CACERT` and `HOME`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly policy: VaultPolicy;
  /** Registers a secret with the host so it is never printed. */
  readonly mask: Mask;
  /** Reads `~/.vault-token` and `VAULT_CACERT`; tests inject it. */
  readonly readFile?: (file: string) => Promise<string>;
  /** The HTTP client; tests inject it. Ignored when `VAULT_CACERT` is set (node:https is used). */
  readonly fetch?: FetchLike;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
  /** `vault-namespace`; wins over `VAULT_NAMESPACE`. */
  readonly namespace?: string | undefined;
  /** Log in with the job's GitHub OIDC token instead of using a stored token. */
  readonly jwtLogin?: VaultJwtLogin | undefined;
}

/** The JWT auth method login (`vault-role`, `vault-auth-path`, `vault-audience`). */
export interface VaultJwtLogin {
  readonly role: string;
  /** The auth mount, default `jwt`. */
  readonly authPath: string;
  /** The `aud` the role binds; GitHub's default audience when undefined. */
  readonly audience: string | undefined;
  readonly idToken: IdTokenProvider;
}

type VaultKey = Extract<MasterKey, { type: 'hc_vault' }>;

/** A mount path: slash-separated names; no empty, `.` or `..` segment can climb out of /v1. */
const ENGINE_PATH_RE = /^[A-Za-z0-9_@.-]+(\/[A-Za-z0-9_@.-]+)*$/;
const KEY_NAME_RE = /^[A-Za-z0-9_@.-]+$/;

function isSafeSegments(value: string, re: RegExp): boolean {
  return re.test(value) && value.split('/').every((segment) => segment !== '.' && segment !== '..');
}

/** Vault answers errors as `{"errors": ["..."]}`. */
function vaultErrors(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors.filter((e): e is string => typeof e === 'string').join('; ');
    }
  } catch {
    // Not JSON (a proxy's HTML page): the status alone says enough.
  }
  return '';
}

/** node:https with a private CA (`VAULT_CACERT`), which fetch cannot take. */
function sendWithCa(
  url: URL,
  init: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  },
  ca: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: init.method, headers: init.headers, ca, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            reject(
              new UserError(
                'KEY_SOURCE',
                `${url.origin} answered with a redirect (HTTP ${status}), which is not followed`,
              ),
            );
            return;
          }
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(init.body);
  });
}

type Token = { readonly value: string; readonly from: string };

/** The `hc_vault` source: one object per run, holding its token, CA and JWT logins. */
class VaultKeySource implements KeySource {
  readonly name = 'hc_vault';
  readonly locations: readonly string[];
  private readonly options: VaultKeySourceOptions;
  private readonly read: (file: string) => Promise<string>;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;
  private readonly tokenFile: string | undefined;
  private readonly envToken: string | undefined;
  private readonly caFile: string | undefined;
  private readonly namespace: string | undefined;
  private token: Promise<Token | null> | undefined;
  private ca: Promise<string> | undefined;
  /** JWT logins, one per Vault (address and path) per run. */
  private readonly logins = new Map<string, Promise<Token>>();

  constructor(options: VaultKeySourceOptions) {
    const { env, mask } = options;
    this.options = options;
    this.read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const home = env['HOME'];
    this.tokenFile = home === undefined || home === '' ? undefined : path.join(home, '.vault-token');
    const envToken = env['VAULT_TOKEN']?.trim();
    this.envToken = envToken === '' ? undefined : envToken;
    if (this.envToken !== undefined) mask(this.envToken);
    this.caFile = env['VAULT_CACERT']?.trim();
    this.namespace = options.namespace?.trim() || env['VAULT_NAMESPACE']?.trim();
    this.locations = this.describe();
  }

  async decrypt(key: MasterKey): Promise<Uint8Array | null> {
    if (key.type !== 'hc_vault') return null;
    return this.decryptVault(key);
  }

  private describe(): string[] {
    const { policy, jwtLogin: jwt } = this.options;
    const { envToken, tokenFile } = this;
    return [
      ...(jwt === undefined
        ? []
        : [
            `github oidc jwt login at auth/${jwt.authPath} with role ${jwt.role} (audience ${jwt.audience ?? 'github default'})`,
          ]),
      `VAULT_TOKEN (${envToken === undefined ? 'not set' : 'set'})`,
      ...(tokenFile === undefined ? [] : [tokenFile]),
      policy.disabledReason !== undefined
        ? `vault disabled: ${policy.disabledReason}`
        : policy.allowAll
          ? 'allowed vault addresses: any (SOPS_HC_VAULT_ALLOWLIST=all)'
          : `allowed vault addresses: ${policy.addresses.length === 0 ? 'none' : policy.addresses.join(', ')}`,
      ...(policy.ignoredEntries.length === 0
        ? []
        : [`ignored allowlist entries (not http(s) URLs): ${policy.ignoredEntries.join(', ')}`]),
    ];
  }

  /** VAULT_TOKEN, else `~/.vault-token`; read and masked once, on the first stanza. */
  private loadToken(): Promise<Token | null> {
    const { envToken, tokenFile } = this;
    this.token ??= (async () => {
      if (envToken !== undefined) return { value: envToken, from: 'VAULT_TOKEN' };
      if (tokenFile === undefined) return null;
      let text: string;
      try {
        text = await this.read(tokenFile);
      } catch {
        return null;
      }
      const value = text.trim();
      if (value === '') return null;
      this.options.mask(value);
      return { value, from: tokenFile };
    })();
    return this.token;
  }

  /** Sends one request to an approved address, with VAULT_CACERT when set. */
  private async send(url: URL, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
    const { caFile } = this;
    if (caFile !== undefined && caFile !== '') {
      this.ca ??= this.read(caFile);
      let caText: string;
      try {
        caText = await this.ca;
      } catch {
        throw new UserError('KEY_SOURCE', `cannot read VAULT_CACERT file ${caFile}`);
      }
      return sendWithCa(url, { method: 'POST', headers, body }, caText, this.timeoutMs);
    }
    return sendApproved(this.fetchFn, url, { method: 'POST', headers, body }, this.timeoutMs);
  }

  private baseHeaders(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      // Vault's clients send this on every request; some deployments (agent, proxies) require it.
      'x-vault-request': 'true',
    };
    if (this.namespace !== undefined && this.namespace !== '') headers['x-vault-namespace'] = this.namespace;
    return headers;
  }

  /** One JWT login per Vault per run; a refused login is not cached. */
  private login(address: URL, settings: VaultJwtLogin): Promise<Token> {
    const base = address.pathname === '/' ? '' : address.pathname;
    const cacheKey = `${address.origin}${base}`;
    let pending = this.logins.get(cacheKey);
    if (pending !== undefined) return pending;
    pending = this.jwtLogin(address, base, settings);
    this.logins.set(cacheKey, pending);
    // A refused login is not cached; the next stanza tries again and reports the same way.
    pending.catch(() => this.logins.delete(cacheKey));
    return pending;
  }

  private async jwtLogin(address: URL, base: string, settings: VaultJwtLogin): Promise<Token> {
    const what = `vault jwt login (auth/${settings.authPath}, role ${settings.role})`;
    if (!isSafeSegments(settings.authPath, ENGINE_PATH_RE)) {
      throw new UserError(
        'KEY_SOURCE',
        `vault-auth-path ${JSON.stringify(settings.authPath)} is not a plain mount path`,
      );
    }
    const token = await settings.idToken(settings.audience);
    const url = new URL(`${address.origin}${base}/v1/auth/${settings.authPath}/login`);
    const body = JSON.stringify({ role: settings.role, jwt: token.value });
    let answer: HttpAnswer;
    try {
      answer = await this.send(url, this.baseHeaders(), body);
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const detail = sanitizeRemoteMessage(vaultErrors(answer.body), [token.value, body]);
      throw new UserError(
        'KEY_SOURCE',
        refusedExchangeMessage(what, `HTTP ${answer.status}${detail === '' ? '' : `: ${detail}`}`, token),
      );
    }
    let clientToken: unknown;
    try {
      clientToken = (JSON.parse(answer.body) as { auth?: { client_token?: unknown } }).auth?.client_token;
    } catch {
      clientToken = undefined;
    }
    if (typeof clientToken !== 'string' || clientToken === '') {
      throw new UserError('KEY_SOURCE', `${what}: the answer has no auth.client_token`);
    }
    this.options.mask(clientToken);
    return { value: clientToken, from: what };
  }

  /**
   * One transit call (`decrypt` or `encrypt`) for `key`: the address is checked against the
   * policy before any token is read, and the answer's `data` is returned.
   */
  private async transit(
    key: Omit<VaultKey, 'enc'>,
    operation: 'decrypt' | 'encrypt',
    payload: Record<string, string>,
    secrets: readonly string[],
  ): Promise<Record<string, unknown>> {
    const { policy, jwtLogin: jwt } = this.options;
    const { tokenFile } = this;
    const fail = (reason: string): never => {
      throw new UserError('KEY_SOURCE', reason);
    };
    // Policy first: a refused address must not even cost a token read.
    const check = checkVaultAddress(policy, key.vaultAddress);
    if (!check.ok) return fail(check.reason);
    if (!isSafeSegments(key.enginePath, ENGINE_PATH_RE)) {
      return fail(`vault engine path ${JSON.stringify(key.enginePath)} is not a plain mount path`);
    }
    if (!isSafeSegments(key.keyName, KEY_NAME_RE))
      return fail(`vault key name ${JSON.stringify(key.keyName)} is not a plain name`);

    const found = jwt === undefined ? await this.loadToken() : await this.login(check.url, jwt);
    if (found === null) {
      return fail(
        `no vault token: set VAULT_TOKEN${tokenFile === undefined ? '' : ` or write ${tokenFile}`}`,
      );
    }

    const what = `vault transit ${operation} with ${key.enginePath}/${key.keyName}`;
    const base = check.url.pathname === '/' ? '' : check.url.pathname;
    const url = new URL(`${check.url.origin}${base}/v1/${key.enginePath}/${operation}/${key.keyName}`);
    const headers: Record<string, string> = { ...this.baseHeaders(), 'x-vault-token': found.value };
    const body = JSON.stringify(payload);

    let answer: HttpAnswer;
    try {
      answer = await this.send(url, headers, body);
    } catch (error) {
      if (error instanceof UserError && error.message.startsWith('cannot read VAULT_CACERT')) throw error;
      return fail(`${what}: ${describeNetworkError(error, url)}`);
    }

    if (answer.status < 200 || answer.status >= 300) {
      const detail = sanitizeRemoteMessage(vaultErrors(answer.body), [found.value, body, ...secrets]);
      return fail(`${what} failed: HTTP ${answer.status}${detail === '' ? '' : `: ${detail}`}`);
    }
    let data: unknown;
    try {
      data = (JSON.parse(answer.body) as { data?: unknown }).data;
    } catch {
      return fail(`${what}: the answer is not JSON`);
    }
    if (typeof data !== 'object' || data === null) return fail(`${what}: the answer has no data`);
    return data as Record<string, unknown>;
  }

  private async decryptVault(key: VaultKey): Promise<Uint8Array> {
    const what = `vault transit decrypt with ${key.enginePath}/${key.keyName}`;
    const data = await this.transit(key, 'decrypt', { ciphertext: key.enc }, [key.enc]);
    const plaintext = data['plaintext'];
    if (typeof plaintext !== 'string') {
      throw new UserError('KEY_SOURCE', `${what}: the answer has no data.plaintext`);
    }
    this.options.mask(plaintext);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(plaintext) || plaintext.length % 4 !== 0) {
      throw new UserError('KEY_SOURCE', `${what}: the answer's plaintext is not base64`);
    }
    return new Uint8Array(Buffer.from(plaintext, 'base64'));
  }

  /**
   * The wrap direction (sops `hcvault.MasterKey.Encrypt`): `POST {engine}/encrypt/{key}` with
   * the data key as base64; the answer's `data.ciphertext` (`vault:v1:…`) is the stanza's `enc`.
   */
  async encrypt(key: KeyRecipient, plaintext: Uint8Array): Promise<string> {
    if (key.type !== 'hc_vault')
      throw new UserError('KEY_SOURCE', `the vault source cannot wrap for ${key.type}`);
    const encoded = Buffer.from(plaintext).toString('base64');
    const data = await this.transit(key, 'encrypt', { plaintext: encoded }, [encoded]);
    const ciphertext = data['ciphertext'];
    if (typeof ciphertext !== 'string' || !ciphertext.startsWith('vault:')) {
      throw new UserError(
        'KEY_SOURCE',
        `vault transit encrypt with ${key.enginePath}/${key.keyName}: the answer has no data.ciphertext`,
      );
    }
    return ciphertext;
  }
}

/**
 * Creates the `hc_vault` key source. The token is read and masked lazily, on the first
 * Vault stanza, so an age-only run never touches `~/.vault-token`.
 */
export function createVaultKeySource(options: VaultKeySourceOptions): KeySource {
  return new VaultKeySource(options);
}
