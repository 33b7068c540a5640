/**
 * How the Action's token reaches git: only through GIT_CONFIG_* variables, scoped to the
 * workflow's server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicCredential, gitAuthEnv, gitAuthFor } from '../../../src/git/auth.ts';

const TOKEN = 'ghs_unitTestToken1234';

test('the token is an extraheader for the server only, with credential helpers off', () => {
  const env = gitAuthEnv({ serverUrl: 'https://github.example.com', token: TOKEN }, {});
  assert.deepEqual(env, {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'http.https://github.example.com/.extraheader',
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`,
    GIT_CONFIG_KEY_1: 'credential.helper',
    GIT_CONFIG_VALUE_1: '',
  });
  assert.equal(basicCredential(TOKEN), Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
});

test('GIT_CONFIG_* the environment already sets are kept: ours come after them', () => {
  const env = gitAuthEnv({ serverUrl: 'https://github.com', token: TOKEN }, { GIT_CONFIG_COUNT: '1' });
  assert.equal(env['GIT_CONFIG_COUNT'], '3');
  assert.equal(env['GIT_CONFIG_KEY_1'], 'http.https://github.com/.extraheader');
  assert.equal(env['GIT_CONFIG_KEY_0'], undefined);
});

test('a github-token gives credentials for the workflow server; none leaves git to the user', () => {
  const cases: [string | undefined, Record<string, string>, unknown][] = [
    [TOKEN, {}, { serverUrl: 'https://github.com', token: TOKEN }],
    [
      ` ${TOKEN}\n`,
      { GITHUB_SERVER_URL: 'https://ghe.example/' },
      { serverUrl: 'https://ghe.example', token: TOKEN },
    ],
    // The CLI has no github-token input: the user's own git credentials apply.
    ['', { GITHUB_SERVER_URL: 'https://ghe.example' }, undefined],
    ['  ', {}, undefined],
    [undefined, {}, undefined],
  ];
  for (const [token, env, expected] of cases)
    assert.deepEqual(gitAuthFor(token, env), expected, JSON.stringify([token, env]));
});
