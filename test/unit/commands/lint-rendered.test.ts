/**
 * `rendered: auto`, the Action's default: the rendered check runs when a kustomize can be
 * found, and is skipped with a note when none can, so a runner without kustomize still gets
 * the file rules; `rendered: true` without a kustomize is an error, as asked.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lintCommand } from '../../../src/commands/lint.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { commandDeps } from '../../support/command-deps.ts';

async function repo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-auto-'));
  await mkdir(path.join(dir, 'app'));
  // A patch: this root's rendering can show more than its files, so it needs a build.
  await writeFile(
    path.join(dir, 'app', 'kustomization.yaml'),
    'resources:\n  - cm.yaml\npatches:\n  - patch: |-\n      - {op: add, path: /data/c, value: d}\n    target: {kind: ConfigMap}\n',
  );
  await writeFile(
    path.join(dir, 'app', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n',
  );
  return dir;
}

async function lint(dir: string, rendered: string): Promise<{ code: number; logs: string }> {
  const inputs: Record<string, string> = { path: dir, rendered, format: 'json' };
  // No kustomize and no kubectl anywhere on this PATH.
  const env = { PATH: path.join(dir, 'no-bin') };
  const config = lintCommand.parse((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
  const host = createMemoryHost();
  const code = await lintCommand.run(config, commandDeps(host));
  return { code, logs: host.logs.join('\n') };
}

test('rendered auto without a kustomize: skipped with a note, the file rules still run', async () => {
  const dir = await repo();
  const { code, logs } = await lint(dir, 'auto');
  assert.equal(code, 0, logs);
  assert.match(
    logs,
    /lint: the rendered check is skipped: neither kustomize nor kubectl was found on PATH \(rendered: auto/,
  );
});

test('rendered true without a kustomize: the error, as asked', async () => {
  const dir = await repo();
  await assert.rejects(lint(dir, 'true'), /neither kustomize nor kubectl was found on PATH/);
});

test('no root that needs a build: no kustomize is looked for, even with rendered true', async () => {
  const dir = await repo();
  await writeFile(path.join(dir, 'app', 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
  const { code, logs } = await lint(dir, 'true');
  assert.equal(code, 0, logs);
  assert.doesNotMatch(logs, /kustomize/);
});
