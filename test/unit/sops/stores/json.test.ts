import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  emitJsonBranch,
  encodeJsonString,
  jsonStore,
  MAX_JSON_DEPTH,
} from '../../../../src/sops/stores/json.ts';
import { SopsFormatError, UserError } from '../../../../src/errors.ts';
import { mapOf, str } from '../../../../src/sops/tree.ts';
import type { Branch, TreeValue } from '../../../../src/sops/tree.ts';
import { sopsUpstream } from '../../../support/fixtures.ts';

const upstream = sopsUpstream;
const corpus = new URL('../../../fixtures/stores/', import.meta.url);

function load(text: string): Branch {
  const [branch] = jsonStore.loadPlain(text);
  assert.ok(branch !== undefined);
  return branch;
}

function valueOf(branch: Branch, key: string): TreeValue {
  const item = branch.items.find((entry) => 'key' in entry && entry.key === key);
  assert.ok(item !== undefined && 'key' in item, `no key ${key}`);
  return item.value;
}

test('keeps key order, integer-like keys and duplicate keys', () => {
  const branch = load('{"b": 1, "1": 2, "a": 3, "b": 4}');
  assert.deepEqual(
    branch.items.map((item) => ('key' in item ? item.key : '#')),
    ['b', '1', 'a', 'b'],
  );
});

test('classifies numbers as sops 3.13 does (int64 ints, else float64) and keeps the raw text', () => {
  const table: [string, TreeValue][] = [
    ['0', { kind: 'int', value: 0n, raw: '0' }],
    ['-0', { kind: 'int', value: 0n, raw: '-0' }],
    ['42', { kind: 'int', value: 42n, raw: '42' }],
    ['9223372036854775807', { kind: 'int', value: 2n ** 63n - 1n, raw: '9223372036854775807' }],
    ['-9223372036854775808', { kind: 'int', value: -(2n ** 63n), raw: '-9223372036854775808' }],
    ['9223372036854775808', { kind: 'float', value: 9223372036854775808, raw: '9223372036854775808' }],
    ['1.0', { kind: 'float', value: 1, raw: '1.0' }],
    ['1e3', { kind: 'float', value: 1000, raw: '1e3' }],
    ['-0.0', { kind: 'float', value: -0, raw: '-0.0' }],
    ['1e-400', { kind: 'float', value: 0, raw: '1e-400' }],
  ];
  for (const [raw, want] of table) assert.deepEqual(valueOf(load(`{"n": ${raw}}`), 'n'), want, raw);
});

test('a number beyond float64 is a load error, as in sops', () => {
  assert.throws(() => load('{"n": 1e400}'), SopsFormatError);
});

test('decodes strings as Go does, including broken surrogates', () => {
  const table: [string, string][] = [
    [String.raw`"a\"b\\c\/d"`, 'a"b\\c/d'],
    [String.raw`"\b\f\n\r\t"`, '\b\f\n\r\t'],
    [String.raw`"\u00e9\u00C9"`, 'éÉ'],
    [String.raw`"\ud83d\ude00"`, '😀'],
    [String.raw`"x\ud800y"`, 'x\ufffdy'],
    [String.raw`"\udc00"`, '\ufffd'],
    [String.raw`"\ud800\ud800"`, '\ufffd\ufffd'],
    [String.raw`"\ud800\u0041"`, '\ufffdA'],
    ['"raw \ud800 lone"', 'raw \ufffd lone'],
    ['"😀 raw pair"', '😀 raw pair'],
  ];
  for (const [literal, want] of table)
    assert.deepEqual(valueOf(load(`{"s": ${literal}}`), 's'), str(want), literal);
});

test('ignores anything after the top-level object, as sops never reads it', () => {
  assert.equal(load('{"a": "b"} trailing {').items.length, 1);
  assert.equal(load('{"a": 1}{"b": 2}').items.length, 1);
});

