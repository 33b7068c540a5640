/**
 * The hostile corpus (test/fixtures/lint/recall and clean): every shape that kustomize builds
 * into a plaintext Secret, each in its own directory, and look-alikes that must stay quiet.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { lintPaths, MAX_LINT_BYTES } from '../../../src/lint/lint.ts';
import { repoRoot } from '../../env/paths.ts';

const corpus = path.join(repoRoot, 'test/fixtures/lint');

async function lint(dir: string): Promise<string[]> {
  const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
  return result.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`);
}

/** Directory under recall/ and the findings it must give (`file:line severity rule`). */
const recall: readonly (readonly [string, readonly string[]])[] = [
  ['list-kind', ['list.yaml:15 error plaintext-secret']],
  ['secret-list', ['list.yaml:9 error plaintext-secret']],
  ['escaped-json', ['secret.json:6 error plaintext-secret']],
  ['escaped-yaml', ['secret.yaml:6 error plaintext-secret']],
  ['upper-apiversion', ['secret.yaml:6 error plaintext-secret']],
  ['merge-key', ['secret.yaml:7 error plaintext-secret']],
  ['template-suffix', ['secret.yaml:6 error plaintext-secret']],
  ['template-dollar', ['secret.yaml:6 error plaintext-secret']],
  ['template-hash', ['secret.yaml:6 error plaintext-secret']],
  [
    'listed-extensions',
    [
      'secret:6 error plaintext-secret',
      'secret.YAML:6 error plaintext-secret',
      'secret.txt:6 error plaintext-secret',
    ],
  ],
  ['utf16-bom', ['secret-be.yaml:6 error plaintext-secret', 'secret.yaml:6 error plaintext-secret']],
  ['inline-patch', ['kustomization.yaml:10 error plaintext-secret']],
  ['decoy-metadata', ['secret.yaml:23 error plaintext-secret']],
  ['enc-without-metadata', ['secret.yaml:6 error sops-structure']],
  // Precision work must not cost recall: shapes that used to be "unparseable" are checked.
  ['jsonc-secret', ['secret.json:7 error plaintext-secret']],
  ['sequence-under-rule', ['secrets/users.yaml:1 error creation-rule-unencrypted']],
  ['integer-key-secret', ['secret.yaml:6 error plaintext-secret']],
];

const clean = [
  // Real-repository false positives: JSON6902 patch files, JSON with comments, integer keys,
  // files whose values are all templates under a catch-all rule.
  'json6902-patch',
  'jsonc-settings',
  'integer-keys',
  'all-templates',
  'configmap-list',
  'custom-secret-kinds',
  'encrypted',
  'inline-deployment-patch',
  'listed-txt',
  'templates-only',
];

describe('hostile corpus: recall', () => {
  for (const [name, expected] of recall) {
    it(name, async () => {
      assert.deepEqual(await lint(path.join(corpus, 'recall', name)), expected);
    });
  }

  it('a file with ENC[...] values and no metadata says the metadata is missing, not "plaintext"', async () => {
    const result = await lintPaths({
      paths: ['.'],
      cwd: path.join(corpus, 'recall/enc-without-metadata'),
      exec: nodeExec,
      config: undefined,
    });
    assert.match(result.findings[0]?.message ?? '', /no sops metadata, so it cannot be decrypted/);
  });

  it('a file too large to parse is an error finding, never silent', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-big-'));
    const body = `  filler: "${'x'.repeat(200)}"\n`.repeat(Math.ceil(MAX_LINT_BYTES / 200) + 10);
    await writeFile(path.join(dir, 'big.yaml'), `apiVersion: v1\nkind: Secret\nstringData:\n${body}`);
    const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
    assert.deepEqual(
      result.findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`),
      ['big.yaml:1 error unchecked-file'],
    );
    assert.match(result.findings[0]?.message ?? '', /^not checked: over 4 MiB/);
  });

  it('a large text file that does not look like a manifest is only a warning', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-big-'));
    await writeFile(path.join(dir, 'big.log'), 'line of log\n'.repeat(MAX_LINT_BYTES / 10));
    assert.deepEqual(await lint(dir), ['big.log:1 warning unchecked-file']);
  });
});

describe('hostile corpus: clean look-alikes', () => {
  for (const name of clean) {
    it(name, async () => {
      assert.deepEqual(await lint(path.join(corpus, 'clean', name)), []);
    });
  }
});
