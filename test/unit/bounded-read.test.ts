import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import {
  readFileBounded,
  readRealFileBoundedSync,
  readStreamBounded,
  tryReadFileBoundedSync,
} from '../../src/bounded-read.ts';
import { UserError } from '../../src/errors.ts';

let repo: string;
let outside: string;

before(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'ksd-bounded-'));
  repo = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  await mkdir(path.join(repo, 'apps'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(repo, 'apps', 'cm.yaml'), 'kind: ConfigMap\n');
  await writeFile(path.join(outside, 'runner-secret'), 'TOKEN=abc\n');
  await writeFile(path.join(repo, 'big.yaml'), 'x'.repeat(2000));
  await symlink('cm.yaml', path.join(repo, 'apps', 'inside-link.yaml'));
  await symlink('/dev/zero', path.join(repo, 'zero.yaml'));
  await symlink(path.join(outside, 'runner-secret'), path.join(repo, 'exists-outside.yaml'));
  await symlink(path.join(outside, 'missing'), path.join(repo, 'missing-outside.yaml'));
  await symlink('../outside/runner-secret', path.join(repo, 'relative-outside.yaml'));
  await symlink(outside, path.join(repo, 'dir-outside'));
  await symlink('loop-b', path.join(repo, 'loop-a'));
  await symlink('loop-a', path.join(repo, 'loop-b'));
  execFileSync('mkfifo', [path.join(repo, 'fifo.yaml')]);
  await new Promise<void>((resolve) => {
    const server = createServer().listen(path.join(repo, 'socket.yaml'), () => {
      server.unref();
      resolve();
    });
  });
});

async function refusal(file: string, options: Parameters<typeof readFileBounded>[1]): Promise<UserError> {
  try {
    await readFileBounded(file, options);
  } catch (error) {
    assert.ok(error instanceof UserError, String(error));
    return error;
  }
  assert.fail(`${file} was read`);
}

describe('readFileBounded', () => {
  test('reads a regular file, and one through a symlink that stays inside', async () => {
    const opts = { maxBytes: 100, root: repo };
    assert.equal(
      (await readFileBounded(path.join(repo, 'apps', 'cm.yaml'), opts)).toString(),
      'kind: ConfigMap\n',
    );
    assert.equal(
      (await readFileBounded(path.join(repo, 'apps', 'inside-link.yaml'), opts)).toString(),
      'kind: ConfigMap\n',
    );
  });

  // Each of these used to be read: /dev/zero until V8 ran out of memory.
  const refused: readonly [file: string, code: string, message: RegExp][] = [
    ['zero.yaml', 'PATH_ESCAPE', /^zero\.yaml is outside the repository$/],
    ['exists-outside.yaml', 'PATH_ESCAPE', /^exists-outside\.yaml is outside the repository$/],
    // The same answer whether or not the target exists: nothing about outside files leaks.
    ['missing-outside.yaml', 'PATH_ESCAPE', /^missing-outside\.yaml is outside the repository$/],
    ['relative-outside.yaml', 'PATH_ESCAPE', /^relative-outside\.yaml is outside the repository$/],
    ['dir-outside/runner-secret', 'PATH_ESCAPE', /^dir-outside\/runner-secret is outside the repository$/],
    ['../outside/runner-secret', 'PATH_ESCAPE', /is outside the repository$/],
    ['fifo.yaml', 'UNSUPPORTED', /^fifo\.yaml is a FIFO, not a regular file$/],
    ['socket.yaml', 'UNSUPPORTED', /^socket\.yaml is a socket, not a regular file$/],
    ['apps', 'UNSUPPORTED', /^apps is a directory, not a regular file$/],
    ['loop-a', 'UNSUPPORTED', /symlink loop/],
    ['big.yaml', 'TOO_LARGE', /^big\.yaml is 2000 bytes; the limit is 1000$/],
    ['nothing.yaml', 'FILE_NOT_FOUND', /^nothing\.yaml does not exist$/],
  ];
  for (const [rel, code, message] of refused) {
    test(`refuses ${rel} (${code})`, async () => {
      const error = await refusal(path.join(repo, rel), { maxBytes: 1000, root: repo, name: rel });
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(outside), error.message);
    });
  }

  test('without a root, a device is still refused before it is read', async () => {
    const error = await refusal('/dev/zero', { maxBytes: 1000 });
    assert.equal(error.code, 'UNSUPPORTED');
    assert.match(error.message, /^\/dev\/zero is a device, not a regular file$/);
  });

  test('the read stops at the cap even when the size the file reports is wrong', async () => {
    // /proc files report size 0 and hold more than 10 bytes.
    const error = await refusal('/proc/self/status', { maxBytes: 10 });
    assert.equal(error.code, 'TOO_LARGE');
    assert.match(error.message, /more than 10 bytes/);
  });
});

