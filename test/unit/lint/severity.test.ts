/**
 * Severity that gates (issue 16 item 2): token shapes in Kubernetes objects are errors, key
 * names that look secret are warnings, `--fail-on` decides what fails the step.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { failsGate } from '../../../src/commands/lint.ts';
import { parseLintConfig as parseLintInputs } from '../../../src/config/lint.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { lintPaths, type LintResult } from '../../../src/lint/lint.ts';
import { finding } from '../../../src/lint/rules.ts';

// Token shapes are assembled here so that no scanner mistakes this file for a leak.
const j = (...parts: string[]): string => parts.join('');
const TOKENS: readonly (readonly [string, string])[] = [
  ['AWS access key id', j('AKIA', 'Q3EGRJ5NWZ7XK2LT')],
  ['lone AWS secret key', j('aws_secret_access_key: ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'ZEXAMPLEKE')],
  ['GitHub token', j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')],
  ['Slack token', j('xoxb-', '123456789012-abcdefghijkl')],
  [
    'Slack webhook URL',
    j('https://hooks.slack.com/services/', 'T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx'),
  ],
  ['GCP service-account JSON', j('{"type": "service_', 'account", "project_id": "p"}')],
  [
    'Azure storage connection string',
    j('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=', 'A'.repeat(86), '==;'),
  ],
  ['Stripe live key', j('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc')],
  ['private key', j('-----BEGIN RSA ', 'PRIVATE KEY-----')],
];

async function lintFiles(files: Record<string, string>): Promise<LintResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-sev-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
}

const summary = (result: LintResult): string[] =>
  result.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`);

const configMap = (data: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n${data}`;

describe('token shapes', () => {
  for (const [name, token] of TOKENS) {
    it(`${name}: an error in a Kubernetes object, a warning in prose`, async () => {
      const value = JSON.stringify(token);
      const result = await lintFiles({
        'cm.yaml': configMap(`  blob: ${value}\n`),
        'notes.md': `# Notes\n\n${token}\n`,
      });
      assert.deepEqual(summary(result), [
        'cm.yaml:6 error token-in-manifest',
        'notes.md:3 warning private-key-material',
      ]);
    });
  }

  it('a 40-character hash under an unrelated key is not an AWS secret key', async () => {
    const result = await lintFiles({ 'cm.yaml': configMap(`  commit: ${'a'.repeat(40)}\n`) });
    assert.deepEqual(summary(result), []);
  });
});

describe('secret-like-value', () => {
  const cases: readonly (readonly [string, Record<string, string>, readonly string[]])[] = [
    [
      'HelmRelease spec.values',
      {
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: db\nspec:\n  values:\n    auth:\n      postgresPassword: hunter2\n      existingSecret: db-auth\n',
      },
      ['hr.yaml:8 warning secret-like-value'],
    ],
    [
      'HelmRelease values that are templates',
      {
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: db\nspec:\n  values:\n    auth:\n      password: ${DB_PASSWORD}\n',
      },
      [],
    ],
    [
      'values.yaml',
      { 'chart/values.yaml': 'redis:\n  auth:\n    password: hunter2\n    enabled: true\n' },
      ['chart/values.yaml:3 warning secret-like-value'],
    ],
    [
      'values-prod.yaml, api_key',
      { 'values-prod.yaml': 'api_key: abc123\n' },
      ['values-prod.yaml:1 warning secret-like-value'],
    ],
    ['other YAML is not Helm values', { 'settings.yaml': 'password: hunter2\n' }, []],
    [
      '.env',
      { 'app.env': '# db\nDB_HOST=db\nDB_PASSWORD=hunter2\nAPI_TOKEN=${TOKEN}\n' },
      ['app.env:3 warning secret-like-value'],
    ],
    [
      'ConfigMap data',
      { 'cm.yaml': configMap('  api_key: abc123\n  mode: fast\n') },
      ['cm.yaml:6 warning secret-like-value'],
    ],
    [
      // onedr0p/home-ops: actions-runner-controller's values name the Secret to read.
      'a key ending in Secret whose value is an object name names that Secret',
      {
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: runner\nspec:\n  values:\n    githubConfigSecret: home-ops-runner-secret\n    clientSecret: Xy7~kq.9pLm-2vB\n    webhookSecret: hunter2\n',
      },
      ['hr.yaml:8 warning secret-like-value', 'hr.yaml:9 warning secret-like-value'],
    ],
    [
      // truxnell/home-cluster: hajimari's search providers have one-letter shortcuts.
      'a value shorter than four characters is no credible secret',
      {
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: hajimari\nspec:\n  values:\n    searchProviders:\n      - token: w\n      - token: abc\n      - token: abcd\n',
      },
      ['hr.yaml:10 warning secret-like-value'],
    ],
    [
      'ConfigMap reference names',
      { 'cm.yaml': configMap('  passwordSecretName: db\n  tokenPath: /var/run/token\n') },
      [],
    ],
  ];
  for (const [name, files, expected] of cases) {
    it(name, async () => {
      assert.deepEqual(summary(await lintFiles(files)), expected);
    });
  }
});

describe('creation-rule-configmap', () => {
  const cases: readonly (readonly [string, string, readonly string[]])[] = [
    ['a rule naming secrets/', 'secrets/.*', ['secrets/cm.yaml:6 warning creation-rule-configmap']],
    ['an extension-only rule (the Flux guide)', '.*\\.yaml$', []],
    ['a catch-all rule', '', []],
  ];
  for (const [name, regex, expected] of cases) {
    it(name, async () => {
      const rule = regex === '' ? '  - age: age1x\n' : `  - path_regex: ${regex}\n    age: age1x\n`;
      const result = await lintFiles({
        '.sops.yaml': `creation_rules:\n${rule}`,
        'secrets/cm.yaml': configMap('  endpoint: https://example.com\n'),
      });
      assert.deepEqual(summary(result), expected);
    });
  }
});

describe('--fail-on', () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const at = { file: 'f', line: 1, column: 1 };
  const warning = finding('secret-like-value', at, 'm');
  const error = finding('plaintext-secret', at, 'm');
  const result = (...findings: (typeof warning)[]): LintResult => ({
    findings,
    suppressed: [],
    filesChecked: 1,
  });
  const cases: readonly (readonly [string, LintResult, 'error' | 'warning', boolean])[] = [
    ['warnings only, fail-on error', result(warning), 'error', false],
    ['warnings only, fail-on warning', result(warning), 'warning', true],
    ['an error, fail-on error', result(warning, error), 'error', true],
    ['nothing, fail-on warning', result(), 'warning', false],
  ];
  for (const [name, r, failOn, fails] of cases) {
    it(name, () => {
      assert.equal(failsGate(r, failOn), fails);
    });
  }

  it('is read from the fail-on input, error by default, and rejects anything else', () => {
    const shell = { stdoutIsLog: false };
    assert.equal(parseLintInputs(read({}), {}, shell).failOn, 'error');
    assert.equal(parseLintInputs(read({ 'fail-on': 'warning' }), {}, shell).failOn, 'warning');
    assert.throws(() => parseLintInputs(read({ 'fail-on': 'note' }), {}, shell), /fail-on is "note"/);
  });
});
