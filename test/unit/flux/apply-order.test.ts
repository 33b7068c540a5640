import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyInOrder, applySetNameFor, renderOutcomes } from '../../../src/flux/apply-order.ts';
import { parseFluxKustomization } from '../../../src/flux/kustomization.ts';

function k(name: string, dependsOn: string[] = []) {
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

test('applyInOrder: a failure stops its dependents, transitively, and no others', async () => {
  const calls: string[] = [];
  const outcomes = await applyInOrder(
    [
      k('crds'),
      k('controllers', ['crds']),
      k('configs', ['controllers']),
      k('apps', ['configs']),
      k('other'),
    ],
    (item) => {
      calls.push(item.kustomization.name);
      if (item.kustomization.name === 'controllers') return Promise.reject(new Error('boom'));
      return Promise.resolve();
    },
  );
  assert.deepEqual(calls, ['crds', 'controllers', 'other']);
  assert.deepEqual(
    outcomes.map((o) => [o.id, o.status]),
    [
      ['flux-system/crds', 'applied'],
      ['flux-system/controllers', 'failed'],
      ['flux-system/configs', 'not-attempted'],
      ['flux-system/apps', 'not-attempted'],
      ['flux-system/other', 'applied'],
    ],
  );
  assert.equal(
    renderOutcomes(outcomes),
    [
      'applied        flux-system/crds',
      'failed         flux-system/controllers: boom',
      'not attempted  flux-system/configs: its dependency flux-system/controllers failed',
      'not attempted  flux-system/apps: its dependency flux-system/configs was not attempted',
      'applied        flux-system/other',
    ].join('\n'),
  );
});

test('applySetNameFor names one set per Kustomization', () => {
  assert.equal(applySetNameFor({ namespace: 'flux-system', name: 'apps' }), 'flux-flux-system-apps');
});
