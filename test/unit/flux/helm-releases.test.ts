import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySetNameOf } from '../../../src/flux/apply-order.ts';
import {
  chartRemotePolicy,
  releaseOf,
  renderHelmReleases,
  UnrenderedReleases,
} from '../../../src/flux/helm-releases.ts';
import { parseFluxKustomization } from '../../../src/flux/kustomization.ts';
import { ChartCache } from '../../../src/helm/chart-source.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { SecretRegistry } from '../../../src/masking.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';
import { parseRemotePolicy } from '../../../src/kustomize/remote-policy.ts';

describe('chartRemotePolicy: allow-remote governs chart repositories too', () => {
  for (const [input, expected] of [
    ['', { allowPrivateAddresses: false }],
    ['public', { allowPrivateAddresses: false }],
    ['none', { allowPrivateAddresses: false, hosts: [] }],
    [
      '127.0.0.1, Charts.Example.com',
      { allowPrivateAddresses: false, hosts: ['127.0.0.1', 'charts.example.com'] },
    ],
  ] as const) {
    it(JSON.stringify(input), () => assert.deepEqual(chartRemotePolicy(parseRemotePolicy(input)), expected));
  }
});

function labelled(labels: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels } };
}

describe('origin labels', () => {
  const helm = { 'helm.toolkit.fluxcd.io/name': 'demo', 'helm.toolkit.fluxcd.io/namespace': 'apps' };
  const flux = {
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
  };
  it('releaseOf reads helm-controller labels', () => {
    assert.equal(releaseOf(labelled(helm)), 'apps/demo');
    assert.equal(releaseOf(labelled(flux)), undefined);
    assert.equal(releaseOf({ kind: 'ConfigMap' }), undefined);
  });
  it('applySetNameOf: the release set first, else the Kustomization set, else none', () => {
    assert.equal(applySetNameOf(labelled({ ...flux, ...helm })), 'helm-apps-demo');
    assert.equal(applySetNameOf(labelled(flux)), 'flux-flux-system-apps');
    assert.equal(applySetNameOf(labelled({})), undefined);
  });
});

describe('UnrenderedReleases', () => {
  it('keeps the first reason recorded for a release', () => {
    const list = new UnrenderedReleases();
    list.add({ id: 'apps/a', kustomization: 'flux-system/apps', reason: 'first' });
    list.add({ id: 'apps/a', kustomization: 'flux-system/apps', reason: 'second' });
    list.add({ id: 'apps/b', kustomization: 'flux-system/apps', reason: 'other' });
    assert.deepEqual(
      list.list().map((r) => `${r.id}: ${r.reason}`),
      ['apps/a: first', 'apps/b: other'],
    );
  });

  // xunholy/k8s-gitops renders one HelmRelease from two Kustomizations: a diff must not take
  // the copy that did not change for the release (it said "does not change" while the other
  // copy showed as configured).
  it('a release recorded twice with different inputs keeps no digest; the same digest stays', () => {
    const list = new UnrenderedReleases();
    const at = (id: string, inputs: string) => ({
      id,
      kustomization: 'flux-system/apps',
      reason: 'r',
      inputs,
    });
    list.add(at('apps/a', 'one'));
    list.add(at('apps/a', 'two'));
    list.add(at('apps/b', 'same'));
    list.add(at('apps/b', 'same'));
    list.add({ kind: 'Kustomization', id: 'apps/a', kustomization: 'apps/a', reason: 'k' });
    assert.deepEqual(
      list.list().map((r) => `${r.kind ?? 'HelmRelease'} ${r.id}: ${String(r.inputs)}`),
      ['HelmRelease apps/a: undefined', 'HelmRelease apps/b: same', 'Kustomization apps/a: undefined'],
    );
  });
});

describe('renderHelmReleases: what cannot be rendered is said, before any helm or network', () => {
  const kustomization = parseFluxKustomization(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { path: './apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    },
    'test',
  );
  function release(name: string, spec: Record<string, unknown>, apiVersion = 'helm.toolkit.fluxcd.io/v2') {
    return { apiVersion, kind: 'HelmRelease', metadata: { name, namespace: 'apps' }, spec };
  }
  const chart = { chart: { spec: { chart: 'demo', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } };
  const objects = [
    release('old', chart, 'helm.toolkit.fluxcd.io/v2beta2'),
    release('remote', { ...chart, kubeConfig: { secretRef: { name: 'other-cluster' } } }),
    release('external', { ...chart, valuesFrom: [{ kind: 'Secret', name: 'made-by-eso' }] }),
    release('optional', { ...chart, valuesFrom: [{ kind: 'Secret', name: 'absent', optional: true }] }),
    release('substituted', { ...chart, values: { token: UNDECRYPTED_TEXT } }),
    // Suspended first: helm-controller does nothing for it, whatever else it says.
    release('paused', {
      ...chart,
      suspend: true,
      kubeConfig: { secretRef: { name: 'other-cluster' } },
      valuesFrom: [{ kind: 'Secret', name: 'made-by-eso' }],
    }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-release', namespace: 'apps' } },
  ];
  const rendered = { kustomization, dir: '/x', objects, yaml: '', decrypted: [] };

  it('lists each release with its reason, in order', async () => {
    const cache = new ChartCache();
    const results = await renderHelmReleases([rendered], [rendered], {
      exec: nodeExec,
      env: {},
      registry: new SecretRegistry(() => undefined),
      kustomize: { command: 'kustomize', prefix: ['build'], description: 'kustomize' },
      helm: () => Promise.resolve('helm was not found on PATH'),
      cache,
      policy: { allowPrivateAddresses: false },
      repoRoot: '/nonexistent',
      sourceDirs: new Map(),
    });
    await cache.dispose();
    assert.deepEqual(
      results.map((r) => [
        r.kustomization,
        r.result.release.id,
        r.result.status === 'not-rendered' ? r.result.reason : 'rendered',
      ]),
      [
        [
          'flux-system/apps',
          'apps/old',
          "apiVersion helm.toolkit.fluxcd.io/v2beta2 is not served by Flux 2.9's helm-controller; use helm.toolkit.fluxcd.io/v2",
        ],
        [
          'flux-system/apps',
          'apps/remote',
          'spec.kubeConfig installs it in another cluster, which this run does not read',
        ],
        [
          'flux-system/apps',
          'apps/external',
          'values unknown: valuesFrom Secret apps/made-by-eso is not rendered by this repository',
        ],
        ['flux-system/apps', 'apps/optional', 'helm was not found on PATH'],
        [
          'flux-system/apps',
          'apps/substituted',
          'values unknown: its spec uses a value that was not decrypted in this run',
        ],
        [
          'flux-system/apps',
          'apps/paused',
          'suspended: spec.suspend is true, so helm-controller does not reconcile it',
        ],
      ],
    );
    assert.deepEqual(
      results.map((r) => r.result.status === 'not-rendered' && r.result.suspended === true),
      [false, false, false, false, false, true],
    );
  });
});
