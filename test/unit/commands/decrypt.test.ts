/**
 * `decrypt FILE` reads its input bounded: the type and size are checked before reading, and
 * inside a git repository a symlink out of it is not followed (issue 13 §4).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { decryptCommand } from '../../../src/commands/decrypt.ts';
import { parseDecryptConfig } from '../../../src/config/decrypt.ts';
import { errorMessage, UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { commandDeps } from '../../support/command-deps.ts';

async function decrypt(file: string): Promise<UserError> {
  const inputs: Record<string, string> = { file };
  const config = parseDecryptConfig((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
  const host = createMemoryHost();
  try {
    await decryptCommand.run(config, commandDeps(host));
  } catch (error) {
    assert.ok(error instanceof UserError, errorMessage(error));
    return error;
  }
  assert.fail(`${file} was decrypted`);
}

test('decrypt /dev/zero is refused before anything is read (it grew without limit)', async () => {
  const error = await decrypt('/dev/zero');
  assert.equal(error.code, 'UNSUPPORTED');
  assert.equal(error.message, 'decrypting /dev/zero: the file is a device, not a regular file');
});

test('inside a repository, a symlink out of it is outside the repository, whether or not its target exists', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'ksd-decrypt-'));
  const repo = path.join(base, 'repo');
  await mkdir(path.join(repo, '.git'), { recursive: true });
  await writeFile(path.join(base, 'runner.yaml'), 'a: 1\n');
  await symlink(path.join(base, 'runner.yaml'), path.join(repo, 'secret.enc.yaml'));
  await symlink(path.join(base, 'missing.yaml'), path.join(repo, 'gone.enc.yaml'));
  await symlink('/dev/zero', path.join(repo, 'zero.enc.yaml'));
  for (const name of ['secret.enc.yaml', 'gone.enc.yaml', 'zero.enc.yaml']) {
    const file = path.join(repo, name);
    const error = await decrypt(file);
    assert.equal(error.code, 'PATH_ESCAPE');
    assert.equal(error.message, `decrypting ${file}: the file is outside the repository`);
  }
});

test('a missing file is still "no such file"', async () => {
  const error = await decrypt('/nonexistent/secret.yaml');
  assert.equal(error.message, 'decrypting /nonexistent/secret.yaml: no such file');
});
