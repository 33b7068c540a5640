/**
 * `diff` through CommandDeps' kube client factory, with a client double (no apiserver runs in
 * unit tests; the integration tests use the real one): proves the port carries the whole run,
 * from the config through the client to the Reporter, and that the client is closed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { KubeClientFactory } from '../../../src/commands/command.ts';
import { diffCommand } from '../../../src/commands/diff.ts';
import type { KubeConfigInputs } from '../../../src/config/kube.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { KubeApiError, type KubeClient, type KubeObject } from '../../../src/kube/client.ts';
import { commandDeps } from '../../support/command-deps.ts';

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: fresh, namespace: apps}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: changed, namespace: apps}
data: {a: "2"}
`;

/** A client double: serves ConfigMaps from a map, answers dry-run applies with the body. */
function clientDouble(live: Map<string, KubeObject>, calls: string[]): KubeClient & { closed: boolean } {
  const double = {
    server: 'https://cluster.double',
    namespace: 'default',
    closed: false,
    request(method: string, url: string, options: { body?: unknown; query?: Record<string, unknown> } = {}) {
      calls.push(`${method} ${url}${options.query?.['dryRun'] === 'All' ? ' (dry run)' : ''}`);
      if (method === 'GET') {
        const found = live.get(url);
        if (found === undefined) return Promise.reject(new KubeApiError(404, 'NotFound', 'not found', []));
        return Promise.resolve({ status: 200, body: found });
      }
      if (method === 'PATCH' && options.query?.['dryRun'] === 'All')
        return Promise.resolve({ status: 200, body: options.body });
      return Promise.reject(new Error(`the double does not do ${method} ${url}`));
    },
    resourceFor(apiVersion: string, kind: string) {
      return Promise.resolve(
        apiVersion === 'v1' && kind === 'ConfigMap'
          ? { group: '', version: 'v1', kind, resource: 'configmaps', namespaced: true }
          : undefined,
      );
    },
    resetDiscovery: () => undefined,
    close() {
      double.closed = true;
    },
  };
  return double;
}

test('diff runs through the injected client factory and reports through the Reporter', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-diff-double-'));
  const file = path.join(dir, 'manifests.yaml');
  await writeFile(file, MANIFESTS);
  const inputs: Record<string, string> = { manifests: file, 'field-manager': 'test-manager' };
  const config = diffCommand.parse((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });

  const calls: string[] = [];
  const live = new Map<string, KubeObject>([
    [
      '/api/v1/namespaces/apps/configmaps/changed',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'changed', namespace: 'apps' },
        data: { a: '1' },
      },
    ],
  ]);
  const client = clientDouble(live, calls);
  const opened: KubeConfigInputs[] = [];
  const kubeClient: KubeClientFactory = (kube) => {
    opened.push(kube);
    return Promise.resolve(client);
  };
  const host = createMemoryHost();
  const deps = commandDeps(host, { kubeClient });

  const code = await diffCommand.run(config, deps);

  assert.equal(code, 1, host.logs.join('\n'));
  assert.deepEqual(opened, [config.kube]);
  assert.equal(client.closed, true);
  assert.ok(calls.includes('PATCH /api/v1/namespaces/apps/configmaps/fresh (dry run)'), calls.join('\n'));
  assert.ok(!calls.some((c) => c.startsWith('PATCH') && !c.endsWith('(dry run)')), 'diff never writes');
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.match(stdout, /^-\s+a: "1"$/m);
  assert.match(stdout, /^\+\s+a: "2"$/m);
  assert.equal(deps.reporter.reported.length, 1);
  const [reported] = deps.reporter.reported;
  assert.equal(reported?.command, 'diff');
  assert.equal(reported.result.tag, file);
  assert.equal(reported.result.file, undefined);
  assert.equal(reported.result.report.counts.created, 1);
  assert.equal(reported.result.report.counts.configured, 1);
  assert.equal(reported.result.report.changed, true);
});

test('a decrypted value that moved into a ConfigMap is masked in the cluster diff, the live (older) value too', async () => {
  const NEW = 'new-db-passw0rd-4b1e';
  const OLD = 'old-db-passw0rd-9c2f';
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-diff-moved-'));
  const file = path.join(dir, 'manifests.yaml');
  await writeFile(
    file,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db, namespace: apps}\ndata: {url: "postgres://app:${NEW}@db/app", plain: two}\n`,
  );
  const config = diffCommand.parse((name) => ({ manifests: file })[name] ?? '', {}, { stdoutIsLog: false });
  const live = new Map<string, KubeObject>([
    [
      '/api/v1/namespaces/apps/configmaps/db',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'db', namespace: 'apps' },
        data: { url: `postgres://app:${OLD}@db/app`, plain: 'one' },
      },
    ],
  ]);
  const host = createMemoryHost();
  const deps = commandDeps(host, { kubeClient: () => Promise.resolve(clientDouble(live, [])) });
  deps.secrets.add(NEW); // as the build's decryption would have

  assert.equal(await diffCommand.run(config, deps), 1, host.logs.join('\n'));
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.match(stdout, /^-\s+url: postgres:\/\/app:\*\*\* \(before\)@db\/app$/m);
  assert.match(stdout, /^\+\s+url: postgres:\/\/app:\*\*\* \(after\)@db\/app$/m);
  assert.match(stdout, /^\+\s+plain: two$/m);
  const reported = JSON.stringify(deps.reporter.reported);
  for (const value of [NEW, OLD]) {
    assert.ok(!host.allText().includes(value), value);
    assert.ok(!reported.includes(value), value);
  }
});

test('diff --output inside a build target is refused before anything is built', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'ksd-diff-output-'));
  const app = path.join(base, 'app');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(app);
  await writeFile(path.join(app, 'kustomization.yaml'), 'resources: []\n');
  const inputs: Record<string, string> = { path: app, output: path.join(app, 'diff.txt'), against: 'HEAD' };
  const config = diffCommand.parse((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
  await assert.rejects(
    diffCommand.run(config, commandDeps(createMemoryHost())),
    (error: unknown) =>
      error instanceof Error &&
      error.message.includes(`is inside the build target ${app}`) &&
      /write the diff outside the build targets/.test((error as { hint?: string }).hint ?? ''),
  );
});
