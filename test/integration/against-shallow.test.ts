/**
 * `diff --against REF` in a one-commit-deep, single-branch clone (what actions/checkout leaves
 * by default): branch and tag names, `origin/NAME` and `HEAD~N` are fetched from origin when
 * they do not resolve, and nothing is fetched when they do. Over HTTP, the Action's
 * github-token authenticates the fetch through the environment only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { diffCommand } from '../../src/commands/diff.ts';
import { UserError } from '../../src/errors.ts';
import { basicCredential, gitAuthFor } from '../../src/git/auth.ts';
import type { Exec } from '../../src/ports.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { resolveRef } from '../../src/git/resolve-ref.ts';
import { createRemote, git, gitEnv, readTree, type Remote } from '../support/git-remote.ts';
import { commandDeps } from '../support/command-deps.ts';
import { tool } from '../support/tools.ts';

let remote: Remote;

const configMap = (value: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  setting: ${value}\n`;

before(async () => {
  // main: one, two, three; `topic` is main's tip, `release` and tag v1 the first commit.
  remote = await createRemote(
    [
      { 'app/kustomization.yaml': 'resources:\n  - config.yaml\n', 'app/config.yaml': configMap('one') },
      { 'app/config.yaml': configMap('two') },
      { 'app/config.yaml': configMap('three') },
    ],
    { topic: 2, release: 0 },
  );
  await git(remote.bare, 'tag', 'v1', remote.commits[0] ?? '');
});

/** `git clone --depth=1 --branch=topic file://...`: shallow and single-branch, as actions/checkout leaves it. */
async function shallowClone(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-shallow-'));
  await git(dir, 'clone', '--quiet', '--depth=1', '--branch=topic', remote.fileUrl, 'repo');
  const repo = path.join(dir, 'repo');
  assert.equal(await git(repo, 'rev-parse', '--is-shallow-repository'), 'true');
  return repo;
}

function recordingExec(calls: string[][]): Exec {
  return {
    run: (command, args, options) => {
      calls.push([command, ...args]);
      return nodeExec.run(command, args, options);
    },
  };
}

test('refs a shallow clone lacks are fetched; refs it has are not', async () => {
  const [one, two, three] = remote.commits;
  const cases: [string, string | undefined, boolean][] = [
    // ref, the commit it must name, whether a fetch is expected
    ['HEAD', three, false],
    ['topic', three, false],
    [three ?? '', three, false],
    ['main', three, true],
    ['main~0', three, true],
    ['main~2', one, true],
    ['origin/main~1', two, true],
    ['release', one, true],
    ['v1', one, true],
    ['HEAD~1', two, true],
    ['HEAD~2', one, true],
    ['HEAD^', two, true],
  ];
  for (const [ref, expected, fetches] of cases) {
    const repo = await shallowClone();
    const calls: string[][] = [];
    const commit = await resolveRef(repo, ref, recordingExec(calls), gitEnv(repo));
    assert.equal(commit, expected, ref);
    assert.equal(
      calls.some((c) => c[1] === 'fetch'),
      fetches,
      `${ref}: ${calls.map((c) => c.join(' ')).join('; ')}`,
    );
  }
});

test('a ref origin does not have either is one error saying the fetch failed', async () => {
  const repo = await shallowClone();
  await assert.rejects(resolveRef(repo, 'no-such-branch', nodeExec, gitEnv(repo)), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.equal(error.code, 'USAGE');
    assert.match(error.message, /git ref "no-such-branch" is not in .*, and fetching it from origin failed/);
    return true;
  });
});

test('in the Action, the fetch over HTTP authenticates with github-token through the environment', async () => {
  const repo = await shallowClone();
  await git(repo, 'remote', 'set-url', 'origin', `${remote.serverUrl}/${remote.repository}.git`);
  const actionEnv = { ...gitEnv(repo), GITHUB_SERVER_URL: remote.serverUrl };
  const auth = gitAuthFor(remote.token, actionEnv);
  const calls: string[][] = [];
  assert.equal(await resolveRef(repo, 'main~1', recordingExec(calls), actionEnv, auth), remote.commits[1]);
  for (const call of calls) assert.ok(!call.join(' ').includes(remote.token));
  const dotGit = await readTree(path.join(repo, '.git'));
  assert.ok(!dotGit.includes(remote.token) && !dotGit.includes(basicCredential(remote.token)));
  // Without the Action's token (the CLI, with no credentials of its own) the server refuses.
  await assert.rejects(resolveRef(repo, 'release', nodeExec, actionEnv), /fetching it from origin failed/);
});

test('diff --against HEAD~1 in a shallow clone compares with the parent commit', async () => {
  const repo = await shallowClone();
  await writeFile(path.join(repo, 'app', 'config.yaml'), configMap('four'));
  const inputs: Record<string, string> = {
    path: path.join(repo, 'app'),
    against: 'HEAD~1',
    'kustomize-path': await tool('kustomize'),
  };
  const config = diffCommand.parse((name) => inputs[name] ?? '', gitEnv(repo), { stdoutIsLog: false });
  const host = createMemoryHost();
  const code = await diffCommand.run(config, commandDeps(host));
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.equal(code, 1, stdout);
  assert.match(stdout, /^-\s+setting: two$/m);
  assert.match(stdout, /^\+\s+setting: four$/m);
});
