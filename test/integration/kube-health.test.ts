/**
 * Readiness against the real control plane. There is no scheduler or kubelet, so the tests
 * play the kubelet: they patch the status subresource of the Pods the controllers create
 * (Ready, Succeeded or Failed) and let the real Deployment, ReplicaSet and Job controllers
 * derive their own status from it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import type { KubeClient, KubeObject } from '../../src/kube/client.ts';
import { checkHealth, waitForHealth } from '../../src/kube/health.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const NS = 'ksd-health';

describe('kube health', () => {
  let info: Readonly<Record<string, string>>;
  let client: KubeClient;
  let dir: string;

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run(info['kubectl']!, ['--kubeconfig', info['kubeconfig']!, ...args], {
      env: { PATH: process.env['PATH'], HOME: dir },
    });
    return stdout;
  }

  /** Waits for the controller's pods with `selector`, then sets their status as a kubelet would. */
  async function setPodStatus(selector: string, status: Record<string, unknown>): Promise<void> {
    let pods: string[] = [];
    for (let i = 0; i < 240 && pods.length === 0; i++) {
      const list = JSON.parse(await kubectl('get', 'pods', '-n', NS, '-l', selector, '-o', 'json')) as {
        items: { metadata: { name: string } }[];
      };
      pods = list.items.map((p) => p.metadata.name);
      if (pods.length === 0) await sleep(250);
    }
    assert.ok(pods.length > 0, `no pods for ${selector}`);
    for (const pod of pods) {
      await kubectl(
        'patch',
        'pod',
        pod,
        '-n',
        NS,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      );
    }
  }

  const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const container = { name: 'c', image: 'registry.invalid/c:1' };

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-health-'));
    client = await createKubeClient({ kubeconfig: info['kubeconfig'], env: {} });
    assert.equal(
      (await applyObjects(client, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }])).ok,
      true,
    );
  });
  after(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a Deployment until its pod is Ready, naming the reason meanwhile', async () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
      },
    };
    const applied = await applyObjects(client, [deployment]);
    assert.equal(applied.ok, true, applied.error);
    await assert.rejects(
      waitForHealth(client, [deployment], { timeoutMs: 1_000, intervalMs: 200 }),
      (error: Error & { report?: string; code?: string }) => {
        assert.equal(error.code, 'NOT_READY');
        assert.match(
          error.message,
          /1 object\(s\) not ready after 1 s: Deployment\/ksd-health\/web \((updated|ready|available) replicas 0\/1|.*observed/,
        );
        return true;
      },
    );
    await setPodStatus('app=web', {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now() }],
    });
    const statuses = await waitForHealth(client, [deployment], { timeoutMs: 60_000, intervalMs: 200 });
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['ready'],
    );
  });

  it('waits for a Job to complete, and fails fast when it fails', async () => {
    const job = (name: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: NS },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { job: name } },
          spec: { restartPolicy: 'Never', containers: [container] },
        },
      },
    });
    const applied = await applyObjects(client, [job('ok'), job('bad')]);
    assert.equal(applied.ok, true, applied.error);
    assert.deepEqual(
      (await checkHealth(client, [job('ok')])).map((s) => s.state),
      ['in-progress'],
    );
    await setPodStatus('job=ok', { phase: 'Succeeded' });
    await setPodStatus('job=bad', { phase: 'Failed' });
    const done = await waitForHealth(client, [job('ok')], { timeoutMs: 60_000, intervalMs: 200 });
    assert.deepEqual(
      done.map((s) => s.state),
      ['ready'],
    );
    const started = Date.now();
    await assert.rejects(
      waitForHealth(client, [job('ok'), job('bad')], { timeoutMs: 120_000, intervalMs: 200 }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'NOT_READY');
        assert.match(error.message, /1 object\(s\) failed: Job\/ksd-health\/bad \(Failed: /);
        return true;
      },
    );
    assert.ok(Date.now() - started < 120_000, 'did not wait for the timeout');
  });

  it('reports apply --wait failures in the apply report', async () => {
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    const report = await applyObjects(client, [pvc], { wait: true, timeoutMs: 1_000 });
    assert.equal(report.ok, false);
    assert.equal(report.counts.created, 1);
    assert.match(report.error ?? '', /PersistentVolumeClaim\/ksd-health\/data \(phase Pending\)/);
  });
});
