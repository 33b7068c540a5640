/**
 * The GitHub Actions OIDC issuer, as a local server: what a runner's
 * `ACTIONS_ID_TOKEN_REQUEST_URL` serves (`GET ?audience=X` with the request token as bearer,
 * answering `{"value": "<jwt>"}`), plus the issuer's discovery document and JWKS. Tokens are
 * RS256 JWTs with GitHub's claims for a push to `octo-org/octo-repo` main.
 *
 * This is the real thing's protocol, not a stand-in for a server one could run: GitHub's issuer
 * exists only inside GitHub. Vault's JWT auth, moto's STS and the GCP double trust it.
 *
 * Per-test claims: `POST /configure` with `{"claims": {...}}` (merged over the defaults; a
 * claim set to null is removed) answers `{requestToken, requestUrl}`: a new request token
 * whose ID tokens carry those claims. Tests that run in parallel never share mutable state.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Component, Started } from '../component.ts';
import { isRecord, listenLoopback, parseJsonBody, sendJson } from '../doubles/http-double.ts';
import type { LoopbackServer } from '../doubles/http-double.ts';

export type Claims = Readonly<Record<string, unknown>>;

/** The repository every default token is about. */
export const DEFAULT_REPOSITORY = 'octo-org/octo-repo';

/** A push to main: GitHub's claims, minus the timing ones the issuer adds per token. */
export function pushClaims(repository = DEFAULT_REPOSITORY, ref = 'refs/heads/main'): Claims {
  const [owner] = repository.split('/');
  const workflowRef = `${repository}/.github/workflows/deploy.yml@${ref}`;
  return {
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_id: '123456789',
    repository_owner: owner,
    repository_owner_id: '98765432',
    repository_visibility: 'private',
    ref,
    ref_type: 'branch',
    ref_protected: 'true',
    sha: '3b2f6a1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'deploy',
    workflow_ref: workflowRef,
    workflow_sha: '3b2f6a1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
    job_workflow_ref: workflowRef,
    job_workflow_sha: '3b2f6a1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
    event_name: 'push',
    head_ref: '',
    base_ref: '',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
  };
}

/** A pull_request run from a branch of the same repository (forks get no token at all). */
export function pullRequestClaims(number = 7, repository = DEFAULT_REPOSITORY, headRef = 'feature'): Claims {
  const ref = `refs/pull/${number}/merge`;
  return {
    ...pushClaims(repository, ref),
    sub: `repo:${repository}:pull_request`,
    ref_type: 'branch',
    ref_protected: 'false',
    event_name: 'pull_request',
    head_ref: headRef,
    base_ref: 'main',
  };
}

/** GitHub's claims_supported, so the discovery document looks like the real one. */
const CLAIMS_SUPPORTED = [
  'sub',
  'aud',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'ref',
  'sha',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'run_id',
  'run_number',
  'run_attempt',
  'actor',
  'actor_id',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'head_ref',
  'base_ref',
  'event_name',
  'ref_type',
  'ref_protected',
  'environment',
  'job_workflow_ref',
  'job_workflow_sha',
  'repository_visibility',
  'runner_environment',
];

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A running issuer. Start one per test file with `GithubOidcIssuer.start()`, or share the component's. */
export class GithubOidcIssuer {
  readonly #server: LoopbackServer;
  readonly #privateKey: KeyObject;
  readonly #jwk: Record<string, unknown>;
  readonly #publicKeyPem: string;
  readonly #profiles = new Map<string, Claims>();
  /** The request token of the default profile (a push to main). */
  readonly requestToken: string;

  private constructor(server: LoopbackServer, privateKey: KeyObject, publicKey: KeyObject) {
    this.#server = server;
    this.#privateKey = privateKey;
    this.#publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const jwk = publicKey.export({ format: 'jwk' });
    // RFC 7638 thumbprint: the members in lexicographic order, no whitespace.
    const kid = base64url(
      createHash('sha256')
        .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
        .digest(),
    );
    this.#jwk = { ...jwk, kid, alg: 'RS256', use: 'sig' };
    this.requestToken = this.#newRequestToken({});
  }

