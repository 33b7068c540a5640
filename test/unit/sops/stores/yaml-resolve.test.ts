/** go-yaml v3 plain-scalar typing (sops-format.md §5), one row per rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SopsFormatError } from '../../../../src/errors.ts';
import {
  parseYamlTimestamp,
  resolvePlainScalar,
  resolvedTagOf,
  resolveTaggedScalar,
} from '../../../../src/sops/stores/yaml-resolve.ts';
import type { TreeValue } from '../../../../src/sops/tree.ts';

const s = (value: string): TreeValue => ({ kind: 'str', value });
const i = (value: bigint): TreeValue => ({ kind: 'int', value });
const f = (value: number): TreeValue => ({ kind: 'float', value });
const b = (value: boolean): TreeValue => ({ kind: 'bool', value });
const t = (value: string): TreeValue => ({ kind: 'time', value });
const nil: TreeValue = { kind: 'null' };

const cases: readonly (readonly [string, TreeValue])[] = [
  // bools: only the YAML 1.2 spellings
  ['true', b(true)],
  ['True', b(true)],
  ['TRUE', b(true)],
  ['false', b(false)],
  ['False', b(false)],
  ['FALSE', b(false)],
  ['tRUE', s('tRUE')],
  ['yes', s('yes')],
  ['no', s('no')],
  ['on', s('on')],
  ['off', s('off')],
  ['y', s('y')],
  // null forms
  ['', nil],
  ['~', nil],
  ['null', nil],
  ['Null', nil],
  ['NULL', nil],
  ['nULL', s('nULL')],
  // ints
  ['0', i(0n)],
  ['-42', i(-42n)],
  ['+5', i(5n)],
  ['0x1F', i(31n)],
  ['0X1f', i(31n)],
  ['0o17', i(15n)],
  ['0b101', i(5n)],
  ['-0b101', i(-5n)],
  ['0777', i(511n)],
  ['1_000_000', i(1000000n)],
  ['0b_1010', i(10n)],
  ['9223372036854775807', i(9223372036854775807n)],
  ['-9223372036854775808', i(-9223372036854775808n)],
  ['0x', s('0x')],
  // 08 is not octal, so it falls through to a float
  ['08', f(8)],
  ['-9223372036854775809', f(-(2 ** 63))],
  ['18446744073709551616', f(2 ** 64)],
  // floats
  ['1.0', f(1)],
  ['3.14', f(3.14)],
  ['1e3', f(1000)],
  ['1.5e-7', f(1.5e-7)],
  ['.5', f(0.5)],
  ['-.5', f(-0.5)],
  ['1.', f(1)],
  ['1_0.5', f(10.5)],
  ['1e999', s('1e999')],
  ['.5e999', s('.5e999')],
  ['.inf', f(Infinity)],
  ['.Inf', f(Infinity)],
  ['+.INF', f(Infinity)],
  ['-.inf', f(-Infinity)],
  ['.nan', f(NaN)],
  ['.NaN', f(NaN)],
  ['.NAN', f(NaN)],
  ['.nAn', s('.nAn')],
  ['1:20', s('1:20')],
  ['1.2.3', s('1.2.3')],
  // timestamps (MarshalText form)
  ['2024-01-02', t('2024-01-02T00:00:00Z')],
  ['2002-1-2', t('2002-01-02T00:00:00Z')],
  ['2001-12-14T21:59:43Z', t('2001-12-14T21:59:43Z')],
  ['2001-12-14t21:59:43.10-05:00', t('2001-12-14T21:59:43.1-05:00')],
  ['2001-12-14 21:59:43.10', t('2001-12-14T21:59:43.1Z')],
  ['2024-01-02T10:00:00+00:00', t('2024-01-02T10:00:00Z')],
  ['2024-01-02T10:00:00.123456789123+02:00', t('2024-01-02T10:00:00.123456789+02:00')],
  ['2001-12-14 21:59:43.10 -5', s('2001-12-14 21:59:43.10 -5')],
  ['2024-02-30', s('2024-02-30')],
  ['2024-02-29', t('2024-02-29T00:00:00Z')],
  ['2023-02-29', s('2023-02-29')],
  ['2024-13-01', s('2024-13-01')],
  ['2024-01-02T24:00:00Z', s('2024-01-02T24:00:00Z')],
  ['20240-01-02', s('20240-01-02')],
  // strings
  ['hello', s('hello')],
  ['<<', s('<<')],
  ['=', s('=')],
];

for (const [input, expected] of cases) {
  test(`resolvePlainScalar(${JSON.stringify(input)})`, () => {
    assert.deepEqual(resolvePlainScalar(input), expected);
  });
}

test('integers above int64 fail as in sops (uint64 cannot be walked)', () => {
  assert.throws(() => resolvePlainScalar('9223372036854775808'), SopsFormatError);
  assert.throws(() => resolvePlainScalar('0xFFFFFFFFFFFFFFFF'), SopsFormatError);
});

test('the error for a too-large integer does not contain the value', () => {
  assert.throws(
    () => resolvePlainScalar('12345678901234567890'),
    (error: Error) => !error.message.includes('12345678901234567890'),
  );
});

const tagged: readonly (readonly [string, string, TreeValue])[] = [
  ['!!str', '123', s('123')],
  ['!!float', '1', f(1)],
  ['!!int', '42', i(42n)],
  ['!!int', 'abc', nil],
  ['!!bool', 'yes', nil],
  ['!!timestamp', '2024-01-02', t('2024-01-02T00:00:00Z')],
  ['!!binary', 'aGVsbG8gd29ybGQ=', s('hello world')],
  ['!custom', 'value', s('value')],
];

for (const [tag, input, expected] of tagged) {
  test(`resolveTaggedScalar(${tag}, ${JSON.stringify(input)})`, () => {
    assert.deepEqual(resolveTaggedScalar(tag, input), expected);
  });
}

test('resolvedTagOf is what decides quoting on output', () => {
  assert.equal(resolvedTagOf('true'), 'bool');
  assert.equal(resolvedTagOf('123'), 'int');
  assert.equal(resolvedTagOf('1e3'), 'float');
  assert.equal(resolvedTagOf(''), 'null');
  assert.equal(resolvedTagOf('2024-01-02'), 'timestamp');
  assert.equal(resolvedTagOf('yes'), 'str');
  // go-yaml never looks '<<' up, because '<' is not in its resolve table
  assert.equal(resolvedTagOf('<<'), 'str');
});

test('parseYamlTimestamp needs YYYY- at the start', () => {
  assert.equal(parseYamlTimestamp('224-01-02'), null);
  assert.equal(parseYamlTimestamp('2024-1-2'), '2024-01-02T00:00:00Z');
});