describe('readRealFileBoundedSync (staging: a real path, checked again)', () => {
  const read = (file: string, maxBytes: number): Buffer =>
    readRealFileBoundedSync(file, { maxBytes, name: path.basename(file) });
  const sizes: [string, string, number][] = [
    ['a small file', 'apps/cm.yaml', 100],
    ['a file exactly at the cap', 'big.yaml', 2000],
  ];
  for (const [name, rel, maxBytes] of sizes) {
    test(`reads ${name} whole`, () => {
      assert.deepEqual(read(path.join(repo, rel), maxBytes), execFileSync('cat', [path.join(repo, rel)]));
    });
  }
  test('reads a file larger than one 64 KiB chunk whole', async () => {
    const file = path.join(repo, 'large.yaml');
    const data = Buffer.alloc(200_000, 'y');
    await writeFile(file, data);
    assert.deepEqual(read(file, 300_000), data);
  });

  const refused: readonly [file: string, maxBytes: number, code: string, message: RegExp][] = [
    // The walk resolved symlinks: one found here was swapped in since, and is not followed.
    ['apps/inside-link.yaml', 1000, 'UNSUPPORTED', /symlink/],
    ['zero.yaml', 1000, 'UNSUPPORTED', /^zero\.yaml is a device, not a regular file$/],
    ['fifo.yaml', 1000, 'UNSUPPORTED', /^fifo\.yaml is a FIFO, not a regular file$/],
    ['socket.yaml', 1000, 'UNSUPPORTED', /^socket\.yaml is a socket, not a regular file$/],
    ['apps', 1000, 'UNSUPPORTED', /^apps is a directory, not a regular file$/],
    ['big.yaml', 1999, 'TOO_LARGE', /^big\.yaml is 2000 bytes; the limit is 1999$/],
    ['nothing.yaml', 1000, 'FILE_NOT_FOUND', /^nothing\.yaml does not exist$/],
  ];
  for (const [rel, maxBytes, code, message] of refused) {
    test(`refuses ${rel} (${code})`, () => {
      assert.throws(
        () => read(path.join(repo, rel), maxBytes),
        (error: unknown) => {
          assert.ok(error instanceof UserError, String(error));
          assert.equal(error.code, code);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('the read stops at the cap even when the size the file reports is wrong', () => {
    assert.throws(() => readRealFileBoundedSync('/proc/self/status', { maxBytes: 10 }), {
      code: 'TOO_LARGE',
      message: /more than 10 bytes/,
    });
  });
});

describe('tryReadFileBoundedSync (lint: the common case, no symlink on the path)', () => {
  const opts = (): { maxBytes: number; root: string } => ({ maxBytes: 100, root: repo });
  test('reads a plain file inside the root', () => {
    assert.equal(
      tryReadFileBoundedSync(path.join(repo, 'apps', 'cm.yaml'), opts())?.toString(),
      'kind: ConfigMap\n',
    );
  });
  // Every symlink, inside or out, goes to readFileBounded, which resolves it against the root.
  const deferred = [
    'apps/inside-link.yaml',
    'zero.yaml',
    'exists-outside.yaml',
    'missing-outside.yaml',
    'relative-outside.yaml',
    'dir-outside/runner-secret',
    'loop-a',
    'no-such-file.yaml',
  ];
  for (const rel of deferred) {
    test(`leaves ${rel} to readFileBounded`, () => {
      assert.equal(tryReadFileBoundedSync(path.join(repo, rel), opts()), undefined);
    });
  }
  test('a file outside the root is left to readFileBounded too', () => {
    assert.equal(tryReadFileBoundedSync(path.join(outside, 'runner-secret'), opts()), undefined);
  });
  test('a FIFO, a socket or a file over the cap is refused as readFileBounded refuses it', () => {
    for (const [rel, code] of [
      ['fifo.yaml', 'UNSUPPORTED'],
      ['socket.yaml', 'UNSUPPORTED'],
      ['big.yaml', 'TOO_LARGE'],
    ] as const) {
      assert.throws(
        () => tryReadFileBoundedSync(path.join(repo, rel), opts()),
        (error: unknown) => error instanceof UserError && error.code === code,
        rel,
      );
    }
  });
});

describe('readStreamBounded (decrypt -: the cap holds while reading)', () => {
  /** An endless stream of 1 KiB chunks that records how much was pulled and whether it was closed. */
  function endless(): { stream: AsyncGenerator<Uint8Array>; pulled: () => number; closed: () => boolean } {
    let pulled = 0;
    let closed = false;
    async function* generate(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled += 1024;
          yield await Promise.resolve(new Uint8Array(1024));
        }
      } finally {
        closed = true;
      }
    }
    return { stream: generate(), pulled: () => pulled, closed: () => closed };
  }

  test('an endless stream stops just past the cap, is closed, and is a clear error', async () => {
    const input = endless();
    await assert.rejects(readStreamBounded(input.stream, { maxBytes: 10_000, name: 'the input' }), {
      name: 'UserError',
      code: 'TOO_LARGE',
      message: 'the input is more than 10000 bytes; the limit is 10000',
    });
    assert.equal(input.pulled(), 10_240, 'reading stopped at the first chunk past the cap');
    assert.ok(input.closed(), 'the stream was closed');
  });

  const sizes: [string, number][] = [
    ['empty', 0],
    ['under the cap', 3000],
    ['exactly the cap', 4096],
  ];
  for (const [name, size] of sizes) {
    test(`a stream ${name} is read whole`, async () => {
      const data = Buffer.alloc(size, 7);
      const chunks = [data.subarray(0, 1000), 'x', data.subarray(1000)];
      const got = await readStreamBounded(Readable.from(chunks), { maxBytes: 4097, name: 'the input' });
      assert.deepEqual(got, Buffer.concat([data.subarray(0, 1000), Buffer.from('x'), data.subarray(1000)]));
    });
  }
});
