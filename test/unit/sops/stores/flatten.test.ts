import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  extractNestedMetadata,
  extractPrefixedMetadata,
  flattenMetadata,
  unflattenMetadata,
} from '../../../../src/sops/stores/flatten.ts';
import { SopsFormatError } from '../../../../src/errors.ts';
import { mapOf, str } from '../../../../src/sops/tree.ts';
import type { MapItem, TreeValue } from '../../../../src/sops/tree.ts';

const flat = (entries: [string, string][]): MapItem[] =>
  entries.map(([key, value]) => ({ key, value: str(value) }));
const list = (...items: TreeValue[]): TreeValue => ({ kind: 'list', items });

test('unflattens __map_ and __list_ paths, sorting map keys as sops does', () => {
  const result = unflattenMetadata(
    flat([
      ['version', '3.13.3'],
      ['pgp__list_1__map_fp', 'B'],
      ['pgp__list_0__map_fp', 'A'],
      ['pgp__list_0__map_enc', 'E'],
      ['key_groups__list_0__map_age__list_0__map_recipient', 'r'],
      ['lastmodified', 't'],
      ['Z_upper', 'sorts first'],
    ]),
  );
  assert.deepEqual(
    result,
    mapOf([
      ['Z_upper', str('sorts first')],
      ['key_groups', list(mapOf([['age', list(mapOf([['recipient', str('r')]]))]]))],
      ['lastmodified', str('t')],
      [
        'pgp',
        list(
          mapOf([
            ['enc', str('E')],
            ['fp', str('A')],
          ]),
          mapOf([['fp', str('B')]]),
        ),
      ],
      ['version', str('3.13.3')],
    ]),
  );
});

test('keeps values as they are and skips comments', () => {
  const items: MapItem[] = [
    { kind: 'comment', text: 'ignored' },
    { key: 'mac_only_encrypted', value: str('true') },
  ];
  assert.deepEqual(unflattenMetadata(items), mapOf([['mac_only_encrypted', str('true')]]));
});

test('sorts keys by UTF-8 bytes like Go, not by UTF-16 units', () => {
  const result = unflattenMetadata(
    flat([
      ['\u{10000}', 'astral'],
      ['\uffff', 'bmp'],
    ]),
  );
  assert.deepEqual(
    result.items.map((item) => ('key' in item ? item.key : '#')),
    ['\uffff', '\u{10000}'],
  );
});

test('an empty input is an empty map', () => {
  assert.deepEqual(unflattenMetadata([]), mapOf([]));
});

test('rejects what sops rejects', () => {
  const cases: [string, [string, string][]][] = [
    [
      'gap in a list',
      [
        ['a__list_0', 'x'],
        ['a__list_2', 'y'],
      ],
    ],
    ['list not from 0', [['a__list_1', 'x']]],
    ['negative index', [['a__list_-1', 'x']]],
    [
      'duplicate key',
      [
        ['a', 'x'],
        ['a', 'y'],
      ],
    ],
    [
      'duplicate after index parsing',
      [
        ['a__list_0', 'x'],
        ['a__list_00', 'y'],
      ],
    ],
    [
      'value and map',
      [
        ['a', 'x'],
        ['a__map_b', 'y'],
      ],
    ],
    [
      'map and list',
      [
        ['a__map_b', 'x'],
        ['a__list_0', 'y'],
      ],
    ],
  ];
  for (const [label, entries] of cases) {
    assert.throws(() => unflattenMetadata(flat(entries)), SopsFormatError, label);
  }
});

test('a malformed list index reads as 0, as sops ignores the Atoi error', () => {
  assert.deepEqual(unflattenMetadata(flat([['a__list_zero', 'x']])), mapOf([['a', list(str('x'))]]));
});

test('error messages name keys, never values', () => {
  assert.throws(
    () =>
      unflattenMetadata(
        flat([
          ['mac', 'ENC[secret]'],
          ['mac', 'ENC[secret]'],
        ]),
      ),
    (error: unknown) =>
      error instanceof SopsFormatError &&
      error.message.includes('"mac"') &&
      !error.message.includes('secret'),
  );
});

test('rejects absurdly deep keys instead of recursing', () => {
  const key = Array.from({ length: 1001 }, () => 'a').join('__map_');
  assert.throws(() => unflattenMetadata(flat([[key, 'x']])), /deeper than 1000/);
  const ok = Array.from({ length: 500 }, () => 'a').join('__map_');
  assert.equal(unflattenMetadata(flat([[ok, 'x']])).items.length, 1);
});

test('flattenMetadata is the inverse, with the prefix on every key', () => {
  const metadata = mapOf([
    [
      'age',
      list(
        mapOf([
          ['enc', str('E')],
          ['recipient', str('r')],
        ]),
      ),
    ],
    ['empty', list()],
    ['version', str('3.13.3')],
  ]);
  const flattened = flattenMetadata(metadata, 'sops_');
  assert.deepEqual(
    flattened,
    flat([
      ['sops_age__list_0__map_enc', 'E'],
      ['sops_age__list_0__map_recipient', 'r'],
      ['sops_version', '3.13.3'],
    ]),
  );
  const back = unflattenMetadata(flattenMetadata(metadata, ''));
  assert.deepEqual(
    back,
    mapOf([
      [
        'age',
        list(
          mapOf([
            ['enc', str('E')],
            ['recipient', str('r')],
          ]),
        ),
      ],
      ['version', str('3.13.3')],
    ]),
  );
  assert.throws(
    () =>
      flattenMetadata(
        mapOf([
          ['a__map_b', str('1')],
          ['a', mapOf([['b', str('2')]])],
        ]),
        '',
      ),
    /twice/,
  );
});

test('extractPrefixedMetadata takes sops_ keys from the first branch only', () => {
  const first = {
    kind: 'map' as const,
    items: [
      ...flat([
        ['A', '1'],
        ['sops_version', 'v'],
        ['sopsy', 'kept'],
      ]),
    ],
  };
  const second = mapOf([['sops_version', str('other')]]);
  const { branches, metadata } = extractPrefixedMetadata([first, second]);
  assert.deepEqual(metadata, mapOf([['version', str('v')]]));
  assert.deepEqual(branches, [
    mapOf([
      ['A', str('1')],
      ['sopsy', str('kept')],
    ]),
    second,
  ]);
});

test('extractNestedMetadata reads the first branch and strips sops from all of them', () => {
  const meta = mapOf([['version', str('v')]]);
  const { branches, metadata } = extractNestedMetadata([
    mapOf([
      ['a', str('1')],
      ['sops', meta],
    ]),
    mapOf([
      ['sops', str('stale copy, not checked')],
      ['b', str('2')],
    ]),
  ]);
  assert.equal(metadata, meta);
  assert.deepEqual(branches, [mapOf([['a', str('1')]]), mapOf([['b', str('2')]])]);
});
