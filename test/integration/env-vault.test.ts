/**
 * The Vault component: the real sops encrypts and decrypts with its transit key, and its JWT
 * auth method logs in with GitHub OIDC tokens from the issuer, refusing the ones its role
 * does not allow.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GithubOidcIssuer, pullRequestClaims } from '../env/components/oidc.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const PLAINTEXT = 'password: hunter2\nport: 5432\n';

describe('vault component', () => {
  let info: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let dir: string;

  before(async () => {
    info = await requireComponent('vault');
    oidc = await requireComponent('oidc');
    // The real sops these tests drive is built by global setup too.
    await requireComponent('cli-tools');
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-env-vault-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function sops(args: readonly string[], vaultToken: string): Promise<string> {
    // HOME in the temp folder: sops must not fall back to a ~/.vault-token.
    const env = { PATH: process.env['PATH'], HOME: dir, VAULT_TOKEN: vaultToken };
    const { stdout } = await run(toolPath('sops'), args, { cwd: dir, env });
    return stdout;
  }

  async function idToken(audience: string, claims?: Readonly<Record<string, unknown>>): Promise<string> {
    let requestToken = oidc['requestToken'];
    if (claims !== undefined) {
      const res = await fetch(oidc['configureUrl'] ?? '', {
        method: 'POST',
        body: JSON.stringify({ claims }),
      });
      requestToken = ((await res.json()) as { requestToken: string }).requestToken;
    }
    const res = await fetch(`${oidc['requestUrl']}&audience=${encodeURIComponent(audience)}`, {
      headers: { authorization: `Bearer ${requestToken}` },
    });
    return ((await res.json()) as { value: string }).value;
  }

  function login(jwt: string): Promise<Response> {
    return fetch(`${info['address']}/v1/auth/${info['jwtAuthPath']}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: info['jwtRole'], jwt }),
    });
  }

  async function encryptedFile(name: string): Promise<string> {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, PLAINTEXT);
    const encrypted = await sops(
      ['-e', '--hc-vault-transit', info['keyUri'] ?? '', file],
      info['token'] ?? '',
    );
    assert.match(encrypted, /vault_address: http:\/\/127\.0\.0\.1:\d+/);
    assert.match(encrypted, /enc: vault:v1:/);
    assert.doesNotMatch(encrypted, /hunter2/);
    writeFileSync(`${file}.enc.yaml`, encrypted);
    return `${file}.enc.yaml`;
  }

  it('real sops encrypts and decrypts with the transit key and the root token', async () => {
    const file = await encryptedFile('root');
    assert.equal(await sops(['-d', file], info['token'] ?? ''), PLAINTEXT);
  });

  it('a GitHub OIDC token for a push to main logs in, and its Vault token decrypts with sops', async () => {
    const res = await login(await idToken(info['jwtAudience'] ?? ''));
    const body = (await res.json()) as {
      auth?: { client_token: string; policies: string[]; metadata: Record<string, string> };
    };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.ok(body.auth?.policies.includes(info['policy'] ?? ''));
    assert.equal(body.auth?.metadata['repository'], 'octo-org/octo-repo');

    const file = await encryptedFile('jwt');
    assert.equal(await sops(['-d', file], body.auth.client_token), PLAINTEXT);

    // The policy is narrow: the login token cannot read the key's configuration.
    const read = await fetch(`${info['keyUri']}`, { headers: { 'x-vault-token': body.auth.client_token } });
    assert.equal(read.status, 403);
  });

  const refused: readonly {
    readonly name: string;
    readonly jwt: () => Promise<string>;
    readonly error: RegExp;
  }[] = [
    {
      name: 'a pull request run (the role is bound to refs/heads/main)',
      jwt: () => idToken(info['jwtAudience'] ?? '', pullRequestClaims(7)),
      error: /claim "ref" does not match|error validating claims/,
    },
    { name: 'a token for another audience', jwt: () => idToken('sts.amazonaws.com'), error: /aud|audience/ },
    {
      name: 'a token from another repository',
      jwt: () =>
        idToken(info['jwtAudience'] ?? '', {
          repository: 'evil/fork',
          sub: 'repo:evil/fork:ref:refs/heads/main',
        }),
      error: /claim "repository" does not match|error validating claims/,
    },
    {
      name: 'a token signed by another issuer key',
      jwt: async () => {
        const other = await GithubOidcIssuer.start();
        try {
          // Same iss as the trusted issuer, different signing key: only the signature check can catch it.
          return other.mint(info['jwtAudience'] ?? '', { iss: oidc['issuer'] });
        } finally {
          await other.close();
        }
      },
      error: /signature|verify|key/i,
    },
    {
      name: 'an expired token',
      jwt: () =>
        idToken(info['jwtAudience'] ?? '', {
          exp: Math.floor(Date.now() / 1000) - 3600,
          iat: Math.floor(Date.now() / 1000) - 4000,
        }),
      error: /expired|exp/,
    },
  ];
  for (const { name, jwt, error } of refused) {
    it(`JWT login refuses ${name}`, async () => {
      const res = await login(await jwt());
      const body = (await res.json()) as { errors?: string[] };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(body.errors?.join(' ') ?? '', error);
    });
  }
});
