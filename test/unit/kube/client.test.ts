/** The kubeconfig reaches the client as a file or as text in memory; nothing is contacted. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createKubeClient } from '../../../src/kube/client.ts';
import { UserError } from '../../../src/errors.ts';

const kubeconfig = (server: string, namespace: string): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "' + server + '"}}]',
    'users: [{name: u, user: {token: canary-kube-token}}]',
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: ' + namespace + '}}]',
    'current-context: x',
    '',
  ].join('\n');

test('kubeconfig content is loaded from memory and wins over a file and KUBECONFIG', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-client-test-'));
  const file = path.join(dir, 'config');
  await writeFile(file, kubeconfig('https://file.invalid:1', 'from-file'));
  const client = await createKubeClient({
    kubeconfigContent: kubeconfig('https://content.invalid:2/', 'from-content'),
    kubeconfig: file,
    env: { KUBECONFIG: file },
  });
  assert.equal(client.server, 'https://content.invalid:2');
  assert.equal(client.namespace, 'from-content');
  client.close();
  assert.deepEqual(await readdir(dir), ['config']);

  const fromFile = await createKubeClient({ kubeconfig: file, env: {} });
  assert.equal(fromFile.server, 'https://file.invalid:1');
  assert.equal(fromFile.namespace, 'from-file');
  fromFile.close();
});

test('content that is not a kubeconfig is a usage error', async () => {
  await assert.rejects(
    createKubeClient({ kubeconfigContent: 'apiVersion: v1\nkind: Config\n', env: {} }),
    (e: unknown) => e instanceof UserError && /no current cluster/.test(e.message),
  );
});
