/**
 * The Action's own checkout against a real git smart-HTTP server (`git http-backend` behind
 * GitHub's token check, the `git-http` component): an empty or missing workspace gets the
 * triggering commit, a rejected token is one clear error, a workspace with other files is
 * never overwritten, and the token is nowhere in the logs, argv or .git.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { parseConfig, repositoryPaths } from '../../src/commands/index.ts';
import { checkoutRepository } from '../../src/git/checkout.ts';
import { basicCredential } from '../../src/git/auth.ts';
import type { Exec } from '../../src/ports.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { createRemote, git, gitEnv, readTree, type Remote } from '../support/git-remote.ts';

let remote: Remote;

before(async () => {
  remote = await createRemote([
    { 'apps/config.yaml': 'first\n', 'README.md': 'one\n' },
    { 'apps/config.yaml': 'second\n' },
  ]);
});

/** nodeExec that records each command line and environment, to prove the token is only in the environment. */
function recordingExec(calls: { args: readonly string[]; env: Record<string, string | undefined> }[]): Exec {
  return {
    run: (command, args, options) => {
      calls.push({ args: [command, ...args], env: { ...options?.env } });
      return nodeExec.run(command, args, options);
    },
  };
}

function checkout(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  exec: Exec = nodeExec,
) {
  const host = createMemoryHost();
  const request = {
    workspace,
    env: {
      ...gitEnv(workspace),
      HOME: path.dirname(workspace),
      GITHUB_SERVER_URL: remote.serverUrl,
      GITHUB_REPOSITORY: remote.repository,
      GITHUB_SHA: remote.commits[1] ?? '',
      GITHUB_REF: 'refs/heads/main',
      ...env,
    },
    // The paths the configured command reads, as the Action passes them.
    paths: repositoryPaths(parseConfig((name) => inputs[name] ?? '', {})),
    token: inputs['github-token'] ?? '',
    host,
    exec,
  };
  return { host, result: checkoutRepository(request) };
}

function assertNoToken(text: string, token: string): void {
  assert.ok(!text.includes(token), 'the token leaked');
  assert.ok(!text.includes(basicCredential(token)), 'the token leaked as its basic credential');
}

test('an empty workspace gets the triggering commit, detached, one commit deep', async () => {
  const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  const calls: { args: readonly string[]; env: Record<string, string | undefined> }[] = [];
  const { host, result } = checkout(
    workspace,
    { command: 'build', path: 'apps', 'github-token': remote.token },
    {},
    recordingExec(calls),
  );
  assert.equal(await result, true);
  assert.equal(await readFile(path.join(workspace, 'apps', 'config.yaml'), 'utf8'), 'second\n');
  assert.equal(await git(workspace, 'rev-parse', 'HEAD'), remote.commits[1]);
  assert.equal(await git(workspace, 'rev-parse', '--is-shallow-repository'), 'true');
  assert.equal(
    await git(workspace, 'symbolic-ref', '-q', '--short', 'HEAD').catch(() => 'detached'),
    'detached',
  );
  assert.deepEqual(host.secrets.slice(0, 2), [remote.token, basicCredential(remote.token)]);
  const line = host.logs.find((l) => l.startsWith('checked out '));
  assert.equal(
    line,
    `checked out ${remote.repository} at ${remote.commits[1] ?? ''} (refs/heads/main) into ${workspace}, depth 1, with github-token`,
  );
  assert.ok(host.logs.includes('group: checkout'));
  // The token went to git only through the environment: never argv, never .git.
  assert.ok(calls.some((c) => c.args.includes('fetch')));
  for (const call of calls) assertNoToken(call.args.join(' '), remote.token);
  assertNoToken(await readTree(path.join(workspace, '.git')), remote.token);
  assertNoToken(host.allText(), remote.token);
});

test('a missing workspace is created; a command that reads no files checks nothing out', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  const workspace = path.join(parent, 'work', 'repo');
  const { result } = checkout(workspace, { command: 'lint', 'github-token': remote.token });
  assert.equal(await result, true);
  assert.ok(existsSync(path.join(workspace, 'README.md')));

  const other = path.join(parent, 'other');
  const none = checkout(other, { command: 'apply', manifests: 'm.yaml', 'github-token': remote.token });
  assert.equal(await none.result, false);
  assert.ok(!existsSync(other));
});

