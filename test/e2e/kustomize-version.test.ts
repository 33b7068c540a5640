/**
 * kustomize-version in the bundled CLI and Action, as users run them. The CLI installs the
 * release from the local release server (test/support/kustomize-release.ts) and builds with it,
 * naming it in its first log line. The Action takes a copy already in RUNNER_TOOL_CACHE and names
 * it in the job summary; and it never asks the server that KSD_KUSTOMIZE_DOWNLOAD_URL names,
 * since an earlier step of a job could set that variable.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toolPath } from '../env/paths.ts';
import { startKustomizeReleaseServer, type KustomizeReleaseServer } from '../support/kustomize-release.ts';
import { runAction, runCli } from '../support/run-dist.ts';

let release: KustomizeReleaseServer;

before(async () => {
  release = await startKustomizeReleaseServer();
});

after(async () => {
  await release.close();
});

/** A one-ConfigMap kustomization in a fresh git repository. */
async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kv-'));
  await writeFile(path.join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\nnamePrefix: pinned-\n');
  await writeFile(
    path.join(dir, 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n',
  );
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

test('the CLI downloads, verifies and builds with the release, and says so first', async () => {
  const dir = await project();
  const cache = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kv-cache-'));
  const env = { PATH: '', XDG_CACHE_HOME: cache, KSD_KUSTOMIZE_DOWNLOAD_URL: `${release.origin}/good` };
  const args = ['build', dir, '--kustomize-version', `v${release.version}`];
  const first = await runCli(args, env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout.toString(), /name: pinned-settings/);
  const lines = first.stderr.split('\n');
  assert.equal(
    lines[0],
    `kustomize v${release.version}: downloading ${release.asset} from ${release.origin}`,
  );
  assert.match(lines[1] ?? '', new RegExp(`^building with kustomize v${release.version} \\(${cache}/`));
  const again = await runCli(args, env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stderr.split('\n')[0] ?? '',
    new RegExp(`^building with kustomize v${release.version} `),
  );
  assert.equal(release.requests.length, 2, 'the second run downloads nothing');

  const bad = await runCli(['build', dir, '--kustomize-version', release.version], {
    ...env,
    XDG_CACHE_HOME: await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kv-cache-')),
    KSD_KUSTOMIZE_DOWNLOAD_URL: `${release.origin}/bad`,
  });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^error: kustomize v[\d.]+: \S+ has sha256 [0-9a-f]{64}, but the release's checksums\.txt says/m,
  );
});

// A bound on the GitHub attempt below, where a network may drop packets instead of refusing.
test(
  'the Action uses RUNNER_TOOL_CACHE, names it in the summary, and ignores KSD_KUSTOMIZE_DOWNLOAD_URL',
  { timeout: 120_000 },
  async () => {
    const dir = await project();
    const toolCache = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kv-runner-'));
    const cached = path.join(toolCache, 'kustomize', release.version, arch());
    await mkdir(cached, { recursive: true });
    await copyFile(toolPath('kustomize'), path.join(cached, 'kustomize'));
    const before = release.requests.length;
    const inputs = { command: 'build', path: '.', 'kustomize-version': release.version };
    const env = {
      GITHUB_WORKSPACE: dir,
      RUNNER_TOOL_CACHE: toolCache,
      KSD_KUSTOMIZE_DOWNLOAD_URL: `${release.origin}/good`,
    };
    const result = await runAction(inputs, env);
    assert.equal(result.code, 0, `${result.stdout.toString()}\n${result.stderr}`);
    const binary = path.join(cached, 'kustomize');
    assert.match(
      result.stdout.toString(),
      new RegExp(`^building with kustomize v${release.version} \\(${binary}\\)$`, 'm'),
    );
    assert.match(result.summary, new RegExp(`Built with kustomize v${release.version} \\(${binary}\\)`));

    // With nothing cached the Action goes to GitHub (and fails here, with no network, or
    // succeeds): never to the server the variable names.
    const empty = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kv-runner-'));
    const fresh = await runAction(inputs, { ...env, RUNNER_TOOL_CACHE: empty });
    assert.match(
      fresh.stdout.toString(),
      new RegExp(`downloading ${release.asset} from https://github\\.com`),
    );
    assert.equal(release.requests.length, before);
  },
);
