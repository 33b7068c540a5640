/**
 * A decrypt failure in the bundled Action is an annotation on the encrypted file, relative to
 * the workspace, with the line when the parser knows it (the runner's `::error file=…::`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runAction, withoutMaskCommands } from '../support/run-dist.ts';
import { newAgeKey, sopsEncrypt, type AgeKey } from '../support/tools.ts';

const CANARY = 'canary-annotation-71d2c0';

let key: AgeKey;
let encrypted: string;

async function workspace(secretText: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-annotate-'));
  execFileSync('git', ['init', '-q', dir]);
  await writeFile(path.join(dir, 'kustomization.yaml'), 'resources:\n  - app/secret.enc.yaml\n');
  execFileSync('mkdir', ['-p', path.join(dir, 'app')]);
  await writeFile(path.join(dir, 'app', 'secret.enc.yaml'), secretText);
  return dir;
}

before(async () => {
  await requireComponent('cli-tools');
  key = await newAgeKey();
  const file = await sopsEncrypt(
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`,
    'secret.enc.yaml',
    ['--age', key.recipient],
  );
  encrypted = await readFile(file, 'utf8');
});

const cases: { name: string; text: () => string; annotation: RegExp }[] = [
  {
    name: 'a tampered value (MAC mismatch) points at the file',
    text: () =>
      encrypted.replace(
        /(password: ENC\[AES256_GCM,data:)(.)/,
        (_, p: string, c: string) => `${p}${c === 'A' ? 'B' : 'A'}`,
      ),
    annotation:
      /^::error file=app\/secret\.enc\.yaml::kustomize-sops-deploy: .*decrypting app\/secret\.enc\.yaml/m,
  },
  {
    name: 'broken YAML points at the line',
    // A second line that opens a flow sequence and never closes it.
    text: () => encrypted.replace('\n', '\nbroken: [unclosed\n'),
    annotation:
      /^::error file=app\/secret\.enc\.yaml,line=\d+,col=\d+::kustomize-sops-deploy: .*invalid YAML at line \d+/m,
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const dir = await workspace(c.text());
    const result = await runAction(
      { command: 'build', path: '.', 'age-key': key.identity },
      {
        PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
        GITHUB_WORKSPACE: dir,
      },
    );
    assert.equal(result.code, 1);
    const stdout = result.stdout.toString();
    assert.match(stdout, c.annotation);
    assert.ok(!withoutMaskCommands(stdout).includes(CANARY), 'no plaintext in the log');
  });
}
