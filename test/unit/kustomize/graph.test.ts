import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { errorMessage, type UserError } from '../../../src/errors.ts';
import { formatForRole, parseFileSource, walkGraph } from '../../../src/kustomize/graph.ts';
import { parseRemotePolicy, type ResolveHost } from '../../../src/kustomize/remote-policy.ts';

/** A resolver double (no test depends on the network): these names have public addresses. */
const publicDns: ResolveHost = (host) =>
  ['example.com', 'github.com', 'raw.githubusercontent.com'].includes(host)
    ? Promise.resolve(['93.184.216.34'])
    : Promise.reject(new Error('ENOTFOUND'));

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-graph-'));
  await mkdir(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const fieldCases: { field: string; kustomization: string; expect: string }[] = [
  { field: 'resources (file)', kustomization: 'resources: [a.yaml]', expect: 'app/a.yaml' },
  { field: 'resources (dir)', kustomization: 'resources: [sub]', expect: 'app/sub/b.yaml' },
  { field: 'bases', kustomization: 'bases: [sub]', expect: 'app/sub/kustomization.yaml' },
  { field: 'components', kustomization: 'components: [sub]', expect: 'app/sub/b.yaml' },
  {
    field: 'secretGenerator files key=path',
    kustomization: 'secretGenerator: [{name: s, files: [k.json=f.enc]}]',
    expect: 'app/f.enc',
  },
  {
    field: 'configMapGenerator envs',
    kustomization: 'configMapGenerator: [{name: c, envs: [e.env]}]',
    expect: 'app/e.env',
  },
  { field: 'patches path', kustomization: 'patches: [{path: p.yaml}]', expect: 'app/p.yaml' },
  { field: 'patchesStrategicMerge', kustomization: 'patchesStrategicMerge: [p.yaml]', expect: 'app/p.yaml' },
  {
    field: 'patchesJson6902',
    kustomization: 'patchesJson6902: [{path: p.yaml, target: {kind: X, name: y}}]',
    expect: 'app/p.yaml',
  },
  { field: 'crds', kustomization: 'crds: [c.json]', expect: 'app/c.json' },
  { field: 'openapi.path', kustomization: 'openapi: {path: c.json}', expect: 'app/c.json' },
  { field: 'configurations', kustomization: 'configurations: [a.yaml]', expect: 'app/a.yaml' },
  { field: 'replacements', kustomization: 'replacements: [{path: a.yaml}]', expect: 'app/a.yaml' },
  { field: 'transformers', kustomization: 'transformers: [a.yaml]', expect: 'app/a.yaml' },
  { field: 'generators', kustomization: 'generators: [sub]', expect: 'app/sub/b.yaml' },
  { field: 'validators', kustomization: 'validators: [a.yaml]', expect: 'app/a.yaml' },
  {
    field: 'helmCharts valuesFile',
    kustomization: 'helmCharts: [{name: x, valuesFile: v.yaml}]',
    expect: 'app/v.yaml',
  },
  {
    field: 'helmCharts additionalValuesFiles',
    kustomization: 'helmCharts: [{name: x, additionalValuesFiles: [v.yaml]}]',
    expect: 'app/v.yaml',
  },
  {
    field: 'helm chartHome',
    kustomization: 'helmGlobals: {chartHome: mycharts}\nhelmCharts: [{name: x}]',
    expect: 'app/mycharts/x/Chart.yaml',
  },
];

const common = {
  'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  'app/sub/kustomization.yaml': 'resources: [b.yaml]\n',
  'app/sub/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
  'app/f.enc': '{}',
  'app/e.env': 'A=1\n',
  'app/p.yaml': 'x: 1\n',
  'app/c.json': '{}',
  'app/v.yaml': 'a: 1\n',
  'app/mycharts/x/Chart.yaml': 'name: x\n',
  'outside.yaml': 'a: 1\n',
};

for (const { field, kustomization, expect } of fieldCases) {
  test(`the graph follows ${field}`, async () => {
    const root = await tree({ ...common, 'app/kustomization.yaml': `${kustomization}\n` });
    const graph = await walkGraph(path.join(root, 'app'));
    assert.ok(graph.files.has(expect), `${expect} in ${[...graph.files.keys()].join(', ')}`);
    assert.equal(graph.files.has('outside.yaml'), false);
  });
}

test('generator files take the format from the key, env files are dotenv', async () => {
  const root = await tree({
    ...common,
    'app/kustomization.yaml': 'secretGenerator: [{name: s, files: [k.json=f.enc, e.env], envs: [f.enc]}]\n',
  });
  const graph = await walkGraph(path.join(root, 'app'));
  assert.equal(formatForRole(graph.files.get('app/f.enc')!), 'json');
  assert.equal(formatForRole(graph.files.get('app/e.env')!), 'dotenv');
  assert.deepEqual(parseFileSource('a/b.txt'), { key: 'b.txt', file: 'a/b.txt' });
});

const escapes: {
  name: string;
  files: Record<string, string>;
  link?: [string, string];
  message: RegExp;
  code: string;
}[] = [
  {
    name: '.. in resources',
    files: { 'app/kustomization.yaml': 'resources: [../../etc/passwd]\n' },
    message: /app\/kustomization\.yaml: resources "\.\.\/\.\.\/etc\/passwd" leaves the repository root/,
    code: 'PATH_ESCAPE',
  },
  {
    name: '.. in a generator',
    files: { 'app/kustomization.yaml': 'secretGenerator: [{name: s, files: [k=../../../x]}]\n' },
    message: /secretGenerator files "\.\.\/\.\.\/\.\.\/x" leaves/,
    code: 'PATH_ESCAPE',
  },
  {
    name: 'a symlink out',
    files: { 'app/kustomization.yaml': 'resources: [link.yaml]\n' },
    link: ['/etc/hostname', 'app/link.yaml'],
    message: /resources "link\.yaml" is a symlink that leaves/,
    code: 'PATH_ESCAPE',
  },
  {
    name: 'a missing file',
    files: { 'app/kustomization.yaml': 'patches: [{path: nope.yaml}]\n' },
    message: /app\/kustomization\.yaml: patches "nope\.yaml" does not exist/,
    code: 'FILE_NOT_FOUND',
  },
];
for (const c of escapes) {
  test(`the graph refuses ${c.name}`, async () => {
    const root = await tree(c.files);
    if (c.link !== undefined) await symlink(c.link[0], path.join(root, c.link[1]));
    await assert.rejects(walkGraph(path.join(root, 'app')), (error: unknown) => {
      assert.match(errorMessage(error), c.message);
      assert.equal((error as UserError).code, c.code);
      return true;
    });
  });
}

test('remote resources pass through, a directory of plain manifests gets a kustomization', async () => {
  const root = await tree({
    'app/kustomization.yaml': 'resources: [https://example.com/x.yaml, github.com/org/repo//dir?ref=v1]\n',
    'plain/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'plain/values.yaml': 'replicas: 2\n',
  });
  const graph = await walkGraph(path.join(root, 'app'), { resolveHost: publicDns });
  assert.deepEqual(graph.remote, ['https://example.com/x.yaml', 'github.com/org/repo//dir?ref=v1']);
  const plain = await walkGraph(path.join(root, 'plain'));
  const generated = plain.generated.get('plain/kustomization.yaml') ?? '';
  assert.match(generated, /- "a\.yaml"/);
  assert.doesNotMatch(generated, /values\.yaml/);
});

// Issue 13 §3: nothing outside the repository, no requests to the runner's own network.
const refusedRemotes: { name: string; kustomization: string; message: RegExp; policy?: string }[] = [
  {
    name: 'a file:// resource',
    kustomization: 'resources: [file:///etc/kubernetes/admin.yaml]',
    message:
      /resources "file:\/\/\/etc\/kubernetes\/admin\.yaml" is refused: file:\/\/ reads outside the repository/,
  },
  {
    name: 'a git::file:// resource',
    kustomization: 'resources: ["git::file:///home/runner/work/other"]',
    message: /is refused: file:\/\/ reads outside the repository/,
  },
  {
    name: 'a plain http resource on loopback',
    kustomization: 'resources: [http://127.0.0.1:8080/x.yaml]',
    message: /resources "http:\/\/127\.0\.0\.1:8080\/x\.yaml" is refused: plain http is not allowed/,
  },
  {
    name: 'an https resource on loopback',
    kustomization: 'resources: [https://127.0.0.1:8443/x.yaml]',
    message: /is refused: 127\.0\.0\.1 is a loopback address/,
  },
  {
    name: 'the cloud metadata address as a generator file',
    kustomization: 'configMapGenerator: [{name: c, files: [meta=https://169.254.169.254/latest/meta-data]}]',
    message:
      /configMapGenerator files "https:\/\/169\.254\.169\.254\/latest\/meta-data" is refused: 169\.254\.169\.254 is a link-local address/,
  },
  {
    name: 'any remote resource under allow-remote none',
    kustomization: 'resources: [https://github.com/org/repo//deploy?ref=v1]',
    message: /is refused: remote resources are not allowed \(allow-remote: none\)/,
    policy: 'none',
  },
  {
    name: 'a host missing from the allow-remote list',
    kustomization: 'resources: [https://example.com/x.yaml]',
    message: /is refused: example\.com is not in allow-remote \(github\.com\)/,
    policy: 'github.com',
  },
];
for (const c of refusedRemotes) {
  test(`the graph refuses ${c.name}`, async () => {
    const root = await tree({ 'app/kustomization.yaml': `${c.kustomization}\n` });
    const options = {
      resolveHost: publicDns,
      ...(c.policy === undefined ? {} : { remotePolicy: parseRemotePolicy(c.policy) }),
    };
    await assert.rejects(walkGraph(path.join(root, 'app'), options), (error: unknown) => {
      assert.match(errorMessage(error), c.message);
      assert.equal((error as UserError).code, 'PATH_ESCAPE');
      return true;
    });
  });
}

test('a remote generator file on a public host is left to kustomize, like a remote resource', async () => {
  const root = await tree({
    'app/kustomization.yaml':
      'configMapGenerator: [{name: dashboards, files: [node.json=https://raw.githubusercontent.com/org/repo/main/node.json]}]\n',
  });
  const graph = await walkGraph(path.join(root, 'app'), { resolveHost: publicDns });
  assert.deepEqual(graph.remote, ['https://raw.githubusercontent.com/org/repo/main/node.json']);
  assert.deepEqual([...graph.files.keys()], ['app/kustomization.yaml']);
});

test('.git/ is never readable through a kustomization field, directly or through a symlink', async () => {
  // actions/checkout keeps an AUTHORIZATION header in .git/config.
  const cases: { kustomization: string; link?: [string, string] }[] = [
    { kustomization: 'configMapGenerator: [{name: c, files: [.git/config]}]' },
    { kustomization: 'secretGenerator: [{name: s, envs: [.git/config]}]' },
    { kustomization: 'resources: [.git]' },
    { kustomization: 'configMapGenerator: [{name: c, files: [cfg=link]}]', link: ['.git/config', 'link'] },
  ];
  for (const c of cases) {
    const root = await tree({
      'kustomization.yaml': `${c.kustomization}\n`,
      '.git/config':
        '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW4=\n',
    });
    if (c.link !== undefined) await symlink(c.link[0], path.join(root, c.link[1]));
    await assert.rejects(walkGraph(root), (error: unknown) => {
      assert.match(errorMessage(error), /is inside \.git\/, which is never read/, c.kustomization);
      assert.equal((error as UserError).code, 'PATH_ESCAPE');
      return true;
    });
  }
});

test('bounded reads: a plain-manifest link to /dev/zero, a FIFO, are refused before reading', async () => {
  // Issue 13 §4: zero.yaml -> /dev/zero was read until memory ran out.
  const root = await tree({ 'plain/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
  await symlink('/dev/zero', path.join(root, 'plain', 'zero.yaml'));
  await assert.rejects(walkGraph(path.join(root, 'plain')), (error: unknown) => {
    assert.equal(errorMessage(error), 'zero.yaml is outside the repository');
    return true;
  });
  const fifoRoot = await tree({ 'app/kustomization.yaml': 'resources: [pipe.yaml]\n' });
  execFileSync('mkfifo', [path.join(fifoRoot, 'app', 'pipe.yaml')]);
  await assert.rejects(walkGraph(path.join(fifoRoot, 'app')), (error: unknown) => {
    assert.match(errorMessage(error), /resources "pipe\.yaml" is not a regular file/);
    return true;
  });
});
