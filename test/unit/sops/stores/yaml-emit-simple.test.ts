/**
 * The emitter's shortcut for simple mappings (emitSimpleMap in yaml-emit.ts) against the
 * encoder itself: on generated mappings of strings, some of which the encoder quotes, breaks
 * or writes as complex keys, emitYamlBranches must write exactly what the encoder writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitYamlBranches, emitYamlBranchesGenerally } from '../../../../src/sops/stores/yaml-emit.ts';
import type { MapItem, TreeMap, TreeValue } from '../../../../src/sops/tree.ts';
import { seededRandom } from '../../../support/seeded-random.ts';

const TEXTS = [
  'v1',
  'Secret',
  'secret-0',
  'YXBwLTAwMC1zZWNyZXQtMC12YWx1ZS0wLXh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA==',
  'a+b/c=',
  'nginx:1.27',
  'a:b',
  'a#b',
  'a,b',
  'a]',
  'two words',
  ' lead',
  'trail ',
  '',
  'true',
  'True',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'Y',
  'n',
  'null',
  '~',
  '1',
  '-1',
  '+1',
  '0x1F',
  '0o17',
  '0b101',
  '017',
  '1e5',
  '1_000',
  '1:20',
  '190:20:30',
  '.5',
  '.inf',
  '.NaN',
  '2001-12-14',
  '2001-12-14T21:59:43Z',
  '-',
  '.',
  '-a',
  '?a',
  ':a',
  '#a',
  '*a',
  '&a',
  '!a',
  '%a',
  '@a',
  '`a',
  '"a',
  "'a",
  "a'",
  '[a',
  '{a',
  '|',
  '>',
  '=',
  '<<',
  'a\nb',
  'tab\there',
  'é',
  'k'.repeat(99),
  'k'.repeat(101),
  'k'.repeat(130),
  'x'.repeat(200),
  `${'word '.repeat(30)}end`,
];

function genMap(next: () => number, depth: number): TreeMap {
  const items: MapItem[] = [];
  const pick = (): string => TEXTS[Math.floor(next() * TEXTS.length)] ?? '';
  for (let i = 0, n = Math.floor(next() * 4) + (depth === 0 ? 1 : 0); i < n; i++) {
    const key = next() < 0.6 ? `key${i}` : pick();
    const roll = next();
    let value: TreeValue;
    if (roll < 0.7 || depth > 2) value = { kind: 'str', value: next() < 0.5 ? `value-${i}` : pick() };
    else if (roll < 0.85) value = genMap(next, depth + 1);
    else if (roll < 0.9) value = { kind: 'int', value: 7n };
    else if (roll < 0.93) value = { kind: 'null' };
    else if (roll < 0.96) value = { kind: 'list', items: [{ kind: 'str', value: 'x' }] };
    else value = { kind: 'comment', text: 'c' };
    items.push({ key, value });
    if (next() < 0.03) items.push({ kind: 'comment', text: ' note' });
  }
  return { kind: 'map', items };
}

test('emitYamlBranches writes what the encoder writes, shortcut or not', () => {
  const next = seededRandom(17);
  let simple = 0;
  const total = 8000;
  for (let i = 0; i < total; i++) {
    const branch = genMap(next, 0);
    const indent = next() < 0.8 ? 4 : 2;
    const expected = emitYamlBranchesGenerally([branch], indent);
    const actual = emitYamlBranches([branch], indent);
    if (actual !== expected) {
      const tree = JSON.stringify(branch, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      assert.equal(actual, expected, tree);
    }
    if (!/["'?|>]/.test(expected)) simple++;
  }
  assert.ok(simple > total / 10, `only ${simple} simple cases`);
});

test('a decrypted Secret takes the shortcut', () => {
  const branch: TreeMap = {
    kind: 'map',
    items: [
      { key: 'apiVersion', value: { kind: 'str', value: 'v1' } },
      { key: 'kind', value: { kind: 'str', value: 'Secret' } },
      {
        key: 'metadata',
        value: { kind: 'map', items: [{ key: 'name', value: { kind: 'str', value: 's' } }] },
      },
      { key: 'data', value: { kind: 'map', items: [{ key: 'k', value: { kind: 'str', value: 'YQ==' } }] } },
    ],
  };
  const expected = 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: s\ndata:\n    k: YQ==\n';
  assert.equal(emitYamlBranchesGenerally([branch]), expected);
  assert.equal(emitYamlBranches([branch]), expected);
});
