import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provablyUnchanged } from '../../../src/kube/managed-fields.ts';
import type { KubeObject } from '../../../src/kube/client.ts';
const MANAGER = 'kustomize-sops-deploy';
const labels = { 'app.kubernetes.io/name': 'web' };
/** The body we apply, as the benchmark and most kustomize output look. */
function body(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          tolerations: [{ key: 'a', operator: 'Exists' }],
          containers: [
            {
              name: 'web',
              image: 'x:1',
              args: ['a'],
              ports: [{ containerPort: 8080 }],
              env: [{ name: 'DB_HOST', value: 'db' }],
              resources: { limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
}
/** What the apiserver (v1.37) stored for body(): defaults added, our Apply entry recorded. */
function fieldsV1(): Record<string, unknown> {
  return {
    'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:args': {},
              'f:env': { 'k:{"name":"DB_HOST"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              'f:resources': { 'f:limits': { 'f:memory': {} } },
            },
          },
          'f:tolerations': {},
        },
      },
    },
  };
}
function live(fields: Record<string, unknown> = fieldsV1(), manager = MANAGER): KubeObject {
  const spec = structuredClone(body()['spec']) as {
    template: { spec: { containers: Record<string, unknown>[] } & Record<string, unknown> };
  } & Record<string, unknown>;
  const container = spec.template.spec.containers[0]!;
  container['ports'] = [{ containerPort: 8080, protocol: 'TCP' }];
  Object.assign(container, {
    terminationMessagePath: '/dev/termination-log',
    imagePullPolicy: 'IfNotPresent',
  });
  Object.assign(spec.template.spec, { restartPolicy: 'Always', securityContext: {} });
  spec['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'ns',
      labels,
      uid: 'u',
      resourceVersion: '7',
      managedFields: [
        { manager, operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: fields },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          apiVersion: 'apps/v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
      ],
    },
    spec,
    status: { replicas: 1 },
  };
}
type Edit = (b: KubeObject, l: KubeObject, f: Record<string, unknown>) => void;
/** The record at a path inside a test object (tests only edit what they built). */
function at(o: unknown, ...path: (string | number)[]): Record<string, unknown> {
  let node = o;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node as Record<string, unknown>;
}
const list = (o: unknown, ...path: (string | number)[]): unknown[] => at(o, ...path) as unknown as unknown[];
const C = ['spec', 'template', 'spec', 'containers', 0] as const;
describe('provablyUnchanged', () => {
  const cases: [string, Edit, boolean][] = [
    ['unchanged body, defaulted fields live', () => {}, true],
    [
      'a label added by another manager',
      (_b, l) => (at(l, 'metadata')['labels'] = { ...labels, other: 'x' }),
      true,
    ],
    ['a scalar changed in the body', (b) => (at(b, 'spec')['replicas'] = 2), false],
    ['a scalar changed live (kubectl edit)', (_b, l) => (at(l, 'spec')['replicas'] = 3), false],
    ['a container field changed live', (_b, l) => (at(l, ...C)['image'] = 'x:2'), false],
    [
      'a key field explicit and equal to the default',
      (b) => (at(b, ...C, 'ports', 0)['protocol'] = 'TCP'),
      false,
    ],
    ['a key field explicit and different', (b) => (at(b, ...C, 'ports', 0)['protocol'] = 'UDP'), false],
    ['a field removed from the body that we own', (b) => delete at(b, ...C)['resources'], false],
    ['an env item removed from the body', (b) => (at(b, ...C)['env'] = []), false],
    [
      'an env item added live by another manager',
      (_b, l) => list(l, ...C, 'env').push({ name: 'X', value: 'y' }),
      false,
    ],
    [
      'an atomic list item with a live extra field',
      (_b, l) => (at(l, 'spec', 'template', 'spec', 'tolerations', 0)['effect'] = 'NoSchedule'),
      false,
    ],
    [
      'an atomic list item dropped from the body',
      (b) => (at(b, 'spec', 'template', 'spec')['tolerations'] = []),
      false,
    ],
    [
      'an atomic map with a live extra key',
      (_b, l) => (at(l, 'spec', 'selector')['matchExpressions'] = []),
      false,
    ],
    ['an atomic list of scalars changed', (b) => (at(b, ...C)['args'] = ['b']), false],
    ['a body field we do not own', (b) => (at(b, 'spec')['minReadySeconds'] = 0), false],
    ['a null in the body', (b) => (at(b, 'spec')['replicas'] = null), false],
    [
      'creationTimestamp: null in the body (kustomize)',
      (b) => (at(b, 'metadata')['creationTimestamp'] = null),
      true,
    ],
    ['an unknown member kind in our field set', (_b, _l, f) => (at(f, 'f:spec')['z:odd'] = {}), false],
    ['an owned path the body no longer sets', (_b, _l, f) => (at(f, 'f:spec')['f:paused'] = {}), false],
    [
      'the live object is being deleted',
      (_b, l) => (at(l, 'metadata')['deletionTimestamp'] = '2026-01-01T00:00:00Z'),
      false,
    ],
    ['another apiVersion in the body', (b) => (b['apiVersion'] = 'apps/v1beta2'), false],
    ['a different name', (b) => (at(b, 'metadata')['name'] = 'other'), false],
  ];
  for (const [name, edit, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const b = body();
      const f = fieldsV1();
      const l = live(f);
      edit(b, l, f);
      assert.equal(provablyUnchanged(b, l, MANAGER), expected);
    });
  }
  it('is false when the Apply entry belongs to another manager', () => {
    assert.equal(provablyUnchanged(body(), live(fieldsV1(), 'kubectl'), MANAGER), false);
  });
  it('is false when there are two Apply entries for our manager', () => {
    const l = live();
    const entries = list(l, 'metadata', 'managedFields');
    entries.push({ ...at(entries, 0) });
    assert.equal(provablyUnchanged(body(), l, MANAGER), false);
  });
  const secret = (data: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    type: 'Opaque',
    data,
  });
  const secretLive = (data: Record<string, string>, owned: string[]): KubeObject => ({
    ...secret(data),
    metadata: {
      name: 's',
      namespace: 'ns',
      managedFields: [
        {
          manager: MANAGER,
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': Object.fromEntries(owned.map((k) => [`f:${k}`, {}])), 'f:type': {} },
        },
      ],
    },
  });
  for (const [name, b, l, expected] of [
    ['same data', { a: 'YQ==' }, secretLive({ a: 'YQ==' }, ['a']), true],
    ['a changed value', { a: 'Yg==' }, secretLive({ a: 'YQ==' }, ['a']), false],
    ['a key we dropped', { a: 'YQ==' }, secretLive({ a: 'YQ==', b: 'Yg==' }, ['a', 'b']), false],
    ['a key another manager added', { a: 'YQ==' }, secretLive({ a: 'YQ==', b: 'Yg==' }, ['a']), true],
  ] as const) {
    it(`Secret, ${name}: ${expected}`, () => {
      assert.equal(provablyUnchanged(secret(b), l, MANAGER), expected);
    });
  }
  const finalizers = (body: string[], live: string[], owned: string[]): boolean =>
    provablyUnchanged(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: body } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'c',
          namespace: 'ns',
          finalizers: live,
          managedFields: [
            {
              manager: MANAGER,
              operation: 'Apply',
              apiVersion: 'v1',
              fieldsType: 'FieldsV1',
              fieldsV1: {
                'f:metadata': {
                  'f:finalizers': Object.fromEntries(owned.map((v) => [`v:${JSON.stringify(v)}`, {}])),
                },
              },
            },
          ],
        },
      },
      MANAGER,
    );
  it('set lists (v:) match by value', () => {
    assert.equal(finalizers(['x/y'], ['x/y'], ['x/y']), true);
    assert.equal(finalizers(['x/y'], ['x/y', 'o/p'], ['x/y']), false);
    assert.equal(finalizers(['x/y'], ['x/y'], ['x/y', 'o/p']), false);
    assert.equal(finalizers(['x/z'], ['x/y'], ['x/y']), false);
  });
  const indexed = (b: unknown[], l: unknown[], owned: Record<string, unknown>): boolean =>
    provablyUnchanged(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, list: b },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'c',
          managedFields: [
            {
              manager: MANAGER,
              operation: 'Apply',
              apiVersion: 'v1',
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:list': owned },
            },
          ],
        },
        list: l,
      },
      MANAGER,
    );
  it('index members (i:) walk item by item', () => {
    assert.equal(indexed([{ a: 1 }], [{ a: 1, d: 0 }], { 'i:0': { 'f:a': {} } }), true);
    assert.equal(indexed([{ a: 1 }], [{ a: 2 }], { 'i:0': { 'f:a': {} } }), false);
    assert.equal(indexed([{ a: 1 }], [{ a: 1, b: 2 }], { 'i:0': { 'f:a': {}, 'f:b': {} } }), false);
    assert.equal(indexed([{ a: 1 }], [{ a: 1 }], { 'i:1': { 'f:a': {} } }), false);
  });
});
