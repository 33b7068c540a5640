import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHelmRelease } from '../../../src/helm/helm-release.ts';
import { ObjectIndex } from '../../../src/helm/object-index.ts';
import { composeValues, mergeMaps } from '../../../src/helm/values.ts';
import { SecretRegistry } from '../../../src/masking.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function release(spec: Record<string, unknown>): ReturnType<typeof parseHelmRelease> {
  return parseHelmRelease({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'demo', namespace: 'apps' },
    spec: {
      chart: { spec: { chart: 'demo', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
      ...spec,
    },
  });
}

const configMap = (
  name: string,
  data: Record<string, string>,
  namespace = 'apps',
): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});
const secret = (name: string, data: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'apps' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});

function compose(spec: Record<string, unknown>, objects: readonly unknown[], masked: string[] = []): unknown {
  const result = composeValues(
    release(spec),
    new ObjectIndex(objects),
    new SecretRegistry((v) => masked.push(v)),
  );
  return result.kind === 'known' ? result.values : result;
}

describe('composeValues: helm-controller order with conflicting keys', () => {
  const objects = [
    configMap('first', { 'values.yaml': 'a: first\nb: first\nnested: {x: first, keep: first}\n' }),
    configMap('second', {
      'values.yaml': 'b: second\nc: second\nnested: {x: second}\n',
      other: 'a: other\n',
    }),
    secret('third', { 'values.yaml': 'c: third\nd: third\n', token: 's3cr3t-token' }),
  ];
  const table: readonly { name: string; spec: Record<string, unknown>; expected: unknown }[] = [
    {
      name: 'later valuesFrom wins; maps merge deeply; spec.values on top',
      spec: {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'first' },
          { kind: 'ConfigMap', name: 'second' },
          { kind: 'Secret', name: 'third' },
        ],
        values: { d: 'inline', nested: { keep: 'inline' } },
      },
      expected: { a: 'first', b: 'second', c: 'third', d: 'inline', nested: { x: 'second', keep: 'inline' } },
    },
    {
      name: 'the order of valuesFrom decides, not the kind',
      spec: {
        valuesFrom: [
          { kind: 'Secret', name: 'third' },
          { kind: 'ConfigMap', name: 'second' },
        ],
      },
      expected: { b: 'second', c: 'second', d: 'third', nested: { x: 'second' } },
    },
    {
      name: 'valuesKey picks another key',
      spec: { valuesFrom: [{ kind: 'ConfigMap', name: 'second', valuesKey: 'other' }] },
      expected: { a: 'other' },
    },
    {
      name: 'targetPath places the raw value (typed) and a later map can still override it',
      spec: {
        valuesFrom: [
          { kind: 'Secret', name: 'third', valuesKey: 'token', targetPath: 'auth.token' },
          { kind: 'ConfigMap', name: 'first' },
        ],
        values: { auth: { user: 'admin' } },
      },
      expected: {
        auth: { token: 's3cr3t-token', user: 'admin' },
        a: 'first',
        b: 'first',
        nested: { x: 'first', keep: 'first' },
      },
    },
    {
      name: 'a missing optional reference and a missing optional key are skipped',
      spec: {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'absent', optional: true },
          { kind: 'ConfigMap', name: 'first', valuesKey: 'nope', optional: true },
        ],
        values: { only: true },
      },
      expected: { only: true },
    },
    {
      name: 'spec.values replaces a map with a scalar',
      spec: { valuesFrom: [{ kind: 'ConfigMap', name: 'first' }], values: { nested: 'flat' } },
      expected: { a: 'first', b: 'first', nested: 'flat' },
    },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(compose(row.spec, objects), row.expected));
  }

  it('a ConfigMap in another namespace is not found', () => {
    assert.throws(
      () =>
        compose({ valuesFrom: [{ kind: 'ConfigMap', name: 'elsewhere' }] }, [
          configMap('elsewhere', { 'values.yaml': 'a: 1' }, 'other'),
        ]),
      /HelmRelease apps\/demo: could not resolve ConfigMap chart values reference 'apps\/elsewhere' with key 'values.yaml': resource not found/,
    );
  });

  it('a missing required key is an error naming the key', () => {
    assert.throws(
      () => compose({ valuesFrom: [{ kind: 'ConfigMap', name: 'first', valuesKey: 'nope' }] }, objects),
      /with key 'nope': key not found/,
    );
  });

  it('values from a Secret are registered for masking, with their base64 forms', () => {
    const masked: string[] = [];
    compose(
      { valuesFrom: [{ kind: 'Secret', name: 'third', valuesKey: 'token', targetPath: 'token' }] },
      objects,
      masked,
    );
    assert.ok(masked.includes('s3cr3t-token'));
    assert.ok(masked.includes(b64('s3cr3t-token')));
  });

  it('values from a ConfigMap are not registered', () => {
    const masked: string[] = [];
    compose({ valuesFrom: [{ kind: 'ConfigMap', name: 'first' }] }, objects, masked);
    assert.deepEqual(masked, []);
  });

  it('a Secret this run could not decrypt makes the values unknown, never rendered wrong', () => {
    const result = compose({ valuesFrom: [{ kind: 'Secret', name: 'locked' }] }, [
      secret('locked', { 'values.yaml': UNDECRYPTED_TEXT }),
    ]);
    assert.deepEqual(result, {
      kind: 'unknown',
      reason: 'Secret apps/locked could not be decrypted in this run',
    });
  });

  it('a Secret still carrying SOPS metadata makes the values unknown', () => {
    const still = {
      ...secret('raw', { 'values.yaml': 'ENC[AES256_GCM,data:xx]' }),
      sops: { version: '3.13.3' },
    };
    assert.equal(
      (compose({ valuesFrom: [{ kind: 'Secret', name: 'raw' }] }, [still]) as { kind: string }).kind,
      'unknown',
    );
  });

  it('an unreadable Secret value is reported without its content', () => {
    assert.throws(
      () =>
        compose({ valuesFrom: [{ kind: 'Secret', name: 'bad' }] }, [
          secret('bad', { 'values.yaml': '- not-a-map-secret' }),
        ]),
      (error: Error) =>
        /the values could not be read/.test(error.message) && !error.message.includes('not-a-map-secret'),
    );
  });
});

describe('mergeMaps (fluxcd/pkg transform.MergeMaps)', () => {
  it('does not modify its inputs', () => {
    const a = { m: { x: 1 } };
    const merged = mergeMaps(a, { m: { y: 2 } });
    assert.deepEqual(merged, { m: { x: 1, y: 2 } });
    assert.deepEqual(a, { m: { x: 1 } });
  });
});
