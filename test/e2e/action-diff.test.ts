/**
 * The bundled Action as the runner starts it, on a `pull_request` event against the real
 * apiserver and the GitHub API double: `diff` creates the sticky comment, updates it in
 * place, `apply` writes its job summary, and a diff with no changes deletes the comment.
 * The keys come from a Flux decryption Secret, the kubeconfig as content; no canary
 * (Secret value, age identity, kubeconfig credential) shows on any channel or in RUNNER_TEMP.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../env/doubles/github-api.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runAction, withoutMaskCommands, type ActionResult } from '../support/run-dist.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const CANARY = 'canary-action-diff-9c41e7';
const OWNER = 'octo';
const REPO = 'app';
const PR = 4242;

let api: GithubApiDouble;
let target: string;
let temp: string;
let eventPath: string;
let baseInputs: Record<string, string>;
let env: Record<string, string>;
let canaries: string[];

function outputsOf(result: ActionResult): Map<string, string> {
  // The runner's file format: name<<DELIMITER\nvalue\nDELIMITER
  const map = new Map<string, string>();
  for (const m of result.outputs.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) map.set(m[1]!, m[3]!);
  return map;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

async function assertNoCanary(result: ActionResult): Promise<void> {
  const channels = [
    withoutMaskCommands(result.stdout.toString()),
    withoutMaskCommands(result.stderr),
    result.outputs,
    result.summary,
    ...api.comments(OWNER, REPO, PR).map((c) => String(c['body'])),
  ];
  for (const file of await filesUnder(temp)) channels.push(await readFile(file, 'utf8'));
  for (const text of channels) {
    for (const canary of canaries) {
      assert.ok(!text.includes(canary), 'a canary leaked');
      assert.ok(!text.includes(Buffer.from(canary).toString('base64')), 'a canary leaked (base64)');
    }
  }
}

before(async () => {
  const kube = await requireComponent('kube');
  await requireComponent('cli-tools');
  api = await GithubApiDouble.start();
  const key = await newAgeKey();
  const ns = `ksd-action-${process.pid}`;
  target = await mkdtemp(path.join(tmpdir(), 'ksd-action-diff-'));
  execFileSync('git', ['init', '-q', target]);
  const secret = await sopsEncrypt(
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\nstringData:\n  password: ${CANARY}\n`,
    'secret.enc.yaml',
    ['--age', key.recipient],
  );
  await writeFile(path.join(target, 'secret.enc.yaml'), await readFile(secret));
  await writeFile(
    path.join(target, 'ns.yaml'),
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  );
  await writeConfigMap('one');
  await writeFile(
    path.join(target, 'kustomization.yaml'),
    'resources:\n  - ns.yaml\n  - cm.yaml\n  - secret.enc.yaml\n',
  );
  temp = await mkdtemp(path.join(tmpdir(), 'ksd-action-temp-'));
  eventPath = path.join(temp, '..', `ksd-event-${process.pid}.json`);
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        state: 'open',
        head: { ref: 'feature', sha: 'a'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
      },
      repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
    }),
  );
  const keyFile = await readFile(key.file, 'utf8');
  const kubeconfig = await readFile(kube['kubeconfig']!, 'utf8');
  const kubeDoc = parse(kubeconfig) as { users: { user: Record<string, string> }[] };
  const clientKey = kubeDoc.users[0]?.user['client-key-data'];
  canaries = [CANARY, key.identity, ...(clientKey === undefined ? [] : [clientKey])];
  baseInputs = {
    path: target,
    kubeconfig,
    'decryption-secret': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\ndata:\n  identity.agekey: ${Buffer.from(keyFile).toString('base64')}\n`,
    'github-token': DEFAULT_GITHUB_TOKEN,
  };
  env = {
    PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
    RUNNER_TEMP: temp,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: api.url,
  };
});

after(async () => {
  await api.close();
});

async function writeConfigMap(value: string): Promise<void> {
  await writeFile(
    path.join(target, 'cm.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: ${value}\n`,
  );
}

test('diff comments, updates in place, apply reports, and a clean diff clears the comment', async () => {
  const first = await runAction({ ...baseInputs, command: 'diff' }, env);
  assert.equal(first.code, 0, `${first.stdout.toString()}\n${first.stderr}`);
  let outputs = outputsOf(first);
  assert.equal(outputs.get('has-changes'), 'true');
  assert.equal(outputs.get('created'), '3');
  assert.equal(outputs.get('changed'), '3');
  const diffFile = outputs.get('diff-file')!;
  assert.equal((await stat(diffFile)).mode & 0o777, 0o600);
  assert.match(await readFile(diffFile, 'utf8'), /ConfigMap\/[\w-]+\/settings created/);
  assert.match(first.summary, /\| ConfigMap \| 1 \| 0 \| 0 \| 0 \|/);
  assert.match(first.stdout.toString(), /^::group::diff$/m);
  let comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1);
  const id = comments[0]!['id'];
  assert.match(String(comments[0]!['body']), /level: one/);
  assert.match(String(comments[0]!['body']), /\| Secret \| 1 \|/);
  await assertNoCanary(first);

  await writeConfigMap('two');
  const second = await runAction({ ...baseInputs, command: 'diff' }, env);
  assert.equal(second.code, 0, second.stderr);
  comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1, 'one sticky comment, updated in place');
  assert.equal(comments[0]!['id'], id);
  assert.match(String(comments[0]!['body']), /level: two/);
  assert.ok(api.requests.some((r) => r.method === 'PATCH'));
  await assertNoCanary(second);

  const applied = await runAction({ ...baseInputs, command: 'apply' }, env);
  assert.equal(applied.code, 0, `${applied.stdout.toString()}\n${applied.stderr}`);
  assert.match(applied.summary, /### apply .*: succeeded/);
  assert.match(applied.summary, /\| ConfigMap\/[\w-]+\/settings \| created \|/);
  await assertNoCanary(applied);

  const clean = await runAction({ ...baseInputs, command: 'diff' }, env);
  assert.equal(clean.code, 0, clean.stderr);
  outputs = outputsOf(clean);
  assert.equal(outputs.get('has-changes'), 'false');
  assert.equal(outputs.get('unchanged'), '3');
  assert.equal(api.comments(OWNER, REPO, PR).length, 0, 'the comment is deleted when nothing changes');
  await assertNoCanary(clean);

  // The kubeconfig written from content is gone after each run.
  assert.deepEqual(
    (await readdir(temp)).filter((e) => e.startsWith('ksd-kubeconfig')),
    [],
  );
});

test('fail-on-changes fails the step with one prefixed error line', async () => {
  await writeConfigMap('three');
  const result = await runAction(
    { ...baseInputs, command: 'diff', comment: 'false', 'fail-on-changes': 'true' },
    env,
  );
  assert.equal(result.code, 1);
  assert.match(result.stdout.toString(), /^::error::kustomize-sops-deploy: diff found changes/m);
  await assertNoCanary(result);
});

test('comment-tag names the sticky comment; a second run updates the same one', async () => {
  await writeConfigMap('four');
  const inputs = { ...baseInputs, command: 'diff', 'comment-tag': 'prod-cluster' };
  const first = await runAction(inputs, env);
  assert.equal(first.code, 0, first.stderr);
  const [comment] = api.comments(OWNER, REPO, PR);
  assert.ok(String(comment?.['body']).startsWith('<!-- kustomize-sops-deploy:prod-cluster -->'));
  await writeConfigMap('five');
  const second = await runAction(inputs, env);
  assert.equal(second.code, 0, second.stderr);
  const comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1);
  assert.equal(comments[0]?.['id'], comment?.['id']);
  assert.match(String(comments[0]?.['body']), /level: five/);
  await assertNoCanary(second);
});
