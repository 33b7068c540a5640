import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isComment, mapOf, str } from '../../../src/sops/tree.ts';

test('mapOf keeps insertion order, including integer-like keys', () => {
  const map = mapOf([
    ['b', str('1')],
    ['1', str('2')],
  ]);
  assert.deepEqual(
    map.items.map((item) => (isComment(item) ? '#' : item.key)),
    ['b', '1'],
  );
});
