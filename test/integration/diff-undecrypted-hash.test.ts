/**
 * `diff` without the key against the real apiserver, for a `secretGenerator` Secret with a
 * kustomize name hash: built from placeholders it gets another hash, so it takes the name of
 * the one live Secret our field manager applied, and it and the Deployment using it compare
 * with what is live (unchanged, values unknown). With a second live candidate nothing is
 * adopted and the reason says why. No plaintext value appears anywhere.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot, toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { newAgeKey, sopsEncrypt, type AgeKey } from '../support/tools.ts';

const CANARY = 'canary-hash-adopt-int-3f9b27';
const CANARY_NEXT = 'canary-hash-adopt-next-a81c4d';
const NS = `ksd-hash-adopt-${process.pid}`;
const HASHED = /^db-creds-[2456789bcdfghkmt]{10}$/;

function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'src', 'cli.ts'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function assertNoCanary(...texts: string[]): void {
  for (const text of texts) {
    for (const canary of [CANARY, CANARY_NEXT]) {
      assert.ok(!text.includes(canary), 'a plaintext value leaked');
      assert.ok(!text.includes(Buffer.from(canary).toString('base64')), 'a plaintext value leaked (base64)');
    }
  }
}

describe('diff without the key: a generated Secret keeps its live name hash', () => {
  let dir: string;
  let app: string;
  let env: Record<string, string>;
  let key: AgeKey;
  let kube: Record<string, string>;

  const writeEnvFile = async (value: string): Promise<void> => {
    const encrypted = await sopsEncrypt(`PASSWORD=${value}\n`, 'db.env', ['--age', key.recipient]);
    await writeFile(path.join(app, 'db.env'), await readFile(encrypted));
  };

  const liveSecretNames = (): string[] =>
    execFileSync(
      kube['kubectl']!,
      [
        '--kubeconfig',
        kube['kubeconfig']!,
        'get',
        'secrets',
        '-n',
        NS,
        '-o',
        'jsonpath={.items[*].metadata.name}',
      ],
      { encoding: 'utf8' },
    )
      .split(/\s+/)
      .filter((n) => n.startsWith('db-creds-'))
      .sort();

  before(async () => {
    kube = await requireComponent('kube');
    await requireComponent('cli-tools');
    key = await newAgeKey();
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-hash-adopt-'));
    app = path.join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    await writeFile(path.join(app, 'ns.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
    await writeFile(
      path.join(app, 'deploy.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: registry.example/web:1',
        '          envFrom: [{secretRef: {name: db-creds}}]',
        '          volumeMounts: [{name: creds, mountPath: /creds}]',
        '      volumes:',
        '        - name: creds',
        '          secret: {secretName: db-creds}',
        '',
      ].join('\n'),
    );
    await writeEnvFile(CANARY);
    await writeFile(
      path.join(app, 'kustomization.yaml'),
      [
        'resources: [ns.yaml, deploy.yaml]',
        `namespace: ${NS}`,
        'secretGenerator:',
        '  - name: db-creds',
        '    envs: [db.env]',
        '',
      ].join('\n'),
    );
    env = {
      PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
      HOME: dir,
      KUBECONFIG: kube['kubeconfig']!,
    };
    const applied = await runCli(['apply', app, '--age-key-file', key.file], env);
    assert.equal(applied.code, 0, applied.stderr);
    assertNoCanary(applied.stdout, applied.stderr);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the live name: the Secret is unchanged with unknown values, the Deployment unchanged', async () => {
    const [live, ...more] = liveSecretNames();
    assert.match(live ?? '', HASHED);
    assert.deepEqual(more, []);
    const result = await runCli(['diff', app], env);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(
      result.stdout,
      new RegExp(
        `^Secret/${NS}/${live} unknown \\(name hash taken from the live Secret: its values were not decrypted\\)$`,
        'm',
      ),
    );
    assert.match(
      result.stdout,
      /^0 created, 0 configured, 0 deleted, 2 unchanged, 0 skipped, 0 failed, 1 unknown$/m,
    );
    assert.doesNotMatch(result.stdout, /Deployment\//);
    assert.match(result.stdout, /1 SOPS file was not decrypted in this run [^\n]*: db\.env;/);
    assertNoCanary(result.stdout, result.stderr);
    // With the key, the same tree builds the live name itself: nothing was guessed wrong.
    const withKey = await runCli(['diff', app, '--age-key-file', key.file], env);
    assert.equal(withKey.code, 0, withKey.stderr);
    assertNoCanary(withKey.stdout, withKey.stderr);
  });

  it('with two live candidates nothing is adopted, and the reason says why', async () => {
    const [first] = liveSecretNames();
    // A new value, applied with the key, leaves a second generated Secret of ours beside the first.
    await writeEnvFile(CANARY_NEXT);
    const applied = await runCli(['apply', app, '--age-key-file', key.file], env);
    assert.equal(applied.code, 0, applied.stderr);
    const names = liveSecretNames();
    assert.equal(names.length, 2);
    assert.ok(first !== undefined && names.includes(first));
    const result = await runCli(['diff', app], env);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const created = /^Secret\/[^/]+\/(db-creds-\S+) created \((.*)\)$/m.exec(result.stdout);
    assert.ok(created !== null, result.stdout);
    assert.match(created[1] ?? '', HASHED);
    assert.ok(!names.includes(created[1] ?? ''), 'the placeholder hash is not a live name');
    assert.equal(
      created[2],
      `name hash unknown: values not decrypted, and 2 live Secrets could be it (${names.join(', ')})`,
    );
    assert.match(result.stdout, new RegExp(`^Deployment/${NS}/web configured$`, 'm'));
    assert.match(result.stdout, /^1 created, 1 configured, 0 deleted, 1 unchanged/m);
    assertNoCanary(result.stdout, result.stderr, applied.stdout, applied.stderr);
  });
});
