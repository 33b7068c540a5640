/**
 * A DOUBLE of Microsoft Entra ID's token endpoint and Azure Key Vault's key operations,
 * written here because lowkey-vault (the Key Vault emulator) cannot be had on this machine
 * (see docs/test-environment.md). It speaks the real wire format for what a sops `azure_kv`
 * key and GitHub workload identity federation need:
 *
 * - `POST /{tenant}/oauth2/v2.0/token` (Entra, client credentials with a client assertion):
 *   the assertion is a GitHub OIDC JWT, checked for real: RS256 signature against the
 *   issuer's JWKS, `iss`, `aud` = `api://AzureADTokenExchange`, `exp`/`nbf` (AADSTS700024 when
 *   outside), and `sub` against the app's federated credential subjects (AADSTS70021).
 *   Answers an access token whose lifetime is configurable, so tests can outlive it. The same
 *   endpoint also takes a `client_secret` (AADSTS7000215 when wrong) and a certificate's
 *   client assertion (an RS256 JWT whose `x5t` names a registered certificate; signature,
 *   `aud` = the token URL, `iss` = `sub` = client id, and time checked: AADSTS700027 /
 *   AADSTS700024). Each token call records which credential it was (`credential`).
 * - Managed identity: `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=`
 *   (IMDS; needs `Metadata: true`) and `GET /msi/token?api-version=2019-08-01&resource=`
 *   (App Service's IDENTITY_ENDPOINT; needs `X-IDENTITY-HEADER`), answering as those do
 *   (`expires_on` as epoch seconds in a string).
 * - `POST /keys/{name}/{version}/{wrapkey|unwrapkey|encrypt|decrypt}?api-version=...` (Key
 *   Vault): RSA-OAEP-256 (and RSA-OAEP) with an RSA key held only in the double; values are
 *   base64url, as in the real API. Needs a bearer token the double issued and has not expired.
 *   A key's permitted operations (`key_ops`) can be narrowed, as `az keyvault key create
 *   --ops encrypt decrypt` does; an operation outside them answers Key Vault's 403
 *   `KeyOperationForbidden`.
 * - `GET /keys/{name}[/{version}]?api-version=...`: the key bundle (`key.kid` names the
 *   version), which sops reads to pin a version-less key to its latest version.
 *
 * It is not Microsoft's service: error texts are modelled on the real ones, and there is one
 * vault per double at its root URL. `GET /_requests` lists the calls (never bodies).
 */
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  verify,
  X509Certificate,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, isRecord, listenLoopback, parseJsonBody, sendJson } from './http-double.ts';
import type { LoopbackServer } from './http-double.ts';

export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface AzureKvDoubleOptions {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** The federated credentials' subjects (`repo:o/r:ref:refs/heads/main`). */
  readonly subjects: readonly string[];
  /** Key names; each gets one RSA-2048 version. */
  readonly keys?: readonly string[];
  /** Access token lifetime in seconds; default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** The app's client secret, when it has one. */
  readonly clientSecret?: string;
  /** PEM certificates registered on the app, for certificate client assertions. */
  readonly certificates?: readonly string[];
  /** The `IDENTITY_HEADER` the App Service identity endpoint wants; unset: that endpoint refuses. */
  readonly identityHeader?: string;
}

/** One call the double received; bodies are never recorded (they carry key material). */
export interface AzureRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** For token calls: the assertion's jti, so tests can see each exchange used a new one. */
  readonly assertionId?: string;
  /** For token calls that succeeded: `federated`, `secret`, `certificate` or `managed-identity[:<client id>]`. */
  readonly credential?: string;
}

/** Key Vault's names for a key's operations, as `key_ops` lists them. */
const KEY_OPS = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] as const;
export type KeyOp = (typeof KEY_OPS)[number];

interface VaultKey {
  readonly version: string;
  readonly ops: readonly KeyOp[];
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const CLOCK_SKEW_S = 0;

function decodeSegment(segment: string | undefined): unknown {
  if (segment === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Entra's OAuth error body. */
function entraError(
  res: ServerResponse,
  status: number,
  error: string,
  code: number,
  description: string,
): void {
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
  });
}

/** Key Vault's error body. */
function vaultError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

export class AzureKvDouble {
  readonly #server: LoopbackServer;
  readonly #options: AzureKvDoubleOptions;
  readonly #keys = new Map<string, VaultKey>();
  readonly #tokens = new Map<string, number>();
  /** Registered certificates by SHA-1 thumbprint (base64url), as Entra looks up `x5t`. */
  readonly #certificates = new Map<string, KeyObject>();
  #jwks: readonly Record<string, unknown>[] = [];
  readonly requests: AzureRequest[] = [];
  /** Seconds; tests may shorten it while running. */
  tokenLifetimeSeconds: number;

