import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dotenvStore } from '../../../../src/sops/stores/dotenv.ts';
import { SopsFormatError, UserError } from '../../../../src/errors.ts';
import { mapOf, str } from '../../../../src/sops/tree.ts';
import type { Branch, MapItem } from '../../../../src/sops/tree.ts';
import { sopsUpstream } from '../../../support/fixtures.ts';

const upstream = sopsUpstream;
const corpus = new URL('../../../fixtures/stores/', import.meta.url);

function load(text: string): readonly MapItem[] {
  const [branch] = dotenvStore.loadPlain(text);
  assert.ok(branch !== undefined);
  return branch.items;
}

test('splits at the first "=" with no trimming and no quote handling', () => {
  assert.deepEqual(load('foo =bar\n spaced = v \nQ="quoted"\nEQ=a=b\n=empty key\nE=\n'), [
    { key: 'foo ', value: str('bar') },
    { key: ' spaced ', value: str(' v ') },
    { key: 'Q', value: str('"quoted"') },
    { key: 'EQ', value: str('a=b') },
    { key: '', value: str('empty key') },
    { key: 'E', value: str('') },
  ]);
});

test('keeps # lines as comments, drops empty lines, and reads \\n as a newline', () => {
  assert.deepEqual(load('# one\n\n#two\nML=a\\nb\\\\nc\nHASH=x # y\n'), [
    { kind: 'comment', text: ' one' },
    { kind: 'comment', text: 'two' },
    { key: 'ML', value: str('a\nb\\\nc') },
    { key: 'HASH', value: str('x # y') },
  ]);
});

test('keeps carriage returns, which is what sops does with CRLF files', () => {
  assert.deepEqual(load('A=1\r\n#c\r\n'), [
    { key: 'A', value: str('1\r') },
    { kind: 'comment', text: 'c\r' },
  ]);
});

test('a line without "=" is an error naming the line, not its text', () => {
  assert.throws(
    () => load('A=1\nsecretvalue\n'),
    (error: unknown) =>
      error instanceof SopsFormatError && /line 2/.test(error.message) && !error.message.includes('secret'),
  );
  assert.throws(() => load('A=1\n\r\n'), /line 2/);
});

test('an empty file is one empty branch', () => {
  assert.deepEqual(dotenvStore.loadPlain(''), [mapOf([])]);
});

test('emits KEY=value lines, #comments, and \\n for newlines', () => {
  const branch: Branch = {
    kind: 'map',
    items: [
      { kind: 'comment', text: ' top' },
      { key: 'A', value: str('multi\nline') },
      { key: 'B', value: str('') },
      { key: 'C', value: { kind: 'bytes', value: new Uint8Array([0x61, 0x0a, 0x62]) } },
    ],
  };
  assert.equal(dotenvStore.emitPlain([branch]), '# top\nA=multi\\nline\nB=\nC=a\\nb\n');
});

test('emits non-string values through ValToString (yaml/flat.out.env)', () => {
  const branch: Branch = {
    kind: 'map',
    items: [
      { key: 'flat_time', value: { kind: 'time', value: '2024-01-02T03:04:05.5Z' } },
      { key: 'flat_float', value: { kind: 'float', value: 100 } },
      { key: 'flat_big', value: { kind: 'float', value: 1.5e300 } },
      { key: 'flat_inf', value: { kind: 'float', value: -Infinity } },
      { key: 'flat_nan', value: { kind: 'float', value: NaN } },
      { key: 'flat_bool', value: { kind: 'bool', value: false } },
      { key: 'flat_null', value: { kind: 'null' } },
      { kind: 'comment', text: ' a comment' },
      { key: 'flat_int', value: { kind: 'int', value: -9n } },
    ],
  };
  assert.equal(dotenvStore.emitPlain([branch]), readFileSync(new URL('yaml/flat.out.env', corpus), 'utf8'));
});

test('a nested value is an error, as in sops', () => {
  for (const value of [mapOf([]), { kind: 'list' as const, items: [] }]) {
    assert.throws(
      () => dotenvStore.emitPlain([mapOf([['nested', value]])]),
      (error: unknown) => error instanceof UserError && error.message.includes('"nested"'),
    );
  }
});

test('only the first branch is written', () => {
  assert.equal(dotenvStore.emitPlain([mapOf([['A', str('1')]]), mapOf([['B', str('2')]])]), 'A=1\n');
});

test('loadEncrypted moves the sops_ keys into unflattened metadata', () => {
  const loaded = dotenvStore.loadEncrypted(
    'A=1\nsops_version=3.13.3\n#c\nsops_age__list_0__map_enc=x\\ny\nsops_age__list_0__map_recipient=r\nB=2\n',
  );
  assert.deepEqual(loaded.branches, [
    {
      kind: 'map',
      items: [
        { key: 'A', value: str('1') },
        { kind: 'comment', text: 'c' },
        { key: 'B', value: str('2') },
      ],
    },
  ]);
  assert.deepEqual(
    loaded.metadata,
    mapOf([
      [
        'age',
        {
          kind: 'list',
          items: [
            mapOf([
              ['enc', str('x\ny')],
              ['recipient', str('r')],
            ]),
          ],
        },
      ],
      ['version', str('3.13.3')],
    ]),
  );
  assert.equal(dotenvStore.loadEncrypted('A=1\n').metadata, null);
});

test('the upstream fixture format.enc.env loads, keeping the key "foo " with its space', () => {
  const loaded = dotenvStore.loadEncrypted(
    readFileSync(path.join(upstream, 'functional-tests/res/format.enc.env'), 'utf8'),
  );
  assert.deepEqual(
    loaded.branches[0]?.items.map((item) => ('key' in item ? item.key : '#')),
    ['foo '],
  );
  const metadata = loaded.metadata;
  assert.ok(metadata !== null);
  assert.deepEqual(
    metadata.items.map((item) => ('key' in item ? item.key : '#')),
    ['lastmodified', 'mac', 'pgp', 'unencrypted_suffix', 'version'],
  );
  const pgp = metadata.items[2];
  assert.ok(pgp !== undefined && 'key' in pgp && pgp.value.kind === 'list');
  const [stanza] = pgp.value.items;
  assert.ok(stanza?.kind === 'map');
  const enc = stanza.items.find((item) => 'key' in item && item.key === 'enc');
  assert.ok(enc !== undefined && 'key' in enc && enc.value.kind === 'str');
  assert.match(enc.value.value, /^-----BEGIN PGP MESSAGE-----\n\n[\s\S]+\n-----END PGP MESSAGE-----$/);
});