test('syntax errors name the line and column and never the text', () => {
  const cases: [string, RegExp][] = [
    ['{\n  "password": "hunter2" x\n}', /line 2, column 25/],
    ['{"a": [1, 2,]}', /line 1, column 13/],
    ['{"a": 01}', /line 1, column 8/],
    ['{"a": "\\u00"}', /line 1, column 8/],
    ['{"a": "ctl\u0001"}', /control character/],
    ['{"a": tru}', /invalid literal/],
    ['{"a" "b"}', /expected ":"/],
    ['{"a": "b"', /unexpected end of input/],
    ['', /empty/],
    ['  \n ', /empty/],
  ];
  for (const [input, pattern] of cases) {
    assert.throws(
      () => load(input),
      (error: unknown) =>
        error instanceof SopsFormatError &&
        pattern.test(error.message) &&
        !error.message.includes('hunter2') &&
        !error.message.includes('ctl'),
      JSON.stringify(input),
    );
  }
});

test('rejects a top level that is not an object, with the sops hint for arrays', () => {
  assert.throws(() => load('[1, 2]'), /wrap it in an object/);
  for (const input of ['"str"', '42', 'null', 'true', '\ufeff{"a": 1}']) {
    assert.throws(() => load(input), SopsFormatError, input);
  }
});

