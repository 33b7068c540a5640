import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessage } from '../../../src/errors.ts';
import { isFluxKustomization, parseFluxKustomization } from '../../../src/flux/kustomization.ts';

test('isFluxKustomization accepts v1 and v1beta2 only', () => {
  const cases: [unknown, boolean][] = [
    [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' }, true],
    [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2', kind: 'Kustomization' }, true],
    [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1', kind: 'Kustomization' }, false],
    [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }, false],
    [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Other' }, false],
    [null, false],
  ];
  for (const [object, expected] of cases)
    assert.equal(isFluxKustomization(object), expected, JSON.stringify(object));
});

test('parseFluxKustomization defaults namespaces from the object and reads the spec', () => {
  const k = parseFluxKustomization(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'app' },
      spec: {
        path: './apps/x',
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        dependsOn: [{ name: 'a' }, { name: 'b', namespace: 'other' }],
        decryption: { provider: 'sops' },
        postBuild: {
          substitute: { A: '1' },
          substituteFrom: [
            { kind: 'ConfigMap', name: 'cs' },
            { kind: 'Secret', name: 'sec', optional: true },
          ],
        },
        commonMetadata: { labels: { l: 'v' } },
        prune: true,
        wait: true,
        force: true,
        timeout: '5m',
      },
    },
    'ks.yaml',
    'parent-ns',
  );
  assert.equal(k.namespace, 'parent-ns');
  assert.deepEqual(k.sourceRef, { kind: 'GitRepository', name: 'flux-system', namespace: 'parent-ns' });
  assert.deepEqual(k.dependsOn, [
    { name: 'a', namespace: 'parent-ns' },
    { name: 'b', namespace: 'other' },
  ]);
  assert.equal(k.decryptionProvider, 'sops');
  assert.deepEqual([...(k.postBuild?.substitute ?? [])], [['A', '1']]);
  assert.deepEqual(k.postBuild?.substituteFrom, [
    { kind: 'ConfigMap', name: 'cs', optional: false },
    { kind: 'Secret', name: 'sec', optional: true },
  ]);
  assert.deepEqual(k.commonMetadata.labels, { l: 'v' });
  assert.deepEqual([k.prune, k.wait, k.force, k.timeout], [true, true, true, '5m']);
});

test('parseFluxKustomization refuses what Flux would refuse, naming the object', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ metadata: {}, spec: {} }, /no metadata.name/],
    [{ metadata: { name: 'x' }, spec: {} }, /Kustomization flux-system\/x has no spec.sourceRef/],
    [
      {
        metadata: { name: 'x' },
        spec: {
          sourceRef: { kind: 'G', name: 'n' },
          postBuild: { substituteFrom: [{ kind: 'Pod', name: 'p' }] },
        },
      },
      /substituteFrom\[0\].kind must be ConfigMap or Secret/,
    ],
    [
      { metadata: { name: 'x' }, spec: { sourceRef: { kind: 'G', name: 'n' }, path: 3 } },
      /spec.path is not a string/,
    ],
  ];
  for (const [object, re] of cases) {
    assert.throws(
      () => parseFluxKustomization(object, 'f.yaml'),
      (e) => re.test(errorMessage(e)),
    );
  }
});
