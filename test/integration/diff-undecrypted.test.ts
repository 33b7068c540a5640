/**
 * `diff` without the key (a fork's pull request) against the real apiserver, through the CLI
 * source: a sops-encrypted Secret and a secretGenerator env file encrypted for an age key
 * this run does NOT have show as `(encrypted; not decrypted in this run)` and are not
 * changes, while a plain ConfigMap change still shows. `--require-decryption` fails naming
 * the file, and `build` and `apply` keep failing on the missing key. The same for
 * `diff --against REF`. No plaintext value appears anywhere.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot, toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const CANARY = 'canary-undecrypted-int-7d2a91';
const CANARY_ENV = 'canary-undecrypted-env-41c0e5';
const NS = `ksd-undecrypted-${process.pid}`;

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

describe('diff when no key can open some SOPS files', () => {
  let dir: string;
  let app: string;
  let env: Record<string, string>;
  let keyFile: string;
  let otherKeyFile: string;

  const writeConfigMap = (level: string): Promise<void> =>
    writeFile(
      path.join(app, 'cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${NS}\ndata:\n  level: ${level}\n`,
    );

  function assertNoCanary(...texts: string[]): void {
    for (const text of texts) {
      for (const canary of [CANARY, CANARY_ENV]) {
        assert.ok(!text.includes(canary), 'a plaintext value leaked');
        assert.ok(
          !text.includes(Buffer.from(canary).toString('base64')),
          'a plaintext value leaked (base64)',
        );
      }
    }
  }

  before(async () => {
    const kube = await requireComponent('kube');
    await requireComponent('cli-tools');
    const key = await newAgeKey();
    const other = await newAgeKey();
    keyFile = key.file;
    otherKeyFile = other.file;
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-undecrypted-'));
    app = path.join(dir, 'app');
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('mkdir', ['-p', app]);
    const secret = await sopsEncrypt(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${NS}\nstringData:\n  password: ${CANARY}\n`,
      'secret.enc.yaml',
      ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'],
    );
    await writeFile(path.join(app, 'secret.enc.yaml'), await readFile(secret));
    const envFile = await sopsEncrypt(`TOKEN=${CANARY_ENV}\n`, 'app.env', ['--age', key.recipient]);
    await writeFile(path.join(app, 'app.env'), await readFile(envFile));
    await writeFile(path.join(app, 'ns.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
    await writeConfigMap('one');
    await writeFile(
      path.join(app, 'kustomization.yaml'),
      [
        'resources: [ns.yaml, cm.yaml, secret.enc.yaml]',
        `namespace: ${NS}`,
        'generatorOptions: {disableNameSuffixHash: true}',
        'secretGenerator:',
        '  - name: app-env',
        '    envs: [app.env]',
        '',
      ].join('\n'),
    );
    execFileSync('git', ['-C', dir, 'add', '.']);
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'base']);
    env = {
      PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
      HOME: dir,
      KUBECONFIG: kube['kubeconfig']!,
    };
    const applied = await runCli(['apply', app, '--age-key-file', keyFile], env);
    assert.equal(applied.code, 0, applied.stderr);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows unknown values as not decrypted, not as changes, while a ConfigMap change shows', async () => {
    await writeConfigMap('two');
    for (const keyArgs of [[], ['--age-key-file', otherKeyFile]]) {
      const result = await runCli(['diff', app, ...keyArgs], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, new RegExp(`^ConfigMap/${NS}/settings configured$`, 'm'));
      assert.match(result.stdout, /^\+ {2}level: two$/m);
      assert.match(
        result.stdout,
        new RegExp(`^Secret/${NS}/db unknown \\(values not decrypted in this run\\)$`, 'm'),
      );
      assert.match(
        result.stdout,
        new RegExp(`^Secret/${NS}/app-env unknown \\(values not decrypted in this run\\)$`, 'm'),
      );
      assert.match(
        result.stdout,
        /0 created, 1 configured, 0 deleted, 1 unchanged, 0 skipped, 0 failed, 2 unknown/,
      );
      assert.match(
        result.stdout,
        /2 SOPS files were not decrypted in this run \(no key configured for this run opens them: no key could decrypt the data key[^)]*\): app\/app\.env, app\/secret\.enc\.yaml/,
      );
      assert.match(result.stderr, /warning: 2 SOPS files were not decrypted/);
      assertNoCanary(result.stdout, result.stderr);
    }
  });

  it('a Secret whose keys change still shows as configured, its values as not decrypted', async () => {
    // Same recipient, one more key: the added key is a change even though its value is unknown.
    const source = await readFile(path.join(app, 'secret.enc.yaml'), 'utf8');
    const key = await newAgeKey();
    const secret = await sopsEncrypt(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${NS}\nstringData:\n  password: ${CANARY}\n  extra: more-${CANARY}\n`,
      'secret.enc.yaml',
      ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'],
    );
    await writeFile(path.join(app, 'secret.enc.yaml'), await readFile(secret));
    try {
      const result = await runCli(['diff', app], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`^Secret/${NS}/db configured \\(values not decrypted in this run\\)$`, 'm'),
      );
      assert.match(result.stdout, /^\+ {2}extra: \(encrypted; not decrypted in this run\)$/m);
      assert.match(
        result.stdout,
        /^- {2}password: "\*\*\*"\n\+ {2}extra: \(encrypted; not decrypted in this run\)\n\+ {2}password: \(encrypted; not decrypted in this run\)$/m,
      );
      assertNoCanary(result.stdout, result.stderr);
    } finally {
      await writeFile(path.join(app, 'secret.enc.yaml'), source);
    }
  });

  it('--require-decryption fails naming the file; build and apply never use placeholders', async () => {
    const strict = await runCli(['diff', app, '--require-decryption'], env);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /app\/(secret\.enc\.yaml|app\.env)[^\n]*no key could decrypt the data key/);
    const build = await runCli(['build', app], env);
    assert.equal(build.code, 2);
    assert.match(build.stderr, /no key could decrypt the data key/);
    assert.ok(!build.stdout.includes('not decrypted in this run'));
    const apply = await runCli(['apply', app], env);
    assert.equal(apply.code, 2);
    assert.match(apply.stderr, /no key could decrypt the data key/);
    // Nothing was applied: with the key, the ConfigMap change is still pending.
    const withKey = await runCli(['diff', app, '--age-key-file', keyFile], env);
    assert.equal(withKey.code, 1, withKey.stderr);
    assert.match(withKey.stdout, new RegExp(`^ConfigMap/${NS}/settings configured$`, 'm'));
    assert.match(withKey.stdout, /0 created, 1 configured, 0 deleted, 3 unchanged/);
    assertNoCanary(strict.stderr, build.stdout, build.stderr, apply.stdout, apply.stderr, withKey.stdout);
  });

  it('diff --against REF shows the same, with no cluster', async () => {
    const result = await runCli(['diff', app, '--against', 'HEAD'], { ...env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, new RegExp(`^ConfigMap/${NS}/settings configured$`, 'm'));
    assert.match(
      result.stdout,
      new RegExp(`^Secret/${NS}/db unknown \\(values not decrypted in this run\\)$`, 'm'),
    );
    assert.match(result.stdout, /2 SOPS files were not decrypted in this run/);
    assertNoCanary(result.stdout, result.stderr);
    const strict = await runCli(['diff', app, '--against', 'HEAD', '--require-decryption'], env);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /no key could decrypt the data key/);
  });
});
