import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySetNameOf } from '../../../src/flux/apply-order.ts';
import { chartRemotePolicy, releaseOf, UnrenderedReleases } from '../../../src/flux/helm-releases.ts';
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
});
