import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deepEqual,
  describeRef,
  groupKindOf,
  normalizeObject,
  refOf,
  stageOf,
  toApplyForm,
} from '../../../src/kube/normalize.ts';
import { retryAfterMs } from '../../../src/kube/client.ts';
import { unifiedDiff } from '../../../src/kube/unified-diff.ts';

describe('normalizeObject', () => {
  it('drops server-owned fields and empty label maps, and leaves the input alone', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        namespace: 'n',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        creationTimestamp: '2024-01-01T00:00:00Z',
        managedFields: [{ manager: 'm' }],
        labels: {},
        annotations: { keep: 'me' },
      },
      data: { k: 'v' },
      status: { phase: 'x' },
    };
    assert.deepEqual(normalizeObject(live), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'n', annotations: { keep: 'me' } },
      data: { k: 'v' },
    });
    assert.equal(live.metadata.uid, 'u');
  });
});

describe('identity', () => {
  for (const [object, described, groupKind, stage] of [
    [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, 'Namespace/n', 'Namespace', 1],
    [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.y' } },
      'CustomResourceDefinition/x.y',
      'CustomResourceDefinition.apiextensions.k8s.io',
      1,
    ],
    [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } },
      'ClusterRole/r',
      'ClusterRole.rbac.authorization.k8s.io',
      1,
    ],
    [
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's' } },
      'StorageClass/s',
      'StorageClass.storage.k8s.io',
      2,
    ],
    [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' } },
      'Deployment/n/d',
      'Deployment.apps',
      3,
    ],
  ] as const) {
    it(`${described}: group-kind ${groupKind}, stage ${stage}`, () => {
      const ref = refOf(object);
      assert.equal(describeRef(ref), described);
      assert.equal(groupKindOf(ref), groupKind);
      assert.equal(stageOf(ref), stage);
    });
  }
  it('refuses objects without a kind or name', () => {
    assert.throws(() => refOf({ apiVersion: 'v1', metadata: { name: 'x' } }), /no apiVersion or kind/);
    assert.throws(
      () => refOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }),
      /ConfigMap has no metadata.name/,
    );
  });
});

describe('toApplyForm', () => {
  it('folds a Secret stringData into base64 data', () => {
    const out = toApplyForm({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'YQ==' },
      stringData: { b: 'bee' },
    });
    assert.deepEqual(out, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'YQ==', b: 'YmVl' },
    });
  });
  it('leaves other kinds alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, stringData: { b: 'x' } };
    assert.equal(toApplyForm(cm), cm);
  });
});

describe('deepEqual', () => {
  for (const [a, b, equal] of [
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [[1, 2], [2, 1], false],
    ['1', 1, false],
  ] as const) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => assert.equal(deepEqual(a, b), equal));
  }
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  for (const [value, expected] of [
    ['2', 2000],
    ['0', 0],
    ['3600', 30_000],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['soon', undefined],
    [undefined, undefined],
  ] as const) {
    it(`${String(value)} -> ${String(expected)}`, () => assert.equal(retryAfterMs(value, now), expected));
  }
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), ''));
  it('prints hunks with context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10', '11'].join('\n');
    assert.equal(
      unifiedDiff(before, after, 'a', 'b'),
      [
        '--- a',
        '+++ b',
        '@@ -2,9 +2,10 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        ' 9',
        ' 10',
        '+11',
        '',
      ].join('\n'),
    );
  });
  it('prints a creation as one hunk', () => {
    assert.equal(
      unifiedDiff('', 'a\nb\n', '/dev/null', 'b'),
      '--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
  });
});
