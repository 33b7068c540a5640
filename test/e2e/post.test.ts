import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
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
