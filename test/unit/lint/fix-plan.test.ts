/**
 * lint --fix's plan: which findings are fixed by encrypting their file, and the advice for the
 * others. The findings come from the real lint over a small tree, so the plan is tested on
 * what lint reports.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { planFixes, withAdvice, type FixPlan } from '../../../src/lint/fix-plan.ts';
import { lintPaths } from '../../../src/lint/lint.ts';
import { finding, type Finding } from '../../../src/lint/rules.ts';

const secret = (name: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: CANARY-${name}-value\n`;
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: fast\n';

const files: Record<string, string> = {
  'secret.yaml': secret('one'),
  'two.yaml': `${secret('a')}---\n${secret('b')}`,
  'secret.json': JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'j' },
    stringData: { token: 'CANARY-json-value' },
  }),
  'mixed.yaml': `${secret('m')}---\n${configMap}`,
  'list.yaml':
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: l\n    stringData:\n      password: CANARY-list-value\n',
  'listed.txt': secret('txt'),
  'kustomization.yaml':
    'resources:\n  - listed.txt\nsecretGenerator:\n  - name: gen\n    literals:\n      - password=CANARY-generator-value\n',
  'cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tokens\ndata:\n  github: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n',
  'release.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    adminPassword: CANARY-helm-value\n',
  'secrets/settings.yaml': 'database:\n  password: CANARY-settings-value\n',
  '.sops.yaml':
    'creation_rules:\n  - path_regex: secrets/.*\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n',
};

let plan: FixPlan;
let findings: readonly Finding[];

before(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-fix-plan-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  execFileSync('git', ['init', '-q', dir]);
  ({ findings } = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined }));
  plan = planFixes(findings, (file) => files[file]);
});

/** The advice the plan gives for the findings of `file` with `rule`. */
function adviceOf(file: string, rule: string): string[] {
  return plan.advice.filter((a) => a.finding.file === file && a.finding.rule === rule).map((a) => a.advice);
}

describe('planFixes', () => {
  it('encrypts the YAML and JSON files that hold only Secrets', () => {
    assert.deepEqual(plan.encrypt, ['secret.json', 'secret.yaml', 'two.yaml']);
  });

  it('every finding of a file it does not encrypt stays, with advice', () => {
    const encrypted = new Set(plan.encrypt);
    const left = findings.filter((f) => !encrypted.has(f.file));
    const advised = new Set(plan.advice.map((a) => a.finding));
    assert.equal(plan.advice.length, left.length);
    for (const f of left) assert.ok(advised.has(f), `${f.file}:${String(f.line)} ${f.rule} has advice`);
  });

  const cases: readonly { file: string; rule: string; advice: RegExp }[] = [
    { file: 'mixed.yaml', rule: 'plaintext-secret', advice: /also holds ConfigMap.*file of its own/ },
    {
      file: 'list.yaml',
      rule: 'plaintext-secret',
      advice: /items of a List, and an encrypted List loses its sops metadata when kustomize flattens it/,
    },
    { file: 'listed.txt', rule: 'plaintext-secret', advice: /YAML and JSON manifests only.*as binary/ },
    { file: 'kustomization.yaml', rule: 'generator-plaintext', advice: /secretGenerator literal.*env file/ },
    { file: 'cm.yaml', rule: 'token-in-manifest', advice: /ConfigMap is read in plaintext.*Secret/ },
    { file: 'release.yaml', rule: 'secret-like-value', advice: /valuesFrom/ },
    {
      file: 'secrets/settings.yaml',
      rule: 'creation-rule-unencrypted',
      advice: /holds no Secret.*encrypt --in-place/,
    },
  ];
  for (const c of cases) {
    it(`${c.file} (${c.rule}): not fixed, with what to do instead`, () => {
      const advice = adviceOf(c.file, c.rule);
      assert.notEqual(advice.length, 0, `lint reports ${c.rule} on ${c.file}`);
      for (const text of advice) assert.match(text, c.advice);
    });
  }

  it('no advice quotes a value', () => {
    for (const { advice } of plan.advice) assert.doesNotMatch(advice, /CANARY|ghp_/);
  });

  it('a file that already has sops metadata is not encrypted again', () => {
    const text = `${secret('e')}sops:\n  mac: x\n`;
    const f = finding('plaintext-secret', { file: 'enc.yaml', line: 5, column: 3 }, 'Secret e: plaintext');
    const result = planFixes([f], () => text);
    assert.deepEqual(result.encrypt, []);
    assert.match(result.advice[0]?.advice ?? '', /encrypted already.*sops FILE/);
  });

  it('an unreadable file is not encrypted', () => {
    const f = finding('plaintext-secret', { file: 'gone.yaml', line: 1, column: 1 }, 'Secret: plaintext');
    const result = planFixes([f], () => undefined);
    assert.deepEqual(result.encrypt, []);
    assert.match(result.advice[0]?.advice ?? '', /could not be read/);
  });
});

describe('withAdvice', () => {
  it('puts the advice in the hint of the finding left at the same place, and only there', () => {
    const at = { file: 'k.yaml', line: 4, column: 9 };
    const left = finding('generator-plaintext', at, 'literal');
    const other = finding('generator-plaintext', { ...at, line: 5 }, 'literal');
    const out = withAdvice([left, other], [{ finding: left, advice: 'do this instead' }]);
    assert.equal(out[0]?.hint, 'do this instead');
    assert.equal(out[1]?.hint, other.hint);
  });
});
