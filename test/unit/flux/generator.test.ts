import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { errorMessage } from '../../../src/errors.ts';
import { generateKustomization, isIgnoredBySource, scanManifests } from '../../../src/flux/generator.ts';
import { tree } from './tree.ts';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

test('scanManifests lists .yaml/.yml files in walk order and stops at kustomization folders', async () => {
  const dir = await tree({
    'b.yaml': CM,
    'a.yml': CM,
    'c.json': '{}',
    'notes.txt': 'x',
    'sub/d.yaml': CM,
    'sub/deeper/e.yaml': CM,
    'kdir/kustomization.yaml': 'resources: []\n',
    'kdir/f.yaml': CM,
    '.hidden.yaml': CM,
    '.sops.yaml': 'creation_rules: []\n',
    '.github/workflows/ci.yaml': 'on: push\n',
    'empty.yaml': '',
  });
  assert.deepEqual(await scanManifests(dir), [
    './.hidden.yaml',
    './a.yml',
    './b.yaml',
    './empty.yaml',
    './kdir',
    './sub/d.yaml',
    './sub/deeper/e.yaml',
  ]);
});

test('scanManifests fails on a YAML file that does not parse, naming it', async () => {
  const dir = await tree({ 'bad.yaml': 'a: [\n' });
  await assert.rejects(scanManifests(dir), (e) =>
    /failed to decode Kubernetes YAML from .*bad\.yaml/.test(errorMessage(e)),
  );
});

test('scanManifests refuses what Flux refuses: objects without metadata, kind or name', async () => {
  const cases: [string, RegExp | undefined][] = [
    ['foo: bar\n', /missing Resource metadata/],
    ['metadata: {name: x}\n', /missing kind/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /missing metadata.name/],
    ['x: 1\n---\n' + CM, /missing Resource metadata/],
    ['apiVersion: v1\nkind: List\nitems: []\n', undefined],
    ['# only a comment\n', undefined],
  ];
  for (const [content, expected] of cases) {
    const dir = await tree({ 't.yaml': content });
    if (expected === undefined) assert.deepEqual(await scanManifests(dir), ['./t.yaml']);
    else await assert.rejects(scanManifests(dir), (e) => expected.test(errorMessage(e)), content);
  }
});

test('isIgnoredBySource follows source-controller defaults', () => {
  const cases: [string, boolean, boolean][] = [
    ['.git', true, true],
    ['.github', true, true],
    ['.github', false, false],
    ['.sops.yaml', false, true],
    ['.gitlab-ci.yml', false, true],
    ['app.yaml', false, false],
  ];
  for (const [name, isDir, expected] of cases) assert.equal(isIgnoredBySource(name, isDir), expected, name);
});

const specCases: {
  name: string;
  files: Record<string, string>;
  spec: Record<string, unknown>;
  expect: Record<string, unknown>;
}[] = [
  {
    name: 'generated with resources',
    files: { 'a.yaml': CM },
    spec: {},
    expect: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['./a.yaml'] },
  },
  {
    name: 'generated empty gets the placeholder namespace',
    files: { 'README.md': '#' },
    spec: {},
    expect: {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: '_placeholder',
    },
  },
  {
    name: 'existing without resources gets originAnnotations',
    files: { 'kustomization.yaml': 'components: [c]\n', 'c/kustomization.yaml': 'kind: Component\n' },
    spec: {},
    expect: {
      components: ['c'],
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      buildMetadata: ['originAnnotations'],
    },
  },
  {
    name: 'spec fields on top of an existing file',
    files: {
      'kustomization.yaml':
        'resources: [a.yaml]\nnamespace: old\nimages: [{name: nginx, newTag: "1", digest: sha256:x}]\n',
      'a.yaml': CM,
      'comp/kustomization.yaml': 'kind: Component\n',
    },
    spec: {
      targetNamespace: 'apps',
      namePrefix: 'p-',
      nameSuffix: '-s',
      components: ['comp', 'missing'],
      ignoreMissingComponents: true,
      patches: [{ patch: 'x', target: { kind: 'Deployment', name: 'd', group: '' } }, { patch: 'y' }],
      images: [
        { name: 'nginx', newTag: '2' },
        { name: 'redis', newName: 'r', digest: 'sha256:y' },
      ],
    },
    expect: {
      resources: ['a.yaml'],
      namespace: 'apps',
      images: [
        { name: 'nginx', newTag: '2' },
        { name: 'redis', newName: 'r', digest: 'sha256:y' },
      ],
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namePrefix: 'p-',
      nameSuffix: '-s',
      patches: [{ patch: 'x', target: { kind: 'Deployment', name: 'd' } }, { patch: 'y' }],
      components: ['comp'],
    },
  },
];

for (const c of specCases) {
  test(`generateKustomization: ${c.name}`, async () => {
    const dir = await tree(c.files);
    const generated = await generateKustomization(dir, c.spec, 'Kustomization t/t');
    assert.deepEqual(parse(generated.content), c.expect);
  });
}

test('generateKustomization writes over a kustomization.yml under its own name', async () => {
  const dir = await tree({ 'kustomization.yml': 'resources: [a.yaml]\n', 'a.yaml': CM });
  const generated = await generateKustomization(dir, { targetNamespace: 'x' }, 'k');
  assert.equal(generated.fileName, 'kustomization.yml');
  assert.equal(generated.created, false);
});

test('generateKustomization refuses a remote or absolute component', async () => {
  const dir = await tree({ 'a.yaml': CM });
  for (const component of ['https://example.com/c', path.join(dir, 'c')]) {
    await assert.rejects(generateKustomization(dir, { components: [component] }, 'Kustomization t/t'), (e) =>
      errorMessage(e).includes('must be local and relative'),
    );
  }
});
