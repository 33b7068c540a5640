/**
 * The OIDC issuer serves what a runner's ACTIONS_ID_TOKEN_REQUEST_URL serves: RS256 tokens
 * with GitHub's claims that verify against the JWKS its discovery document names, and
 * per-test claims through /configure.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
// The one place a test needs the real Actions client: proving the issuer serves it.
// eslint-disable-next-line no-restricted-imports
import { getIDToken } from '@actions/core';
import { pullRequestClaims } from '../env/components/oidc.ts';
import { requireComponent } from '../env/state.ts';

function decode(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('oidc component', () => {
  let info: Readonly<Record<string, string>>;
  before(async () => {
    info = await requireComponent('oidc');
  });

  async function requestToken(token: string | undefined, audience?: string): Promise<Response> {
    const url =
      audience === undefined
        ? info['requestUrl']
        : `${info['requestUrl']}&audience=${encodeURIComponent(audience)}`;
    return fetch(url ?? '', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  }

  it('issues RS256 tokens with GitHub claims that verify against the discovered JWKS', async () => {
    const res = await requestToken(info['requestToken'], 'sts.amazonaws.com');
    assert.equal(res.status, 200);
    const jwt = ((await res.json()) as { value: string }).value;
    const [h, p, s] = jwt.split('.');
    const header = decode(h);
    const claims = decode(p);
    assert.equal(header['alg'], 'RS256');

    const discovery = (await (
      await fetch(`${info['issuer']}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    assert.equal(discovery['issuer'], info['issuer']);
    assert.equal(discovery['jwks_uri'], info['jwksUrl']);
    const { keys } = (await (await fetch(info['jwksUrl'] ?? '')).json()) as {
      keys: (JsonWebKey & { kid: string })[];
    };
    const jwk = keys.find((k) => k.kid === header['kid']);
    assert.ok(jwk);
    assert.ok(
      verify(
        'RSA-SHA256',
        Buffer.from(`${h}.${p}`),
        createPublicKey({ key: jwk, format: 'jwk' }),
        Buffer.from(s ?? '', 'base64url'),
      ),
    );

    assert.equal(claims['iss'], info['issuer']);
    assert.equal(claims['aud'], 'sts.amazonaws.com');
    assert.equal(claims['sub'], 'repo:octo-org/octo-repo:ref:refs/heads/main');
    assert.equal(claims['repository'], 'octo-org/octo-repo');
    assert.equal(claims['repository_owner'], 'octo-org');
    assert.equal(claims['ref'], 'refs/heads/main');
    assert.equal(claims['event_name'], 'push');
    assert.match(String(claims['sha']), /^[0-9a-f]{40}$/);
    assert.match(
      String(claims['job_workflow_ref']),
      /^octo-org\/octo-repo\/\.github\/workflows\/.+@refs\/heads\/main$/,
    );
    assert.ok(typeof claims['jti'] === 'string' && claims['jti'] !== '');
    const { iat, nbf, exp } = claims as { iat: number; nbf: number; exp: number };
    assert.ok(nbf <= iat && iat < exp);
  });

  it('serves the real @actions/core getIDToken client', async () => {
    process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = info['requestUrl'];
    process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = info['requestToken'];
    try {
      const jwt = await getIDToken('https://vault.example');
      assert.equal(decode(jwt.split('.')[1])['aud'], 'https://vault.example');
    } finally {
      delete process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
      delete process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    }
  });

  it('defaults the audience to the owner URL, as GitHub does', async () => {
    const jwt = ((await (await requestToken(info['requestToken'])).json()) as { value: string }).value;
    assert.equal(decode(jwt.split('.')[1])['aud'], 'https://github.com/octo-org');
  });

  it('/configure gives a request token whose ID tokens carry the given claims', async () => {
    const res = await fetch(info['configureUrl'] ?? '', {
      method: 'POST',
      body: JSON.stringify({
        claims: { ...pullRequestClaims(12), environment: 'staging', workflow_sha: null },
      }),
    });
    const { requestToken: prToken } = (await res.json()) as { requestToken: string };
    const jwt = ((await (await requestToken(prToken, 'x')).json()) as { value: string }).value;
    const claims = decode(jwt.split('.')[1]);
    assert.equal(claims['sub'], 'repo:octo-org/octo-repo:pull_request');
    assert.equal(claims['ref'], 'refs/pull/12/merge');
    assert.equal(claims['event_name'], 'pull_request');
    assert.equal(claims['environment'], 'staging');
    assert.equal('workflow_sha' in claims, false);
    // The default request token is unaffected.
    const again = ((await (await requestToken(info['requestToken'], 'x')).json()) as { value: string }).value;
    assert.equal(decode(again.split('.')[1])['event_name'], 'push');
  });

  for (const [name, token] of [
    ['no request token', undefined],
    ['an unknown request token', 'nope'],
  ] as const) {
    it(`answers 401 to ${name}`, async () => {
      assert.equal((await requestToken(token, 'x')).status, 401);
    });
  }
});
