import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runLint } from '../../../src/commands/lint-run.ts';
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
        'secrets/values.yaml': 'db:\n  password: hunter2\n',
        'values.yaml': 'db:\n  password: hunter2\n',
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

  it('a regex that does not compile is a finding on its file, and every other file is still checked', async () => {
    const encrypted = await readFile(path.join('test', 'fixtures', 'lint', 'secret.enc.yaml'), 'utf8');
    const withRegex = (regex: string): string =>
      encrypted.replace('encrypted_regex: ^(data|stringData)$', `encrypted_regex: '${regex}'`);
    const dir = await repo(
      {
        '.sops.yaml': [
          'creation_rules:',
          '  - path_regex: ^(?=x)secrets/',
          '    age: age1x',
          '  - path_regex: values/.*',
          "    encrypted_regex: '^(?!metadata)'",
          '    age: age1x',
          '  - path_regex: config/.*',
          '    age: age1x',
          '',
        ].join('\n'),
        'apps/secret.yaml': plainSecret,
        'broken/secret.enc.yaml': withRegex('(?<=a)b'),
        'config/values.yaml': 'db:\n  password: hunter2\n',
        'secrets/values.yaml': 'db:\n  password: hunter2\n',
        'values/values.yaml': 'db:\n  password: hunter2\n',
        // The home-ops template's regex is valid RE2 (an inline flag inside a group).
        'home/secret.enc.yaml': withRegex('((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))'),
      },
      false,
    );
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(summary(result.findings), [
      '.sops.yaml:2 sops-config',
      '.sops.yaml:5 sops-config',
      'apps/secret.yaml:6 plaintext-secret',
      'broken/secret.enc.yaml:9 sops-structure',
      'config/values.yaml:2 creation-rule-unencrypted',
      // the key-name heuristics on values files (issue 16), independent of the regex problems
      'secrets/values.yaml:2 secret-like-value',
      'values/values.yaml:2 secret-like-value',
    ]);
    const messages = result.findings.map((f) => f.message);
    assert.ok(
      messages.includes(
        'creation rule 1 path_regex "^(?=x)secrets/" is not a valid Go regular expression: invalid or unsupported Perl syntax: `(?=`',
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        m.includes('creation rule 2 encrypted_regex "^(?!metadata)" is not a valid Go regular expression'),
      ),
    );
    assert.ok(
      messages.some((m) => m.includes('encrypted_regex "(?<=a)b" is not a valid Go regular expression')),
    );
    assert.equal(result.filesChecked, 7);
  });

  it('a .sops.yaml that does not parse is a finding, not the end of the run', async () => {
    const dir = await repo({ '.sops.yaml': 'creation_rules: [\n', 'apps/secret.yaml': plainSecret }, false);
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(summary(result.findings), [
      '.sops.yaml:1 sops-config',
      'apps/secret.yaml:6 plaintext-secret',
    ]);
  });

  it('files checked at once share one .sops.yaml parse: a bad config is one finding, and findings keep their order', async () => {
    const files: Record<string, string> = { '.sops.yaml': 'creation_rules: [\n' };
    // More files in one folder than are checked at once, so several wait on the same search.
    for (let i = 0; i < 40; i++) files[`apps/s${String(i).padStart(2, '0')}.yaml`] = plainSecret;
    const dir = await repo(files, false);
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    const expected = [
      '.sops.yaml:1 sops-config',
      ...Array.from({ length: 40 }, (_, i) => `apps/s${String(i).padStart(2, '0')}.yaml:6 plaintext-secret`),
    ];
    assert.deepEqual(summary(result.findings), expected);
    assert.equal(result.filesChecked, 41);
  });

  it('a catastrophic path_regex on a long file name finishes, with the right rule', async () => {
    // A backtracking engine takes about 2^40 steps on this name (hours); RE2 is linear.
    const name = `${'a'.repeat(40)}.yaml`;
    const dir = await repo(
      {
        '.sops.yaml':
          "creation_rules:\n  - path_regex: ^(a+)+$\n    age: age1x\n  - path_regex: '\\.yaml$'\n    age: age1y\n",
        [name]: 'db:\n  password: hunter2\n',
      },
      false,
    );
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(summary(result.findings), [`${name}:2 creation-rule-unencrypted`]);
    assert.match(result.findings[0]?.message ?? '', /creation rule 2 /);
  });

  it('a suppression glob with many stars against a long file name finishes, and does not waive it', async () => {
    // path.matchesGlob backtracked: this glob on an 80-character name took two minutes.
    const name = `${'a'.repeat(100)}.yaml`;
    const dir = await repo({ [name]: plainSecret, 'aaaaaaaab/secret.yaml': plainSecret }, false);
    const config = parseLintConfig(
      'ignore:\n  - path: "*a*a*a*a*a*a*a*a*b{,/**}"\n    reason: fixtures\n',
      path.join(dir, '.ksd-lint.yaml'),
    );
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config });
    assert.deepEqual(summary(result.findings), [`${name}:6 plaintext-secret`]);
    assert.deepEqual(
      result.suppressed.map((f) => f.file),
      ['aaaaaaaab/secret.yaml'],
    );
  });

  it('never reads a device, or a file outside the repository, through a committed symlink', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'ksd-lint-outside-'));
    await writeFile(
      path.join(outside, 'secret.yaml'),
      plainSecret.replace('CANARY-hunter2', 'OUTSIDE-CANARY'),
    );
    const dir = await repo(
      { 'apps/secret.yaml': plainSecret, 'apps/.sops.yaml': 'creation_rules: []\n' },
      true,
    );
    // zero.yaml -> /dev/zero grew lint to 9 GB and a V8 abort; the outside link printed its lines.
    await symlink('/dev/zero', path.join(dir, 'apps', 'zero.yaml'));
    await symlink(path.join(outside, 'secret.yaml'), path.join(dir, 'apps', 'elsewhere.yaml'));
    await symlink('secret.yaml', path.join(dir, 'apps', 'inside.yaml'));
    // A link to a folder: inside the repository its files are listed anyway (skipped, where
    // it was an "is a directory" error before); outside, "not checked".
    await mkdir(path.join(dir, 'apps', 'skills'));
    await symlink('skills', path.join(dir, 'apps', 'skills-link'));
    await symlink(outside, path.join(dir, 'apps', 'outside-folder'));
    const result = await lintPaths({ paths: ['apps'], cwd: dir, exec: nodeExec, config: undefined });
    // Never read, never silent: each is "not checked", and says why without any content.
    assert.deepEqual(summary(result.findings), [
      'apps/elsewhere.yaml:1 unchecked-file',
      'apps/inside.yaml:6 plaintext-secret',
      'apps/outside-folder:1 unchecked-file',
      'apps/secret.yaml:6 plaintext-secret',
      'apps/zero.yaml:1 unchecked-file',
    ]);
    assert.doesNotMatch(renderFindings(result, 'text'), /OUTSIDE-CANARY/);
  });

  it('a generator source outside the repository is reported as outside, never read', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'ksd-lint-outside-'));
    await writeFile(path.join(outside, 'exists.env'), 'TOKEN=runner\n');
    const kustomization = [
      'secretGenerator:',
      '  - name: app',
      '    envs:',
      '      - /dev/urandom', // read for 23 s before
      `      - ${path.join(outside, 'exists.env')}`,
      `      - ${path.join(outside, 'missing.env')}`,
      '      - link.env',
      '',
    ].join('\n');
    const dir = await repo({ 'app/kustomization.yaml': kustomization }, true);
    await symlink(path.join(outside, 'exists.env'), path.join(dir, 'app', 'link.env'));
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    const messages = result.findings.map((f) => f.message);
    assert.deepEqual(messages, [
      'secretGenerator "app": envs source "/dev/urandom" is outside the repository',
      `secretGenerator "app": envs source ${JSON.stringify(path.join(outside, 'exists.env'))} is outside the repository`,
      // The same words whether or not the file exists: the finding tells nothing about it.
      `secretGenerator "app": envs source ${JSON.stringify(path.join(outside, 'missing.env'))} is outside the repository`,
      'secretGenerator "app": envs source "link.env" is outside the repository',
      // link.env itself: a symlink out of the repository, not checked and not followed
      'not checked: it is outside the repository',
    ]);
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
        'bad/.sops.yaml:2 error sops-config',
        'bad/secret.yaml:6 error plaintext-secret',
        'broken.yaml:3 warning unparseable-file',
        'deep.yaml:2 warning unparseable-file',
        'loop.yaml:1 error unchecked-file',
        'z/secret.yaml:6 error plaintext-secret',
      ],
    );
    assert.match(
      result.findings[1]?.message ?? '',
      /^creation rule 1 path_regex "\(\(" is not a valid Go regular expression/,
    );
    assert.match(result.findings[5]?.message ?? '', /not checked: .*symlink loop/);
  });
});
