/**
 * `kustomize-version` against a local release server (test/support/kustomize-release.ts): a
 * real kustomize archive (the test environment's kustomize, tarred and gzipped by the system
 * tar) and its checksums.txt, served in GitHub's release layout on 127.0.0.1. The build runs
 * with the installed kustomize (PATH is empty) and names it; a second run downloads nothing; a
 * wrong checksum and a missing release are refused with a message naming the version.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { renderManifests } from '../../src/commands/build-run.ts';
import { parseBuildConfig } from '../../src/config/build.ts';
import { UserError } from '../../src/errors.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { DEFAULT_KUSTOMIZE_DOWNLOAD_URL, installKustomize } from '../../src/kustomize/install.ts';
import { commandDeps } from '../support/command-deps.ts';
import { startKustomizeReleaseServer, type KustomizeReleaseServer } from '../support/kustomize-release.ts';

const run = promisify(execFile);
const uid = process.getuid?.() ?? 0;

let release: KustomizeReleaseServer;
let version = '';
let asset = '';
let origin = '';
let requests: readonly string[] = [];

before(async () => {
  release = await startKustomizeReleaseServer();
  ({ version, asset, origin, requests } = release);
});

after(async () => {
  await release.close();
});

/** A one-ConfigMap kustomization in a fresh folder. */
async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-kv-project-'));
  await writeFile(path.join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\nnamePrefix: pinned-\n');
  await writeFile(
    path.join(dir, 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n',
  );
  return dir;
}

/** `build DIR --kustomize-version V` on the CLI, with no kustomize or kubectl on PATH. */
async function buildWith(options: { cache: string; base: string; version: string }) {
  const dir = await project();
  const inputs: Record<string, string> = { path: dir, root: dir, 'kustomize-version': options.version };
  const env = {
    PATH: '',
    HOME: '/nonexistent-home',
    XDG_CACHE_HOME: options.cache,
    KSD_KUSTOMIZE_DOWNLOAD_URL: `${origin}${options.base}`,
  };
  const config = parseBuildConfig((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
  const host = createMemoryHost();
  try {
    const yaml = await renderManifests(config, commandDeps(host));
    return { yaml, host, error: undefined };
  } catch (error) {
    return { yaml: '', host, error };
  }
}

test('the build downloads the release, verifies it, and runs with it; the first log line and the summary name it', async () => {
  const cache = await mkdtemp(path.join(tmpdir(), 'ksd-kv-cache-'));
  const before = requests.length;
  const { yaml, host, error } = await buildWith({ cache, base: '/good', version: `v${version}` });
  assert.equal(error, undefined, String(error));
  assert.match(yaml, /name: pinned-settings/);
  const binary = path.join(
    cache,
    `kustomize-sops-deploy-tools-${uid}`,
    'kustomize',
    version,
    arch(),
    'kustomize',
  );
  assert.match(
    host.logs[0] ?? '',
    new RegExp(`^kustomize v${version}: downloading ${asset} from ${origin}$`),
  );
  assert.ok(host.logs.includes(`building with kustomize v${version} (${binary})`), host.logs.join('\n'));
  assert.deepEqual(host.summary, [`Built with kustomize v${version} (${binary}).\n`]);
  assert.deepEqual(requests.slice(before), [
    `/good/kustomize%2Fv${version}/checksums.txt`,
    `/good/kustomize%2Fv${version}/${asset}`,
  ]);
  assert.equal((await stat(binary)).mode & 0o777, 0o755);
  // The tool-cache layout: the marker beside the folder, and no staging folder left behind.
  const versionDir = path.dirname(path.dirname(binary));
  assert.deepEqual((await readdir(versionDir)).sort(), [arch(), `${arch()}.complete`].sort());
  // The per-user cache folder is private.
  assert.equal((await stat(path.join(cache, `kustomize-sops-deploy-tools-${uid}`))).mode & 0o777, 0o700);

  // A second run finds it in the cache: no request, and the first line is the kustomize used.
  const again = await buildWith({ cache, base: '/good', version });
  assert.equal(again.error, undefined, String(again.error));
  assert.equal(requests.length, before + 2);
  assert.equal(
    again.host.logs.find((l) => !l.startsWith('debug: ')),
    `building with kustomize v${version} (${binary})`,
  );
  assert.equal(again.yaml, yaml);
});

test('an archive whose sha256 is not the one checksums.txt lists is refused, and nothing is cached', async () => {
  const cache = await mkdtemp(path.join(tmpdir(), 'ksd-kv-cache-'));
  const { error } = await buildWith({ cache, base: '/bad', version });
  assert.ok(error instanceof UserError, String(error));
  assert.equal(error.code, 'CHECKSUM_MISMATCH');
  assert.match(
    error.message,
    new RegExp(
      `^kustomize v${version}: ${asset} has sha256 [0-9a-f]{64}, but the release's checksums.txt says [0-9a-f]{64}; not using it$`,
    ),
  );
  assert.deepEqual(await readdir(path.join(cache, `kustomize-sops-deploy-tools-${uid}`)), []);
});

test('a release that does not exist (404) is a clear error naming the version', async () => {
  const cache = await mkdtemp(path.join(tmpdir(), 'ksd-kv-cache-'));
  const { error } = await buildWith({ cache, base: '/good', version: '9.9.9' });
  assert.ok(error instanceof UserError, String(error));
  assert.equal(error.code, 'DOWNLOAD_FAILED');
  assert.equal(
    error.message,
    `kustomize v9.9.9 has no checksums.txt (HTTP 404 from ${origin}/good/kustomize%2Fv9.9.9/checksums.txt)`,
  );
  assert.match(error.hint ?? '', /kubernetes-sigs\/kustomize\/releases/);
});

test('in the Action: RUNNER_TOOL_CACHE/kustomize/<version>/<arch>, and KSD_KUSTOMIZE_DOWNLOAD_URL is ignored', async () => {
  const toolCache = await mkdtemp(path.join(tmpdir(), 'ksd-kv-runner-'));
  const inputs: Record<string, string> = { path: '.', 'kustomize-version': version };
  const env = { RUNNER_TOOL_CACHE: toolCache, KSD_KUSTOMIZE_DOWNLOAD_URL: `${origin}/good` };
  const config = parseBuildConfig((name) => inputs[name] ?? '', env, { stdoutIsLog: true, action: true });
  assert.deepEqual(config.kustomizeRelease, {
    version,
    downloadUrl: DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
    toolCache,
  });
  // The layout, installed from the local server (the Action itself would ask GitHub).
  const release = { ...config.kustomizeRelease, downloadUrl: `${origin}/good` };
  const host = createMemoryHost();
  // Two runs at once: each renames a whole copy into place or finds the other's.
  const [first, second] = await Promise.all([
    installKustomize(release, { log: host, env: {} }),
    installKustomize(release, { log: host, env: {} }),
  ]);
  const binary = path.join(toolCache, 'kustomize', version, arch(), 'kustomize');
  assert.equal(first, binary);
  assert.equal(second, binary);
  assert.match((await run(binary, ['version'])).stdout, new RegExp(`v${version}`));
  assert.deepEqual(
    (await readdir(path.join(toolCache, 'kustomize', version))).sort(),
    [arch(), `${arch()}.complete`].sort(),
  );
});
