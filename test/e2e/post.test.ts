import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openPrivateRoot, privateRootParent } from '../../src/private-file.ts';
import { repoRoot } from '../env/paths.ts';

test('the post step removes leftover private build roots from RUNNER_TEMP, and nothing else', async () => {
  const temp = await mkdtemp(path.join(tmpdir(), 'ksd-runner-temp-'));
  await mkdir(path.join(temp, 'ksd-build-abc', 'nested'), { recursive: true });
  await writeFile(path.join(temp, 'ksd-build-abc', 'nested', 'secret.yaml'), 'password: canary-post-1\n');
  await mkdir(path.join(temp, 'other-tool'));
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'post.js')], {
    env: { PATH: process.env['PATH'] ?? '', RUNNER_TEMP: temp },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(existsSync(path.join(temp, 'ksd-build-abc')), false);
  assert.equal(existsSync(path.join(temp, 'other-tool')), true);
  assert.match(result.stdout, /removed leftover ksd-build-abc/);
  assert.doesNotMatch(result.stdout, /canary-post-1/);
});

// Without /dev/shm the parent is RUNNER_TEMP, which the test above covers.
test(
  'the post step also removes a dead process’s private root from /dev/shm, and keeps a live one',
  { skip: !existsSync('/dev/shm') },
  async () => {
    const parent = privateRootParent({});
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    // Named as the main step names its roots, by a process that is gone.
    const own = await openPrivateRoot(parent, 'build', null);
    const stale = path.join(
      parent,
      path.basename(own.dir).replace(`-${process.pid}-`, `-${String(child.pid)}-`),
    );
    await rename(own.dir, stale);
    await writeFile(path.join(stale, 'secret.yaml'), 'password: canary-post-2\n');
    const live = await openPrivateRoot(parent, 'build', null);
    try {
      const temp = await mkdtemp(path.join(tmpdir(), 'ksd-runner-temp-'));
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'post.js')], {
        env: { PATH: process.env['PATH'] ?? '', RUNNER_TEMP: temp },
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(existsSync(stale), false);
      assert.equal(existsSync(live.dir), true, 'a live process’s root is kept');
      assert.match(result.stdout, new RegExp(`removed leftover ${stale}`));
      assert.doesNotMatch(result.stdout, /canary-post-2/);
    } finally {
      await live.cleanup();
      await rm(stale, { recursive: true, force: true });
    }
  },
);
