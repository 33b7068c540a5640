import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.ts';
import {
  CLEANUP_SIGNALS,
  openPrivateRoot,
  privateRootParent,
  replaceFile,
  sweepStalePrivateRoots,
  writePrivateFile,
} from '../../src/private-file.ts';

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

describe('private roots (issue 13 §5)', () => {
  // Every signal that ends a run removes the roots; SIGHUP and SIGQUIT used to leave them.
  for (const signal of CLEANUP_SIGNALS) {
    test(`${signal} removes every open private root, once, with one listener`, async () => {
      const parent = await mkdtemp(path.join(tmpdir(), 'ksd-roots-'));
      const signals = new EventEmitter();
      const roots = await Promise.all(
        ['build', 'flux', 'helm-post'].map((kind) => openPrivateRoot(parent, kind, signals)),
      );
      for (const root of roots) await writeFile(path.join(root.dir, 'secret.yaml'), 'password: canary\n');
      assert.equal(signals.listenerCount(signal), 1);
      signals.emit(signal, signal);
      assert.deepEqual(await readdir(parent), []);
      assert.equal(signals.listenerCount(signal), 0);
      // cleanup() after the signal is harmless.
      for (const root of roots) await root.cleanup();
    });
  }

  test('a root is 0700, named with its pid, and cleanup() unhooks the signals', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-roots-'));
    const signals = new EventEmitter();
    const root = await openPrivateRoot(parent, 'against', signals);
    assert.equal((await stat(root.dir)).mode & 0o777, 0o700);
    assert.match(path.basename(root.dir), new RegExp(`^ksd-against-${process.pid}-\\d+-\\w{6}$`));
    await root.cleanup();
    await root.cleanup();
    assert.deepEqual(await readdir(parent), []);
    for (const signal of CLEANUP_SIGNALS) assert.equal(signals.listenerCount(signal), 0);
  });

  /** A pid that belonged to a process that has exited. */
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    assert.ok(child.pid !== undefined);
    return child.pid;
  }

  test('the sweep removes a dead process’s root and keeps live ones, symlinks and foreign names', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-sweep-'));
    // This process's own naming, with another pid in it.
    const own = await openPrivateRoot(parent, 'build', null);
    const renamed = (pid: number, kind = 'build'): string =>
      path.basename(own.dir).replace(`ksd-build-${process.pid}-`, `ksd-${kind}-${pid}-`);
    const dead = await deadPid();
    const live = spawn('sleep', ['30']);
    try {
      assert.ok(live.pid !== undefined);
      const stale = renamed(dead, 'helm-post');
      await mkdir(path.join(parent, stale, 'nested'), { recursive: true });
      await writeFile(path.join(parent, stale, 'nested', 'secret.yaml'), 'password: canary\n');
      const alive = renamed(live.pid);
      await mkdir(path.join(parent, alive));
      // A symlink named like a dead root points at a directory that is not ours to remove.
      const victim = await mkdtemp(path.join(tmpdir(), 'ksd-sweep-victim-'));
      await writeFile(path.join(victim, 'keep.txt'), 'keep');
      const link = renamed(dead, 'flux');
      await symlink(victim, path.join(parent, link));
      // Another pid namespace's root, and names that are not ours, are left alone.
      const otherNamespace = `ksd-build-${dead}-1-abcdef`;
      const legacy = 'ksd-build-abcdef';
      const foreign = `other-build-${dead}-0-abcdef`;
      for (const name of [otherNamespace, legacy, foreign]) await mkdir(path.join(parent, name));

      assert.deepEqual(await sweepStalePrivateRoots(parent), [stale]);
      assert.deepEqual(
        (await readdir(parent)).sort(),
        [path.basename(own.dir), alive, link, otherNamespace, legacy, foreign].sort(),
      );
      assert.equal(await readFile(path.join(victim, 'keep.txt'), 'utf8'), 'keep');
    } finally {
      live.kill();
      await own.cleanup();
    }
  });

  test('a parent that cannot be read sweeps nothing and does not fail', async () => {
    assert.deepEqual(await sweepStalePrivateRoots('/nonexistent-ksd-parent'), []);
  });
});

describe('replaceFile (decrypt --in-place)', () => {
  test('replaces the file atomically, keeps its mode, and writes through a symlink', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-in-place-'));
    const file = path.join(dir, 'secret.enc.yaml');
    await writeFile(file, 'sops: encrypted\n', { mode: 0o640 });
    await chmod(file, 0o640);
    await replaceFile(file, 'password: canary\n');
    assert.equal(await readFile(file, 'utf8'), 'password: canary\n');
    assert.equal((await stat(file)).mode & 0o777, 0o640);
    const link = path.join(dir, 'link.yaml');
    await symlink(file, link);
    await replaceFile(link, 'password: two\n');
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link stays a link');
    assert.equal(await readFile(file, 'utf8'), 'password: two\n');
    assert.deepEqual((await readdir(dir)).sort(), ['link.yaml', 'secret.enc.yaml']);
  });

  test('a missing file is a clear error', async () => {
    await assert.rejects(
      replaceFile('/nonexistent-ksd/secret.yaml', 'x'),
      (e: unknown) =>
        e instanceof UserError && /^cannot write \/nonexistent-ksd\/secret.yaml: /.test(e.message),
    );
  });
});
