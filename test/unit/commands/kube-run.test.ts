/**
 * diff and apply open the cluster through CommandDeps.kubeClient, the port the shells fill
 * with createKubeClient: the factory gets the run's kubeconfig, context, environment and
 * connection limit, and a client it refuses stops the command before anything is compared.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applyCommand } from '../../../src/commands/apply.ts';
import { diffCommand } from '../../../src/commands/diff.ts';
import { UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import type { KubeClientFactory } from '../../../src/commands/command.ts';
import type { KubeConfigInputs } from '../../../src/config/kube.ts';
import { commandDeps } from '../../support/command-deps.ts';

const MANIFEST =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: default\ndata:\n  a: b\n';

test('diff and apply take their client from CommandDeps.kubeClient, with the run’s options', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-kube-run-'));
  const manifests = path.join(dir, 'out.yaml');
  await writeFile(manifests, MANIFEST);
  for (const command of [diffCommand, applyCommand] as const) {
    const seen: KubeConfigInputs[] = [];
    // A test double that refuses: the command must stop with its error, having compared nothing.
    const refuse: KubeClientFactory = (options) => {
      seen.push(options);
      return Promise.reject(new UserError('KUBE_API', 'double: no cluster here'));
    };
    const inputs: Record<string, string> = {
      manifests,
      kubeconfig: path.join(dir, 'kubeconfig'),
      context: 'staging',
      concurrency: '3',
    };
    const env = { KSD_TEST: command.name };
    const host = createMemoryHost();
    const run = (): Promise<number> => {
      const read = (name: string): string => inputs[name] ?? '';
      if (command.name === 'diff')
        return diffCommand.run(diffCommand.parse(read, env, { stdoutIsLog: false }), deps);
      return applyCommand.run(applyCommand.parse(read, env, { stdoutIsLog: false }), deps);
    };
    const deps = commandDeps(host, { kubeClient: refuse });
    await assert.rejects(run(), /double: no cluster here/, command.name);
    assert.deepEqual(
      seen.map((o) => [o.kubeconfig, o.context, o.env['KSD_TEST'], o.concurrency]),
      [[path.join(dir, 'kubeconfig'), 'staging', command.name, 3]],
      command.name,
    );
    assert.deepEqual(host.stdout, [], `${command.name} printed a report without a cluster`);
  }
});
