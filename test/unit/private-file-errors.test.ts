/** `cannot write X` says why (issue 13, item 7). */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { writePrivateFile } from '../../src/private-file.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'ksd-private-errors-'));
await mkdir(path.join(dir, 'folder'));
await writeFile(path.join(dir, 'file'), 'x');

const cases: [string, string, RegExp, RegExp | undefined][] = [
  [
    'a missing folder',
    path.join(dir, 'missing', 'out.yaml'),
    /: its folder does not exist$/,
    /create .*missing first/,
  ],
  ['a folder as the target', path.join(dir, 'folder'), /: it is a folder$/, /path of a file/],
  [
    'a file used as a folder',
    path.join(dir, 'file', 'out.yaml'),
    /: part of its path is a file, not a folder$/,
    undefined,
  ],
];
for (const [name, target, message, hint] of cases) {
  test(`cannot write: ${name}`, async () => {
    await assert.rejects(writePrivateFile(target, 'secret: canary\n'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, new RegExp(`^cannot write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match(e.message, message);
      if (hint !== undefined) assert.match(e.hint ?? '', hint);
      assert.ok(e.cause !== undefined, 'the cause is kept');
      return true;
    });
  });
}

test('a failed write leaves no temp file behind', async () => {
  await assert.rejects(writePrivateFile(path.join(dir, 'folder'), 'x'));
  assert.deepEqual((await readdir(dir)).sort(), ['file', 'folder']);
});

test(
  'a read-only folder gives permission denied',
  { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false },
  async () => {
    const locked = path.join(dir, 'locked');
    await mkdir(locked, { mode: 0o500 });
    await assert.rejects(writePrivateFile(path.join(locked, 'out'), 'x'), /: permission denied$/);
  },
);
