/**
 * A one-step workflow: the bundled Action with an empty GITHUB_WORKSPACE checks out the
 * triggering commit itself from a real git smart-HTTP server with github-token, builds it,
 * and diffs against `HEAD~1` in its one-commit-deep checkout. A wrong token is one error
 * line. The token is in no log line (the runner's `::add-mask::` commands aside), output,
 * summary or file of the workspace's .git.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { basicCredential } from '../../src/git/auth.ts';
import { createRemote, git, readTree, type Remote } from '../support/git-remote.ts';
import { runAction, withoutMaskCommands, type ActionResult } from '../support/run-dist.ts';
import { tool } from '../support/tools.ts';

let remote: Remote;
let kustomize: string;

const configMap = (value: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  setting: ${value}\n`;

before(async () => {
  kustomize = await tool('kustomize');
  remote = await createRemote([
    { 'app/kustomization.yaml': 'resources:\n  - config.yaml\n', 'app/config.yaml': configMap('one') },
    { 'app/config.yaml': configMap('two') },
  ]);
});

async function runOneStep(
  inputs: Record<string, string>,
  token: string,
): Promise<{ result: ActionResult; workspace: string }> {
  const workspace = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-action-checkout-')), 'repo');
  const result = await runAction(
    { 'kustomize-path': kustomize, 'github-token': token, ...inputs },
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_SERVER_URL: remote.serverUrl,
      GITHUB_REPOSITORY: remote.repository,
      GITHUB_SHA: remote.commits[1] ?? '',
      GITHUB_REF: 'refs/heads/main',
    },
  );
  return { result, workspace };
}

async function assertNoToken(result: ActionResult, workspace: string, token: string): Promise<void> {
  const channels = [
    withoutMaskCommands(result.stdout.toString()),
    result.stderr,
    result.outputs,
    result.summary,
  ];
  let dotGit = '';
  try {
    dotGit = await readTree(path.join(workspace, '.git'));
  } catch {
    // No checkout was made (a rejected token): nothing on disk to search.
  }
  for (const text of [...channels, dotGit]) {
    assert.ok(!text.includes(token), 'the token leaked');
    assert.ok(!text.includes(basicCredential(token)), 'the token leaked as its basic credential');
  }
}

test('an empty workspace is checked out with github-token and built', async () => {
  const { result, workspace } = await runOneStep({ command: 'build', path: 'app' }, remote.token);
  const stdout = result.stdout.toString();
  assert.equal(result.code, 0, stdout + result.stderr);
  assert.match(stdout, /^::group::checkout$/m);
  assert.match(
    stdout,
    new RegExp(`^checked out ${remote.repository} at ${remote.commits[1] ?? ''} \\(refs/heads/main\\)`, 'm'),
  );
  assert.equal(await git(workspace, 'rev-parse', 'HEAD'), remote.commits[1]);
  const manifests = /manifests-file<<([^\n]*)\n([^\n]*)\n/.exec(result.outputs)?.[2];
  assert.ok(manifests !== undefined, result.outputs);
  assert.match(await readFile(manifests, 'utf8'), /setting: two/);
  // The runner is told to mask the token and the credential git sends.
  assert.match(stdout, new RegExp(`^::add-mask::${basicCredential(remote.token)}$`, 'm'));
  await assertNoToken(result, workspace, remote.token);
});

test('diff --against HEAD~1 fetches the parent into the one-commit-deep checkout', async () => {
  const { result, workspace } = await runOneStep(
    { command: 'diff', path: 'app', against: 'HEAD~1' },
    remote.token,
  );
  const stdout = result.stdout.toString();
  assert.equal(result.code, 0, stdout + result.stderr);
  assert.match(result.outputs, /has-changes<<[^\n]*\ntrue\n/);
  assert.match(result.summary, /setting: one/);
  assert.match(result.summary, /setting: two/);
  await assertNoToken(result, workspace, remote.token);
});

test('a wrong token fails the step with one line and a hint', async () => {
  const wrong = 'ghs_wrongToken111111111111111111111111';
  const { result, workspace } = await runOneStep({ command: 'lint' }, wrong);
  const stdout = result.stdout.toString();
  assert.equal(result.code, 1);
  const errors = stdout.split('\n').filter((l) => l.startsWith('::error'));
  assert.deepEqual(errors, [
    `::error::kustomize-sops-deploy: checkout: cannot fetch ${remote.repository}@${(remote.commits[1] ?? '').slice(0, 12)} from ${remote.serverUrl}: the github-token was rejected (HTTP 401)`,
  ]);
  assert.match(stdout, /^hint: add actions\/checkout before this step/m);
  await assertNoToken(result, workspace, wrong);
});
