/**
 * Canaries that leave their Secret: kustomize `replacements` copy a decrypted value into a
 * ConfigMap, into the middle of a URL and into the Secret's own annotations; Flux post-build
 * substitution (`substitute-from` a SOPS Secret) writes one into a connection string; a
 * kustomize error quotes one. The values hold a quote, a backslash and a tab, so tools
 * escape them (Go, JSON, YAML). No channel may carry a canary in any form: stdout, the log,
 * errors, the job summary, step outputs, the diff file and the pull-request comment. The
 * change itself stays visible.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { parseConfig } from '../../src/commands/index.ts';
import { createGithubReporter } from '../../src/github/publish.ts';
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { run } from '../../src/run.ts';
import { escapedForms } from '../../src/secret-forms.ts';
import { newAgeKey, sopsEncrypt, tool, type AgeKey } from '../support/tools.ts';

const execFileAsync = promisify(execFile);

/** The cores: each value below holds one, so any form of the value that leaks holds it too. */
const CORES = ['Kq7CanaryOld', 'Kq7CanaryNew'];
const [OLD_VALUE, NEW_VALUE] = CORES.map((core) => `pw"${core}\\x\tend`) as [string, string];

let key: AgeKey;
let kustomize: string;

before(async () => {
  key = await newAgeKey();
  kustomize = await tool('kustomize');
});

async function git(dir: string, ...args: string[]): Promise<void> {
  await execFileAsync('git', args, {
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
}

async function encryptedSecret(value: string): Promise<Buffer> {
  const plain = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${JSON.stringify(value)}\n`;
  const file = await sopsEncrypt(plain, 'secret.sops.yaml', [
    '--age',
    key.recipient,
    '--encrypted-regex',
    '^(data|stringData)$',
  ]);
  return readFile(file);
}

const REPLACEMENTS = `resources:
  - secret.sops.yaml
  - config.yaml
replacements:
  - source: {kind: Secret, name: creds, fieldPath: stringData.password}
    targets:
      - select: {kind: ConfigMap, name: app}
        fieldPaths: [data.password, data.url]
      - select: {kind: ConfigMap, name: app}
        fieldPaths: [data.dsn]
        options: {delimiter: '@', index: 0}
      - select: {kind: Secret, name: creds}
        fieldPaths: [metadata.annotations.copied]
        options: {create: true}
`;
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  password: placeholder
  url: placeholder
  dsn: placeholder@db.example/app
  plain: one
`;

const SUBSTITUTED = `resources:
  - config.yaml
`;
/** The plain setting changes too, so the diff shows the object and the substituted line. */
const substitutedConfig = (value: string): Promise<Buffer> =>
  Promise.resolve(
    Buffer.from(`apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  url: postgres://app:\${password}@db/app
  plain: ${value === OLD_VALUE ? 'one' : 'two'}
`),
  );

/** A repo whose first commit holds OLD_VALUE; the working tree then holds NEW_VALUE. */
async function repo(files: Record<string, string | ((value: string) => Promise<Buffer>)>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-canary-'));
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  const app = path.join(dir, 'app');
  await mkdir(app);
  const write = async (value: string): Promise<void> => {
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(dir, name), typeof content === 'string' ? content : await content(value));
    }
  };
  await write(OLD_VALUE);
  await git(dir, 'add', '.');
  await git(dir, 'commit', '--quiet', '-m', 'base');
  await write(NEW_VALUE);
  return app;
}

interface Channels {
  readonly code: number;
  readonly host: MemoryHost;
  readonly comment: string;
  readonly diffFile: string;
  readonly stdout: string;
}

/** Runs a command through run() and the Action's reporter, capturing every channel. */
async function runCommand(inputs: Record<string, string>, cwd: string): Promise<Channels> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: cwd };
  const config = parseConfig(
    (name) => ({ 'age-key-file': key.file, 'kustomize-path': kustomize, ...inputs })[name] ?? '',
    env,
  );
  const host = createMemoryHost();
  let comment = '';
  const tempDir = await mkdtemp(path.join(tmpdir(), 'ksd-canary-out-'));
  const reporter = createGithubReporter(host, {
    commenter: (_tag, render) => {
      comment = render('tag') ?? '';
      return Promise.resolve('created');
    },
    tempDir,
  });
  const code = await run(config, {
    host,
    exec: nodeExec,
    readStdin: () => Promise.resolve(new Uint8Array()),
    reporter,
    kubeClient: () => Promise.reject(new Error('no cluster in this test')),
  });
  const file = host.outputs.get('diff-file');
  const diffFile = file === undefined ? '' : await readFile(file, 'utf8');
  return { code, host, comment, diffFile, stdout: Buffer.concat(host.stdout).toString('utf8') };
}

/** Every form of every canary: the values, their base64 and escaped forms, and the cores. */
function forbidden(): string[] {
  return [OLD_VALUE, NEW_VALUE].flatMap((value) => [
    value,
    Buffer.from(value).toString('base64'),
    ...escapedForms(value),
    ...CORES,
  ]);
}

function assertNoCanary(channels: Channels): void {
  const texts = {
    log: channels.host.allText(),
    comment: channels.comment,
    diffFile: channels.diffFile,
    summary: channels.host.summary.join('\n'),
    outputs: [...channels.host.outputs.values()].join('\n'),
  };
  for (const [channel, text] of Object.entries(texts)) {
    for (const form of forbidden())
      assert.ok(!text.includes(form), `${channel} holds ${JSON.stringify(form)}`);
  }
}

