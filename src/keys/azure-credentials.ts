/**
 * Azure credentials without the GitHub OIDC inputs, in the order of the Azure SDKs'
 * DefaultAzureCredential (minus the developer-tool links), after the decryption Secret:
 *
 * 1. the decryption Secret's `sops.azure-kv` (Flux's AADConfig: client secret, client
 *    certificate, or a user-assigned managed identity by client id);
 * 2. the environment: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` with `AZURE_CLIENT_SECRET`, or
 *    `AZURE_CLIENT_CERTIFICATE_PATH` (PEM; `AZURE_CLIENT_CERTIFICATE_PASSWORD` for an encrypted
 *    key), or `AZURE_FEDERATED_TOKEN_FILE` (workload identity; read again for every exchange,
 *    since the kubelet rotates it);
 * 3. managed identity: `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` (App Service, Functions,
 *    Arc), else the instance metadata service at 169.254.169.254 with `Metadata: true`, for
 *    a self-hosted runner on an Azure VM. `AZURE_POD_IDENTITY_AUTHORITY_HOST` (the SDKs'
 *    variable) moves the IMDS address; tests point it at the double. Its timeout is short, so
 *    a runner with no IMDS loses about a second once.
 *
 * A certificate's client assertion is an RS256 JWT signed here, with the certificate's SHA-1
 * thumbprint as `x5t` (and the chain as `x5c` when asked). PKCS#12 certificates are refused:
 * convert them to PEM (`openssl pkcs12 -nodes`).
 */
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile as fsReadFile } from 'node:fs/promises';
import type { AzureStaticCredentials } from './key-config.ts';
import { UserError } from '../errors.ts';
import {
  describeNetworkError,
  type HttpAnswer,
  postApproved,
  sanitizeRemoteMessage,
} from './endpoint-policy.ts';
import type { FetchLike, Mask } from '../ports.ts';

type Env = Readonly<Record<string, string | undefined>>;

export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
/** Managed identity endpoints take a resource, not a scope. */
const KEY_VAULT_RESOURCE = 'https://vault.azure.net';
const IMDS_DEFAULT = 'http://169.254.169.254';
const TENANT_RE = /^[A-Za-z0-9.-]+$/;

/** An access token for Key Vault. */
export interface AzureAccessToken {
  readonly value: string;
  readonly expiresAt: number;
  /** Which credential, for messages (never a value). */
  readonly from: string;
}

export interface AzureCredentialOptions {
  readonly env: Env;
  readonly mask: Mask;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs: number;
  /** Managed identity calls; default 1 s (IMDS) as the SDKs' probe. */
  readonly metadataTimeoutMs?: number;
  readonly staticCredentials?: AzureStaticCredentials | undefined;
  readonly readFile?: (file: string) => Promise<string>;
}

/** Entra's errors: `{"error", "error_description"}`; Key Vault's: `{"error": {"code", "message"}}`. */
export function azureError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error === 'string') {
      const description =
        typeof parsed.error_description === 'string'
          ? (parsed.error_description.split(/\r?\n/)[0] ?? '')
          : '';
      return `${parsed.error}${description === '' ? '' : `: ${description}`}`;
    }
    if (typeof parsed.error === 'object' && parsed.error !== null) {
      const e = parsed.error as { code?: unknown; message?: unknown };
      return [e.code, e.message].filter((v) => typeof v === 'string').join(': ');
    }
  } catch {
    // Not JSON.
  }
  return '';
}

/** The Entra token URL for a tenant under an authority host. */
export function entraTokenUrl(authorityHost: string | undefined, tenantId: string, what: string): URL {
  if (!TENANT_RE.test(tenantId))
    throw new UserError('KEY_SOURCE', `${what}: tenant "${tenantId}" is not a tenant id or domain`);
  const authority = (authorityHost?.trim() || 'https://login.microsoftonline.com').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${authority}/${tenantId}/oauth2/v2.0/token`);
  } catch {
    throw new UserError('KEY_SOURCE', `${what}: the authority host is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new UserError(
      'KEY_SOURCE',
      `${what}: the authority host must be an http(s) URL without credentials`,
    );
  }
  return url;
}

/** A PEM certificate (chain) with its private key, ready to sign client assertions. */
export interface ClientCertificate {
  readonly key: KeyObject;
  /** base64url SHA-1 of the leaf's DER: the `x5t` header Entra looks the certificate up by. */
  readonly thumbprint: string;
  /** base64 DER of each certificate, leaf first, for `x5c`. */
  readonly chain: readonly string[];
}

