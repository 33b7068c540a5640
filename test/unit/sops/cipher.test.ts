import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { decryptValue, encryptValue, parseEncryptedValue } from '../../../src/sops/cipher.ts';
import type { TreeValue } from '../../../src/sops/tree.ts';

const key = randomBytes(32);

describe('value round trip keeps the Go type', () => {
  const cases: [string, TreeValue][] = [
    ['str', { kind: 'str', value: 'hunter2 ünïcode' }],
    ['int', { kind: 'int', value: -9223372036854775808n }],
    ['float', { kind: 'float', value: 1234.5 }],
    ['bool true', { kind: 'bool', value: true }],
    ['bool false', { kind: 'bool', value: false }],
    ['time', { kind: 'time', value: '2024-01-02T03:04:05.5Z' }],
    ['comment', { kind: 'comment', text: ' a comment' }],
  ];
  for (const [name, value] of cases) {
    test(name, () => {
      const enc = encryptValue(value, key, 'a:b:');
      assert.match(enc, /^ENC\[AES256_GCM,data:.*,iv:.*,tag:.*,type:\w+\]$/);
      assert.deepEqual(decryptValue(enc, key, 'a:b:'), value);
    });
  }
  test('bytes that are not UTF-8 stay bytes', () => {
    const raw = new Uint8Array([0xff, 0x00, 0xfe]);
    const enc = encryptValue({ kind: 'bytes', value: raw }, key, 'data:');
    assert.deepEqual(decryptValue(enc, key, 'data:'), { kind: 'bytes', value: raw });
  });
  test('a leading byte-order mark is kept', () => {
    const value: TreeValue = { kind: 'str', value: '\uFEFFbom first' };
    assert.deepEqual(decryptValue(encryptValue(value, key, 'data:'), key, 'data:'), value);
  });
  test('the empty string is not encrypted', () => {
    assert.equal(encryptValue({ kind: 'str', value: '' }, key, 'x:'), '');
    assert.deepEqual(decryptValue('', key, 'x:'), { kind: 'str', value: '' });
  });
});

describe('malformed values give BAD_ENC_VALUE or BAD_FORMAT', () => {
  const good = encryptValue({ kind: 'str', value: 'v' }, key, 'k:');
  const cases: [string, string, string][] = [
    ['plain text', 'hello', 'BAD_ENC_VALUE'],
    ['truncated', good.slice(0, 30), 'BAD_ENC_VALUE'],
    ['bad base64 in data', good.replace('data:', 'data:*'), 'BAD_ENC_VALUE'],
    ['short tag', good.replace(/tag:[^,]+/, 'tag:AAAA'), 'BAD_ENC_VALUE'],
    ['unknown type', good.replace('type:str', 'type:quux'), 'BAD_FORMAT'],
  ];
  for (const [name, value, code] of cases) {
    test(name, () => {
      assert.throws(
        () => decryptValue(value, key, 'k:'),
        (error: unknown) =>
          error instanceof UserError && error.code === code && !error.message.includes(value),
      );
    });
  }
  test('the wrong path (AAD) fails authentication', () => {
    assert.throws(
      () => decryptValue(good, key, 'other:'),
      (e: unknown) => e instanceof UserError && e.code === 'DECRYPT_FAILED',
    );
  });
  test('the wrong key fails authentication', () => {
    assert.throws(
      () => decryptValue(good, randomBytes(32), 'k:'),
      (e: unknown) => e instanceof UserError && e.code === 'DECRYPT_FAILED',
    );
  });
  test('parse keeps a 32-byte IV', () => {
    assert.equal(parseEncryptedValue(good).iv.length, 32);
  });
});
