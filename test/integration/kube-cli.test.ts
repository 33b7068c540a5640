/**
 * `diff` and `apply --manifests FILE` through the CLI source against the real apiserver:
 * exit codes 0/1/2 and no Secret value in any output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const CANARY = 'CANARY-cli-4b1e9';
const NS = 'ksd-cli';

function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'src', 'cli.ts'), ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('diff and apply commands', () => {
  let info: Readonly<Record<string, string>>;
  let dir: string;
  let env: Record<string, string>;

  function manifests(name: string, value: string, extra = ''): string {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: ${NS}\nstringData:\n  password: ${value}\n${extra}`,
    );
    return file;
  }

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-cli-'));
    env = { HOME: dir, KUBECONFIG: info['kubeconfig']! };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('diff exits 1 on changes, apply 0, then diff 0; no value is printed', async () => {
    const file = manifests('v1', CANARY);
    const first = await runCli(
      ['diff', '--manifests', file, '--applyset', 'cli-set', '--applyset-namespace', NS],
      env,
    );
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /Secret\/ksd-cli\/creds created/);
    assert.match(first.stdout, /password: "\*\*\*"/);
    const applied = await runCli(
      [
        'apply',
        '--manifests',
        file,
        '--applyset',
        'cli-set',
        '--applyset-namespace',
        NS,
        '--prune',
        '--wait',
        '--timeout',
        '30s',
      ],
      env,
    );
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const again = await runCli(
      ['diff', '--manifests', file, '--applyset', 'cli-set', '--applyset-namespace', NS, '--prune'],
      env,
    );
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const changed = await runCli(['diff', '--manifests', manifests('v2', `${CANARY}-2`)], env);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /- {2}password: "\*\*\* \(before\)"/);
    for (const out of [first, applied, again, changed]) {
      assert.ok(!(out.stdout + out.stderr).includes(CANARY));
      assert.ok(!(out.stdout + out.stderr).includes(Buffer.from(CANARY).toString('base64').slice(0, 16)));
    }
  });

  it('apply exits 2 and says what was not applied', async () => {
    const file = manifests(
      'bad',
      'x',
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: ${NS}\ndata:\n  k: 1\n  nested: {a: b}\n`,
    );
    const result = await runCli(['apply', '--manifests', file], env);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /ConfigMap\/ksd-cli\/bad failed/);
    assert.match(result.stdout, /Secret\/ksd-cli\/creds not-applied/);
    assert.match(result.stderr, /apply failed: .*; \d+ object\(s\) applied, 1 failed, 1 not applied\nappl/);
  });

  it('refuses prune without an applyset, before contacting the cluster', async () => {
    const result = await runCli(['apply', '--manifests', manifests('p', 'x'), '--prune'], {
      HOME: dir,
      KUBECONFIG: '/nonexistent',
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /prune needs applyset/);
  });
});
