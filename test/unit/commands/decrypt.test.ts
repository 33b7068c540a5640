/**
 * `decrypt FILE` reads its input bounded: the type and size are checked before reading, and
 * inside a git repository a symlink out of it is not followed (issue 13 §4).
 */
import assert from 'node:assert/strict';
import {
  chmod,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { decryptCommand } from '../../../src/commands/decrypt.ts';
import { parseDecryptConfig } from '../../../src/config/decrypt.ts';
import { errorMessage, UserError } from '../../../src/errors.ts';
import { createMemoryHost, type MemoryHost } from '../../../src/host/memory-host.ts';
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

describe('no overwrites (issue 13 §5): the output is never the input; --in-place replaces it atomically', () => {
  const demo = path.join(import.meta.dirname, '..', '..', '..', 'examples', 'demo');
  const key = path.join(demo, 'demo-age-key.txt');

  /** A copy of the demo's encrypted Secret in a fresh folder. */
  async function encryptedCopy(): Promise<{ dir: string; file: string; bytes: Buffer }> {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-decrypt-output-'));
    const file = path.join(dir, 'secret.enc.yaml');
    await copyFile(path.join(demo, 'base', 'secret.enc.yaml'), file);
    return { dir, file, bytes: await readFile(file) };
  }

  async function run(inputs: Record<string, string>, shell = { stdoutIsLog: false }): Promise<MemoryHost> {
    const config = parseDecryptConfig((name) => inputs[name] ?? '', {}, shell);
    const host = createMemoryHost();
    await decryptCommand.run(config, commandDeps(host));
    return host;
  }

  // Each way of naming the input as the output; `decrypt X --output X` used to write the
  // plaintext over X and exit 0.
  const spellings: [string, (dir: string, file: string) => Promise<string>][] = [
    ['the same path', (_dir, file) => Promise.resolve(file)],
    ['another spelling of it', (dir) => Promise.resolve(path.join(dir, '.', 'sub', '..', 'secret.enc.yaml'))],
    [
      'a symlink to it',
      async (dir, file) => {
        await symlink(file, path.join(dir, 'link.yaml'));
        return path.join(dir, 'link.yaml');
      },
    ],
    [
      'a hard link to it',
      async (dir, file) => {
        await link(file, path.join(dir, 'hard.yaml'));
        return path.join(dir, 'hard.yaml');
      },
    ],
    [
      'a path through a symlinked folder',
      async (dir) => {
        await symlink(dir, path.join(dir, 'again'));
        return path.join(dir, 'again', 'secret.enc.yaml');
      },
    ],
  ];
  for (const [name, spell] of spellings) {
    test(`output as ${name} is refused before anything is read, and the file is untouched`, async () => {
      const { dir, file, bytes } = await encryptedCopy();
      await mkdir(path.join(dir, 'sub'));
      const output = await spell(dir, file);
      await assert.rejects(run({ file, output, 'age-key-file': key }), (error: unknown) => {
        assert.ok(error instanceof UserError, errorMessage(error));
        assert.equal(error.code, 'USAGE');
        assert.equal(error.message, `decrypting ${file}: output ${output} is the input ${file}`);
        assert.match(error.hint ?? '', /--in-place/);
        return true;
      });
      assert.deepEqual(await readFile(file), bytes);
      assert.deepEqual(await readFile(output), bytes);
    });
  }

  test('--in-place replaces the file with exactly what decrypt prints, keeping its mode', async () => {
    const { dir, file } = await encryptedCopy();
    await chmod(file, 0o640);
    const printed = await run({ file, 'age-key-file': key });
    await run({ file, 'in-place': 'true', 'age-key-file': key });
    const plaintext = await readFile(file, 'utf8');
    assert.equal(plaintext, Buffer.concat(printed.stdout).toString('utf8'));
    assert.match(plaintext, /demo-password-not-secret/);
    assert.equal((await stat(file)).mode & 0o777, 0o640);
    assert.deepEqual(await readdir(dir), ['secret.enc.yaml'], 'no temp file is left');
  });

  test('--in-place satisfies the Action, which otherwise requires output', async () => {
    const { file } = await encryptedCopy();
    await run({ file, 'in-place': 'true', 'age-key-file': key }, { stdoutIsLog: true });
    assert.match(await readFile(file, 'utf8'), /demo-password-not-secret/);
  });

  const misuse: [string, Record<string, string>, RegExp][] = [
    ['with output', { file: 'a.yaml', output: 'b.yaml', 'in-place': 'true' }, /in-place and output/],
    ['on stdin', { file: '-', 'input-type': 'yaml', 'in-place': 'true' }, /in-place needs a file/],
  ];
  for (const [name, inputs, message] of misuse) {
    test(`--in-place ${name} is a usage error`, () => {
      assert.throws(
        () => parseDecryptConfig((input) => inputs[input] ?? '', {}, { stdoutIsLog: false }),
        (error: unknown) =>
          error instanceof UserError && error.code === 'USAGE' && message.test(error.message),
      );
    });
  }
});
