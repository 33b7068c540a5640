import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseInputs } from '../../../src/flux/release-inputs.ts';
import { ObjectIndex } from '../../../src/helm/object-index.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';

type Obj = Record<string, unknown>;

function release(spec: Obj): Obj {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'demo', namespace: 'apps' },
    spec: { interval: '1h', ...spec },
  };
}

const fromRepo = (name = 'charts', namespace = 'flux-system'): Obj => ({
  chart: { spec: { chart: 'demo', version: '1.x', sourceRef: { kind: 'HelmRepository', name, namespace } } },
});
const repository = (url: string): Obj => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'charts', namespace: 'flux-system' },
  spec: { url },
});
const values = (data: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'demo-values', namespace: 'apps' },
  data,
});
const ociChartRef: Obj = { chartRef: { kind: 'OCIRepository', name: 'demo' } };
const oci = (tag: string): Obj => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'OCIRepository',
  metadata: { name: 'demo', namespace: 'apps' },
  spec: { url: 'oci://ghcr.io/x/demo', ref: { tag } },
});
const helmChart = (version: string): Obj => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmChart',
  metadata: { name: 'demo', namespace: 'apps' },
  spec: { chart: 'demo', version, sourceRef: { kind: 'HelmRepository', name: 'charts' } },
});
const withValuesFrom = { valuesFrom: [{ kind: 'ConfigMap', name: 'demo-values' }] };

const digest = (object: Obj, others: Obj[], dirs: ReadonlyMap<string, string> = new Map()) =>
  releaseInputs(object, new ObjectIndex(others), dirs);

describe('releaseInputs: the same inputs give the same digest, any change another', () => {
  const base = digest(release({ ...fromRepo(), ...withValuesFrom, values: { a: 1 } }), [
    repository('https://charts.example.com'),
    values({ 'values.yaml': 'b: 2' }),
  ]);
  const cases: readonly (readonly [string, Obj, Obj[], boolean])[] = [
    [
      'the same objects, keys in another order',
      release({ values: { a: 1 }, ...withValuesFrom, ...fromRepo() }),
      [values({ 'values.yaml': 'b: 2' }), repository('https://charts.example.com')],
      true,
    ],
    [
      'spec.values changed',
      release({ ...fromRepo(), ...withValuesFrom, values: { a: 2 } }),
      [repository('https://charts.example.com'), values({ 'values.yaml': 'b: 2' })],
      false,
    ],
    [
      'the valuesFrom ConfigMap changed',
      release({ ...fromRepo(), ...withValuesFrom, values: { a: 1 } }),
      [repository('https://charts.example.com'), values({ 'values.yaml': 'b: 3' })],
      false,
    ],
    [
      'the HelmRepository changed',
      release({ ...fromRepo(), ...withValuesFrom, values: { a: 1 } }),
      [repository('https://other.example.com'), values({ 'values.yaml': 'b: 2' })],
      false,
    ],
    [
      'an object nothing refers to changed',
      release({ ...fromRepo(), ...withValuesFrom, values: { a: 1 } }),
      [
        repository('https://charts.example.com'),
        values({ 'values.yaml': 'b: 2' }),
        { kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'apps' }, data: { x: '1' } },
      ],
      true,
    ],
  ];
  for (const [name, object, others, same] of cases) {
    it(`${name}: ${same ? 'same' : 'different'}`, () => {
      const value = digest(object, others);
      assert.match(value ?? '', /^[0-9a-f]{64}$/);
      assert.equal(value === base, same);
    });
  }

  it('a chartRef to an OCIRepository: its tag is an input', () => {
    const object = release(ociChartRef);
    assert.equal(digest(object, [oci('1.0.0')]), digest(object, [oci('1.0.0')]));
    assert.notEqual(digest(object, [oci('1.0.0')]), digest(object, [oci('1.1.0')]));
  });

  it('a chartRef to a HelmChart: the HelmChart and the repository it names are inputs', () => {
    const object = release({ chartRef: { kind: 'HelmChart', name: 'demo' } });
    const a = digest(object, [helmChart('1.x'), repository('https://charts.example.com')]);
    assert.notEqual(a, digest(object, [helmChart('2.x'), repository('https://charts.example.com')]));
    // The HelmRepository is looked up in the HelmChart's namespace (apps), where it is not.
    const moved = {
      ...repository('https://charts.example.com'),
      metadata: { name: 'charts', namespace: 'apps' },
    };
    assert.notEqual(a, digest(object, [helmChart('1.x'), moved]));
  });
});

describe('releaseInputs: no digest where the inputs are not all known', () => {
  it('a chart in this repository (GitRepository flux-system): its files may differ between the sides', () => {
    const object = release({
      chart: {
        spec: {
          chart: './charts/demo',
          sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
        },
      },
    });
    assert.equal(digest(object, []), undefined);
  });

  it('a chart from a --flux-source folder', () => {
    const object = release(fromRepo('mirror'));
    assert.equal(
      digest(object, [], new Map([['HelmRepository/flux-system/mirror', '/tmp/mirror']])),
      undefined,
    );
  });

  it('a HelmChart whose source is this repository', () => {
    const chart = {
      ...helmChart('1.x'),
      spec: { chart: './c', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    };
    const object = release({ chartRef: { kind: 'HelmChart', name: 'demo', namespace: 'flux-system' } });
    assert.equal(
      digest(object, [{ ...chart, metadata: { name: 'demo', namespace: 'flux-system' } }]),
      undefined,
    );
  });

  it('a value this run could not decrypt: every such value is the same placeholder', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'demo-values', namespace: 'apps' },
      stringData: { 'values.yaml': UNDECRYPTED_TEXT },
    };
    const object = release({ ...fromRepo(), valuesFrom: [{ kind: 'Secret', name: 'demo-values' }] });
    assert.equal(digest(object, [repository('https://charts.example.com'), secret]), undefined);
    assert.equal(digest(release({ ...fromRepo(), values: { password: UNDECRYPTED_TEXT } }), []), undefined);
  });
});
