/**
 * The bundled Action on a Flux repository's pull requests (issue 18's e2e): `diff` with
 * `flux: true` and `against` the base commit, through dist/index.js as the runner runs it.
 * A chart version bump shows the changed Deployment under its HelmRelease; a change to the
 * SOPS-encrypted values Secret shows the changed chart objects with the value masked, and
 * neither value appears in stdout, stderr, the step summary, the outputs or the diff file.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { requireComponent } from '../env/state.ts';
import {
  CANARY,
  CANARY_AFTER,
  commit,
  demoRelease,
  fluxHelmRepo,
  valuesSecret,
} from '../support/flux-helm-repo.ts';
import { helmBinary } from '../support/helm.ts';
import { runAction, withoutMaskCommands, type ActionResult } from '../support/run-dist.ts';
import { newAgeKey, tool, type AgeKey } from '../support/tools.ts';

let key: AgeKey;
let kustomize: string;
let helm: string;
let chartRepo: Readonly<Record<string, string>>;
// This file's own password, so a parallel test file's leftover checks never see ours.
const PASSWORD = 'e2e-helm-values-7c41d2';

before(async () => {
  key = await newAgeKey();
  kustomize = await tool('kustomize');
  helm = await helmBinary();
  chartRepo = await requireComponent('helm-repo');
});

async function diffAction(dir: string): Promise<ActionResult & { diff: string }> {
  const result = await runAction(
    {
      command: 'diff',
      path: path.join(dir, 'clusters/main'),
      flux: 'true',
      against: 'HEAD~1',
      'age-key-file': key.file,
      'kustomize-path': kustomize,
      'helm-path': helm,
      'allow-remote': '127.0.0.1',
      comment: 'false',
    },
    { GITHUB_WORKSPACE: dir, HOME: dir },
  );
  const file = /^diff-file<<(\S+)\n(.*)\n\1$/m.exec(result.outputs)?.[2];
  return { ...result, diff: file === undefined ? '' : await readFile(file, 'utf8') };
}

function assertHidden(result: ActionResult & { diff: string }, values: readonly string[]): void {
  const channels = {
    stdout: withoutMaskCommands(result.stdout.toString()),
    stderr: result.stderr,
    summary: result.summary,
    outputs: result.outputs,
    diff: result.diff,
  };
  for (const [channel, text] of Object.entries(channels)) {
    for (const value of values) {
      assert.ok(!text.includes(value), `${channel} holds a values Secret value`);
      assert.ok(!text.includes(Buffer.from(value).toString('base64')), `${channel} holds it in base64`);
    }
  }
}

test('the Action on a chart version bump: the Deployment is configured, from its HelmRelease', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo, password: PASSWORD });
  await commit(dir, { 'apps/demo.yaml': demoRelease('~1.2.0') }, 'bump demo');
  const result = await diffAction(dir);
  assert.equal(result.code, 0, `${result.stdout.toString()}\n${result.stderr}`);
  assert.match(result.outputs, /has-changes<<\S+\ntrue\n/);
  assert.match(result.diff, /^Deployment\/apps\/demo configured \(from HelmRelease apps\/demo\)$/m);
  assert.match(result.diff, /^\+\s+helm\.sh\/chart: demo-1\.2\.3$/m);
  assert.match(result.summary, /Deployment\/apps\/demo/);
  assertHidden(result, [PASSWORD]);
});

test('the Action on a SOPS values change: the chart objects change, the value is masked everywhere', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo, password: PASSWORD });
  const after = `${PASSWORD}-after`;
  await commit(dir, { 'apps/demo-values.sops.yaml': await valuesSecret(key, after) }, 'new password');
  const result = await diffAction(dir);
  assert.equal(result.code, 0, `${result.stdout.toString()}\n${result.stderr}`);
  assert.match(result.diff, /^Secret\/apps\/demo-auth configured \(from HelmRelease apps\/demo\)$/m);
  assert.match(result.diff, /^-\s+password: "\*\*\* \(before\)"$/m);
  assert.match(result.diff, /^\+\s+password: "\*\*\* \(after\)"$/m);
  assertHidden(result, [PASSWORD, after, CANARY, CANARY_AFTER]);
});
