/**
 * Client assertions for Entra: a PEM certificate (chain) with its RSA key signs an RS256 JWT
 * with the certificate's SHA-1 thumbprint as `x5t` (and the chain as `x5c` when asked), or a
 * federated token file (workload identity) is the assertion. PKCS#12 certificates are
 * refused: convert them to PEM (`openssl pkcs12 -nodes`).
 */
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.ts';
import {
  clientCredentials,
  entraTokenUrl,
  envValue,
  JWT_BEARER,
  type AzureAccessToken,
  type AzureSourceContext,
} from './azure-credential-source.ts';

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

/** Where a certificate comes from and how it is used. */
export interface CertificateSource {
  readonly tenantId: string;
  readonly clientId: string;
  readonly loadPem: () => Promise<string>;
  readonly password: string | undefined;
  readonly sendChain: boolean;
  readonly authorityHost: string | undefined;
  /** Names the certificate in messages (a path, or the decryption Secret entry). */
  readonly source: string;
}

/** A token getter that signs an assertion with the certificate (read and parsed once). */
export function certificateCredential(
  context: AzureSourceContext,
  options: CertificateSource,
): () => Promise<AzureAccessToken> {
  const { tenantId, clientId, source } = options;
  let cert: Promise<ClientCertificate> | undefined;
  return async () => {
    cert ??= options.loadPem().then((pem) => {
      context.mask(pem);
      return parseClientCertificate(pem, options.password, source);
    });
    const what = `azure entra (client certificate from ${source})`;
    const authority = options.authorityHost ?? envValue(context.env, 'AZURE_AUTHORITY_HOST');
    const url = entraTokenUrl(authority, tenantId, what);
    const assertion = signClientAssertion(await cert, clientId, url, context.now(), options.sendChain);
    return clientCredentials(context, {
      tenantId,
      clientId,
      authorityHost: options.authorityHost,
      params: { client_assertion_type: JWT_BEARER, client_assertion: assertion },
      what,
      hint: 'upload the certificate to the app registration, or check the tenant and client id',
    });
  };
}

/** A token getter whose assertion is the federated token file, read again for every exchange. */
export function federatedTokenFileCredential(
  context: AzureSourceContext,
  ids: { readonly tenantId: string; readonly clientId: string },
  tokenFile: string,
): () => Promise<AzureAccessToken> {
  return async () => {
    let assertion: string;
    try {
      // Read for every exchange: the file is rotated while the job runs.
      assertion = (await context.readFile(tokenFile)).trim();
    } catch {
      throw new UserError('KEY_SOURCE', `azure: AZURE_FEDERATED_TOKEN_FILE ${tokenFile} cannot be read`);
    }
    context.mask(assertion);
    return clientCredentials(context, {
      ...ids,
      authorityHost: undefined,
      params: { client_assertion_type: JWT_BEARER, client_assertion: assertion },
      what: 'azure entra (AZURE_FEDERATED_TOKEN_FILE)',
      hint: "check the federated credential's issuer, subject and audience against the token file",
    });
  };
}