  private constructor(server: LoopbackServer, options: AzureKvDoubleOptions) {
    this.#server = server;
    this.#options = options;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    for (const key of options.keys ?? []) this.addKey(key);
    for (const pem of options.certificates ?? []) {
      const cert = new X509Certificate(pem);
      this.#certificates.set(createHash('sha1').update(cert.raw).digest('base64url'), cert.publicKey);
    }
  }

  static async start(options: AzureKvDoubleOptions): Promise<AzureKvDouble> {
    const holder: { double?: AzureKvDouble } = {};
    const server = await listenLoopback(async (req, res, body) => {
      if (holder.double === undefined) sendJson(res, 503, {});
      else await holder.double.#handle(req, res, body);
    });
    const double = new AzureKvDouble(server, options);
    holder.double = double;
    return double;
  }

  /** The vault URL (`https://name.vault.azure.net` in Azure) and the authority host. */
  get url(): string {
    return this.#server.url;
  }

  /**
   * Creates a key with one version; returns that version. `ops` narrows what the key permits
   * (default all four RSA operations).
   */
  addKey(name: string, ops: readonly KeyOp[] = KEY_OPS): string {
    const existing = this.#keys.get(name);
    if (existing !== undefined) return existing.version;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const version = randomBytes(16).toString('hex');
    this.#keys.set(name, { version, ops, privateKey, publicKey });
    return version;
  }

  keyVersion(name: string): string | undefined {
    return this.#keys.get(name)?.version;
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (req.method === 'GET' && path === '/_requests') {
      sendJson(res, 200, this.requests);
      return;
    }
    const seen: { assertionId?: string; credential?: string } = {};
    res.once('finish', () => {
      this.requests.push({ method: req.method ?? '', path, status: res.statusCode, ...seen });
    });
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && token?.[1] !== undefined) {
      await this.#token(res, token[1], body, seen);
      return;
    }
    if (req.method === 'GET' && (path === '/metadata/identity/oauth2/token' || path === '/msi/token')) {
      this.#managedIdentity(req, res, url, path === '/msi/token', seen);
      return;
    }
    const op = /^\/keys\/([^/]+)(?:\/([^/]*))?\/(wrapkey|unwrapkey|encrypt|decrypt)$/.exec(path);
    if (req.method === 'POST' && op?.[1] !== undefined && op[3] !== undefined) {
      this.#keyOperation(req, res, url, op[1], op[2] ?? '', op[3], body);
      return;
    }
    const get = /^\/keys\/([^/]+)(?:\/([^/]*))?$/.exec(path);
    if (req.method === 'GET' && get?.[1] !== undefined) {
      this.#getKey(req, res, url, get[1], get[2] ?? '');
      return;
    }
    vaultError(res, 404, 'NotFound', 'The requested resource was not found.');
  }

