import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { privateRootParent, writePrivateFile } from '../../src/private-file.ts';

test('writes 0600, replaces a readable file without keeping its mode, and leaves no temp file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-private-'));
  const target = path.join(dir, 'out.yaml');
  await writeFile(target, 'old', { mode: 0o644 });
  await writePrivateFile(target, 'secret: canary\n');
  assert.equal((await stat(target)).mode & 0o777, 0o600);
  assert.equal(await readFile(target, 'utf8'), 'secret: canary\n');
  await writePrivateFile(target, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...(await readFile(target))], [1, 2, 3]);
  assert.deepEqual(await readdir(dir), ['out.yaml']);
});

test('a target in a missing folder is a clear error', async () => {
  await assert.rejects(
    writePrivateFile('/nonexistent-ksd/dir/out.yaml', 'x'),
    (e: unknown) => e instanceof UserError && e.code === 'FILE_NOT_FOUND' && /cannot write/.test(e.message),
  );
});

// tmpfs wins wherever it exists; otherwise the runner's temp, then the OS temp.
const shm = existsSync('/dev/shm');
const parentCases: [string, Record<string, string | undefined>, string][] = [
  ['RUNNER_TEMP set', { RUNNER_TEMP: '/runner/temp' }, shm ? '/dev/shm' : '/runner/temp'],
  ['RUNNER_TEMP empty', { RUNNER_TEMP: '' }, shm ? '/dev/shm' : tmpdir()],
  ['no RUNNER_TEMP', {}, shm ? '/dev/shm' : tmpdir()],
];
for (const [name, env, want] of parentCases) {
  test(`privateRootParent: ${name}`, () => assert.equal(privateRootParent(env), want));
}
