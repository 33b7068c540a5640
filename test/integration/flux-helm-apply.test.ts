/**
 * HelmReleases in `apply --flux` and the cluster `diff --flux`, against the real
 * kube-apiserver (the kube component, with stand-in CRDs for the Flux kinds, since no Flux
 * controller runs there): the chart's objects are applied after their Kustomization, in
 * their own ApplySet, rendered for the cluster's Kubernetes version; a diff right after
 * finds them unchanged, the HelmRelease whose source is not in the repository counted
 * unknown; a chart version bump shows as the Deployment configured, from its HelmRelease.
 * `install.createNamespace` creates the namespace outside the release's ApplySet, a suspended
 * release is left alone, and a real `helm install` adopts what apply --flux created.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { applyCommand } from '../../src/commands/apply.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { openKubeClient } from '../../src/commands/open-kube-client.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient, KubeApiError, type KubeClient, type KubeObject } from '../../src/kube/client.ts';
import { collectionPath } from '../../src/kube/normalize.ts';
import { repoRoot } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { commandDeps } from '../support/command-deps.ts';
import { demoRelease, fluxHelmRepo } from '../support/flux-helm-repo.ts';
import { helmBinary } from '../support/helm.ts';
import { newAgeKey, tool, type AgeKey } from '../support/tools.ts';

const execFileAsync = promisify(execFile);
const PASSWORD = 'helm-apply-canary-0c41d2';
let key: AgeKey;
let kustomize: string;
let helm: string;
let chartRepo: Readonly<Record<string, string>>;
let kube: Readonly<Record<string, string>>;
let client: KubeClient;
let dir: string;

/** A CRD that stores any spec: enough for the apiserver to accept the Flux objects. */
function standInCrd(group: string, version: string, kind: string): KubeObject {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

before(async () => {
  key = await newAgeKey();
  kustomize = await tool('kustomize');
  helm = await helmBinary();
  chartRepo = await requireComponent('helm-repo');
  kube = await requireComponent('kube', 60 * 60_000);
  client = await createKubeClient({ kubeconfig: kube['kubeconfig'], env: {} });
  const setup = await applyObjects(client, [
    standInCrd('kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization'),
    standInCrd('source.toolkit.fluxcd.io', 'v1', 'HelmRepository'),
    standInCrd('helm.toolkit.fluxcd.io', 'v2', 'HelmRelease'),
    // The demo chart renders a ServiceMonitor only where the cluster serves the kind.
    standInCrd('monitoring.coreos.com', 'v1', 'ServiceMonitor'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
  ]);
  assert.equal(setup.ok, true, setup.error);
  dir = await fluxHelmRepo({ key, chartRepo, password: PASSWORD });
});

after(async () => {
  client.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(command: 'apply' | 'diff', extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = {
    path: path.join(dir, 'clusters/main'),
    flux: 'true',
    'age-key-file': key.file,
    'kustomize-path': kustomize,
    'helm-path': helm,
    'allow-remote': '127.0.0.1',
    kubeconfig: kube['kubeconfig'] ?? '',
    ...extra,
  };
  const env = { PATH: process.env['PATH'] ?? '', HOME: dir };
  const host = createMemoryHost();
  const deps = commandDeps(host, { kubeClient: openKubeClient });
  const code =
    command === 'apply'
      ? await applyCommand.run(
          applyCommand.parse((n) => inputs[n] ?? '', env, { stdoutIsLog: false }),
          deps,
        )
      : await diffCommand.run(
          diffCommand.parse((n) => inputs[n] ?? '', env, { stdoutIsLog: false }),
          deps,
        );
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  for (const text of [stdout, host.allText()]) {
    assert.ok(!text.includes(PASSWORD), 'a values Secret value leaked');
    assert.ok(!text.includes(Buffer.from(PASSWORD).toString('base64')), 'leaked in base64');
  }
  return { code, stdout, logs: host.logs.join('\n') };
}

async function live(kind: string, namespace: string, name: string): Promise<KubeObject> {
  const info = await client.resourceFor(kind === 'Deployment' ? 'apps/v1' : 'v1', kind);
  assert.ok(info);
  return (await client.request('GET', `${collectionPath(info, namespace)}/${name}`)).body as KubeObject;
}

test('apply --flux applies the chart objects after their Kustomization; a diff then finds them unchanged', async () => {
  const applied = await run('apply');
  assert.equal(applied.code, 0, applied.stdout);
  assert.match(
    applied.logs,
    /building HelmReleases with helm v4\.\d+.* for Kubernetes v1\.\d+\.\d+ and \d+ API versions \(the cluster's\)/,
  );
  const helmPart =
    applied.stdout.split('# HelmRelease apps/demo (Kustomization flux-system/apps)\n')[1] ?? '';
  assert.match(helmPart, /^Deployment\/apps\/demo created$/m);
  assert.match(helmPart, /^Secret\/apps\/demo-auth created$/m);
  // Rendered for the cluster's API versions: it serves ServiceMonitor.
  assert.match(helmPart, /^ServiceMonitor\/apps\/demo created$/m);
  assert.ok(
    applied.stdout.indexOf('# Kustomization flux-system/apps') <
      applied.stdout.indexOf('# HelmRelease apps/demo'),
    'the release is applied after its Kustomization',
  );
  assert.match(
    applied.stdout,
    /^not rendered {3}HelmRelease apps\/orphan: source HelmRepository flux-system\/elsewhere is not in this repository$/m,
  );
  const deployment = await live('Deployment', 'apps', 'demo');
  const labels = (deployment['metadata'] as { labels: Record<string, string> }).labels;
  assert.equal(labels['helm.toolkit.fluxcd.io/name'], 'demo');
  assert.equal(labels['helm.sh/chart'], 'demo-1.0.0');
  assert.equal(
    labels['applyset.kubernetes.io/part-of'] !== undefined,
    true,
    'a member of the release ApplySet',
  );
  assert.equal((deployment['spec'] as { replicas: number }).replicas, 2);

  const diffed = await run('diff');
  assert.equal(diffed.code, 0, diffed.stdout);
  assert.doesNotMatch(diffed.stdout, /^Deployment\/apps\/demo /m);
  assert.match(diffed.stdout, /^HelmRelease apps\/orphan unknown \(not rendered: /m);
  assert.match(
    diffed.stdout,
    /0 created, 0 configured, 0 deleted, \d+ unchanged, 0 skipped, 0 failed, 1 unknown\n/,
  );
  // The sets are Flux mode's own: an applyset input (which apply --flux does not use) changes nothing.
  const named = await run('diff', { applyset: 'not-used-with-flux' });
  assert.equal(named.code, 0, named.stdout);
});

test('a chart version bump: diff --flux shows the Deployment configured, apply --flux configures it', async () => {
  await writeFile(path.join(dir, 'apps/demo.yaml'), demoRelease('1.2.3'));
  const diffed = await run('diff');
  assert.equal(diffed.code, 1, diffed.stdout);
  assert.match(diffed.stdout, /^Deployment\/apps\/demo configured \(from HelmRelease apps\/demo\)$/m);
  assert.match(diffed.stdout, /^\+\s+helm\.sh\/chart: demo-1\.2\.3$/m);

  const applied = await run('apply');
  assert.equal(applied.code, 0, applied.stdout);
  const deployment = await live('Deployment', 'apps', 'demo');
  assert.equal(
    (deployment['metadata'] as { labels: Record<string, string> }).labels['helm.sh/chart'],
    'demo-1.2.3',
  );
});

test('createNamespace, suspend and adoption: apply --flux creates what helm would, and a real helm install adopts it', async () => {
  const spec = (name: string, extra: string): string =>
    demoRelease('1.0.0')
      .replace('name: demo\n', `name: ${name}\n`)
      .replace(/ {2}valuesFrom:\n(?: {4}.*\n)+/, '')
      .replace('replicaCount: 2', 'replicaCount: 1') + extra;
  await writeFile(
    path.join(dir, 'apps/web.yaml'),
    spec('web', '  targetNamespace: web\n  install:\n    createNamespace: true\n'),
  );
  await writeFile(path.join(dir, 'apps/paused.yaml'), spec('paused', '  suspend: true\n'));
  const applied = await run('apply');
  assert.equal(applied.code, 0, applied.stdout);
  assert.match(
    applied.stdout,
    /^not rendered {3}HelmRelease apps\/paused: suspended: spec\.suspend is true, so helm-controller does not reconcile it$/m,
  );

  // The Namespace as helm creates it, outside the release's ApplySet (helm never deletes it).
  const namespace = await live('Namespace', '', 'web');
  const nsLabels = (namespace['metadata'] as { labels: Record<string, string> }).labels;
  assert.equal(nsLabels['name'], 'web');
  assert.equal(nsLabels['applyset.kubernetes.io/part-of'], undefined);

  // helm's ownership metadata, so that helm adopts the objects.
  const deployment = await live('Deployment', 'web', 'web-web-demo');
  const metadata = deployment['metadata'] as {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  assert.equal(metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
  assert.equal(metadata.annotations['meta.helm.sh/release-name'], 'web-web');
  assert.equal(metadata.annotations['meta.helm.sh/release-namespace'], 'web');

  // Suspended: nothing of it applied.
  const deployments = await client.resourceFor('apps/v1', 'Deployment');
  assert.ok(deployments);
  await assert.rejects(
    client.request('GET', `${collectionPath(deployments, 'apps')}/paused-demo`),
    (error: unknown) => error instanceof KubeApiError && error.status === 404,
  );

  // What helm-controller's first install does: a real helm install of the same chart and
  // values over what apply --flux created. Without the ownership metadata helm refuses
  // ("invalid ownership metadata").
  const values = path.join(dir, 'web-values.yaml');
  await writeFile(values, 'replicaCount: 1\n');
  const installed = await execFileAsync(
    helm,
    [
      'install',
      'web-web',
      path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts', 'demo'),
      '--namespace',
      'web',
      '--values',
      values,
      '--kubeconfig',
      kube['kubeconfig'] ?? '',
    ],
    { env: { PATH: process.env['PATH'] ?? '', HOME: dir } },
  ).catch((error: unknown) => ({
    stdout: '',
    stderr: String((error as { stderr?: string }).stderr ?? error),
  }));
  assert.match(installed.stdout, /STATUS: deployed/, installed.stderr);
});
