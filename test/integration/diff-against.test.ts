/**
 * `diff PATH --against REF` on a temporary git repository, with a Secret encrypted by the
 * real sops: no cluster is read, Secrets are compared decrypted and shown only as Flux's
 * mask tokens, and the worktree is gone afterwards.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { diffCommand } from '../../src/commands/diff.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { UserError } from '../../src/errors.ts';
import { commandDeps } from '../support/command-deps.ts';
import { newAgeKey, sopsEncrypt, tool, type AgeKey } from '../support/tools.ts';

const execFileAsync = promisify(execFile);
const CANARY = 'canary-before-7f3a9c';
const CANARY_AFTER = 'canary-after-41be0d';

let key: AgeKey;
let kustomize: string;

before(async () => {
  key = await newAgeKey();
  kustomize = await tool('kustomize');
});

async function gitIn(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  return stdout;
}

async function encryptedSecret(value: string): Promise<Buffer> {
  const plain = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${value}\n  user: admin-user\n`;
  const file = await sopsEncrypt(plain, 'secret.enc.yaml', [
    '--age',
    key.recipient,
    '--encrypted-regex',
    '^(data|stringData)$',
  ]);
  return readFile(file);
}

function configMap(name: string, value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  setting: ${value}\n`;
}

/** A repo whose first commit has two ConfigMaps and the Secret; returns its app dir. */
async function repoWithBase(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-against-test-'));
  await gitIn(dir, 'init', '--quiet', '--initial-branch=main');
  const app = path.join(dir, 'app');
  await mkdir(app);
  await writeFile(
    path.join(app, 'kustomization.yaml'),
    'resources:\n  - config.yaml\n  - extra.yaml\n  - secret.enc.yaml\n',
  );
  await writeFile(path.join(app, 'config.yaml'), configMap('app', 'one'));
  await writeFile(path.join(app, 'extra.yaml'), configMap('extra', 'x'));
  await writeFile(path.join(app, 'secret.enc.yaml'), await encryptedSecret(CANARY));
  await gitIn(dir, 'add', '.');
  await gitIn(dir, 'commit', '--quiet', '-m', 'base');
  return app;
}

async function runDiff(app: string, against: string, extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = {
    path: app,
    against,
    'age-key-file': key.file,
    'kustomize-path': kustomize,
    ...extra,
  };
  const env = { PATH: process.env['PATH'] ?? '', HOME: path.dirname(app) };
  const config = diffCommand.parse((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
  const host = createMemoryHost();
  const code = await diffCommand.run(config, commandDeps(host));
  return { code, host, stdout: Buffer.concat(host.stdout).toString('utf8') };
}

function assertNoSecret(text: string): void {
  for (const value of [CANARY, CANARY_AFTER]) {
    assert.ok(!text.includes(value), 'a secret value leaked');
    assert.ok(!text.includes(Buffer.from(value).toString('base64')), 'a secret value leaked in base64');
  }
}

async function worktrees(app: string): Promise<string> {
  return gitIn(path.dirname(app), 'worktree', 'list', '--porcelain');
}

test('an unchanged tree exits 0 and leaves no worktree behind', async () => {
  const app = await repoWithBase();
  const result = await runDiff(app, 'HEAD');
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /0 created, 0 configured, 0 deleted, 3 unchanged/);
  assert.equal((await worktrees(app)).match(/^worktree /gm)?.length, 1);
  assertNoSecret(result.host.allText());
  // The build at the ref is named by the ref, not by its temporary checkout.
  assert.ok(result.host.logs.some((line) => / at HEAD: 3 objects, 1 SOPS files decrypted/.test(line)));
  const named = result.host
    .allText()
    .split('\n')
    .filter((l) => /ksd-against-[\w-]+\/tree/.test(l));
  assert.deepEqual(named, [], 'the temporary checkout is not named');
});

test('changes to a ConfigMap, a Secret value and a deleted object are classed and masked', async () => {
  const app = await repoWithBase();
  await writeFile(path.join(app, 'config.yaml'), configMap('app', 'two'));
  await writeFile(path.join(app, 'secret.enc.yaml'), await encryptedSecret(CANARY_AFTER));
  await writeFile(path.join(app, 'kustomization.yaml'), 'resources:\n  - config.yaml\n  - secret.enc.yaml\n');
  await rm(path.join(app, 'extra.yaml'));
  const result = await runDiff(app, 'main');
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stdout, /^ConfigMap\/app configured$/m);
  assert.match(result.stdout, /^Secret\/creds configured$/m);
  assert.match(result.stdout, /^ConfigMap\/extra deleted/m);
  assert.match(result.stdout, /^-\s+setting: one$/m);
  assert.match(result.stdout, /^\+\s+setting: two$/m);
  assert.match(result.stdout, /^-\s+password: "\*\*\* \(before\)"$/m);
  assert.match(result.stdout, /^\+\s+password: "\*\*\* \(after\)"$/m);
  // The unchanged key is masked too and is not part of the change.
  assert.match(result.stdout, /^ {2,}user: "\*\*\*"$/m);
  assert.match(result.stdout, /^0 created, 2 configured, 1 deleted, 0 unchanged/m);
  assertNoSecret(result.host.allText());
});

test('a ref that does not exist exits 2 with a message naming it', async () => {
  const app = await repoWithBase();
  await assert.rejects(runDiff(app, 'no-such-branch'), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.equal(error.code, 'USAGE');
    assert.match(error.message, /git ref "no-such-branch" is not in/);
    return true;
  });
  assert.equal((await worktrees(app)).match(/^worktree /gm)?.length, 1);
});

test('against rejects option-like refs and --manifests', () => {
  const env = {};
  for (const [inputs, pattern] of [
    [{ path: 'x', against: '--upload-pack=evil' }, /against is "--upload-pack=evil"/],
    [{ manifests: 'm.yaml', against: 'main' }, /not --manifests/],
  ] as const) {
    assert.throws(
      () =>
        diffCommand.parse((name) => (inputs as Record<string, string>)[name] ?? '', env, {
          stdoutIsLog: false,
        }),
      pattern,
    );
  }
});

test('each side reads its own substitute-from file, so a change to the variables shows (D3)', async () => {
  const app = await repoWithBase();
  const root = path.dirname(app);
  const vars = path.join(root, 'settings.yaml');
  const settings = (domain: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  DOMAIN: ${domain}\n`;
  await writeFile(vars, settings('old.example.com'));
  await writeFile(path.join(app, 'config.yaml'), configMap('app', 'host.${DOMAIN}'));
  await gitIn(root, 'add', '.');
  await gitIn(root, 'commit', '--quiet', '-m', 'settings');
  await writeFile(vars, settings('new.example.com'));
  const result = await runDiff(app, 'HEAD', { 'substitute-from': vars });
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stdout, /^-\s+setting: host\.old\.example\.com$/m);
  assert.match(result.stdout, /^\+\s+setting: host\.new\.example\.com$/m);
});
