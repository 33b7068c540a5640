/**
 * stageGraph reads each graph file again when it copies it: that read is bounded and checked
 * on its own, not trusted from the walk, since a file can be swapped in between (here, for a
 * symlink to /dev/zero, which an uncapped read would follow until memory ran out). A keyless
 * run (`lint --rendered`) stages placeholders at once, without a decrypt that must fail.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import { walkGraph } from '../../../src/kustomize/graph.ts';
import { UndecryptedFiles } from '../../../src/kustomize/placeholder.ts';
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

test('a keyless run stages SOPS files with placeholders without trying a key', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-stage-keyless-'));
  await mkdir(path.join(root, '.git'));
  const app = path.join(root, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'kustomization.yaml'), 'resources:\n  - secret.enc.yaml\n');
  await copyFile(
    new URL('../../fixtures/lint/secret.enc.yaml', import.meta.url),
    path.join(app, 'secret.enc.yaml'),
  );
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-stage-parent-'));
  let asked = 0;
  const refusing: KeySource = {
    name: 'age',
    locations: [],
    decrypt: () => {
      asked++;
      return Promise.resolve(null);
    },
  };
  const undecrypted = new UndecryptedFiles({ keyless: true });
  const staged = await stageGraph(await walkGraph(app), {
    keySources: [refusing],
    registry: new SecretRegistry(() => undefined),
    parent,
    signals: null,
    undecrypted,
  });
  try {
    const text = await readFile(path.join(staged.target, 'secret.enc.yaml'), 'utf8');
    assert.ok(!text.includes('ENC['), text);
    assert.ok(!text.includes('sops:'), text);
    assert.equal(asked, 0, 'no key is tried');
    assert.deepEqual(undecrypted.list(), [
      { file: 'app/secret.enc.yaml', reason: 'no key is used by this run' },
    ]);
  } finally {
    await staged.cleanup();
    await rm(root, { recursive: true, force: true });
    await rm(parent, { recursive: true, force: true });
  }
});