test(`accepts ${String(MAX_JSON_DEPTH)} levels of nesting and rejects more without blowing the stack`, () => {
  const nest = (levels: number): string => `{"a": ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  assert.equal(load(nest(MAX_JSON_DEPTH)).items.length, 1);
  assert.throws(() => load(nest(MAX_JSON_DEPTH + 1)), /deeper than 1000 levels/);
  assert.throws(() => load(`{"a": ${'['.repeat(200_000)}`), SopsFormatError);
  assert.throws(() => load(`{"a": ${'{"b": '.repeat(200_000)}`), SopsFormatError);
});

test('encodeJsonString escapes as Go json.Marshal with HTML escaping', () => {
  const table: [string, string][] = [
    ['plain', '"plain"'],
    ['<a href="x">&</a>', String.raw`"\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e"`],
    ['\b\f\n\r\t', String.raw`"\b\f\n\r\t"`],
    ['\u0000\u0001\u001f\u007f', String.raw`"\u0000\u0001\u001f` + '\u007f"'],
    ['a\u2028b\u2029c', String.raw`"a\u2028b\u2029c"`],
    ['back\\slash', String.raw`"back\\slash"`],
    ['😀é\ufffd', '"😀é\ufffd"'],
    ['lone \ud800', String.raw`"lone \ufffd"`],
  ];
  for (const [input, want] of table) assert.equal(encodeJsonString(input), want, JSON.stringify(input));
});

test('emits every tree kind the way sops -d --output-type json does', () => {
  const branch = mapOf([
    ['str', str('x')],
    ['int', { kind: 'int', value: -(2n ** 63n) }],
    ['float', { kind: 'float', value: 1e21 }],
    ['small', { kind: 'float', value: 1.5e-7 }],
    ['whole', { kind: 'float', value: 100, raw: '100.0' }],
    ['negzero', { kind: 'float', value: -0 }],
    ['bool', { kind: 'bool', value: false }],
    ['null', { kind: 'null' }],
    ['time', { kind: 'time', value: '2024-01-02T03:04:05.5+02:00' }],
    [
      'bytes',
      { kind: 'bytes', value: new Uint8Array([0x3c, 0xff, 0xc3, 0xa9, 0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80]) },
    ],
    [
      'list',
      { kind: 'list', items: [{ kind: 'comment', text: ' c' }, { kind: 'list', items: [] }, mapOf([])] },
    ],
    ['onlycomments', { kind: 'list', items: [{ kind: 'comment', text: 'x' }] }],
    [
      'map',
      {
        kind: 'map',
        items: [
          { kind: 'comment', text: 'dropped' },
          { key: 'k', value: str('v') },
        ],
      },
    ],
  ]);
  const expected = [
    '{',
    '\t"str": "x",',
    '\t"int": -9223372036854775808,',
    '\t"float": 1e+21,',
    '\t"small": 1.5e-7,',
    '\t"whole": 100,',
    '\t"negzero": -0,',
    '\t"bool": false,',
    '\t"null": null,',
    '\t"time": "2024-01-02T03:04:05.5+02:00",',
    '\t"bytes": "\\u003c\\ufffdé\\ufffd\\ufffdA\\ufffd\\ufffd\\ufffd",',
    '\t"list": [',
    '\t\t[],',
    '\t\t{}',
    '\t],',
    '\t"onlycomments": [],',
    '\t"map": {',
    '\t\t"k": "v"',
    '\t}',
    '}',
    '',
  ].join('\n');
  assert.equal(jsonStore.emitPlain([branch]), expected);
});

test('emits only the first branch, and an empty tree as {}', () => {
  assert.equal(
    jsonStore.emitPlain([mapOf([['a', str('1')]]), mapOf([['b', str('2')]])]),
    '{\n\t"a": "1"\n}\n',
  );
  assert.equal(jsonStore.emitPlain([mapOf([])]), '{}\n');
  assert.throws(() => jsonStore.emitPlain([]), SopsFormatError);
});

test('refuses NaN and infinities on output, as Go does', () => {
  assert.throws(
    () => jsonStore.emitPlain([mapOf([['x', { kind: 'float', value: Infinity }]])]),
    (error: unknown) => error instanceof UserError && error.code === 'UNSUPPORTED',
  );
});

test('emitJsonBranch honours the sops indent setting', () => {
  const branch = mapOf([['a', { kind: 'list', items: [str('b')] }]]);
  assert.equal(emitJsonBranch(branch, 2), '{\n  "a": [\n    "b"\n  ]\n}\n');
  assert.equal(emitJsonBranch(branch, 0), '{\n"a": [\n"b"\n]\n}\n');
  assert.throws(() => emitJsonBranch(branch, -2), SopsFormatError);
});

test('YAML-typed trees come out as real sops wrote them (yaml/typed-finite.out.json)', () => {
  const section = mapOf([
    ['time', { kind: 'time', value: '2024-01-02T03:04:05.123456789+02:00' }],
    ['utc', { kind: 'time', value: '2024-01-02T03:04:05Z' }],
    ['date', { kind: 'time', value: '2024-01-02T00:00:00Z' }],
    ['float', { kind: 'float', value: 1.5 }],
    ['floatint', { kind: 'float', value: 100 }],
    ['big', { kind: 'float', value: 1e21 }],
    ['small', { kind: 'float', value: 1e-7 }],
    ['million', { kind: 'float', value: 1e6 }],
    ['negzero', { kind: 'float', value: -0 }],
    ['int', { kind: 'int', value: 42n }],
    ['bool', { kind: 'bool', value: true }],
    ['nothing', { kind: 'null' }],
    ['str', str('hello')],
  ]);
  const expected = readFileSync(new URL('yaml/typed-finite.out.json', corpus), 'utf8');
  assert.equal(jsonStore.emitPlain([mapOf([['section', section]])]), expected);
});

test('loadEncrypted takes the sops entry out and returns it raw', () => {
  const loaded = jsonStore.loadEncrypted('{"a": "x", "sops": {"kms": null, "version": "3.13.3"}, "b": 1}');
  assert.deepEqual(
    loaded.branches[0]?.items.map((item) => ('key' in item ? item.key : '#')),
    ['a', 'b'],
  );
  assert.deepEqual(
    loaded.metadata,
    mapOf([
      ['kms', { kind: 'null' }],
      ['version', str('3.13.3')],
    ]),
  );
});

test('loadEncrypted follows sops ExtractMetadata on odd sops entries', () => {
  assert.equal(jsonStore.loadEncrypted('{"a": 1}').metadata, null);
  // Go decodes {} to a nil branch, which sops reports as "metadata not found".
  assert.equal(jsonStore.loadEncrypted('{"a": 1, "sops": {}}').metadata, null);
  assert.throws(() => jsonStore.loadEncrypted('{"sops": "x"}'), /not a map/);
  assert.throws(() => jsonStore.loadEncrypted('{"sops": {"a": "1"}, "sops": {"b": "2"}}'), /second "sops"/);
});

for (const file of [
  'functional-tests/res/format.enc.json',
  'example.json',
  'examples/all_in_one/config/secret.enc.json',
  'examples/per_file/config.enc/static_github.json',
  'stores/ini/test_resources/example.json',
]) {
  test(`upstream fixture ${file} loads with its metadata`, () => {
    const loaded = jsonStore.loadEncrypted(readFileSync(path.join(upstream, file), 'utf8'));
    assert.ok(loaded.metadata !== null);
    const keys = loaded.metadata.items.map((item) => ('key' in item ? item.key : '#'));
    assert.ok(keys.includes('mac') && keys.includes('lastmodified'), keys.join(','));
    assert.ok(!loaded.branches[0]?.items.some((item) => 'key' in item && item.key === 'sops'));
  });
}