test('replacements: a value copied into a ConfigMap, a URL and an annotation is masked in every channel', async () => {
  const app = await repo({
    'app/kustomization.yaml': REPLACEMENTS,
    'app/config.yaml': CONFIG,
    'app/secret.sops.yaml': encryptedSecret,
  });
  const channels = await runCommand({ command: 'diff', path: app, against: 'HEAD' }, path.dirname(app));
  assert.equal(channels.code, 1, channels.host.allText());
  assertNoCanary(channels);
  // The change is still shown: both sides masked, the non-secret part of the line kept.
  assert.match(channels.stdout, /^ConfigMap\/app configured$/m);
  assert.match(channels.stdout, /^-\s+password: "?\*\*\* \(before\)"?$/m);
  assert.match(channels.stdout, /^\+\s+password: "?\*\*\* \(after\)"?$/m);
  assert.match(channels.stdout, /^-\s+dsn: "?\*\*\* \(before\)@db\.example\/app"?$/m);
  assert.match(channels.stdout, /^\+\s+dsn: "?\*\*\* \(after\)@db\.example\/app"?$/m);
  assert.match(channels.stdout, /copied: "?\*\*\* \(after\)"?$/m);
  assert.match(channels.comment, /ConfigMap\/app/);
  assert.match(channels.diffFile, /\*\*\* \(after\)/);
});

test('Flux substitution: a substitute-from SOPS value inside a connection string is masked', async () => {
  const app = await repo({
    'app/kustomization.yaml': SUBSTITUTED,
    'app/config.yaml': substitutedConfig,
    'vars.sops.yaml': encryptedSecret,
  });
  const vars = path.join(path.dirname(app), 'vars.sops.yaml');
  const channels = await runCommand(
    { command: 'diff', path: app, against: 'HEAD', 'substitute-from': vars },
    path.dirname(app),
  );
  assert.equal(channels.code, 1, channels.host.allText());
  assertNoCanary(channels);
  // Each side substitutes from its own copy of the file, so the URL changes, masked.
  assert.match(channels.stdout, /^-\s+url: postgres:\/\/app:\*\*\* \(before\)@db\/app$/m);
  assert.match(channels.stdout, /^\+\s+url: postgres:\/\/app:\*\*\* \(after\)@db\/app$/m);
  assert.match(channels.stdout, /^\+\s+plain: two$/m);
  const built = await runCommand({ command: 'build', path: app, 'substitute-from': vars }, path.dirname(app));
  assert.equal(built.code, 0, built.host.allText());
  // build prints the manifests (plaintext by design); its log, outputs and summary do not.
  assert.ok(
    built.stdout.includes(`postgres://app:${NEW_VALUE}@db/app`) || built.stdout.includes(CORES[1] ?? ''),
  );
  built.host.stdout.length = 0;
  assertNoCanary(built);
});

test('a kustomize error that quotes a decrypted value is masked in the error', async () => {
  const broken = REPLACEMENTS.replace(
    'fieldPath: stringData.password}',
    "fieldPath: stringData.password, options: {delimiter: '/', index: 5}}",
  );
  const app = await repo({
    'app/kustomization.yaml': broken,
    'app/config.yaml': CONFIG,
    'app/secret.sops.yaml': encryptedSecret,
  });
  for (const command of ['build', 'diff'] as const) {
    const inputs: Record<string, string> = {
      command,
      path: app,
      ...(command === 'diff' ? { against: 'HEAD' } : {}),
    };
    const channels = await runCommand(inputs, path.dirname(app));
    assert.equal(channels.code, 2, channels.host.allText());
    assert.match(channels.host.allText(), /out of bounds for value \*\*\*/);
    assertNoCanary(channels);
  }
});

test('substitute-from a SOPS file no key opens: build names the file, diff says unknown (D4)', async () => {
  const app = await repo({
    'app/kustomization.yaml': SUBSTITUTED,
    'app/config.yaml': substitutedConfig,
    'vars.sops.yaml': encryptedSecret,
  });
  const root = path.dirname(app);
  const vars = path.join(root, 'vars.sops.yaml');
  const stranger = await newAgeKey();
  const noKey = { 'age-key-file': stranger.file, 'substitute-from': vars };
  const built = await runCommand({ command: 'build', path: app, ...noKey }, root);
  assert.equal(built.code, 2);
  assert.match(built.host.logs.join('\n'), /substitute-from .*vars\.sops\.yaml/);

  const diffed = await runCommand({ command: 'diff', path: app, against: 'HEAD', ...noKey }, root);
  assert.equal(diffed.code, 1, diffed.host.allText());
  assertNoCanary(diffed);
  // The substituted URL is unknown on both sides: shown as such, not as a change.
  assert.match(diffed.stdout, /^ConfigMap\/db configured \(values not decrypted in this run\)$/m);
  assert.match(
    diffed.stdout,
    /^ {2,}url: postgres:\/\/app:\(encrypted; not decrypted in this run\)@db\/app$/m,
  );
  assert.match(diffed.stdout, /vars\.sops\.yaml at HEAD/);
  assert.equal(diffed.host.outputs.get('has-changes'), 'true');
});
