import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isUndecryptedBytes,
  isUndecryptedString,
  UNDECRYPTED_DOCKER_JSON,
  UNDECRYPTED_TEXT,
  undecryptedValueFor,
} from '../../../src/sops/undecrypted.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

test('docker config keys get a sentinel the apiserver parses as a JSON map; others get the text', () => {
  for (const key of ['.dockerconfigjson', '.dockercfg']) {
    const value = undecryptedValueFor(key);
    assert.deepEqual(JSON.parse(value), { [UNDECRYPTED_TEXT]: {} });
  }
  for (const key of ['token', 'config.json', 'dockerconfigjson']) {
    assert.equal(undecryptedValueFor(key), UNDECRYPTED_TEXT);
  }
});

const strings: [string, string, boolean][] = [
  ['the text', UNDECRYPTED_TEXT, true],
  ['the docker JSON', UNDECRYPTED_DOCKER_JSON, true],
  ['the text as a Secret data value', b64(UNDECRYPTED_TEXT), true],
  ['the docker JSON as a Secret data value', b64(UNDECRYPTED_DOCKER_JSON), true],
  // Flux substitution puts an unknown variable into a larger value, which is unknown too (D4).
  ['the text inside a longer value', `postgres://app:${UNDECRYPTED_TEXT}@db`, true],
  ['part of the text', 'encrypted; not decrypted', false],
  ['an ordinary value', 'hunter2', false],
  ['empty', '', false],
];
for (const [name, value, want] of strings) {
  test(`isUndecryptedString: ${name}`, () => assert.equal(isUndecryptedString(value), want));
}

test('isUndecryptedBytes recognises decoded sentinels only', () => {
  assert.equal(isUndecryptedBytes(Buffer.from(UNDECRYPTED_TEXT)), true);
  assert.equal(isUndecryptedBytes(Buffer.from(UNDECRYPTED_DOCKER_JSON)), true);
  assert.equal(isUndecryptedBytes(Buffer.from(b64(UNDECRYPTED_TEXT))), false);
  assert.equal(isUndecryptedBytes(Buffer.from('hunter2')), false);
});
