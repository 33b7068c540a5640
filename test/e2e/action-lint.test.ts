/**
 * The bundled Action running `lint` as the runner does: annotations with paths relative to
 * GITHUB_WORKSPACE, the job summary table, the `findings` output, a failed step with one
 * `kustomize-sops-deploy:` line, and no value on any channel.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runAction, withoutMaskCommands } from '../support/run-dist.ts';

const CANARY = 'canary-action-lint-51b0';

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-action-lint-'));
  await mkdir(path.join(dir, 'apps'), { recursive: true });
  await writeFile(
    path.join(dir, 'apps', 'db.yaml'),
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`,
  );
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

test('a lint failure: workspace-relative annotations, summary table, failed step', async () => {
  const dir = await workspace();
  const result = await runAction({ command: 'lint', path: 'apps' }, { GITHUB_WORKSPACE: dir });
  assert.equal(result.code, 1);
  const stdout = result.stdout.toString();
  assert.match(stdout, /^::error file=apps\/db\.yaml,line=6,col=3,title=lint%3A plaintext-secret::/m);
  assert.match(stdout, /^::error::kustomize-sops-deploy: lint found errors$/m);
  assert.match(result.summary, /^### lint: 1 finding \(1 error\)/m);
  assert.match(result.summary, /^\| apps\/db\.yaml \| 6 \| error \| plaintext-secret \| /m);
  assert.match(result.outputs, /findings<<[^\n]*\n1\n/);
  for (const text of [withoutMaskCommands(stdout), result.stderr, result.outputs, result.summary]) {
    assert.ok(!text.includes(CANARY));
  }
});

test('an input error is one prefixed error line and a failed step', async () => {
  const dir = await workspace();
  const result = await runAction({ command: 'lint', path: 'apps', format: 'xml' }, { GITHUB_WORKSPACE: dir });
  assert.equal(result.code, 1);
  const errors = result.stdout
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('::error'));
  assert.equal(errors.length, 1, result.stdout.toString());
  assert.match(errors[0]!, /^::error::kustomize-sops-deploy: format is "xml"/);
});

test('a bad decryption-secret fails before any command runs, naming the input', async () => {
  const dir = await workspace();
  const result = await runAction(
    {
      command: 'build',
      path: 'apps',
      'decryption-secret': `data:\n  sops.gcp-kms: ${Buffer.from(CANARY).toString('base64')}\n`,
    },
    { GITHUB_WORKSPACE: dir },
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stdout.toString(),
    /::error::kustomize-sops-deploy: decryption-secret: sops\.gcp-kms is not a Google credentials JSON/,
  );
  assert.ok(!withoutMaskCommands(result.stdout.toString()).includes(CANARY));
});
