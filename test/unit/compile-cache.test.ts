import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { safeCompileCacheDir } from '../../src/compile-cache.ts';

const uid = process.getuid?.() ?? 0;
const NAME = `kustomize-sops-deploy-compile-cache-${uid}`;

test('the compile cache folder is per user, 0700, and refused when someone else could write it', async () => {
  const cases: { name: string; prepare: (parent: string) => Promise<void>; usable: boolean }[] = [
    { name: 'created fresh', prepare: () => Promise.resolve(), usable: true },
    {
      name: 'already there and private',
      prepare: async (parent) => mkdir(path.join(parent, NAME), { mode: 0o700 }),
      usable: true,
    },
    {
      name: 'group- or world-writable',
      prepare: async (parent) => {
        await mkdir(path.join(parent, NAME));
        await chmod(path.join(parent, NAME), 0o777);
      },
      usable: false,
    },
    {
      name: 'a symlink to another folder',
      prepare: async (parent) => {
        await mkdir(path.join(parent, 'elsewhere'), { mode: 0o700 });
        await symlink(path.join(parent, 'elsewhere'), path.join(parent, NAME));
      },
      usable: false,
    },
  ];
  for (const { name, prepare, usable } of cases) {
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-cc-'));
    await prepare(parent);
    const dir = safeCompileCacheDir({ XDG_CACHE_HOME: parent }, uid);
    if (!usable) {
      assert.equal(dir, undefined, name);
      continue;
    }
    assert.equal(dir, path.join(parent, NAME), name);
    const stat = await lstat(dir);
    assert.equal(stat.mode & 0o777, 0o700, name);
  }
  // Someone else's uid is never accepted.
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-cc-'));
  assert.equal(safeCompileCacheDir({ XDG_CACHE_HOME: parent }, uid + 1), undefined);
  // Without XDG_CACHE_HOME or a home folder, the OS temp holds the per-user folder.
  assert.equal(safeCompileCacheDir({ HOME: '/nonexistent-home' }, uid), path.join(tmpdir(), NAME));
});
