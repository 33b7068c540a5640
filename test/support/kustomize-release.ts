/**
 * A local kustomize release server for kustomize-version tests: the test environment's real
 * kustomize, tarred and gzipped by the system tar as a release archive, and a checksums.txt,
 * served on 127.0.0.1 in GitHub's release layout (`<base>/kustomize%2Fv<version>/<file>`).
 * Under `/good` checksums.txt lists the archive's sha256; under `/bad` another one. Every
 * request path is recorded, so tests can count downloads.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { releaseAssetName } from '../../src/kustomize/install.ts';
import { tool } from './tools.ts';

const run = promisify(execFile);

export interface KustomizeReleaseServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The real kustomize's version, without the `v`. */
  readonly version: string;
  /** The archive name for this machine. */
  readonly asset: string;
  /** Every request path answered, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function startKustomizeReleaseServer(): Promise<KustomizeReleaseServer> {
  const real = await tool('kustomize');
  const printed = (await run(real, ['version'])).stdout.trim();
  const version = /^v?(\d+\.\d+\.\d+)/.exec(printed)?.[1] ?? '';
  assert.notEqual(version, '', `kustomize version printed ${printed}`);
  const asset = releaseAssetName(version, platform(), arch());

  const work = await mkdtemp(path.join(tmpdir(), 'ksd-kv-archive-'));
  await copyFile(real, path.join(work, 'kustomize'));
  const archivePath = path.join(work, asset);
  await run('tar', ['-czf', archivePath, '-C', work, 'kustomize']);
  const archive = await readFile(archivePath);
  const sha = createHash('sha256').update(archive).digest('hex');
  const other = createHash('sha256').update('not the archive').digest('hex');
  const tag = `kustomize%2Fv${version}`;
  const files = new Map<string, Uint8Array | string>([
    [`/good/${tag}/${asset}`, archive],
    [`/good/${tag}/checksums.txt`, `${other}  kustomize_v${version}_other_os.tar.gz\n${sha}  ${asset}\n`],
    [`/bad/${tag}/${asset}`, archive],
    [`/bad/${tag}/checksums.txt`, `${other}  ${asset}\n`],
  ]);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    version,
    asset,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
