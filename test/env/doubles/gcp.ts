/**
 * A DOUBLE of Google Cloud's KMS, STS and IAM Credentials REST APIs, written here because no
 * GCP KMS emulator exists. It speaks the real wire format (paths, JSON field names, error
 * bodies) for the calls a sops GCP KMS key and GitHub workload identity federation make:
 *
 * - `POST /v1/token` (STS): exchanges a GitHub OIDC JWT for a federated access token. The JWT
 *   is checked for real: RS256 signature against the issuer's JWKS, `iss`, `aud` against the
 *   provider's allowed audiences, `exp`/`nbf`, and optional required claims (the double's
 *   version of an attribute condition).
 * - `POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken` (IAM Credentials):
 *   impersonates a configured service account with a federated token.
 * - `POST /token` (Google's OAuth token endpoint, oauth2.googleapis.com): the jwt-bearer grant
 *   of a `service_account` credentials file (an RS256 JWT checked against the key the double
 *   issued for that account: `kid`, signature, `iss`, `aud`, `exp`, `scope`) and the
 *   refresh-token grant of an `authorized_user` file (client id, secret and refresh token).
 *   {@link GcpDouble.serviceAccountKeyFile} and {@link GcpDouble.authorizedUserFile} write
 *   the matching credentials JSON, pointing `token_uri` at the double.
 * - `GET /computeMetadata/v1/instance/service-accounts/default/token` (the GCE metadata
 *   server, reached through `GCE_METADATA_HOST`): the instance service account's token, only
 *   for a request with `Metadata-Flavor: Google` (403 otherwise, as GCE answers), and the
 *   answer carries that header. Without an instance service account it answers 404.
 * - `POST /v1/{cryptoKey}:encrypt` and `:decrypt` (KMS): AES-256-GCM under a secret per key
 *   held only in the double, so only the double can decrypt what it encrypted. Every KMS call
 *   needs a bearer token the double issued (federated or service account).
 *
 * It is NOT Google's cryptography or ciphertext format; tests can only prove that a client
 * speaks the protocol and handles its errors. `GET /_requests` lists the calls it received.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, isRecord, listenLoopback, parseJsonBody, sendJson } from './http-double.ts';
import type { LoopbackServer } from './http-double.ts';

export interface GcpDoubleOptions {
  /** The OIDC issuer whose tokens STS accepts (`iss` must equal it). */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Project number in the workload identity provider's name. */
  readonly projectNumber?: string;
  readonly poolId?: string;
  readonly providerId?: string;
  /** Service accounts a federated token may impersonate. */
  readonly serviceAccounts?: readonly string[];
  /** `projects/P/locations/L/keyRings/R/cryptoKeys/K` names that exist. */
  readonly keys?: readonly string[];
  /** Claims the JWT must carry with exactly these values, like an attribute condition. */
  readonly requiredClaims?: Readonly<Record<string, string>>;
  /** The service account attached to the "instance" whose metadata server the double plays. */
  readonly instanceServiceAccount?: string;
}

/** One call the double received, for assertions; bodies are never recorded (they carry key material). */
export interface GcpRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Who the bearer token stood for: `federated:<sub>` or `serviceAccount:<email>`. */
  readonly principal?: string;
}

interface IssuedToken {
  readonly principal: string;
  readonly expiresAt: number;
}

const TOKEN_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 60;
const KEY_NAME = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+$/;

/** Google's error envelope for its JSON APIs. */
function googleError(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } });
}

/** The OAuth error body STS answers with (RFC 6749 style, not Google's envelope). */
function stsError(res: ServerResponse, error: string, description: string): void {
  sendJson(res, 400, { error, error_description: description });
}

