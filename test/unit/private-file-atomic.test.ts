/**
 * The atomic replace behind `--in-place` and encrypt's output (private-file.ts): the target changes only after the check on
 * the written temp file passes, keeps its mode, and no temp file is left either way.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { replaceFile, writePublicFile } from '../../src/private-file.ts';
import { UserError } from '../../src/errors.ts';

test('a failed check leaves the original untouched and no temp file behind', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-atomic-'));
  const target = path.join(dir, 'secret.yaml');
  await writeFile(target, 'original\n');
  let seen = '';
  await assert.rejects(
    replaceFile(target, 'replacement\n', {
      verify: async (temp) => {
        seen = await readFile(temp, 'utf8');
        throw new UserError('DECRYPT_FAILED', 'does not round-trip');
      },
    }),
    { message: 'does not round-trip' },
  );
  assert.equal(seen, 'replacement\n');
  assert.equal(await readFile(target, 'utf8'), 'original\n');
  assert.deepEqual(await readdir(dir), ['secret.yaml']);
});

test('a passed check replaces the file and keeps its mode; a new file gets the given mode', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-atomic-'));
  const target = path.join(dir, 'secret.env');
  await writeFile(target, 'A=1\n');
  await chmod(target, 0o640);
  await replaceFile(target, 'A=ENC\n', { verify: () => Promise.resolve() });
  assert.equal(await readFile(target, 'utf8'), 'A=ENC\n');
  assert.equal((await stat(target)).mode & 0o777, 0o640);
  const fresh = path.join(dir, 'new.env');
  await writePublicFile(fresh, 'x');
  assert.equal((await stat(fresh)).mode & 0o777, 0o644);
  assert.deepEqual((await readdir(dir)).sort(), ['new.env', 'secret.env']);
});

test('a folder that does not exist is a one-line error naming the target', async () => {
  await assert.rejects(writePublicFile('/nonexistent/dir/x', 'y'), (e: unknown) => {
    return e instanceof UserError && e.message.startsWith('cannot write /nonexistent/dir/x:');
  });
});
