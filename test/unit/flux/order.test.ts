import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessage } from '../../../src/errors.ts';
import { parseFluxKustomization } from '../../../src/flux/kustomization.ts';
import { missingDependencies, orderByDependencies } from '../../../src/flux/order.ts';

function k(name: string, dependsOn: string[]) {
  return {
    kustomization: parseFluxKustomization(
      {
        metadata: { name },
        spec: {
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          dependsOn: dependsOn.map((d) => ({ name: d })),
        },
      },
      'test',
    ),
  };
}

const names = (items: { kustomization: { name: string } }[]): string[] =>
  items.map((i) => i.kustomization.name);

test('orderByDependencies puts dependencies first and keeps discovery order otherwise', () => {
  const cases: [ReturnType<typeof k>[], string[]][] = [
    [
      [k('apps', ['configs']), k('configs', ['controllers']), k('controllers', [])],
      ['controllers', 'configs', 'apps'],
    ],
    [
      [k('a', []), k('b', []), k('c', [])],
      ['a', 'b', 'c'],
    ],
    [
      [k('a', ['missing']), k('b', ['a'])],
      ['a', 'b'],
    ],
  ];
  for (const [items, expected] of cases) assert.deepEqual(names(orderByDependencies(items)), expected);
});

test('orderByDependencies names a cycle', () => {
  assert.throws(
    () => orderByDependencies([k('a', ['b']), k('b', ['c']), k('c', ['a'])]),
    (e) => errorMessage(e).includes('flux-system/a -> flux-system/b -> flux-system/c -> flux-system/a'),
  );
});

test('missingDependencies', () => {
  assert.deepEqual(missingDependencies(k('a', ['b', 'c']).kustomization, new Set(['flux-system/b'])), [
    'flux-system/c',
  ]);
});
