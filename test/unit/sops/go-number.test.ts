import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import {
  formatFloatE,
  formatFloatF,
  formatFloatG,
  formatFloatJson,
  formatFloatValToString,
  formatIntGo,
  parseGoBool,
  parseGoFloat,
  parseGoInt,
  valToString,
} from '../../../src/sops/go-number.ts';
import { UserError } from '../../../src/errors.ts';
import { mapOf, str } from '../../../src/sops/tree.ts';
import type { TreeValue } from '../../../src/sops/tree.ts';

/** Vectors written by Go 1.26 itself (generator: test/fixtures/stores/go-number-vectors.go.txt). */
interface Vectors {
  formats: { bits: string; f: string; e: string; G: string; v: string; json: string | null }[];
  parses: { in: string; bits?: string; err?: 'syntax' | 'range' }[];
}
const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/stores/go-number-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}
function toBits(x: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString('hex');
}

test('formatFloatF matches strconv.FormatFloat(x, f, -1, 64) on a hand table', () => {
  const table: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [1234, '1234'],
    [-1.5, '-1.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [123456789012345680, '123456789012345680'],
    [5e-324, '0.' + '0'.repeat(323) + '5'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [x, want] of table) assert.equal(formatFloatF(x), want, String(x));
});

test('float formatting matches Go on every generated vector', () => {
  assert.ok(vectors.formats.length > 500);
  for (const vector of vectors.formats) {
    const x = fromBits(vector.bits);
    assert.equal(formatFloatF(x), vector.f, `f ${vector.bits}`);
    assert.equal(formatFloatE(x), vector.e, `e ${vector.bits}`);
    assert.equal(formatFloatG(x, 'E'), vector.G, `G ${vector.bits}`);
    assert.equal(formatFloatG(x), vector.v, `%v ${vector.bits}`);
    if (vector.json === null) assert.throws(() => formatFloatJson(x));
    else assert.equal(formatFloatJson(x), vector.json, `json ${vector.bits}`);
  }
});

test('parseGoFloat matches strconv.ParseFloat on every generated vector', () => {
  assert.ok(vectors.parses.length > 80);
  for (const vector of vectors.parses) {
    if (vector.err !== undefined) {
      assert.throws(() => parseGoFloat(vector.in), UserError, JSON.stringify(vector.in));
      continue;
    }
    const got = parseGoFloat(vector.in);
    const want = fromBits(vector.bits ?? '');
    // Go's NaN has a different payload; only NaN-ness matters.
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), vector.in);
    else assert.equal(toBits(got), vector.bits, JSON.stringify(vector.in));
  }
});

test('parseGoFloat errors name no value', () => {
  assert.throws(
    () => parseGoFloat('secret-ish'),
    (error: unknown) => error instanceof UserError && !error.message.includes('secret'),
  );
});

test('formatFloatJson rejects NaN and infinities as Go does', () => {
  for (const x of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => formatFloatJson(x),
      (error: unknown) => error instanceof UserError && error.code === 'UNSUPPORTED',
    );
  }
});

test('formatFloatValToString is sops ValToString for floats', () => {
  const table: [number, string][] = [
    [100, '100.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1.5, '1.5'],
    [1e6, '1E+06'],
    [123456, '123456.0'],
    [1234567, '1.234567E+06'],
    [1e21, '1E+21'],
    [1e-7, '1E-07'],
    [0.0001, '0.0001'],
    [1.5e300, '1.5E+300'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [x, want] of table) assert.equal(formatFloatValToString(x), want, String(x));
});

test('valToString formats every scalar kind as sops does', () => {
  const table: [TreeValue, string][] = [
    [str('plain'), 'plain'],
    [{ kind: 'int', value: -9n }, '-9'],
    [{ kind: 'bool', value: true }, 'true'],
    [{ kind: 'bool', value: false }, 'false'],
    [{ kind: 'null' }, '<nil>'],
    [{ kind: 'time', value: '2024-01-02T03:04:05.123456789+02:00' }, '2024-01-02T03:04:05+02:00'],
    [{ kind: 'time', value: '2024-01-02T00:00:00Z' }, '2024-01-02T00:00:00Z'],
    [
      {
        kind: 'list',
        items: [
          { kind: 'int', value: 1n },
          str('a'),
          { kind: 'float', value: 1.5 },
          { kind: 'bool', value: true },
          { kind: 'null' },
        ],
      },
      '[1 a 1.5 true <nil>]',
    ],
    [
      mapOf([
        ['k', str('v')],
        ['n', { kind: 'int', value: 2n }],
      ]),
      '[{k v} {n 2}]',
    ],
    [{ kind: 'list', items: [{ kind: 'float', value: 1e6 }] }, '[1e+06]'],
  ];
  for (const [value, want] of table) assert.equal(valToString(value), want);
});

test('formatIntGo prints int64 extremes', () => {
  assert.equal(formatIntGo(-(2n ** 63n)), '-9223372036854775808');
  assert.equal(formatIntGo(0n), '0');
});

test('parseGoInt follows strconv.Atoi', () => {
  const good: [string, bigint][] = [
    ['0', 0n],
    ['-0', 0n],
    ['+5', 5n],
    ['007', 7n],
    ['9223372036854775807', 2n ** 63n - 1n],
    ['-9223372036854775808', -(2n ** 63n)],
  ];
  for (const [text, want] of good) assert.equal(parseGoInt(text), want, text);
  for (const bad of [
    '',
    '+',
    '-',
    ' 1',
    '1 ',
    '1_000',
    '0x10',
    '1e3',
    '1.0',
    '9223372036854775808',
    '-9223372036854775809',
    '١',
  ]) {
    assert.throws(() => parseGoInt(bad), UserError, JSON.stringify(bad));
  }
});

test('parseGoBool accepts exactly strconv.ParseBool spellings', () => {
  for (const text of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(text), true, text);
  for (const text of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(text), false, text);
  for (const text of ['', 'yes', 'on', 'tRUE', 'TRUE ', ' true', '2', 'y'])
    assert.throws(() => parseGoBool(text), UserError, text);
});
