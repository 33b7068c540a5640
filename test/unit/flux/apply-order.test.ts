import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyInOrder,
  applySetNameFor,
  kustomizationTimeoutMs,
  parseGoDuration,
  renderOutcomes,
} from '../../../src/flux/apply-order.ts';
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

test('parseGoDuration', () => {
  const cases: [string, number | undefined][] = [
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    ['', undefined],
    ['5', undefined],
    ['5x', undefined],
    ['m5', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseGoDuration(text), expected, text);
});

test('kustomizationTimeoutMs: timeout, else interval, else 5 minutes', () => {
  const make = (spec: Record<string, unknown>) =>
    parseFluxKustomization(
      { metadata: { name: 'x' }, spec: { sourceRef: { kind: 'G', name: 'n' }, ...spec } },
      't',
    );
  assert.equal(kustomizationTimeoutMs(make({ timeout: '2m', interval: '1h' })), 120_000);
  assert.equal(kustomizationTimeoutMs(make({ interval: '10m' })), 600_000);
  assert.equal(kustomizationTimeoutMs(make({})), 300_000);
});

test('applyInOrder: a suspended Kustomization is left alone and its dependents still go ahead', async () => {
  const calls: string[] = [];
  const suspended = (name: string) => {
    const item = k(name);
    return { kustomization: { ...item.kustomization, suspend: true } };
  };
  const outcomes = await applyInOrder([k('crds'), suspended('infra'), k('apps', ['infra'])], (item) => {
    calls.push(item.kustomization.name);
    return Promise.resolve();
  });
  assert.deepEqual(calls, ['crds', 'apps']);
  assert.deepEqual(
    outcomes.map((o) => [o.id, o.status]),
    [
      ['flux-system/crds', 'applied'],
      ['flux-system/infra', 'suspended'],
      ['flux-system/apps', 'applied'],
    ],
  );
  assert.match(
    renderOutcomes(outcomes),
    /^suspended {6}flux-system\/infra: spec\.suspend is true; Flux does not reconcile it/m,
  );
});
