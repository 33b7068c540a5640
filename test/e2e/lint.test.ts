/**
 * The bundled CLI and Action running `lint` on a temporary repository: exit codes 0/1/2, each
 * output format, and no secret value on any channel.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { runAction, runCli } from '../support/run-dist.ts';

const CANARY = 'canary-lint-e2e-7d2a';
const encrypted = await readFile(new URL('../fixtures/lint/secret.enc.yaml', import.meta.url), 'utf8');

let clean: string;
let dirty: string;

async function makeRepo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-e2e-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

before(async () => {
  const base = {
    'apps/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
    'apps/secret.enc.yaml': encrypted,
    '.gitignore': 'local/\n',
    'local/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: l\nstringData:\n  p: ${CANARY}\n`,
  };
  clean = await makeRepo(base);
  dirty = await makeRepo({
    ...base,
    'apps/db.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`,
  });
});

describe('lint (bundled CLI)', () => {
  test('exit 0 on a clean repository', async () => {
    const result = await runCli(['lint', clean]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.toString(), /0 errors/);
  });

  test('exit 1 with caret snippets, and no value printed', async () => {
    const result = await runCli(['lint', dirty]);
    assert.equal(result.code, 1, result.stderr);
    const out = result.stdout.toString();
    assert.match(
      out,
      /apps\/db\.yaml:11:3: error \[plaintext-secret\] Secret db has plaintext stringData \(key "password"\)/,
    );
    assert.match(out, / 11 \| {3}password: \*\*\*\n/);
    assert.ok(!`${out}${result.stderr}`.includes(CANARY));
  });

  test('each --format', async () => {
    const json = await runCli(['lint', dirty, '--format', 'json']);
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout.toString()) as {
      findings: { file: string; line: number; rule: string }[];
    };
    assert.deepEqual(
      parsed.findings.map((f) => [path.basename(f.file), f.line, f.rule]),
      [['db.yaml', 11, 'plaintext-secret']],
    );

    const sarif = await runCli(['lint', dirty, '--format', 'sarif']);
    assert.equal(sarif.code, 1);
    const doc = JSON.parse(sarif.stdout.toString()) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    assert.equal(doc.version, '2.1.0');
    assert.deepEqual(
      doc.runs[0]?.results.map((r) => r.ruleId),
      ['plaintext-secret'],
    );

    const github = await runCli(['lint', dirty, '--format', 'github']);
    assert.equal(github.code, 1);
    assert.match(
      github.stdout.toString(),
      /^::error file=[^,]*apps\/db\.yaml,line=11,col=3,title=lint%3A plaintext-secret::/m,
    );
    for (const r of [json, sarif, github]) assert.ok(!r.stdout.toString().includes(CANARY));
  });

  test('exit 2 on a usage error', async () => {
    const badFormat = await runCli(['lint', clean, '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /format is "xml"/);
    const missing = await runCli(['lint', path.join(clean, 'nope')]);
    assert.equal(missing.code, 2);
    const badConfig = await runCli(['lint', clean, '--config', path.join(clean, 'missing.yaml')]);
    assert.equal(badConfig.code, 2);
  });

  test('a config entry suppresses with its reason printed', async () => {
    const config = path.join(dirty, 'lint.yaml');
    await writeFile(
      config,
      'ignore:\n  - rule: plaintext-secret\n    path: apps/db.yaml\n    reason: demo credentials\n',
    );
    const result = await runCli(['lint', dirty, '--config', config]);
    assert.equal(result.code, 0, result.stdout.toString());
    assert.match(
      result.stdout.toString(),
      /suppressed \[plaintext-secret\][^\n]*\n {2}reason: demo credentials/,
    );
  });
});

describe('lint (bundled Action)', () => {
  test('annotations, the findings output and a SARIF file', async () => {
    const sarifFile = path.join(dirty, 'out.sarif');
    const result = await runAction({ command: 'lint', path: dirty, 'sarif-file': sarifFile });
    assert.match(result.stdout.toString(), /^::error file=[^,]*apps\/db\.yaml,line=11,col=3,/m);
    assert.match(result.outputs, /findings<<[^\n]*\n1\n/);
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.equal(sarif.runs[0]?.results.length, 1);
    assert.ok(!`${result.stdout.toString()}${result.stderr}${result.outputs}`.includes(CANARY));
  });
});
