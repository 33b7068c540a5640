import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runLint } from '../../../src/commands/lint.ts';
import { parseLintConfig as parseLintInputs } from '../../../src/config/lint.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { lintPaths } from '../../../src/lint/lint.ts';
import { renderFindings } from '../../../src/lint/render.ts';
import { parseLintConfig } from '../../../src/lint/suppress.ts';
import { commandDeps } from '../../support/command-deps.ts';
import { fixtures } from '../../support/fixtures.ts';

const plainSecret =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: CANARY-hunter2\n';

async function repo(files: Record<string, string>, git: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  if (git) execFileSync('git', ['init', '-q', dir]);
  return dir;
}

const summary = (findings: readonly { file: string; rule: string; line: number }[]): string[] =>
  findings.map((f) => `${f.file}:${f.line} ${f.rule}`);

describe('lintPaths', () => {
  it('the real encrypted fixtures give no error findings', async () => {
    const cwd = process.cwd();
    const files = fixtures.filter((f) => f.expectError !== 'MAC_MISMATCH').map((f) => f.file);
    const result = await lintPaths({ paths: files, cwd, exec: nodeExec, config: undefined });
    assert.equal(result.filesChecked, files.length);
    assert.deepEqual(
      result.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  it('skips git-ignored files, .git/ and node_modules/ inside a work tree', async () => {
    const dir = await repo(
      {
        '.gitignore': 'local/\n',
        'apps/secret.yaml': plainSecret,
        'local/secret.yaml': plainSecret,
        'node_modules/x/secret.yaml': plainSecret,
      },
      true,
    );
    await writeFile(path.join(dir, '.git', 'secret.yaml'), plainSecret);
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(summary(result.findings), ['apps/secret.yaml:6 plaintext-secret']);
  });

  it('walks every file outside a work tree, still skipping node_modules/', async () => {
    const dir = await repo({ 'a/secret.yaml': plainSecret, 'node_modules/secret.yaml': plainSecret }, false);
    const result = await lintPaths({ paths: [dir], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(summary(result.findings), ['a/secret.yaml:6 plaintext-secret']);
  });

  it('applies the nearest .sops.yaml creation rules', async () => {
    const dir = await repo(
      {
        '.sops.yaml': 'creation_rules:\n  - path_regex: secrets/.*\n    age: age1x\n',
        'secrets/values.yaml': 'db:\n  password: x\n',
        'values.yaml': 'db:\n  password: x\n',
      },
      false,
    );
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    // The root values.yaml is outside the rule, but a literal password in Helm values still warns.
    assert.deepEqual(summary(result.findings), [
      'secrets/values.yaml:2 creation-rule-unencrypted',
      'values.yaml:2 secret-like-value',
    ]);
  });

  it('moves findings waived by the config file to suppressed, with the reason', async () => {
    const dir = await repo({ 'test/secret.yaml': plainSecret, 'prod/secret.yaml': plainSecret }, false);
    const config = parseLintConfig(
      'ignore:\n  - rule: plaintext-secret\n    path: test/**\n    reason: fake test credentials\n',
      path.join(dir, '.ksd-lint.yaml'),
    );
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config });
    assert.deepEqual(summary(result.findings), ['prod/secret.yaml:6 plaintext-secret']);
    assert.deepEqual(
      result.suppressed.map((s) => `${s.file} ${s.reason}`),
      ['test/secret.yaml fake test credentials'],
    );
    assert.match(
      renderFindings(result, 'text'),
      /suppressed \[plaintext-secret\].*\n {2}reason: fake test credentials/,
    );
  });

  it('rejects a config entry without a reason', () => {
    assert.throws(
      () => parseLintConfig('ignore:\n  - rule: plaintext-secret\n    path: "**"\n', '/r/.ksd-lint.yaml'),
      /needs a reason/,
    );
  });
});

describe('the lint command', () => {
  const read = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('prints each format without the secret value and sets the findings output', async () => {
    const dir = await repo({ 'secret.yaml': plainSecret, 'ok.yaml': 'a: b\n' }, false);
    for (const format of ['text', 'json', 'sarif', 'github'] as const) {
      const host = createMemoryHost();
      const config = parseLintInputs(read({ format, 'sarif-file': 'out.sarif' }), {}, { stdoutIsLog: false });
      const result = await runLint(config, commandDeps(host), dir);
      assert.equal(result.findings.length, 1);
      assert.equal(host.outputs.get('findings'), '1');
      const written = JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8')) as { version: string };
      assert.equal(written.version, '2.1.0');
      assert.doesNotMatch(host.allText(), /CANARY/, format);
      const out = Buffer.concat(host.stdout).toString('utf8');
      if (format === 'json') {
        const parsed = JSON.parse(out.trim()) as { findings: Record<string, unknown>[] };
        assert.deepEqual(Object.keys(parsed.findings[0] ?? {}), [
          'file',
          'line',
          'column',
          'rule',
          'severity',
          'message',
          'hint',
        ]);
        assert.deepEqual(parsed.findings[0]?.['line'], 6);
      }
      if (format === 'sarif') {
        const sarif = JSON.parse(out.trim()) as {
          version: string;
          runs: { results: { ruleId: string }[] }[];
        };
        assert.equal(sarif.version, '2.1.0');
        assert.equal(sarif.runs[0]?.results[0]?.ruleId, 'plaintext-secret');
      }
      if (format === 'github')
        assert.match(
          out,
          /^::error file=secret\.yaml,line=6,col=3,title=lint%3A plaintext-secret::Secret db/m,
        );
      if (format === 'text')
        assert.match(
          out,
          /secret\.yaml:6:3: error \[plaintext-secret\][^\n]*\n {2}6 \| {3}password: \*\*\*\n {4}\| {3}\^/,
        );
    }
  });

  it('defaults to github annotations in the Action and rejects an unknown format', () => {
    assert.equal(parseLintInputs(read({}), {}, { stdoutIsLog: true }).format, 'github');
    assert.deepEqual(parseLintInputs(read({}), {}, { stdoutIsLog: false }).paths, ['.']);
    assert.throws(
      () => parseLintInputs(read({ format: 'xml' }), {}, { stdoutIsLog: false }),
      /format is "xml"/,
    );
  });
});

describe("one file's problem never stops the others", () => {
  it('garbage, unparseable, too-deep, looping and broken-config files are reported, and every good file is still checked', async () => {
    const dir = await repo(
      {
        'a/secret.yaml': plainSecret,
        'bad/.sops.yaml': 'creation_rules:\n  - path_regex: "(("\n',
        'bad/secret.yaml': plainSecret,
        'broken.yaml': 'apiVersion: v1\nkind: Secret\n\tbroken: [\n',
        'deep.yaml': `kind: Secret\nx: ${'['.repeat(100_000)}\n`,
        'z/secret.yaml': plainSecret,
      },
      true,
    );
    await writeFile(path.join(dir, 'garbage.yaml'), Buffer.from([0xde, 0xad, 0, 0xbe, 0xef, 0x53, 0x65]));
    await symlink('loop.yaml', path.join(dir, 'loop.yaml'));
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(
      result.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`),
      [
        'a/secret.yaml:6 error plaintext-secret',
        'bad/.sops.yaml:1 error unchecked-file',
        'bad/secret.yaml:6 error plaintext-secret',
        'broken.yaml:3 warning unparseable-file',
        'deep.yaml:2 warning unparseable-file',
        'loop.yaml:1 error unchecked-file',
        'z/secret.yaml:6 error plaintext-secret',
      ],
    );
    assert.match(
      result.findings[1]?.message ?? '',
      /^not read: creation rule 1 path_regex: .*; files under it were checked without its creation rules$/,
    );
    assert.match(result.findings[5]?.message ?? '', /cannot be read \(ELOOP\)/);
  });
});
