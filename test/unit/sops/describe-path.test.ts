import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bomHint, describePath, visibleKey } from '../../../src/sops/describe-path.ts';

const cases: [string, string, string][] = [
  ['a plain key', 'password', 'password'],
  ['a byte-order mark', '\uFEFFKEY', '\\u{FEFF}KEY'],
  ['a zero-width space', 'pass\u200Bword', 'pass\\u{200B}word'],
  ['a right-to-left override', 'a\u202Eb', 'a\\u{202E}b'],
  ['a carriage return', 'KEY\r', 'KEY\\u{000D}'],
  ['an escape character', '\u001b[31m', '\\u{001B}[31m'],
  ['visible Unicode stays', 'zażółć 😀', 'zażółć 😀'],
];
for (const [name, key, shown] of cases) {
  test(`visibleKey: ${name}`, () => assert.equal(visibleKey(key), shown));
}

test('describePath joins keys and escapes each', () => {
  assert.equal(describePath([]), '(top level)');
  assert.equal(describePath(['\uFEFFa', 'b']), '\\u{FEFF}a.b');
});

test('bomHint names the byte-order mark only when the first key starts with one', () => {
  assert.match(bomHint(['\uFEFFKEY']) ?? '', /byte-order mark \(U\+FEFF\)/);
  assert.equal(bomHint(['KEY', '\uFEFFx']), undefined);
  assert.equal(bomHint([]), undefined);
});