  /** Starts an issuer on a free loopback port with a fresh RSA signing key. */
  static async start(): Promise<GithubOidcIssuer> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // The handler needs the instance, which needs the server's port: tie the knot through a holder.
    const holder: { issuer?: GithubOidcIssuer } = {};
    const server = await listenLoopback((req, res, body) => {
      if (holder.issuer === undefined) sendJson(res, 503, { message: 'starting' });
      else holder.issuer.#handle(req, res, body);
    });
    const issuer = new GithubOidcIssuer(server, privateKey, publicKey);
    holder.issuer = issuer;
    return issuer;
  }

  /** The `iss` claim and discovery base: `http://127.0.0.1:<port>`. */
  get issuer(): string {
    return this.#server.url;
  }

  /** What the runner puts in `ACTIONS_ID_TOKEN_REQUEST_URL` (it already has a query). */
  get requestUrl(): string {
    return `${this.#server.url}/_apis/token?api-version=2.0`;
  }

  get jwksUrl(): string {
    return `${this.#server.url}/.well-known/jwks`;
  }

  /** The signing key's public half, PEM, for verifiers configured with a static key. */
  get publicKeyPem(): string {
    return this.#publicKeyPem;
  }

  /** A request token whose ID tokens carry `claims` over the defaults. */
  configure(claims: Claims): string {
    return this.#newRequestToken(claims);
  }

  /**
   * Signs an ID token directly, as the token endpoint would for `audience`. For tests that
   * need a token without going through the request URL, or with odd timing claims.
   */
  mint(audience: string, claims: Claims = {}): string {
    const now = Math.floor(Date.now() / 1000);
    // GitHub's example token has nbf 10 minutes before iat and exp 5 minutes after it.
    const defaults: Record<string, unknown> = {
      jti: randomUUID(),
      ...pushClaims(),
      aud: audience,
      iss: this.issuer,
      nbf: now - 600,
      iat: now,
      exp: now + 300,
    };
    const merged = Object.fromEntries(
      Object.entries({ ...defaults, ...claims }).filter(([, value]) => value !== null),
    );
    const header = base64url(
      JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t: this.#jwk['kid'], kid: this.#jwk['kid'] }),
    );
    const payload = base64url(JSON.stringify(merged));
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.#privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  #newRequestToken(claims: Claims): string {
    const token = randomBytes(24).toString('base64url');
    this.#profiles.set(token, claims);
    return token;
  }

  #handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', this.issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      sendJson(res, 200, {
        issuer: this.issuer,
        jwks_uri: this.jwksUrl,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: CLAIMS_SUPPORTED,
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks') {
      sendJson(res, 200, { keys: [this.#jwk] });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/_apis/token') {
      const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const claims = match?.[1] === undefined ? undefined : this.#profiles.get(match[1]);
      if (claims === undefined) {
        sendJson(res, 401, { message: 'Bad credentials' });
        return;
      }
      const repository = typeof claims['repository'] === 'string' ? claims['repository'] : DEFAULT_REPOSITORY;
      // Without an audience GitHub uses the URL of the repository owner.
      const audience =
        url.searchParams.get('audience') ?? `https://github.com/${repository.split('/')[0] ?? ''}`;
      sendJson(res, 200, { count: 1, value: this.mint(audience, claims) });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/configure') {
      const parsed = parseJsonBody(body);
      const claims = isRecord(parsed) && isRecord(parsed['claims']) ? parsed['claims'] : undefined;
      if (claims === undefined) {
        sendJson(res, 400, { message: 'expected {"claims": {...}}' });
        return;
      }
      sendJson(res, 200, { requestToken: this.configure(claims), requestUrl: this.requestUrl });
      return;
    }
    sendJson(res, 404, { message: 'Not Found' });
  }
}

let shared: Promise<GithubOidcIssuer> | undefined;

/**
 * The run's issuer, started once: the `oidc` component and every component that must trust
 * it (vault, gcp-double) share it, whichever asks first.
 */
export function sharedOidcIssuer(): Promise<GithubOidcIssuer> {
  shared ??= GithubOidcIssuer.start();
  return shared;
}

/**
 * Closes the shared issuer if anything started it. The \`oidc\` component stops it too, but a
 * run without that component (KSD_COMPONENTS=vault) would otherwise keep its server open and
 * never exit; closing twice is harmless.
 */
export async function closeSharedOidcIssuer(): Promise<void> {
  const issuer = shared;
  shared = undefined;
  if (issuer !== undefined) await (await issuer).close().catch(() => undefined);
}

/** The `oidc` component: info `{requestUrl, requestToken, issuer, jwksUrl, configureUrl}`. */
export const oidc: Component = {
  name: 'oidc',
  install: () => Promise.resolve(),
  async start(): Promise<Started> {
    const issuer = await sharedOidcIssuer();
    return {
      info: {
        requestUrl: issuer.requestUrl,
        requestToken: issuer.requestToken,
        issuer: issuer.issuer,
        jwksUrl: issuer.jwksUrl,
        configureUrl: `${issuer.issuer}/configure`,
        repository: DEFAULT_REPOSITORY,
      },
      stop: () => issuer.close(),
    };
  },
};
