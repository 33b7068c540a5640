/**
 * The no-change fast path against the real kube-apiserver: an object our managedFields prove
 * unchanged is neither dry-run nor written, and everything else still goes through the dry
 * run, so removed fields are removed and other managers' edits are undone.
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
import { diffObjects } from '../../src/kube/diff.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const NS = 'ksd-unchanged';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly dryRun: boolean;
}

/** A client that records every request it passes on. */
function counting(client: KubeClient): { client: KubeClient; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    client: {
      ...client,
      request(method, p, options = {}) {
        calls.push({ method, path: p, dryRun: options.query?.['dryRun'] !== undefined });
        return client.request(method, p, options);
      },
    },
  };
}

const writes = (calls: readonly Call[]): Call[] => calls.filter((c) => c.method !== 'GET' && !c.dryRun);
const dryRuns = (calls: readonly Call[]): Call[] => calls.filter((c) => c.dryRun);

function deployment(name: string, image = 'example/web:1'): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels, creationTimestamp: null },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image,
              // protocol (a key field) and many other fields are defaulted by the server
              ports: [{ containerPort: 8080 }],
              env: [{ name: 'A', value: '1' }],
              resources: { limits: { memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data };
}

describe('kube apply: unchanged objects are proven, not dry-run', () => {
  let info: Readonly<Record<string, string>>;
  let base: KubeClient;
  let dir: string;

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run(info['kubectl']!, ['--kubeconfig', info['kubeconfig']!, ...args], {
      env: { PATH: process.env['PATH'], HOME: dir },
    });
    return stdout;
  }
  async function getJson(kind: string, name: string): Promise<Record<string, unknown>> {
    return JSON.parse(await kubectl('get', kind, name, '-n', NS, '-o', 'json')) as Record<string, unknown>;
  }
  const rv = async (kind: string, name: string): Promise<string> =>
    ((await getJson(kind, name))['metadata'] as { resourceVersion: string }).resourceVersion;

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-unchanged-'));
    base = await createKubeClient({ kubeconfig: info['kubeconfig'], env: {} });
    const ns = await applyObjects(base, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
    assert.equal(ns.ok, true, ns.error);
  });
  after(() => {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-applies unchanged objects (server defaults included) with no dry run and no write, ApplySet parent included', async () => {
    const objects = [
      deployment('fast-1'),
      deployment('fast-2'),
      configMap('fast-cm', { a: '1' }),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'fast-secret', namespace: NS },
        stringData: { password: 'canary-unchanged-value' },
      },
    ];
    const options = { applySet: { name: 'fast-set', namespace: NS }, prune: true };
    const first = await applyObjects(base, objects, options);
    assert.equal(first.ok, true, first.error);
    const before = await rv('deployment', 'fast-1');

    const { client, calls } = counting(base);
    const again = await applyObjects(client, objects, options);
    assert.equal(again.ok, true, again.error);
    assert.deepEqual(
      again.objects.map((o) => o.status),
      ['unchanged', 'unchanged', 'unchanged', 'unchanged'],
    );
    assert.deepEqual(dryRuns(calls), []);
    assert.deepEqual(writes(calls), []);
    assert.equal(await rv('deployment', 'fast-1'), before);

    const diffCalls = counting(base);
    const diff = await diffObjects(diffCalls.client, objects, options);
    assert.equal(diff.changed, false);
    assert.deepEqual(dryRuns(diffCalls.calls), []);
  });

  it('still removes a field that was dropped from the body', async () => {
    assert.equal((await applyObjects(base, [configMap('dropped', { a: '1', b: '2' })])).ok, true);
    const { client, calls } = counting(base);
    const report = await applyObjects(client, [configMap('dropped', { a: '1' })]);
    assert.equal(report.ok, true, report.error);
    assert.equal(report.objects[0]?.status, 'configured');
    assert.equal(dryRuns(calls).length, 1);
    assert.deepEqual((await getJson('configmap', 'dropped'))['data'], { a: '1' });
  });

  it('still removes a container env var that was dropped from the body', async () => {
    const withTwo = deployment('env-drop');
    const container = (o: KubeObject): { env: { name: string; value: string }[] } =>
      (o['spec'] as { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } })
        .template.spec.containers[0]!;
    container(withTwo).env.push({ name: 'B', value: '2' });
    assert.equal((await applyObjects(base, [withTwo])).ok, true);
    const report = await applyObjects(base, [deployment('env-drop')]);
    assert.equal(report.objects[0]?.status, 'configured');
    assert.deepEqual(container(await getJson('deployment', 'env-drop')).env, [{ name: 'A', value: '1' }]);
  });

  it('restores a value another manager changed, with kubectl edit (Update) or a forced apply', async () => {
    assert.equal((await applyObjects(base, [deployment('drift')])).ok, true);
    await kubectl('set', 'image', 'deployment/drift', '-n', NS, 'web=example/web:edited');
    let report = await applyObjects(base, [deployment('drift')]);
    assert.equal(report.objects[0]?.status, 'configured');
    const image = async (): Promise<string> =>
      (
        (await getJson('deployment', 'drift'))['spec'] as {
          template: { spec: { containers: { image: string }[] } };
        }
      ).template.spec.containers[0]!.image;
    assert.equal(await image(), 'example/web:1');

    const other = `${JSON.stringify(configMap('drift-cm', { a: 'theirs' }))}\n`;
    assert.equal((await applyObjects(base, [configMap('drift-cm', { a: 'ours' })])).ok, true);
    const file = path.join(dir, 'other.json');
    writeFileSync(file, other);
    await kubectl(
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager',
      'someone-else',
      '-f',
      file,
    );
    report = await applyObjects(base, [configMap('drift-cm', { a: 'ours' })]);
    assert.equal(report.objects[0]?.status, 'configured');
    assert.deepEqual((await getJson('configmap', 'drift-cm'))['data'], { a: 'ours' });
  });

  it('names the server error of a new object, though its dry run asks for metadata only', async () => {
    const bad = { ...configMap('bad-new', {}), data: { k: 1 } } as KubeObject;
    const report = await applyObjects(base, [bad]);
    assert.equal(report.ok, false);
    const [result] = report.objects;
    assert.equal(result?.status, 'failed');
    assert.match(result.reason ?? '', /dry run failed: .*\.data\.k: expected string/);
    await assert.rejects(kubectl('get', 'configmap', 'bad-new', '-n', NS));
  });

  it('leaves a label another manager added, and stays unchanged', async () => {
    assert.equal((await applyObjects(base, [configMap('extra-label', { a: '1' })])).ok, true);
    await kubectl('label', 'configmap', 'extra-label', '-n', NS, 'team=theirs');
    const before = await rv('configmap', 'extra-label');
    const { client, calls } = counting(base);
    const report = await applyObjects(client, [configMap('extra-label', { a: '1' })]);
    assert.equal(report.objects[0]?.status, 'unchanged');
    assert.deepEqual(dryRuns(calls), []);
    assert.equal(await rv('configmap', 'extra-label'), before);
  });
});
