/**
 * The one OAuth-answer reader the Azure and GCP sources share: lifetimes (`expires_in`,
 * `expires_on`, defaults), a missing token, and refusals that name the call and hide what
 * we sent.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { readOAuthAnswer, readOAuthToken, type OAuthAnswerOptions } from '../../../src/keys/oauth-answer.ts';

const NOW = 1_000_000;

describe('readOAuthToken', () => {
  const cases: readonly [string, string, Partial<OAuthAnswerOptions>, number][] = [
    ['expires_in', '{"access_token":"t-canary","expires_in":120}', {}, NOW + 120_000],
    ['expires_in as a string', '{"access_token":"t-canary","expires_in":"60"}', {}, NOW + 60_000],
    ['no lifetime: one hour', '{"access_token":"t-canary"}', {}, NOW + 3_600_000],
    [
      'no lifetime, another default',
      '{"access_token":"t-canary"}',
      { defaultLifetimeSeconds: 300 },
      NOW + 300_000,
    ],
    [
      'zero lifetime with positiveLifetime: the default',
      '{"access_token":"t-canary","expires_in":0}',
      { positiveLifetime: true, defaultLifetimeSeconds: 300 },
      NOW + 300_000,
    ],
    ['zero lifetime otherwise: now', '{"access_token":"t-canary","expires_in":0}', {}, NOW],
    [
      'expires_on wins when asked for',
      '{"access_token":"t-canary","expires_on":"5000","expires_in":120}',
      { expiresOn: true },
      5_000_000,
    ],
    [
      'expires_on ignored unless asked for',
      '{"access_token":"t-canary","expires_on":"5000"}',
      {},
      NOW + 3_600_000,
    ],
  ];
  for (const [name, body, options, expiresAt] of cases) {
    test(name, () => {
      const masked: string[] = [];
      const token = readOAuthToken(body, { what: 'call', mask: (v) => masked.push(v), now: NOW, ...options });
      assert.deepEqual(token, { value: 't-canary', expiresAt });
      assert.deepEqual(masked, ['t-canary']);
    });
  }

  for (const body of ['{}', '{"access_token":""}', 'not json', '[1]']) {
    test(`no token in ${JSON.stringify(body)}: one line naming the call`, () => {
      assert.throws(
        () => readOAuthToken(body, { what: 'azure entra (x)', mask: () => undefined, now: NOW }),
        (e: unknown) =>
          e instanceof UserError &&
          e.code === 'KEY_SOURCE' &&
          e.message === 'azure entra (x): the answer has no access_token',
      );
    });
  }
});

describe('readOAuthAnswer', () => {
  test('a refusal names the call, the reason without what we sent, and the hint', () => {
    assert.throws(
      () =>
        readOAuthAnswer(
          { status: 401, body: '{"error":"invalid_client: secret-canary is wrong"}' },
          { what: 'gcp token', mask: () => undefined, now: NOW },
          {
            reason: (body) => (JSON.parse(body) as { error: string }).error,
            secrets: ['secret-canary'],
            hint: 'check the key',
          },
        ),
      (e: unknown) =>
        e instanceof UserError &&
        /^gcp token failed: HTTP 401 invalid_client: .* is wrong; check the key$/.test(e.message) &&
        !e.message.includes('secret-canary'),
    );
  });

  test('a 200 answer is read as a token', () => {
    const token = readOAuthAnswer(
      { status: 200, body: '{"access_token":"t","expires_in":10}' },
      { what: 'w', mask: () => undefined, now: NOW },
      { reason: () => '', secrets: [], hint: '' },
    );
    assert.deepEqual(token, { value: 't', expiresAt: NOW + 10_000 });
  });
});
