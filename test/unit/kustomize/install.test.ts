/**
 * The parts of kustomize-version that need no real kustomize: archive names per machine, the
 * checksum list, and the refusals (no line for the archive, not a .tar.gz, no kustomize in it,
 * a cache folder others can write). The download itself, with a real archive, is
 * test/integration/kustomize-version.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import {
  installKustomize,
  parseChecksums,
  parseKustomizeVersion,
  releaseAssetName,
} from '../../../src/kustomize/install.ts';
import type { FetchLike } from '../../../src/ports.ts';

test('the release archive for each machine kustomize publishes one for', () => {
  const cases: [string, string, string | RegExp][] = [
    ['linux', 'x64', 'kustomize_v5.8.2_linux_amd64.tar.gz'],
    ['linux', 'arm64', 'kustomize_v5.8.2_linux_arm64.tar.gz'],
    ['linux', 'ppc64', 'kustomize_v5.8.2_linux_ppc64le.tar.gz'],
    ['linux', 's390x', 'kustomize_v5.8.2_linux_s390x.tar.gz'],
    ['darwin', 'x64', 'kustomize_v5.8.2_darwin_amd64.tar.gz'],
    ['darwin', 'arm64', 'kustomize_v5.8.2_darwin_arm64.tar.gz'],
    ['win32', 'x64', /^kustomize-version cannot install kustomize on win32\/x64$/],
    ['linux', 'ia32', /^kustomize-version cannot install kustomize on linux\/ia32$/],
  ];
  for (const [platform, arch, expected] of cases) {
    if (typeof expected === 'string') {
      assert.equal(releaseAssetName('5.8.2', platform, arch), expected);
    } else {
      assert.throws(
        () => releaseAssetName('5.8.2', platform, arch),
        (e: unknown) => e instanceof UserError && e.code === 'UNSUPPORTED' && expected.test(e.message),
      );
    }
  }
});

test('versions: 5.8.2 and v5.8.2 are the same; anything that is not x.y.z is refused', () => {
  assert.equal(parseKustomizeVersion('v5.8.2'), '5.8.2');
  assert.equal(parseKustomizeVersion('5.8.2'), '5.8.2');
  for (const bad of ['', 'latest', 'v5', '5.8.2-rc1', 'kustomize/v5.8.2', '5.8.2%2F..']) {
    assert.throws(() => parseKustomizeVersion(bad), /expected a kustomize release such as 5\.8\.2/, bad);
  }
});

test("checksums.txt as goreleaser writes it (and sha256sum's binary-mode star)", () => {
  const a = 'A'.repeat(64);
  const b = 'b'.repeat(64);
  const text = `${a}  kustomize_v5.8.2_linux_amd64.tar.gz\r\n${b} *kustomize_v5.8.2_darwin_arm64.tar.gz\nnot a line\n`;
  assert.deepEqual(
    parseChecksums(text),
    new Map([
      ['kustomize_v5.8.2_linux_amd64.tar.gz', 'a'.repeat(64)],
      ['kustomize_v5.8.2_darwin_arm64.tar.gz', b],
    ]),
  );
});

const ASSET = 'kustomize_v5.8.2_linux_amd64.tar.gz';

/** A release server double: checksums.txt and the archive, by file name. */
function serve(archive: Uint8Array, checksums?: string): FetchLike {
  const sha = createHash('sha256').update(archive).digest('hex');
  const files = new Map<string, Uint8Array | string>([
    ['checksums.txt', checksums ?? `${sha}  ${ASSET}\n`],
    [ASSET, archive],
  ]);
  return (url) => {
    const body = files.get(url.slice(url.lastIndexOf('/') + 1));
    return Promise.resolve(new Response(body ?? 'Not Found', { status: body === undefined ? 404 : 200 }));
  };
}

/** A one-entry tar (ustar header by hand, so the test needs no tar binary). */
function tarOf(name: string, content: string): Uint8Array {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000755\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  data.write(content);
  return Buffer.concat([header, data, Buffer.alloc(1024)]);
}

test('refused before anything reaches the cache', async () => {
  const cases: { name: string; fetch: FetchLike; code: string; message: RegExp }[] = [
    {
      name: 'checksums.txt has no line for the archive',
      fetch: serve(gzipSync(tarOf('kustomize', '#!/bin/sh\n')), `${'0'.repeat(64)}  other.tar.gz\n`),
      code: 'CHECKSUM_MISMATCH',
      message: /^kustomize v5\.8\.2: checksums\.txt lists no kustomize_v5\.8\.2_linux_amd64\.tar\.gz$/,
    },
    {
      name: 'the archive is not gzip',
      fetch: serve(Buffer.from('<html>not an archive</html>')),
      code: 'BAD_FORMAT',
      message: /^kustomize_v5\.8\.2_linux_amd64\.tar\.gz is not a readable \.tar\.gz: /,
    },
    {
      name: 'the archive holds no kustomize',
      fetch: serve(gzipSync(tarOf('README.md', 'hello\n'))),
      code: 'BAD_FORMAT',
      message: /^kustomize_v5\.8\.2_linux_amd64\.tar\.gz holds no kustomize file$/,
    },
  ];
  for (const c of cases) {
    const toolCache = await mkdtemp(path.join(tmpdir(), 'ksd-install-'));
    const release = { version: '5.8.2', downloadUrl: 'http://127.0.0.1:9/releases', toolCache };
    await assert.rejects(
      installKustomize(release, {
        log: createMemoryHost(),
        env: {},
        fetch: c.fetch,
        platform: 'linux',
        arch: 'x64',
      }),
      (e: unknown) => e instanceof UserError && e.code === c.code && c.message.test(e.message),
      c.name,
    );
    assert.deepEqual(await readdir(toolCache), [], c.name);
  }
});

test('a tar.gz whose kustomize is there installs it, 0755, and a second call reuses it', async () => {
  const toolCache = await mkdtemp(path.join(tmpdir(), 'ksd-install-'));
  const release = { version: '5.8.2', downloadUrl: 'http://127.0.0.1:9/releases', toolCache };
  let requests = 0;
  const inner = serve(gzipSync(tarOf('./kustomize', '#!/bin/sh\necho v5.8.2\n')));
  const fetch: FetchLike = (url, init) => {
    requests++;
    return inner(url, init);
  };
  const deps = { log: createMemoryHost(), env: {}, fetch, platform: 'linux', arch: 'x64' };
  const binary = await installKustomize(release, deps);
  assert.equal(binary, path.join(toolCache, 'kustomize', '5.8.2', 'x64', 'kustomize'));
  assert.equal(requests, 2);
  assert.equal((await stat(binary)).mode & 0o777, 0o755);
  assert.equal(await installKustomize(release, deps), binary);
  assert.equal(requests, 2);
});

test('the per-user cache is refused when others can write it', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-install-'));
  const uid = process.getuid?.() ?? 0;
  await mkdir(path.join(parent, `kustomize-sops-deploy-tools-${uid}`));
  await chmod(path.join(parent, `kustomize-sops-deploy-tools-${uid}`), 0o777);
  const release = { version: '5.8.2', downloadUrl: 'http://127.0.0.1:9/releases', toolCache: undefined };
  await assert.rejects(
    installKustomize(release, {
      log: createMemoryHost(),
      env: { XDG_CACHE_HOME: parent },
      fetch: () => Promise.reject(new Error('no request expected')),
    }),
    /^UserError: kustomize-version needs a cache folder that only this user can write$/,
  );
});
