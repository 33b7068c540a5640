/**
 * Flux-mode discovery over small repositories built for each case: what it reports instead
 * of hanging or dropping (cycles, duplicates, missing paths, sources not in the repository,
 * dependsOn cycles and missing dependencies, substituteFrom nothing renders), what it waits
 * for (substituteFrom rendered by a later sibling), `--flux-source`, a file entry, and the
 * error for a SOPS file in a Kustomization without decryption.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { errorMessage } from '../../src/errors.ts';
import { discoverFlux, type DiscoverOptions } from '../../src/flux/discover.ts';
import { kustomizationId } from '../../src/flux/kustomization.ts';
import type { RenderDeps } from '../../src/flux/render.ts';
import { fluxRenderDeps } from '../support/flux.ts';

let deps: RenderDeps;
before(async () => {
  deps = await fluxRenderDeps();
});

async function repo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-flux-repo-'));
  await mkdir(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

function ks(name: string, spec: Record<string, unknown> = {}, namespace = 'flux-system'): string {
  return `${JSON.stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace },
    spec: {
      interval: '10m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      ...spec,
    },
  })}\n`;
}

function cm(name: string, data: Record<string, string> = { a: 'b' }, namespace = 'flux-system'): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data })}\n`;
}

async function discover(root: string, entry = 'clusters/c', extra: Partial<DiscoverOptions> = {}) {
  return discoverFlux({ entry: path.join(root, entry), repoRoot: root, ...extra }, deps);
}

const ids = (list: readonly { kustomization: { namespace: string; name: string } }[]): string[] =>
  list.map((r) => kustomizationId(r.kustomization));

test('a Kustomization that renders its ancestor is a cycle, reported once', async () => {
  const root = await repo({
    'clusters/c/a.yaml': ks('a', { path: './a' }),
    'a/b.yaml': ks('b', { path: './b' }),
    'b/a.yaml': ks('a', { path: './a' }),
  });
  const d = await discover(root);
  assert.deepEqual(ids(d.rendered), ['flux-system/flux-system', 'flux-system/a', 'flux-system/b']);
  assert.deepEqual(
    d.findings.map((f) => [f.kind, f.kustomization]),
    [['cycle', 'flux-system/a']],
  );
  assert.match(d.findings[0]?.message ?? '', /flux-system\/a -> flux-system\/b -> flux-system\/a/);
});

test('a name defined twice is reported with both places; the first is used', async () => {
  const root = await repo({
    'clusters/c/parents.yaml': [ks('p1', { path: './one' }), ks('p2', { path: './two' })].join('---\n'),
    'one/x.yaml': ks('x', { path: './p' }),
    'two/x.yaml': ks('x', { path: './q' }),
    'p/cm.yaml': cm('from-p'),
    'q/cm.yaml': cm('from-q'),
  });
  const d = await discover(root);
  assert.deepEqual(
    d.findings.map((f) => f.kind),
    ['duplicate'],
  );
  assert.match(
    d.findings[0]?.message ?? '',
    /defined twice: in Kustomization flux-system\/p1 and in Kustomization flux-system\/p2/,
  );
  const x = d.rendered.find((r) => r.kustomization.name === 'x');
  assert.equal(x?.kustomization.path, './p');
});

test('missing paths, sources elsewhere, dependsOn problems: all reported, none dropped', async () => {
  const root = await repo({
    'clusters/c/m.yaml': ks('missing', { path: './nope' }),
    'clusters/c/o.yaml': ks('oci', { path: './', sourceRef: { kind: 'OCIRepository', name: 'charts' } }),
    'clusters/c/a.yaml': ks('a', { path: './a', dependsOn: [{ name: 'b' }, { name: 'ghost' }] }),
    'clusters/c/b.yaml': ks('b', { path: './a', dependsOn: [{ name: 'a' }] }),
    'a/cm.yaml': cm('a'),
  });
  const d = await discover(root);
  const byKind = Object.fromEntries(d.findings.map((f) => [f.kind, f]));
  assert.match(
    byKind['missing-path']?.message ?? '',
    /flux-system\/missing .*spec.path "\.\/nope" does not exist/,
  );
  assert.match(
    byKind['not-rendered']?.message ?? '',
    /not rendered: source OCIRepository flux-system\/charts is not in this repository/,
  );
  assert.match(byKind['missing-dependency']?.message ?? '', /depends on flux-system\/ghost/);
  assert.match(
    byKind['dependency-cycle']?.message ?? '',
    /cycle: flux-system\/a -> flux-system\/b -> flux-system\/a/,
  );
  assert.deepEqual(ids(d.notRendered).sort(), ['flux-system/missing', 'flux-system/oci']);
});

test('substituteFrom waits for a later sibling, and names what nothing renders', async () => {
  const root = await repo({
    'clusters/c/a-consumer.yaml': ks('consumer', {
      path: './consumer',
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'settings' }] },
    }),
    'clusters/c/z-producer.yaml': ks('producer', { path: './producer' }),
    'clusters/c/lost.yaml': ks('lost', {
      path: './consumer',
      postBuild: { substituteFrom: [{ kind: 'Secret', name: 'nowhere' }] },
    }),
    'clusters/c/optional.yaml': ks('optional', {
      path: './consumer',
      postBuild: { substituteFrom: [{ kind: 'Secret', name: 'nowhere', optional: true }] },
    }),
    'producer/settings.yaml': cm('settings', { GREETING: 'hello' }),
    'consumer/cm.yaml': cm('consumer', { text: '${GREETING:=unset}' }),
  });
  const d = await discover(root);
  const data = (name: string) =>
    d.rendered.find((r) => r.kustomization.name === name)?.objects.find((o) => o['kind'] === 'ConfigMap')?.[
      'data'
    ];
  assert.deepEqual(data('consumer'), { text: 'hello' });
  // Optional and absent: no variables at all, so Flux does not substitute (the default stays).
  assert.deepEqual(data('optional'), { text: '${GREETING:=unset}' });
  assert.deepEqual(ids(d.notRendered), ['flux-system/lost']);
  assert.match(
    d.notRendered[0]?.reason ?? '',
    /Secret flux-system\/nowhere, which no Kustomization or --substitute-from file/,
  );
});

test('--flux-source maps another repository; a file entry lists its Kustomizations', async () => {
  const other = await repo({ 'deploy/cm.yaml': cm('from-other', { a: 'b' }, 'apps') });
  const root = await repo({
    'clusters/c/ks.yaml': [
      ks('tenant', { path: './deploy', sourceRef: { kind: 'GitRepository', name: 'tenant-repo' } }, 'apps'),
      ks('local', { path: './local' }),
    ].join('---\n'),
    'local/cm.yaml': cm('local'),
  });
  const d = await discover(root, 'clusters/c/ks.yaml', {
    sources: new Map([['GitRepository/apps/tenant-repo', other]]),
  });
  assert.deepEqual(ids(d.rendered), ['apps/tenant', 'flux-system/local']);
  const tenant = d.rendered[0]?.objects[0]?.['metadata'] as { labels?: unknown } | undefined;
  assert.deepEqual(tenant?.labels, {
    'kustomize.toolkit.fluxcd.io/name': 'tenant',
    'kustomize.toolkit.fluxcd.io/namespace': 'apps',
  });
});

test('a SOPS file in a Kustomization without decryption is an error naming both', async () => {
  const root = await repo({
    'clusters/c/app.yaml': ks('app', { path: './app' }),
    'app/secret.sops.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  k: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  version: 3.9.0\n',
  });
  await assert.rejects(discover(root), (e) =>
    /Kustomization flux-system\/app renders app\/secret\.sops\.yaml, which is SOPS-encrypted, but has no spec\.decryption\.provider: sops/.test(
      errorMessage(e),
    ),
  );
});
