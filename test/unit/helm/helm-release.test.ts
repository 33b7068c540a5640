import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHelmRelease, shortenReleaseName } from '../../../src/helm/helm-release.ts';

function release(
  spec: Record<string, unknown>,
  name = 'podinfo',
  namespace = 'apps',
): Record<string, unknown> {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec: {
      chart: { spec: { chart: 'demo', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
      ...spec,
    },
  };
}

describe('shortenReleaseName (helm-controller release.ShortenName, its own test table)', () => {
  for (const [name, expected] of [
    ['release-name', 'release-name'],
    [
      'release-name-with-very-long-name-which-is-longer-than-53-characters',
      'release-name-with-very-long-name-which-i-788ca0d0d7b0',
    ],
    [
      'another-release-name-with-very-long-name-which-is-longer-than-53-characters',
      'another-release-name-with-very-long-name-7e72150d5a36',
    ],
    ['', ''],
    ['x'.repeat(53), 'x'.repeat(53)],
  ] as const) {
    it(`${JSON.stringify(name)} → ${JSON.stringify(expected)}`, () => {
      const got = shortenReleaseName(name);
      assert.equal(got, expected);
      assert.ok(got.length <= 53);
    });
  }
});

describe('parseHelmRelease names and namespaces', () => {
  const table = [
    { spec: {}, releaseName: 'podinfo', releaseNamespace: 'apps', storageNamespace: 'apps' },
    {
      spec: { targetNamespace: 'web' },
      releaseName: 'web-podinfo',
      releaseNamespace: 'web',
      storageNamespace: 'apps',
    },
    {
      spec: { releaseName: 'custom', targetNamespace: 'web' },
      releaseName: 'custom',
      releaseNamespace: 'web',
      storageNamespace: 'apps',
    },
    {
      spec: { storageNamespace: 'helm' },
      releaseName: 'podinfo',
      releaseNamespace: 'apps',
      storageNamespace: 'helm',
    },
    {
      spec: { targetNamespace: 'a-rather-long-target-namespace-name' },
      releaseName: shortenReleaseName('a-rather-long-target-namespace-name-podinfo-with-a-long-name'),
      releaseNamespace: 'a-rather-long-target-namespace-name',
      storageNamespace: 'apps',
      name: 'podinfo-with-a-long-name',
    },
  ];
  for (const row of table) {
    it(JSON.stringify(row.spec), () => {
      const parsed = parseHelmRelease(release(row.spec, row.name));
      assert.equal(parsed.releaseName, row.releaseName);
      assert.equal(parsed.releaseNamespace, row.releaseNamespace);
      assert.equal(parsed.storageNamespace, row.storageNamespace);
    });
  }

  it('the long composed name is shortened to 53 characters', () => {
    const parsed = parseHelmRelease(
      release({ targetNamespace: 'a-rather-long-target-namespace-name' }, 'podinfo-with-a-long-name'),
    );
    assert.equal(parsed.releaseName.length, 53);
  });

  it('CRD policies default to Create on install and Skip on upgrade', () => {
    const parsed = parseHelmRelease(release({}));
    assert.deepEqual([parsed.installCrds, parsed.upgradeCrds], ['Create', 'Skip']);
    const set = parseHelmRelease(release({ install: { crds: 'Skip' }, upgrade: { crds: 'CreateReplace' } }));
    assert.deepEqual([set.installCrds, set.upgradeCrds], ['Skip', 'CreateReplace']);
  });

  it('install.createNamespace (with a targetNamespace) and suspend: true only when the spec says true', () => {
    const plain = parseHelmRelease(release({}));
    assert.deepEqual([plain.createNamespace, plain.suspend], [false, false]);
    const set = parseHelmRelease(
      release({ targetNamespace: 'web', install: { createNamespace: true }, suspend: true }),
    );
    assert.deepEqual([set.createNamespace, set.suspend], [true, true]);
    // helm-controller passes createNamespace to helm only with a targetNamespace.
    const untargeted = parseHelmRelease(release({ install: { createNamespace: true } }));
    assert.equal(untargeted.createNamespace, false);
    // helm-controller's fields are booleans: a string is not true.
    const strings = parseHelmRelease(
      release({ targetNamespace: 'web', install: { createNamespace: 'true' }, suspend: 'true' }),
    );
    assert.deepEqual([strings.createNamespace, strings.suspend], [false, false]);
  });

  it('refuses an unknown CRD policy naming the HelmRelease and the field', () => {
    assert.throws(
      () => parseHelmRelease(release({ install: { crds: 'Always' } })),
      /HelmRelease apps\/podinfo: spec.install.crds "Always"/,
    );
  });

  it('the sourceRef namespace defaults to the HelmRelease namespace', () => {
    assert.equal(parseHelmRelease(release({})).chart?.sourceRef.namespace, 'apps');
  });
});