test('a rejected or missing token is one line naming the repository, with a hint', async () => {
  const cases: [string, RegExp][] = [
    ['ghs_wrongToken000000000000000000000000', /the github-token was rejected \(HTTP 401\)$/],
    ['', /github-token is empty/],
  ];
  for (const [token, pattern] of cases) {
    const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
    const { host, result } = checkout(workspace, { command: 'lint', 'github-token': token });
    await assert.rejects(result, (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'CHECKOUT_FAILED');
      assert.match(error.message, pattern);
      assert.match(error.message, new RegExp(remote.repository));
      assert.ok(!error.message.includes('\n'));
      assert.match(error.hint ?? '', /actions\/checkout/);
      if (token !== '') {
        assertNoToken(`${error.message}\n${error.report ?? ''}`, token);
        assertNoToken(host.allText(), token);
      }
      return true;
    });
  }
});

test('a repository the server does not have is a 404 with the same hint', async () => {
  const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  const { result } = checkout(
    workspace,
    { command: 'lint', 'github-token': remote.token },
    { GITHUB_REPOSITORY: 'ksd-test/no-such-repo' },
  );
  await assert.rejects(result, /ksd-test\/no-such-repo@.*: the repository was not found/);
});

test('a workspace with other files is never overwritten', async () => {
  const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  await mkdir(path.join(workspace, 'apps'));
  await writeFile(path.join(workspace, 'apps', 'config.yaml'), 'local\n');
  // Its paths are there: used as they are.
  const present = checkout(workspace, { command: 'build', path: 'apps', 'github-token': remote.token });
  assert.equal(await present.result, false);
  assert.ok(present.host.logs.some((l) => /not a git checkout; using the files already in it/.test(l)));
  // They are not: a clear error, and nothing is touched.
  const missing = checkout(workspace, {
    command: 'build',
    path: 'clusters/prod',
    'github-token': remote.token,
  });
  await assert.rejects(missing.result, /has files but no git checkout, and clusters\/prod is not there/);
  assert.equal(await readFile(path.join(workspace, 'apps', 'config.yaml'), 'utf8'), 'local\n');
  assert.ok(!existsSync(path.join(workspace, '.git')));
});

test('a checkout made by actions/checkout is left alone; our own moves to the new commit', async () => {
  const theirs = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  await git(theirs, 'init', '--quiet');
  const left = checkout(theirs, { command: 'lint', 'github-token': remote.token });
  assert.equal(await left.result, false);

  const ours = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  const first = checkout(
    ours,
    { command: 'lint', 'github-token': remote.token },
    { GITHUB_SHA: remote.commits[0] ?? '' },
  );
  assert.equal(await first.result, true);
  await writeFile(path.join(ours, 'left-over.txt'), 'from the last job\n');
  // The same commit again (a second step of the same job): nothing is touched.
  const same = checkout(
    ours,
    { command: 'lint', 'github-token': remote.token },
    { GITHUB_SHA: remote.commits[0] ?? '' },
  );
  assert.equal(await same.result, false);
  assert.ok(existsSync(path.join(ours, 'left-over.txt')));
  // A later run on a reused runner: the new commit, and no files of the old job.
  const next = checkout(ours, { command: 'lint', 'github-token': remote.token });
  assert.equal(await next.result, true);
  assert.equal(await git(ours, 'rev-parse', 'HEAD'), remote.commits[1]);
  assert.equal(await readFile(path.join(ours, 'apps', 'config.yaml'), 'utf8'), 'second\n');
  assert.ok(!existsSync(path.join(ours, 'left-over.txt')));
});

test('a server that refuses unadvertised SHAs falls back to GITHUB_REF, and a moved ref is an error', async () => {
  const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-checkout-'));
  // Protocol v0 only serves advertised tips; this also proves our GIT_CONFIG_* entries are
  // appended after the environment's own instead of replacing them.
  const { result } = checkout(
    workspace,
    { command: 'lint', 'github-token': remote.token },
    {
      GITHUB_SHA: remote.commits[0] ?? '',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'protocol.version',
      GIT_CONFIG_VALUE_0: '0',
    },
  );
  await assert.rejects(
    result,
    new RegExp(
      `refs/heads/main of ${remote.repository} no longer points at ${(remote.commits[0] ?? '').slice(0, 12)}`,
    ),
  );
});
