/**
 * Staged server-side apply and diff against the real kube-apiserver from test/env.
 * There is no scheduler or kubelet: readiness tests patch the status subresource themselves.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import type { KubeClient, KubeObject } from '../../src/kube/client.ts';
import { diffObjects, renderDiffText } from '../../src/kube/diff.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const NS = 'ksd-apply';

function configMap(name: string, data: Record<string, string>, namespace = NS): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function status(report: {
  objects: readonly { ref: { kind: string; name: string }; status?: string; class?: string }[];
}): Record<string, string> {
  return Object.fromEntries(
    report.objects.map((o) => [`${o.ref.kind}/${o.ref.name}`, o.status ?? o.class ?? '']),
  );
}

describe('kube apply and diff', () => {
  let info: Readonly<Record<string, string>>;
  let client: KubeClient;
  let dir: string;

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run(info['kubectl']!, ['--kubeconfig', info['kubeconfig']!, ...args], {
      env: { PATH: process.env['PATH'], HOME: dir },
    });
    return stdout;
  }

  async function get(kind: string, name: string, namespace = NS): Promise<KubeObject> {
    return JSON.parse(
      await kubectl('get', kind, name, '-n', namespace, '-o', 'json', '--show-managed-fields'),
    ) as KubeObject;
  }

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-apply-'));
    client = await createKubeClient({ kubeconfig: info['kubeconfig'], env: {} });
  });
  after(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, then leaves unchanged, then configures', async () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
    const first = await applyObjects(client, [ns, configMap('settings', { a: '1' })]);
    assert.equal(first.ok, true, first.error);
    assert.deepEqual(status(first), { 'Namespace/ksd-apply': 'created', 'ConfigMap/settings': 'created' });

    const live = await get('configmap', 'settings');
    const rv = (live['metadata'] as { resourceVersion: string }).resourceVersion;
    const second = await applyObjects(client, [ns, configMap('settings', { a: '1' })]);
    assert.deepEqual(status(second), {
      'Namespace/ksd-apply': 'unchanged',
      'ConfigMap/settings': 'unchanged',
    });
    assert.equal(
      ((await get('configmap', 'settings'))['metadata'] as { resourceVersion: string }).resourceVersion,
      rv,
      'no write',
    );

    const diff = await diffObjects(client, [ns, configMap('settings', { a: '2' })]);
    assert.equal(diff.changed, true);
    assert.equal(diff.counts.configured, 1);
    assert.match(renderDiffText(diff), /^- {2}a: "1"$/m);
    assert.match(renderDiffText(diff), /^\+ {2}a: "2"$/m);

    const third = await applyObjects(client, [ns, configMap('settings', { a: '2' })]);
    assert.equal(third.counts.configured, 1);
    assert.deepEqual((await get('configmap', 'settings'))['data'], { a: '2' });
    const unchanged = await diffObjects(client, [ns, configMap('settings', { a: '2' })]);
    assert.equal(unchanged.changed, false);
  });

  it('diffs a new namespace and its objects as created, without an error', async () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ksd-fresh' } };
    const report = await diffObjects(client, [ns, configMap('x', { k: 'v' }, 'ksd-fresh')]);
    assert.deepEqual(status(report), { 'Namespace/ksd-fresh': 'created', 'ConfigMap/x': 'created' });
    assert.match(renderDiffText(report), /^\+ {2}k: v$/m);
    await assert.rejects(kubectl('get', 'namespace', 'ksd-fresh'));
  });

  it('applies a CRD and its custom resources in one go, and diffs them first as created', async () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.ksd.example.com' },
      spec: {
        group: 'ksd.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    };
    const widget: KubeObject = {
      apiVersion: 'ksd.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: NS },
      spec: { size: 3 },
    };
    const diff = await diffObjects(client, [crd, widget]);
    assert.deepEqual(status(diff), {
      'CustomResourceDefinition/widgets.ksd.example.com': 'created',
      'Widget/w1': 'created',
    });
    const report = await applyObjects(client, [widget, crd]);
    assert.equal(report.ok, true, report.error);
    assert.deepEqual(status(report), {
      'CustomResourceDefinition/widgets.ksd.example.com': 'created',
      'Widget/w1': 'created',
    });
    assert.deepEqual((await get('widget', 'w1'))['spec'], { size: 3 });
  });

  it('names an immutable field and suggests --force, and recreates with force', async () => {
    const job = (image: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: NS },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } } },
    });
    assert.equal((await applyObjects(client, [job('registry.invalid/a:1')])).ok, true);
    const refused = await applyObjects(client, [
      job('registry.invalid/a:2'),
      configMap('beside-job', { x: '1' }),
    ]);
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /spec\.template.*immutable.*--force/);
    assert.deepEqual(status(refused), { 'Job/once': 'failed', 'ConfigMap/beside-job': 'not-applied' });
    await assert.rejects(
      kubectl('get', 'configmap', 'beside-job', '-n', NS),
      'nothing in the stage was written',
    );

    const forced = await applyObjects(client, [job('registry.invalid/a:2')], { force: true });
    assert.equal(forced.ok, true, forced.error);
    assert.equal(status(forced)['Job/once'], 'recreated');
    const live = await get('job', 'once');
    assert.equal(
      (live['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0]?.image,
      'registry.invalid/a:2',
    );
  });

  it('takes over a field another manager set', async () => {
    await kubectl('create', 'configmap', 'shared', '-n', NS, '--from-literal=k=theirs');
    await kubectl(
      'patch',
      'configmap',
      'shared',
      '-n',
      NS,
      '--field-manager=someone-else',
      '--type=merge',
      '-p',
      '{"data":{"k":"theirs2"}}',
    );
    const report = await applyObjects(client, [configMap('shared', { k: 'ours' })]);
    assert.equal(report.ok, true, report.error);
    const live = await get('configmap', 'shared');
    assert.deepEqual(live['data'], { k: 'ours' });
  });

  it('takes over fields from client-side kubectl apply, so removed keys are removed', async () => {
    const file = path.join(dir, 'csa.json');
    writeFileSync(file, JSON.stringify(configMap('csa', { keep: '1', drop: '2' })));
    await kubectl('apply', '-f', file);
    const before = await get('configmap', 'csa');
    const managers = (before['metadata'] as { managedFields: { manager: string }[] }).managedFields.map(
      (m) => m.manager,
    );
    assert.ok(managers.includes('kubectl-client-side-apply'), managers.join(','));
    const report = await applyObjects(client, [configMap('csa', { keep: '1' })]);
    assert.equal(report.ok, true, report.error);
    const live = await get('configmap', 'csa');
    assert.deepEqual(live['data'], { keep: '1' });
    const after = (live['metadata'] as { managedFields: { manager: string }[] }).managedFields.map(
      (m) => m.manager,
    );
    assert.ok(!after.includes('kubectl-client-side-apply'), after.join(','));
    assert.equal((await applyObjects(client, [configMap('csa', { keep: '1' })])).counts.unchanged, 1);
  });

  it('honours ssa: Ignore, ssa: IfNotPresent and reconcile: disabled', async () => {
    const annotated = (name: string, key: string, value: string, data: string): KubeObject => ({
      ...configMap(name, { v: data }),
      metadata: { name, namespace: NS, annotations: { [key]: value } },
    });
    await applyObjects(client, [annotated('ifnp', 'kustomize.toolkit.fluxcd.io/ssa', 'IfNotPresent', '1')]);
    const report = await applyObjects(client, [
      annotated('ifnp', 'kustomize.toolkit.fluxcd.io/ssa', 'IfNotPresent', '2'),
      annotated('ign', 'kustomize.toolkit.fluxcd.io/ssa', 'Ignore', '1'),
      annotated('off', 'kustomize.toolkit.fluxcd.io/reconcile', 'disabled', '1'),
    ]);
    assert.deepEqual(status(report), {
      'ConfigMap/ifnp': 'skipped',
      'ConfigMap/ign': 'skipped',
      'ConfigMap/off': 'skipped',
    });
    assert.deepEqual((await get('configmap', 'ifnp'))['data'], { v: '1' });
    await assert.rejects(kubectl('get', 'configmap', 'ign', '-n', NS));
  });
});
