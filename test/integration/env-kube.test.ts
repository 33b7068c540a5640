/**
 * The kube component is a working control plane: kubectl (same release) reaches the
 * apiserver through the admin kubeconfig, server-side apply works, and the controller
 * manager runs (Deployments get ReplicaSets, deleted namespaces finalize).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const NAMESPACE = 'ksd-env-kube';

interface KubeObject {
  readonly metadata: {
    readonly name: string;
    readonly managedFields?: readonly { manager: string; operation: string }[];
    readonly ownerReferences?: readonly { kind: string; name: string }[];
  };
  readonly data?: Readonly<Record<string, string>>;
  readonly status?: { readonly phase?: string };
}

describe('kube component', () => {
  let info: Readonly<Record<string, string>>;
  let dir: string;

  /** kubectl with only the admin kubeconfig, never the user's own. */
  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run(info['kubectl']!, ['--kubeconfig', info['kubeconfig']!, ...args], {
      env: { PATH: process.env['PATH'], HOME: dir },
    });
    return stdout;
  }

  function manifest(name: string, objects: readonly unknown[]): string {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    return file;
  }

  before(async () => {
    // A cold machine builds the whole control plane first.
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-env-kube-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the pinned release to the kubectl of the same release', async () => {
    const version = JSON.parse(await kubectl('version', '-o', 'json')) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    assert.equal(version.serverVersion.gitVersion, info['version']);
    assert.equal(version.clientVersion.gitVersion, info['version']);
  });

  it('server-side applies a Namespace and a ConfigMap, and kubectl get returns them', async () => {
    const file = manifest('config', [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: NAMESPACE },
        data: { greeting: 'hello' },
      },
    ]);
    const applied = await kubectl('apply', '--server-side', '--field-manager=ksd-test', '-f', file);
    assert.match(applied, /namespace\/ksd-env-kube serverside-applied/);
    assert.match(applied, /configmap\/settings serverside-applied/);

    const namespace = JSON.parse(await kubectl('get', 'namespace', NAMESPACE, '-o', 'json')) as KubeObject;
    assert.equal(namespace.status?.phase, 'Active');
    const configMap = JSON.parse(
      await kubectl('get', 'configmap', 'settings', '-n', NAMESPACE, '--show-managed-fields', '-o', 'json'),
    ) as KubeObject;
    assert.deepEqual(configMap.data, { greeting: 'hello' });
    assert.ok(
      configMap.metadata.managedFields?.some((f) => f.manager === 'ksd-test' && f.operation === 'Apply'),
      'the ConfigMap should be owned by the ksd-test apply manager',
    );
  });

  it('runs the controller manager: a Deployment gets a ReplicaSet', async () => {
    const file = manifest('deployment', [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: NAMESPACE },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1' }] },
          },
        },
      },
    ]);
    await kubectl('apply', '--server-side', '--field-manager=ksd-test', '-f', file);
    let owners: readonly string[] = [];
    const deadline = Date.now() + 60_000;
    while (owners.length === 0 && Date.now() < deadline) {
      const list = JSON.parse(
        await kubectl('get', 'replicasets', '-n', NAMESPACE, '-l', 'app=web', '-o', 'json'),
      ) as { items: KubeObject[] };
      owners = list.items.flatMap((rs) =>
        (rs.metadata.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`),
      );
      if (owners.length === 0) await sleep(500);
    }
    assert.deepEqual(owners, ['Deployment/web']);
  });

  it('finalizes a deleted namespace with content in it', async () => {
    // kubectl waits for the namespace to be gone, which only the namespace controller achieves.
    await kubectl('delete', 'namespace', NAMESPACE, '--timeout=120s');
    await assert.rejects(kubectl('get', 'namespace', NAMESPACE), (error: { stderr?: string }) => {
      assert.match(error.stderr ?? '', /NotFound|not found/);
      return true;
    });
  });
});
