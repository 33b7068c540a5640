import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { parseMetadata } from '../../../src/sops/metadata.ts';
import { mapOf, str, type TreeValue } from '../../../src/sops/tree.ts';

const age = (recipient: string): TreeValue =>
  mapOf([
    ['recipient', str(recipient)],
    ['enc', str('---')],
  ]);
const list = (...items: TreeValue[]): TreeValue => ({ kind: 'list', items });
const base: [string, TreeValue][] = [
  ['lastmodified', str('2024-01-01T00:00:00Z')],
  ['mac', str('ENC[...]')],
  ['version', str('3.9.0')],
];

test('flat keys form one group in sops order (pgp before age)', () => {
  const m = parseMetadata(
    mapOf([
      ['age', list(age('age1a'))],
      [
        'pgp',
        list(
          mapOf([
            ['fp', str('ABC')],
            ['enc', str('x')],
            ['created_at', str('2024-01-01T00:00:00Z')],
          ]),
        ),
      ],
      ['kms', { kind: 'null' }],
      ...base,
    ]),
  );
  assert.deepEqual(
    m.keyGroups.map((g) => g.map((k) => k.type)),
    [['pgp', 'age']],
  );
  assert.deepEqual(m.selection, { kind: 'unencrypted_suffix', value: '_unencrypted' });
  assert.equal(m.macOnlyEncrypted, false);
});

test('key_groups with a string threshold (dotenv/INI weak typing)', () => {
  const m = parseMetadata(
    mapOf([
      ['key_groups', list(mapOf([['age', list(age('age1a'))]]), mapOf([['age', list(age('age1b'))]]))],
      ['shamir_threshold', str('2')],
      ['mac_only_encrypted', str('true')],
      ...base,
    ]),
  );
  assert.equal(m.keyGroups.length, 2);
  assert.equal(m.shamirThreshold, 2);
  assert.equal(m.macOnlyEncrypted, true);
});

test('an inline flag inside a group is valid RE2 (the home-ops encrypted_regex)', () => {
  const value = '((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))';
  const m = parseMetadata(mapOf([['age', list(age('a'))], ['encrypted_regex', str(value)], ...base]));
  assert.deepEqual(m.selection, { kind: 'encrypted_regex', value });
});

const bad: [string, [string, TreeValue][], RegExp][] = [
  ['no keys', [...base], /no master keys/],
  [
    'two selection options',
    [['age', list(age('a'))], ['encrypted_regex', str('x')], ['unencrypted_suffix', str('y')], ...base],
    /more than one/,
  ],
  [
    'no lastmodified',
    [
      ['age', list(age('a'))],
      ['mac', str('x')],
    ],
    /lastmodified/,
  ],
  ['age stanza without recipient', [['age', list(mapOf([['enc', str('x')]]))], ...base], /recipient/],
  ['keys that are not a list', [['age', str('nope')], ...base], /should be a list/],
  // Go refuses lookaround and backreferences; the message names the field and the pattern.
  [
    'an encrypted_regex Go cannot compile',
    [['age', list(age('a'))], ['encrypted_regex', str('^(?!metadata)')], ...base],
    /^sops metadata: encrypted_regex "\^\(\?!metadata\)" is not a valid Go regular expression: invalid or unsupported Perl syntax/,
  ],
  [
    'an unencrypted_comment_regex with a backreference',
    [['age', list(age('a'))], ['unencrypted_comment_regex', str('(a)\\1')], ...base],
    /unencrypted_comment_regex "\(a\)\\\\1" is not a valid Go regular expression: invalid escape sequence/,
  ],
];
for (const [name, items, message] of bad) {
  test(`bad metadata: ${name}`, () => {
    assert.throws(
      () => parseMetadata(mapOf(items)),
      (e: unknown) => e instanceof UserError && e.code === 'BAD_METADATA' && message.test(e.message),
    );
  });
}