function decodeSegment(segment: string | undefined): unknown {
  if (segment === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export class GcpDouble {
  readonly #server: LoopbackServer;
  readonly #options: GcpDoubleOptions;
  readonly #keys = new Map<string, Buffer>();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #serviceAccounts: ReadonlySet<string>;
  /** Service-account keys by key id: the public half, and whose it is. */
  readonly #accountKeys = new Map<string, { readonly email: string; readonly publicKey: KeyObject }>();
  /** authorized_user grants by refresh token. */
  readonly #refreshTokens = new Map<string, { readonly clientId: string; readonly clientSecret: string }>();
  #jwks: readonly Record<string, unknown>[] = [];
  readonly requests: GcpRequest[] = [];

  private constructor(server: LoopbackServer, options: GcpDoubleOptions) {
    this.#server = server;
    this.#options = options;
    this.#serviceAccounts = new Set(options.serviceAccounts ?? []);
    for (const key of options.keys ?? []) this.addKey(key);
  }

  static async start(options: GcpDoubleOptions): Promise<GcpDouble> {
    const holder: { double?: GcpDouble } = {};
    const server = await listenLoopback(async (req, res, body) => {
      if (holder.double === undefined) sendJson(res, 503, {});
      else await holder.double.#handle(req, res, body);
    });
    const double = new GcpDouble(server, options);
    holder.double = double;
    return double;
  }

  /** Base URL for all three APIs (the real ones live on three hosts). */
  get url(): string {
    return this.#server.url;
  }

  /** `projects/N/locations/global/workloadIdentityPools/P/providers/Q`. */
  get workloadIdentityProvider(): string {
    const o = this.#options;
    return `projects/${o.projectNumber ?? '123456789012'}/locations/global/workloadIdentityPools/${o.poolId ?? 'github'}/providers/${o.providerId ?? 'github'}`;
  }

  /** The `audience` STS expects in the request, as google-github-actions/auth sends it. */
  get stsAudience(): string {
    return `//iam.googleapis.com/${this.workloadIdentityProvider}`;
  }

  /** The default `aud` GCP accepts in the JWT when a provider lists no allowed audiences. */
  get tokenAudience(): string {
    return `https://iam.googleapis.com/${this.workloadIdentityProvider}`;
  }

  /** Creates a key (with a fresh secret) if it does not exist yet. */
  addKey(name: string): void {
    if (!KEY_NAME.test(name)) throw new Error(`not a GCP KMS cryptoKey name: ${name}`);
    if (!this.#keys.has(name)) this.#keys.set(name, randomBytes(32));
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  /**
   * A new key for `email` and the `service_account` credentials JSON holding it, as the IAM
   * console downloads it, with `token_uri` at the double.
   */
  serviceAccountKeyFile(email: string): string {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    this.#accountKeys.set(keyId, { email, publicKey });
    return JSON.stringify({
      type: 'service_account',
      project_id: 'ksd-test',
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: '100000000000000000001',
      auth_uri: `${this.url}/o/oauth2/auth`,
      token_uri: `${this.url}/token`,
    });
  }

  /** An `authorized_user` credentials JSON (what `gcloud auth application-default login` writes). */
  authorizedUserFile(): string {
    const clientId = `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
    const clientSecret = `d-${randomBytes(12).toString('base64url')}`;
    const refreshToken = `1//double-${randomBytes(24).toString('base64url')}`;
    this.#refreshTokens.set(refreshToken, { clientId, clientSecret });
    return JSON.stringify({
      type: 'authorized_user',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      token_uri: `${this.url}/token`,
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname);
    const seen: { principal?: string } = {};
    const record = (): void => {
      this.requests.push({ method: req.method ?? '', path, status: res.statusCode, ...seen });
    };
    if (req.method === 'GET' && path === '/_requests') {
      sendJson(res, 200, this.requests);
      return;
    }
    res.once('finish', record);

    if (req.method === 'GET' && path.startsWith('/computeMetadata/')) {
      this.#metadata(req, res, path, seen);
      return;
    }
    if (req.method !== 'POST') {
      googleError(res, 404, 'NOT_FOUND', 'The requested URL was not found on this server.');
      return;
    }
    if (path === '/v1/token') return this.#exchange(req, res, body);
    if (path === '/token') {
      this.#oauthToken(res, body, seen);
      return;
    }

    const bearer = bearerToken(req);
    const issued = bearer === undefined ? undefined : this.#tokens.get(bearer);
    if (issued === undefined || issued.expiresAt < Date.now() / 1000) {
      googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
      return;
    }
    seen.principal = issued.principal;

    const impersonate = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(path);
    if (impersonate?.[1] !== undefined) {
      this.#generateAccessToken(res, impersonate[1], body);
      return;
    }
    const kms = /^\/v1\/(projects\/.+):(encrypt|decrypt)$/.exec(path);
    if (kms?.[1] !== undefined) {
      this.#kms(res, kms[1], kms[2] === 'encrypt', body);
      return;
    }
    googleError(res, 404, 'NOT_FOUND', 'The requested URL was not found on this server.');
  }

  async #exchange(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    // google-auth-library sends a form, google-github-actions/auth sends JSON: accept both.
    const form: Record<string, unknown> = (req.headers['content-type'] ?? '').includes('json')
      ? ((v) => (isRecord(v) ? v : {}))(parseJsonBody(body))
      : Object.fromEntries(new URLSearchParams(body));
    if (form['grant_type'] !== 'urn:ietf:params:oauth:grant-type:token-exchange') {
      stsError(res, 'unsupported_grant_type', `Unsupported grant type: ${String(form['grant_type'])}`);
      return;
    }
    const tokenType = form['subject_token_type'];
    if (
      tokenType !== 'urn:ietf:params:oauth:token-type:jwt' &&
      tokenType !== 'urn:ietf:params:oauth:token-type:id_token'
    ) {
      stsError(res, 'invalid_request', `Invalid subject token type: ${String(tokenType)}`);
      return;
    }
    if (form['audience'] !== this.stsAudience) {
      stsError(
        res,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid.',
      );
      return;
    }
    const subjectToken = typeof form['subject_token'] === 'string' ? form['subject_token'] : '';
    const verdict = await this.#verifyJwt(subjectToken);
    if (typeof verdict === 'string') {
      stsError(res, 'invalid_grant', verdict);
      return;
    }
    const accessToken = this.#issue(`federated:${String(verdict['sub'])}`);
    sendJson(res, 200, {
      access_token: accessToken,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
    });
  }

  /** Returns the claims, or why the token is refused. */
  async #verifyJwt(token: string): Promise<Record<string, unknown> | string> {
    const [h, p, s] = token.split('.');
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (!isRecord(header) || !isRecord(claims) || s === undefined) return 'Unable to parse the ID Token.';
    if (header['alg'] !== 'RS256') return `Unsupported ID Token signing algorithm: ${String(header['alg'])}`;
    let jwk = this.#jwks.find((k) => k['kid'] === header['kid']);
    if (jwk === undefined) {
      // Keys rotate: refetch on a miss, as Google does.
      const fetched = (await (await fetch(this.#options.jwksUrl)).json()) as {
        keys?: Record<string, unknown>[];
      };
      this.#jwks = fetched.keys ?? [];
      jwk = this.#jwks.find((k) => k['kid'] === header['kid']);
    }
    if (jwk === undefined) return 'Invalid ID Token: no key in the issuer\'s JWKS matches its "kid".';
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
      return 'Invalid ID Token: the signature does not match.';
    }
    if (claims['iss'] !== this.#options.issuer)
      return `The issuer in ID Token ${String(claims['iss'])} does not match the expected ones.`;
    const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (!audiences.includes(this.tokenAudience)) {
      return `The audience in ID Token [${audiences.map(String).join(', ')}] does not match the expected audience ${this.tokenAudience}.`;
    }
    const now = Date.now() / 1000;
    if (typeof claims['exp'] !== 'number' || claims['exp'] < now - CLOCK_SKEW_S)
      return 'The ID Token has expired.';
    if (typeof claims['nbf'] === 'number' && claims['nbf'] > now + CLOCK_SKEW_S)
      return 'The ID Token is not yet valid.';
    for (const [name, value] of Object.entries(this.#options.requiredClaims ?? {})) {
      if (claims[name] !== value) return 'The given credential is rejected by the attribute condition.';
    }
    return claims;
  }

  /** Google's OAuth token endpoint: jwt-bearer (service accounts) and refresh_token (users). */
  #oauthToken(res: ServerResponse, body: string, seen: { principal?: string }): void {
    const form = Object.fromEntries(new URLSearchParams(body));
    const answer = (principal: string): void => {
      seen.principal = principal;
      sendJson(res, 200, { access_token: this.#issue(principal), expires_in: 3599, token_type: 'Bearer' });
    };
    if (form['grant_type'] === 'refresh_token') {
      const grant = this.#refreshTokens.get(form['refresh_token'] ?? '');
      if (grant === undefined || grant.clientId !== form['client_id']) {
        stsError(res, 'invalid_grant', 'Bad Request');
        return;
      }
      if (grant.clientSecret !== form['client_secret']) {
        sendJson(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
        return;
      }
      answer(`user:${grant.clientId}`);
      return;
    }
    if (form['grant_type'] !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      stsError(res, 'unsupported_grant_type', `Invalid grant_type: ${form['grant_type'] ?? ''}`);
      return;
    }
    const [h, p, s] = (form['assertion'] ?? '').split('.');
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (!isRecord(header) || !isRecord(claims) || s === undefined) {
      stsError(
        res,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
      return;
    }
    const key = this.#accountKeys.get(String(header['kid']));
    if (
      header['alg'] !== 'RS256' ||
      key === undefined ||
      key.email !== claims['iss'] ||
      !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))
    ) {
      stsError(res, 'invalid_grant', 'Invalid JWT Signature.');
      return;
    }
    const now = Date.now() / 1000;
    const iat = typeof claims['iat'] === 'number' ? claims['iat'] : 0;
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
    if (claims['aud'] !== `${this.url}/token` || exp < now || exp - iat > 3600 || iat > now + CLOCK_SKEW_S) {
      stsError(
        res,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
      return;
    }
    if (
      typeof claims['scope'] !== 'string' ||
      !claims['scope'].split(' ').includes('https://www.googleapis.com/auth/cloud-platform')
    ) {
      stsError(res, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
      return;
    }
    answer(`serviceAccount:${key.email}`);
  }

  /** The GCE metadata server's token endpoint; everything else under it is 404. */
  #metadata(req: IncomingMessage, res: ServerResponse, path: string, seen: { principal?: string }): void {
    const flavor = { 'metadata-flavor': 'Google' };
    if (req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403, { 'content-type': 'text/plain', ...flavor });
      res.end('Missing required header: Metadata-Flavor');
      return;
    }
    const account = this.#options.instanceServiceAccount;
    if (path !== '/computeMetadata/v1/instance/service-accounts/default/token' || account === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain', ...flavor });
      res.end('Not Found');
      return;
    }
    seen.principal = `serviceAccount:${account}`;
    sendJson(
      res,
      200,
      { access_token: this.#issue(seen.principal), expires_in: 3599, token_type: 'Bearer' },
      flavor,
    );
  }

  #issue(principal: string): string {
    const token = `ya29.double-${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(token, { principal, expiresAt: Date.now() / 1000 + TOKEN_LIFETIME_S });
    return token;
  }

  #generateAccessToken(res: ServerResponse, email: string, body: string): void {
    if (!this.#serviceAccounts.has(email)) {
      googleError(res, 404, 'NOT_FOUND', `Not found; Gaia id not found for email ${email}`);
      return;
    }
    const parsed = parseJsonBody(body);
    if (!isRecord(parsed) || !Array.isArray(parsed['scope']) || parsed['scope'].length === 0) {
      googleError(res, 400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
      return;
    }
    const expireTime = new Date(Date.now() + TOKEN_LIFETIME_S * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    sendJson(res, 200, { accessToken: this.#issue(`serviceAccount:${email}`), expireTime });
  }

  #kms(res: ServerResponse, name: string, encrypt: boolean, body: string): void {
    // Encrypt also accepts a version name; the double has one version per key.
    const keyName = name.replace(/\/cryptoKeyVersions\/[^/]+$/, '');
    const secret = this.#keys.get(keyName);
    if (secret === undefined) {
      googleError(res, 404, 'NOT_FOUND', `CryptoKey ${keyName} not found.`);
      return;
    }
    const parsed = parseJsonBody(body);
    const field = encrypt ? 'plaintext' : 'ciphertext';
    const input =
      isRecord(parsed) && typeof parsed[field] === 'string'
        ? Buffer.from(parsed[field], 'base64')
        : undefined;
    if (input === undefined) {
      googleError(res, 400, 'INVALID_ARGUMENT', `${field} is required.`);
      return;
    }
    const extra =
      isRecord(parsed) && typeof parsed['additionalAuthenticatedData'] === 'string'
        ? parsed['additionalAuthenticatedData']
        : '';
    // Bind the ciphertext to its key, so a ciphertext from another key fails like it does on GCP.
    const aad = Buffer.concat([Buffer.from(keyName), Buffer.from([0]), Buffer.from(extra, 'base64')]);
    if (encrypt) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(aad);
      const sealed = Buffer.concat([
        Buffer.from([1]),
        iv,
        cipher.update(input),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      sendJson(res, 200, {
        name: `${keyName}/cryptoKeyVersions/1`,
        ciphertext: sealed.toString('base64'),
        verifiedPlaintextCrc32c: false,
        verifiedAdditionalAuthenticatedDataCrc32c: false,
        protectionLevel: 'SOFTWARE',
      });
      return;
    }
    const invalid = (): void =>
      googleError(res, 400, 'INVALID_ARGUMENT', 'Decryption failed: the ciphertext is invalid.');
    if (input.length < 1 + 12 + 16 || input[0] !== 1) {
      invalid();
      return;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', secret, input.subarray(1, 13)).setAAD(aad);
      decipher.setAuthTag(input.subarray(input.length - 16));
      const plaintext = Buffer.concat([
        decipher.update(input.subarray(13, input.length - 16)),
        decipher.final(),
      ]);
      sendJson(res, 200, {
        plaintext: plaintext.toString('base64'),
        usedPrimary: true,
        protectionLevel: 'SOFTWARE',
      });
      return;
    } catch {
      invalid();
      return;
    }
  }
}
