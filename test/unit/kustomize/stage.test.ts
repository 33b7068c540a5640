/**
 * stageGraph reads each graph file again when it copies it: that read is bounded and checked
 * on its own, not trusted from the walk, since a file can be swapped in between (here, for a
 * symlink to /dev/zero, which an uncapped read would follow until memory ran out).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { walkGraph } from '../../../src/kustomize/graph.ts';
import { stageGraph } from '../../../src/kustomize/stage.ts';
import { SecretRegistry } from '../../../src/masking.ts';

test('a graph file swapped for a device after the walk is refused, not read', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-stage-swap-'));
  await mkdir(path.join(root, '.git'));
  const app = path.join(root, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
  await writeFile(path.join(app, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  const graph = await walkGraph(app);
  await rm(path.join(app, 'cm.yaml'));
  await symlink('/dev/zero', path.join(app, 'cm.yaml'));
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-stage-parent-'));
  await assert.rejects(
    stageGraph(graph, {
      keySources: [],
      registry: new SecretRegistry(() => undefined),
      parent,
      signals: null,
    }),
    (error: unknown) => error instanceof UserError && /app\/cm\.yaml/.test(error.message),
  );
  await rm(root, { recursive: true, force: true });
  await rm(parent, { recursive: true, force: true });
});
