/**
 * `run` sweeps the stale private roots of dead processes before every command that makes
 * private roots (issue 13 §5: a SIGKILL on a self-hosted runner left plaintext for later jobs).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/commands/index.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { openPrivateRoot, privateRootParent } from '../../src/private-file.ts';
import { run } from '../../src/run.ts';
import { commandDeps } from '../support/command-deps.ts';

/** A private root as a process that is gone would have left it, with a plaintext file in it. */
async function staleRoot(): Promise<string> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  const root = await openPrivateRoot(privateRootParent(process.env), 'build', null);
  const stale = path.join(
    path.dirname(root.dir),
    path.basename(root.dir).replace(`-${process.pid}-`, `-${String(child.pid)}-`),
  );
  await rename(root.dir, stale);
  await mkdir(path.join(stale, 'base'));
  await writeFile(path.join(stale, 'base', 'secret.yaml'), 'password: canary-stale\n');
  return stale;
}

const cases: [string, Record<string, string>, boolean][] = [
  ['build', { command: 'build', path: '/nonexistent-ksd-target', kustomize: '/nonexistent-kustomize' }, true],
  ['diff', { command: 'diff', path: '/nonexistent-ksd-target', kustomize: '/nonexistent-kustomize' }, true],
  ['apply', { command: 'apply', path: '/nonexistent-ksd-target', kustomize: '/nonexistent-kustomize' }, true],
  [
    'diff --manifests (no build, no private root)',
    { command: 'diff', manifests: '/nonexistent.yaml' },
    false,
  ],
  ['lint', { command: 'lint', path: '/nonexistent-ksd-target' }, false],
  ['decrypt', { command: 'decrypt', file: '/nonexistent-ksd/secret.yaml' }, false],
];
for (const [name, inputs, sweeps] of cases) {
  test(`${name} ${sweeps ? 'sweeps' : 'does not sweep'} stale private roots first`, async () => {
    const stale = await staleRoot();
    try {
      const host = createMemoryHost();
      const config = parseConfig((input) => inputs[input] ?? '', {});
      await run(config, commandDeps(host));
      assert.equal(existsSync(stale), !sweeps);
      const said = host.logs.includes(`removed ${stale}: a private root left by a process that is gone`);
      assert.equal(said, sweeps, host.logs.join('\n'));
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  });
}
