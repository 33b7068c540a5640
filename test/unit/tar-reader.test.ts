/**
 * The tar reader against archives the system tar writes in each format it knows (GNU long
 * names, ustar prefixes, pax path and size records), and against broken archives.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { readTarEntry } from '../../src/tar-reader.ts';

const run = promisify(execFile);

/**
 * A folder with `kustomize`, `LICENSE`, a path over 100 characters that ustar splits into its
 * prefix, and a name over 100 characters that only GNU long names and pax records can hold.
 */
async function tree(): Promise<{ dir: string; long: string; longName: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-tar-'));
  const long = `${'deep-folder-name/'.repeat(8)}kustomize`;
  const longName = `${'n'.repeat(120)}-kustomize`;
  await mkdir(path.join(dir, path.dirname(long)), { recursive: true });
  await writeFile(path.join(dir, 'LICENSE'), 'license text\n');
  await writeFile(path.join(dir, 'kustomize'), Buffer.alloc(1500, 7));
  await writeFile(path.join(dir, long), 'the long one\n');
  await writeFile(path.join(dir, longName), 'the long name\n');
  return { dir, long, longName };
}

async function archive(dir: string, format: string, members: readonly string[]): Promise<Uint8Array> {
  const out = path.join(dir, `out-${format}.tar`);
  await run('tar', [`--format=${format}`, '-cf', out, '-C', dir, ...members]);
  return readFile(out);
}

test('reads the named file from gnu, ustar and pax archives, by its name or ./name', async () => {
  const { dir, long, longName } = await tree();
  for (const format of ['gnu', 'ustar', 'pax']) {
    for (const [member, name] of [
      ['kustomize', 'kustomize'],
      ['./kustomize', 'kustomize'],
    ] as const) {
      const tar = await archive(dir, format, ['LICENSE', member, long]);
      assert.deepEqual(
        Buffer.from(readTarEntry(tar, name) ?? []),
        Buffer.alloc(1500, 7),
        `${format} ${member}`,
      );
      assert.equal(Buffer.from(readTarEntry(tar, long) ?? []).toString(), 'the long one\n', `${format} long`);
      assert.equal(readTarEntry(tar, 'missing'), undefined, format);
    }
    if (format === 'ustar') continue; // ustar cannot hold a name over 100 characters
    const tar = await archive(dir, format, [longName, 'kustomize']);
    assert.equal(Buffer.from(readTarEntry(tar, longName) ?? []).toString(), 'the long name\n', format);
    // The long name's header (GNU 'L' or pax 'x') applies to its entry only, not to the next.
    assert.deepEqual(Buffer.from(readTarEntry(tar, 'kustomize') ?? []), Buffer.alloc(1500, 7), format);
    assert.equal(String.fromCharCode(tar[156] ?? 0), format === 'gnu' ? 'L' : 'x');
  }
});

test('a folder of that name is not the file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-tar-'));
  await mkdir(path.join(dir, 'kustomize'));
  assert.equal(readTarEntry(await archive(dir, 'gnu', ['kustomize']), 'kustomize'), undefined);
});

test('a broken archive is an error, not a wrong answer', async () => {
  const { dir } = await tree();
  const tar = Buffer.from(await archive(dir, 'gnu', ['LICENSE', 'kustomize']));
  const badSum = Buffer.from(tar);
  badSum[0] = (badSum[0] ?? 0) ^ 1; // the first header's name changes, its checksum does not
  assert.throws(() => readTarEntry(badSum, 'kustomize'), /the tar header at byte 0 has a wrong checksum/);
  // Cut inside kustomize's content: its header promises more than there is.
  assert.throws(() => readTarEntry(tar.subarray(0, 512 * 3 + 100), 'kustomize'), /cut short/);
  // Cut after the last entry, before the end-of-archive blocks.
  assert.throws(() => readTarEntry(tar.subarray(0, 512 * 2), 'missing'), /ends without/);
});