/** Reads a PEM holding certificates and one private key. Throws a one-line error naming `source`. */
export function parseClientCertificate(
  pem: string,
  password: string | undefined,
  source: string,
): ClientCertificate {
  const certBlocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const keyBlock = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/.exec(pem)?.[0];
  if (certBlocks.length === 0 || keyBlock === undefined) {
    const binary = !pem.includes('-----BEGIN');
    throw new UserError(
      binary ? 'UNSUPPORTED' : 'KEY_SOURCE',
      binary
        ? `${source} is not PEM (PKCS#12 is not supported); convert it with \`openssl pkcs12 -in cert.pfx -nodes\``
        : `${source} must hold the certificate and its private key as PEM`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyBlock, ...(password === undefined ? {} : { passphrase: password }) });
  } catch {
    throw new UserError(
      'KEY_SOURCE',
      `${source}: the private key cannot be read (wrong or missing password?)`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UserError(
      'UNSUPPORTED',
      `${source}: the private key is ${key.asymmetricKeyType ?? 'unknown'}; Entra client certificates need RSA`,
    );
  }
  const certs = certBlocks.map((block) => new X509Certificate(block));
  // The leaf is the certificate that matches the key; the rest is the chain, in file order.
  const leaf = certs.find((cert) => cert.checkPrivateKey(key));
  if (leaf === undefined)
    throw new UserError('KEY_SOURCE', `${source}: no certificate matches the private key`);
  const ordered = [leaf, ...certs.filter((c) => c !== leaf)];
  return {
    key,
    thumbprint: createHash('sha1').update(leaf.raw).digest('base64url'),
    chain: ordered.map((c) => c.raw.toString('base64')),
  };
}