  async #token(
    res: ServerResponse,
    tenant: string,
    body: string,
    seen: { assertionId?: string; credential?: string },
  ): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(body));
    if (tenant !== this.#options.tenantId) {
      entraError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
      return;
    }
    if (form['grant_type'] !== 'client_credentials') {
      entraError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      return;
    }
    if (form['client_id'] !== this.#options.clientId) {
      entraError(
        res,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form['client_id'] ?? ''}' was not found in the directory '${tenant}'.`,
      );
      return;
    }
    if (form['scope'] === 'https://vault.azure.net/.default' && form['client_secret'] !== undefined) {
      if (this.#options.clientSecret === undefined || form['client_secret'] !== this.#options.clientSecret) {
        entraError(
          res,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.#options.clientId}'.`,
        );
        return;
      }
      this.#issueToken(res, seen, 'secret');
      return;
    }
    if (form['client_assertion_type'] !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      entraError(
        res,
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
      return;
    }
    if (form['scope'] !== 'https://vault.azure.net/.default') {
      entraError(
        res,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${form['scope'] ?? ''} is not valid.`,
      );
      return;
    }
    const assertion = form['client_assertion'] ?? '';
    const [h, p, s] = assertion.split('.');
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (!isRecord(header) || !isRecord(claims) || s === undefined) {
      entraError(res, 401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
      return;
    }
    if (typeof claims['jti'] === 'string') seen.assertionId = claims['jti'];
    // GitHub's tokens carry an x5t too: a certificate assertion is the one the app issued itself.
    if (typeof header['x5t'] === 'string' && claims['iss'] === this.#options.clientId) {
      this.#certificateAssertion(res, tenant, header, claims, `${h}.${p}`, s, seen);
      return;
    }
    let jwk = this.#jwks.find((k) => k['kid'] === header['kid']);
    if (jwk === undefined) {
      const fetched = (await (await fetch(this.#options.jwksUrl)).json()) as {
        keys?: Record<string, unknown>[];
      };
      this.#jwks = fetched.keys ?? [];
      jwk = this.#jwks.find((k) => k['kid'] === header['kid']);
    }
    if (
      header['alg'] !== 'RS256' ||
      jwk === undefined ||
      !verify(
        'RSA-SHA256',
        Buffer.from(`${h}.${p}`),
        createPublicKey({ key: jwk, format: 'jwk' }),
        Buffer.from(s, 'base64url'),
      )
    ) {
      entraError(res, 401, 'invalid_client', 5002738, 'Invalid JWT token. The token signature is not valid.');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
    const nbf = typeof claims['nbf'] === 'number' ? claims['nbf'] : 0;
    if (exp < now - CLOCK_SKEW_S || nbf > now + CLOCK_SKEW_S) {
      entraError(
        res,
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${new Date(nbf * 1000).toISOString()}, expiry time of assertion ${new Date(exp * 1000).toISOString()}.`,
      );
      return;
    }
    const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (
      claims['iss'] !== this.#options.issuer ||
      !audiences.includes(AZURE_TOKEN_EXCHANGE_AUDIENCE) ||
      !this.#options.subjects.includes(String(claims['sub']))
    ) {
      entraError(
        res,
        400,
        'invalid_request',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims['iss'])}'. Assertion Subject: '${String(claims['sub'])}'. Assertion Audience: '${audiences.map(String).join(',')}'.`,
      );
      return;
    }
    this.#issueToken(res, seen, 'federated');
  }

  #newAccessToken(): string {
    const accessToken = `eyJ0eXAi.double-${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(accessToken, Date.now() + this.tokenLifetimeSeconds * 1000);
    return accessToken;
  }

  #issueToken(res: ServerResponse, seen: { credential?: string }, credential: string): void {
    seen.credential = credential;
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      ext_expires_in: this.tokenLifetimeSeconds,
      access_token: this.#newAccessToken(),
    });
  }

  /** A client assertion signed with a certificate registered on the app (`x5t` names it). */
  #certificateAssertion(
    res: ServerResponse,
    tenant: string,
    header: Record<string, unknown>,
    claims: Record<string, unknown>,
    signed: string,
    signature: string,
    seen: { credential?: string },
  ): void {
    const key = this.#certificates.get(String(header['x5t']));
    if (
      header['alg'] !== 'RS256' ||
      key === undefined ||
      !verify('RSA-SHA256', Buffer.from(signed), key, Buffer.from(signature, 'base64url'))
    ) {
      entraError(
        res,
        401,
        'invalid_client',
        700027,
        'Client assertion failed signature validation. (Reason - The key was not found.)',
      );
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
    const nbf = typeof claims['nbf'] === 'number' ? claims['nbf'] : 0;
    if (exp < now || nbf > now + 300) {
      entraError(res, 401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
      return;
    }
    const audience = `${this.url}/${tenant}/oauth2/v2.0/token`;
    if (
      claims['aud'] !== audience ||
      claims['iss'] !== this.#options.clientId ||
      claims['sub'] !== this.#options.clientId
    ) {
      entraError(
        res,
        401,
        'invalid_client',
        700021,
        `Client assertion application identifier doesn't match 'client_id' parameter, or its audience is not ${audience}.`,
      );
      return;
    }
    this.#issueToken(res, seen, 'certificate');
  }

  /** IMDS (`Metadata: true`) and App Service's identity endpoint (`X-IDENTITY-HEADER`). */
  #managedIdentity(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    appService: boolean,
    seen: { credential?: string },
  ): void {
    if (appService) {
      if (
        this.#options.identityHeader === undefined ||
        req.headers['x-identity-header'] !== this.#options.identityHeader
      ) {
        sendJson(res, 401, { statusCode: 401, message: 'Unauthorized' });
        return;
      }
    } else if (req.headers['metadata'] !== 'true') {
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'Required metadata header not specified',
      });
      return;
    }
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion !== (appService ? '2019-08-01' : '2018-02-01')) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'Invalid API version' });
      return;
    }
    if (url.searchParams.get('resource') !== 'https://vault.azure.net') {
      sendJson(res, 400, {
        error: 'invalid_resource',
        error_description: 'AADSTS500011: The resource principal was not found.',
      });
      return;
    }
    const clientId = url.searchParams.get('client_id');
    if (clientId !== null && clientId !== this.#options.clientId) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'Identity not found' });
      return;
    }
    seen.credential = `managed-identity${clientId === null ? '' : `:${clientId}`}`;
    const expiresOn = Math.floor(Date.now() / 1000) + this.tokenLifetimeSeconds;
    sendJson(res, 200, {
      access_token: this.#newAccessToken(),
      ...(appService ? {} : { expires_in: String(this.tokenLifetimeSeconds) }),
      expires_on: String(expiresOn),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
    });
  }

  /** The api-version, bearer and key checks every key call makes; answers the error itself. */
  #authorizedKey(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    name: string,
    version: string,
  ): VaultKey | undefined {
    if (url.searchParams.get('api-version') === null) {
      vaultError(res, 400, 'BadParameter', 'The api-version query parameter must be specified.');
      return undefined;
    }
    const bearer = bearerToken(req);
    const expiresAt = bearer === undefined ? undefined : this.#tokens.get(bearer);
    if (expiresAt === undefined || expiresAt < Date.now()) {
      vaultError(
        res,
        401,
        'Unauthorized',
        expiresAt === undefined
          ? 'AKV10000: Request is missing a Bearer or PoP token.'
          : 'AKV10022: Invalid audience or the token has expired.',
      );
      return undefined;
    }
    const key = this.#keys.get(name);
    if (key === undefined || (version !== '' && version !== key.version)) {
      vaultError(
        res,
        404,
        'KeyNotFound',
        `A key with (name/id) ${name}${version === '' ? '' : `/${version}`} was not found in this key vault.`,
      );
      return undefined;
    }
    return key;
  }

  #getKey(req: IncomingMessage, res: ServerResponse, url: URL, name: string, version: string): void {
    const key = this.#authorizedKey(req, res, url, name, version);
    if (key === undefined) return;
    const jwk = key.publicKey.export({ format: 'jwk' });
    sendJson(res, 200, {
      key: {
        kid: `${this.url}/keys/${name}/${key.version}`,
        kty: 'RSA',
        key_ops: key.ops,
        n: jwk.n,
        e: jwk.e,
      },
      attributes: { enabled: true, recoveryLevel: 'Recoverable+Purgeable' },
    });
  }

  #keyOperation(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    name: string,
    version: string,
    op: string,
    body: string,
  ): void {
    const key = this.#authorizedKey(req, res, url, name, version);
    if (key === undefined) return;
    const wanted = KEY_OPS.find((k) => k.toLowerCase() === op);
    if (wanted === undefined || !key.ops.includes(wanted)) {
      sendJson(res, 403, {
        error: {
          code: 'Forbidden',
          message: `Operation ${wanted ?? op} is not permitted on this key.`,
          innererror: { code: 'KeyOperationForbidden' },
        },
      });
      return;
    }
    const parsed = parseJsonBody(body);
    const alg = isRecord(parsed) ? parsed['alg'] : undefined;
    const value = isRecord(parsed) && typeof parsed['value'] === 'string' ? parsed['value'] : undefined;
    if (
      (alg !== 'RSA-OAEP-256' && alg !== 'RSA-OAEP') ||
      value === undefined ||
      !/^[A-Za-z0-9_-]*$/.test(value)
    ) {
      vaultError(res, 400, 'BadParameter', 'Property alg or value is invalid.');
      return;
    }
    const oaepHash = alg === 'RSA-OAEP-256' ? 'sha256' : 'sha1';
    const input = Buffer.from(value, 'base64url');
    let output: Buffer;
    try {
      output =
        op === 'wrapkey' || op === 'encrypt'
          ? publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, input)
          : privateDecrypt(
              { key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
              input,
            );
    } catch {
      vaultError(res, 400, 'BadParameter', 'Unwrap failed: the ciphertext is invalid for this key.');
      return;
    }
    sendJson(res, 200, {
      kid: `${this.url}/keys/${name}/${key.version}`,
      value: output.toString('base64url'),
    });
  }
}
