/**
 * The bundled Action on a pull request from a fork (head repository differs from the base):
 * no keys at all, as GitHub gives a fork no secrets and no OIDC token. `diff` still runs
 * against the real apiserver: the sticky comment and the job summary show the Secrets it
 * could not decrypt as `(encrypted; not decrypted in this run)`, with a notice naming the
 * files and why, while a ConfigMap change still shows. With `require-decryption: true` the
 * step fails naming the file. No canary (a Secret value, in plaintext or base64) shows on any
 * channel, in the comment, or in RUNNER_TEMP.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../env/doubles/github-api.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runAction, runCli, withoutMaskCommands, type ActionResult } from '../support/run-dist.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const CANARIES = ['canary-fork-db-3f9a0c', 'canary-fork-api-b71d24', 'canary-fork-env-0e6c55'];
const OWNER = 'octo';
const REPO = 'app';
const PR = 77;

let api: GithubApiDouble;
let target: string;
let temp: string;
let env: Record<string, string>;
let inputs: Record<string, string>;
let ns: string;

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
    for (const canary of CANARIES) {
      assert.ok(!text.includes(canary), 'a canary leaked');
      assert.ok(!text.includes(Buffer.from(canary).toString('base64')), 'a canary leaked (base64)');
    }
  }
}

async function encryptInto(rel: string, plaintext: string, args: readonly string[]): Promise<void> {
  const file = await sopsEncrypt(plaintext, path.basename(rel), args);
  await writeFile(path.join(target, rel), await readFile(file));
}

before(async () => {
  const kube = await requireComponent('kube');
  await requireComponent('cli-tools');
  api = await GithubApiDouble.start();
  const key = await newAgeKey();
  ns = `ksd-fork-${process.pid}`;
  target = await mkdtemp(path.join(tmpdir(), 'ksd-fork-diff-'));
  execFileSync('git', ['init', '-q', target]);
  const secretArgs = ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'];
  await encryptInto(
    'db.enc.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\nstringData:\n  password: ${CANARIES[0]}\n`,
    secretArgs,
  );
  await writeFile(
    path.join(target, 'ns.yaml'),
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  );
  const writeConfigMap = (level: string): Promise<void> =>
    writeFile(
      path.join(target, 'cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  level: ${level}\n`,
    );
  await writeConfigMap('one');
  await writeFile(path.join(target, 'kustomization.yaml'), 'resources: [ns.yaml, cm.yaml, db.enc.yaml]\n');
  const kubeEnv = {
    KUBECONFIG: kube['kubeconfig']!,
    PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
  };
  const applied = await runCli(['apply', target, '--age-key-file', key.file], kubeEnv);
  assert.equal(applied.code, 0, applied.stderr);

  // The pull request: the ConfigMap changes, a new Secret and a generated one are added.
  await writeConfigMap('two');
  await encryptInto(
    'api.enc.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: ${ns}\nstringData:\n  token: ${CANARIES[1]}\n`,
    secretArgs,
  );
  await encryptInto('app.env', `TOKEN=${CANARIES[2]}\n`, ['--age', key.recipient]);
  await writeFile(
    path.join(target, 'kustomization.yaml'),
    [
      'resources: [ns.yaml, cm.yaml, db.enc.yaml, api.enc.yaml]',
      'secretGenerator:',
      '  - name: app-env',
      `    namespace: ${ns}`,
      '    envs: [app.env]',
      '',
    ].join('\n'),
  );

  temp = await mkdtemp(path.join(tmpdir(), 'ksd-fork-temp-'));
  const events = await mkdtemp(path.join(tmpdir(), 'ksd-fork-event-'));
  await mkdir(events, { recursive: true });
  const eventPath = path.join(events, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'opened',
      number: PR,
      pull_request: {
        number: PR,
        state: 'open',
        head: { ref: 'patch-1', sha: 'c'.repeat(40), repo: { full_name: `someone/${REPO}`, fork: true } },
        base: { ref: 'main', sha: 'd'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
      },
      repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
    }),
  );
  // A fork's run: no decryption-secret, no age-key, no OIDC variables.
  inputs = {
    command: 'diff',
    path: target,
    kubeconfig: await readFile(kube['kubeconfig']!, 'utf8'),
    'github-token': DEFAULT_GITHUB_TOKEN,
  };
  env = {
    PATH: kubeEnv.PATH,
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

test('a fork pull request with no keys: diff comments with the placeholders and says why', async () => {
  const result = await runAction(inputs, env);
  const stdout = result.stdout.toString();
  assert.equal(result.code, 0, `${stdout}\n${result.stderr}`);
  // The placeholder is public text: masking it would hide it in the log.
  assert.ok(!stdout.includes('::add-mask::(encrypted'));
  assert.ok(
    !stdout.includes(
      `::add-mask::${Buffer.from('(encrypted; not decrypted in this run)').toString('base64')}`,
    ),
  );
  assert.match(
    stdout,
    /^::notice::This pull request comes from a fork: GitHub gives it no secrets and no OIDC token\. lint runs fully; diff shows values it cannot decrypt as "\(encrypted; not decrypted in this run\)"/m,
  );
  assert.match(
    stdout,
    /^::warning::3 SOPS files were not decrypted in this run \(GitHub gives no secrets and no OIDC token to pull requests from forks\): api\.enc\.yaml, app\.env, db\.enc\.yaml/m,
  );

  const comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1);
  const body = String(comments[0]!['body']);
  assert.match(
    body,
    /> \[!NOTE\]\n> 3 SOPS files were not decrypted in this run: GitHub gives no secrets and no OIDC token to pull requests from forks\./,
  );
  assert.match(body, /Files: `api\.enc\.yaml`, `app\.env`, `db\.enc\.yaml`/);
  assert.match(body, /\+ {2}level: two/);
  assert.match(body, /created: Secret\/[\w-]+\/api \(values not decrypted in this run\)/);
  assert.match(body, /token: \(encrypted; not decrypted in this run\)/);
  assert.match(body, /TOKEN: \(encrypted; not decrypted in this run\)/);
  assert.match(body, /unknown: Secret\/[\w-]+\/db \(values not decrypted in this run\)/);
  assert.match(result.summary, /not decrypted in this run: GitHub gives no secrets and no OIDC token/);
  assert.match(result.summary, /token: \(encrypted; not decrypted in this run\)/);
  const diffFile = /^diff-file<<(\S+)\n(.*)\n\1$/m.exec(result.outputs)?.[2];
  assert.ok(diffFile !== undefined);
  assert.match(
    await readFile(diffFile, 'utf8'),
    new RegExp(`^Secret/${ns}/db unknown \\(values not decrypted in this run\\)$`, 'm'),
  );
  await assertNoCanary(result);
});

test('with require-decryption: true the step fails, naming the file', async () => {
  const result = await runAction({ ...inputs, 'require-decryption': 'true', comment: 'false' }, env);
  const stdout = result.stdout.toString();
  assert.equal(result.code, 1);
  assert.match(stdout, /require-decryption is true, so a diff that needs a missing key fails/);
  assert.match(
    stdout,
    /^::error[^\n]*kustomize-sops-deploy: [^\n]*(db\.enc\.yaml|api\.enc\.yaml|app\.env)[^\n]*no key could decrypt the data key/m,
  );
  await assertNoCanary(result);
});