/** An RS256 client assertion for `tokenUrl`, valid ten minutes. */
export function signClientAssertion(
  cert: ClientCertificate,
  clientId: string,
  tokenUrl: URL,
  nowMs: number,
  sendChain: boolean,
): string {
  const now = Math.floor(nowMs / 1000);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', x5t: cert.thumbprint, ...(sendChain ? { x5c: cert.chain } : {}) })}.${encode(
    {
      aud: tokenUrl.href,
      iss: clientId,
      sub: clientId,
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600,
    },
  )}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), cert.key).toString('base64url')}`;
}

/** The chain of non-OIDC credentials: the first configured link is used. */
export interface AzureCredentialChain {
  getToken(): Promise<AzureAccessToken>;
  readonly locations: readonly string[];
}

function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Builds the chain from the static credentials and the environment. */
export function createAzureCredentialChain(options: AzureCredentialOptions): AzureCredentialChain {
  const { env, mask, now } = options;
  const read = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  const metadataTimeoutMs = options.metadataTimeoutMs ?? 1000;
  const authorityFromEnv = envValue(env, 'AZURE_AUTHORITY_HOST');

  const post = (url: URL, body: string, what: string): Promise<HttpAnswer> =>
    postApproved(
      options.fetch,
      url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      what,
      options.timeoutMs,
    );

  /** One client-credentials grant; `params` carry the secret or the assertion. */
  async function clientCredentials(
    tenantId: string,
    clientId: string,
    authorityHost: string | undefined,
    params: Record<string, string>,
    what: string,
    hint: string,
  ): Promise<AzureAccessToken> {
    const url = entraTokenUrl(authorityHost ?? authorityFromEnv, tenantId, what);
    const body = new URLSearchParams({
      client_id: clientId,
      scope: KEY_VAULT_SCOPE,
      grant_type: 'client_credentials',
      ...params,
    }).toString();
    const answer = await post(url, body, what);
    return readToken(answer, what, what.replace(/^azure /, ''), [body, ...Object.values(params)], hint);
  }

  function readToken(
    answer: HttpAnswer,
    what: string,
    from: string,
    secrets: readonly string[],
    hint: string,
  ): AzureAccessToken {
    if (answer.status !== 200) {
      const detail = sanitizeRemoteMessage(azureError(answer.body), secrets);
      throw new UserError(
        'KEY_SOURCE',
        `${what} failed: HTTP ${answer.status}${detail === '' ? '' : ` ${detail}`}; ${hint}`,
      );
    }
    let parsed: Record<string, unknown> = {};
    try {
      const value: unknown = JSON.parse(answer.body);
      if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
    } catch {
      // Checked below.
    }
    const token = parsed['access_token'];
    if (typeof token !== 'string' || token === '')
      throw new UserError('KEY_SOURCE', `${what}: the answer has no access_token`);
    mask(token);
    // Managed identity answers carry expires_on (epoch seconds, as a string); Entra, expires_in.
    const expiresOn = Number(parsed['expires_on']);
    const expiresIn = Number(parsed['expires_in']);
    const expiresAt =
      Number.isFinite(expiresOn) && expiresOn > 0
        ? expiresOn * 1000
        : now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000;
    return { value: token, expiresAt, from };
  }

  function certificateCredential(
    tenantId: string,
    clientId: string,
    loadPem: () => Promise<string>,
    password: string | undefined,
    sendChain: boolean,
    authorityHost: string | undefined,
    source: string,
  ): () => Promise<AzureAccessToken> {
    let cert: Promise<ClientCertificate> | undefined;
    return async () => {
      cert ??= loadPem().then((pem) => {
        mask(pem);
        return parseClientCertificate(pem, password, source);
      });
      const what = `azure entra (client certificate from ${source})`;
      const url = entraTokenUrl(authorityHost ?? authorityFromEnv, tenantId, what);
      const assertion = signClientAssertion(await cert, clientId, url, now(), sendChain);
      return clientCredentials(
        tenantId,
        clientId,
        authorityHost,
        {
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
        what,
        'upload the certificate to the app registration, or check the tenant and client id',
      );
    };
  }

  async function managedIdentity(clientId: string | undefined): Promise<AzureAccessToken> {
    const identityEndpoint = envValue(env, 'IDENTITY_ENDPOINT');
    const identityHeader = envValue(env, 'IDENTITY_HEADER');
    let url: URL;
    let headers: Record<string, string>;
    let what: string;
    if (identityEndpoint !== undefined && identityHeader !== undefined) {
      mask(identityHeader);
      try {
        url = new URL(identityEndpoint);
      } catch {
        throw new UserError('KEY_SOURCE', 'azure managed identity: IDENTITY_ENDPOINT is not a URL');
      }
      url.searchParams.set('api-version', '2019-08-01');
      headers = { 'x-identity-header': identityHeader };
      what = `azure managed identity (IDENTITY_ENDPOINT ${url.origin})`;
    } else {
      const host = envValue(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST') ?? IMDS_DEFAULT;
      try {
        url = new URL(`${host.replace(/\/+$/, '')}/metadata/identity/oauth2/token`);
      } catch {
        throw new UserError(
          'KEY_SOURCE',
          'azure managed identity: AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL',
        );
      }
      url.searchParams.set('api-version', '2018-02-01');
      headers = { metadata: 'true' };
      what = `azure managed identity (IMDS at ${url.origin})`;
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      throw new UserError('KEY_SOURCE', `${what}: the endpoint must be an http(s) URL without credentials`);
    }
    url.searchParams.set('resource', KEY_VAULT_RESOURCE);
    if (clientId !== undefined) url.searchParams.set('client_id', clientId);
    let answer: HttpAnswer;
    try {
      const response = await options.fetch(url.href, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(metadataTimeoutMs),
      });
      answer = { status: response.status, body: await response.text() };
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${what}: ${describeNetworkError(error, url)}`);
    }
    return readToken(
      answer,
      what,
      `managed identity${clientId === undefined ? '' : ` ${clientId}`}`,
      identityHeader === undefined ? [] : [identityHeader],
      'assign the identity to the runner and grant it the Key Vault Crypto User role',
    );
  }

  /** The first configured credential, as a getter, and where it is, for the report. */
  function select(): { get: () => Promise<AzureAccessToken>; location: string } {
    const fixed = options.staticCredentials;
    if (fixed !== undefined) {
      const source = 'decryption-secret sops.azure-kv';
      switch (fixed.kind) {
        case 'client-secret':
          return {
            location: `${source}: client secret for ${fixed.clientId} in ${fixed.tenantId}`,
            get: () =>
              clientCredentials(
                fixed.tenantId,
                fixed.clientId,
                fixed.authorityHost,
                { client_secret: fixed.clientSecret },
                `azure entra (client secret from ${source})`,
                'check clientSecret: it may have expired',
              ),
          };
        case 'client-certificate':
          return {
            location: `${source}: client certificate for ${fixed.clientId} in ${fixed.tenantId}`,
            get: certificateCredential(
              fixed.tenantId,
              fixed.clientId,
              () => Promise.resolve(fixed.certificate),
              fixed.certificatePassword,
              fixed.sendChain,
              fixed.authorityHost,
              source,
            ),
          };
        case 'managed-identity':
          return {
            location: `${source}: managed identity ${fixed.clientId}`,
            get: () => managedIdentity(fixed.clientId),
          };
      }
    }
    const tenantId = envValue(env, 'AZURE_TENANT_ID');
    const clientId = envValue(env, 'AZURE_CLIENT_ID');
    const secret = envValue(env, 'AZURE_CLIENT_SECRET');
    const certPath = envValue(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
    const tokenFile = envValue(env, 'AZURE_FEDERATED_TOKEN_FILE');
    if (secret !== undefined) mask(secret);
    if (tenantId !== undefined && clientId !== undefined) {
      if (secret !== undefined) {
        return {
          location: `AZURE_CLIENT_SECRET for ${clientId} in ${tenantId}`,
          get: () =>
            clientCredentials(
              tenantId,
              clientId,
              undefined,
              { client_secret: secret },
              'azure entra (AZURE_CLIENT_SECRET)',
              'check AZURE_CLIENT_SECRET: it may have expired',
            ),
        };
      }
      if (certPath !== undefined) {
        const password = envValue(env, 'AZURE_CLIENT_CERTIFICATE_PASSWORD');
        if (password !== undefined) mask(password);
        return {
          location: `AZURE_CLIENT_CERTIFICATE_PATH ${certPath} for ${clientId} in ${tenantId}`,
          get: certificateCredential(
            tenantId,
            clientId,
            async () => {
              try {
                return await read(certPath);
              } catch {
                throw new UserError(
                  'KEY_SOURCE',
                  `azure: AZURE_CLIENT_CERTIFICATE_PATH ${certPath} cannot be read`,
                );
              }
            },
            password,
            envValue(env, 'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN') === 'true',
            undefined,
            certPath,
          ),
        };
      }
      if (tokenFile !== undefined) {
        return {
          location: `AZURE_FEDERATED_TOKEN_FILE ${tokenFile} for ${clientId} in ${tenantId}`,
          get: async () => {
            let assertion: string;
            try {
              // Read for every exchange: the file is rotated while the job runs.
              assertion = (await read(tokenFile)).trim();
            } catch {
              throw new UserError(
                'KEY_SOURCE',
                `azure: AZURE_FEDERATED_TOKEN_FILE ${tokenFile} cannot be read`,
              );
            }
            mask(assertion);
            return clientCredentials(
              tenantId,
              clientId,
              undefined,
              {
                client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
                client_assertion: assertion,
              },
              'azure entra (AZURE_FEDERATED_TOKEN_FILE)',
              "check the federated credential's issuer, subject and audience against the token file",
            );
          },
        };
      }
    }
    // Without a tenant, AZURE_CLIENT_ID names a user-assigned managed identity (the SDKs' rule).
    const identity =
      envValue(env, 'IDENTITY_ENDPOINT') !== undefined
        ? 'IDENTITY_ENDPOINT'
        : `IMDS at ${envValue(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST') ?? IMDS_DEFAULT}`;
    return {
      location: `managed identity (${identity}${clientId === undefined ? '' : `, client ${clientId}`})`,
      get: () => managedIdentity(clientId),
    };
  }

  const selected = select();
  // An absent managed identity is remembered: every key would wait for the timeout again.
  let unreachable: UserError | undefined;
  return {
    locations: [selected.location],
    getToken: async () => {
      if (unreachable !== undefined) throw unreachable;
      try {
        return await selected.get();
      } catch (error) {
        // Managed identity is the last link: when it is not there, say what would have worked.
        if (
          error instanceof UserError &&
          selected.location.startsWith('managed identity (') &&
          /cannot reach|no answer/.test(error.message)
        ) {
          unreachable = new UserError(
            'KEY_SOURCE',
            `no azure credentials: set azure-client-id and azure-tenant-id (GitHub OIDC), sops.azure-kv in decryption-secret, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/AZURE_CLIENT_CERTIFICATE_PATH/AZURE_FEDERATED_TOKEN_FILE; tried ${error.message}`,
          );
          throw unreachable;
        }
        throw error;
      }
    },
  };
}
