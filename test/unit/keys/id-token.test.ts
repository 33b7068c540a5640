/** Fetching GitHub OIDC ID tokens as core.getIDToken does, and the messages around them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import {
  createIdTokenProvider,
  describeClaims,
  OIDC_CAUSES,
  readClaims,
  refusedExchangeMessage,
  type OidcFetch,
} from '../../../src/keys/id-token.ts';

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/_apis/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-123',
};

describe('createIdTokenProvider', () => {
  it('asks for the audience with the request token as bearer, and masks the ID token first', async () => {
    const token = jwt({
      sub: 'repo:o/r:ref:refs/heads/main',
      aud: 'sts.amazonaws.com',
      repository: 'o/r',
      exp: 99,
    });
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn: OidcFetch = (url, init) => {
      calls.push({ url, init });
      return Promise.resolve(new Response(JSON.stringify({ count: 1, value: token })));
    };
    const masked: string[] = [];
    const provider = createIdTokenProvider({ env: ENV, mask: (v) => masked.push(v), fetch: fetchFn });
    const got = await provider('sts.amazonaws.com');
    assert.equal(got.value, token);
    assert.deepEqual(got.claims, {
      sub: 'repo:o/r:ref:refs/heads/main',
      aud: 'sts.amazonaws.com',
      repository: 'o/r',
      exp: 99,
    });
    assert.equal(calls.length, 1);
    const url = new URL(calls[0]!.url);
    assert.equal(url.searchParams.get('api-version'), '2.0');
    assert.equal(url.searchParams.get('audience'), 'sts.amazonaws.com');
    assert.equal(
      (calls[0]!.init.headers as Record<string, string>)['authorization'],
      'Bearer request-token-123',
    );
    assert.equal(calls[0]!.init.redirect, 'manual');
    assert.ok(masked.includes(token));
    assert.ok(masked.includes('request-token-123'));
  });

  it('omits the audience parameter for GitHub default audience', async () => {
    let seen = '';
    const provider = createIdTokenProvider({
      env: ENV,
      mask: () => undefined,
      fetch: (url) => {
        seen = url;
        return Promise.resolve(new Response(JSON.stringify({ value: jwt({}) })));
      },
    });
    await provider(undefined);
    assert.equal(new URL(seen).searchParams.has('audience'), false);
  });

  const failures: readonly {
    name: string;
    env: Record<string, string>;
    answer?: Response;
    message: RegExp;
  }[] = [
    {
      name: 'no request variables (no id-token: write, or a fork)',
      env: {},
      message: /^no github oidc token: .*permissions: id-token: write.*forks never get a token/,
    },
    {
      name: 'a refused request token',
      env: ENV,
      answer: new Response('{"message":"Bad credentials"}', { status: 401 }),
      message: /^the github oidc token service answered HTTP 401 for audience aud-x; check: trust policy/,
    },
    {
      name: 'an answer without a token',
      env: ENV,
      answer: new Response('{"value": 3}'),
      message: /^the github oidc token service answered without a token$/,
    },
  ];
  for (const { name, env, answer, message } of failures) {
    it(`fails clearly on ${name}`, async () => {
      const provider = createIdTokenProvider({
        env,
        mask: () => undefined,
        fetch: () => Promise.resolve(answer ?? new Response('{}')),
      });
      await assert.rejects(provider('aud-x'), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'KEY_SOURCE');
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /request-token-123/);
        return true;
      });
    });
  }
});

describe('claims in messages', () => {
  it('reads sub, aud and repository, and tolerates junk', () => {
    assert.deepEqual(readClaims('not-a-jwt'), {});
    assert.deepEqual(readClaims('a.!!!.c'), {});
    assert.equal(
      describeClaims(readClaims(jwt({ sub: 's', aud: ['a', 'b'], repository: 'o/r' }))),
      'sub=s aud=a,b repository=o/r',
    );
    // GitHub's default subjects name the repository already.
    assert.equal(
      describeClaims({ sub: 'repo:o/r:pull_request', aud: 'a', repository: 'o/r' }),
      'sub=repo:o/r:pull_request aud=a',
    );
    assert.equal(describeClaims({}), 'sub=(none) aud=(none) repository=(none)');
  });

  it('a refusal names the provider, the claims, the detail and the causes; expiry is called out', () => {
    const live = {
      value: 'x',
      claims: { sub: 's', aud: 'a', repository: 'o/r', exp: Date.now() / 1000 + 60 },
    };
    assert.equal(
      refusedExchangeMessage('aws sts', 'HTTP 403 AccessDenied', live),
      `aws sts refused the oidc token sub=s aud=a repository=o/r: HTTP 403 AccessDenied; ${OIDC_CAUSES}`,
    );
    const expired = { value: 'x', claims: { ...live.claims, exp: 1 } };
    assert.equal(
      refusedExchangeMessage('vault', '', expired),
      `vault refused the oidc token sub=s aud=a repository=o/r (token expired); ${OIDC_CAUSES}`,
    );
    // Long provider answers are cut so the whole line fits the key report's 300 characters.
    const long = refusedExchangeMessage('vault', 'x'.repeat(500), live);
    assert.equal(long.length, 300);
    assert.ok(long.includes('...; check: '));
  });
});
