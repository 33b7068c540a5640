/**
 * `lint --fix` against the real sops 3.13: each plaintext Secret file it encrypts in place is
 * opened by the real `sops -d` (MAC verified) and gives back the original bytes, by the
 * `.sops.yaml` rule lint found (its selection kept) or for the `--age` recipients given. What
 * it cannot fix stays a finding with what to do instead, and the gate fails on what remains.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { failsGate } from '../../src/commands/lint.ts';
import { runLint } from '../../src/commands/lint-run.ts';
import { parseLintConfig } from '../../src/config/lint.ts';
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host.ts';
import type { LintResult } from '../../src/lint/lint.ts';
import { parseMetadata, type Metadata } from '../../src/sops/metadata.ts';
import { storeFor } from '../../src/sops/formats.ts';
import { commandDeps } from '../support/command-deps.ts';
import { newAgeKey, runSops, type AgeKey } from '../support/tools.ts';

let age: AgeKey;
let ageB: AgeKey;

before(async () => {
  age = await newAgeKey();
  ageB = await newAgeKey();
});

/** A Secret as people write it: comments, both value maps, keys out of order. */
const commented = `# the database credentials
apiVersion: v1
kind: Secret
metadata:
  name: db # inline comment
  namespace: apps
type: Opaque
stringData:
  # the password, rotated monthly
  password: CANARY-db-password
  user: admin
data:
  token: Q0FOQVJZLWRiLXRva2Vu
`;
/** In sops's own layout (4-space indent), so `sops -d` gives back these exact bytes. */
const onlyStringData =
  'apiVersion: v1\nkind: Secret\nmetadata:\n    name: api\nstringData:\n    key: CANARY-api-key\n';

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-fix-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

async function lintFix(
  dir: string,
  inputs: Record<string, string> = {},
): Promise<{ host: MemoryHost; result: LintResult; exit: number }> {
  const read = (name: string): string => ({ fix: 'true', format: 'text', ...inputs })[name] ?? '';
  const config = parseLintConfig(read, {}, { stdoutIsLog: false });
  const host = createMemoryHost();
  const result = await runLint(config, commandDeps(host), dir);
  return { host, result, exit: failsGate(result, config.failOn) ? 1 : 0 };
}

/**
 * What `sops -d` gives back for `text` when the real sops encrypted it with lint --fix's
 * default selection: the same values, comments and key order, laid out as sops lays YAML out
 * (4-space indent).
 */
async function sopsRoundTrip(text: string, extension = '.yaml'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-fix-sops-'));
  const file = path.join(dir, `plain${extension}`);
  await writeFile(file, text);
  await writeFile(
    file,
    await runSops(['encrypt', '--age', age.recipient, '--encrypted-regex', '^(data|stringData)$', file]),
  );
  return sopsDecrypt(file, age);
}

/** The real sops opens the file (MAC verified) with `key`; returns the plaintext. */
async function sopsDecrypt(file: string, key: AgeKey): Promise<string> {
  return (await runSops(['decrypt', file], { SOPS_AGE_KEY_FILE: key.file })).toString('utf8');
}

async function metadataOf(file: string): Promise<Metadata> {
  const { metadata } = storeFor('yaml').loadEncrypted(await readFile(file, 'utf8'));
  assert.ok(metadata !== null, `${file} has sops metadata`);
  return parseMetadata(metadata);
}

describe('lint --fix by the .sops.yaml creation rules', () => {
  let dir: string;
  let run: Awaited<ReturnType<typeof lintFix>>;
  const originals: Record<string, string> = {
    'ruled/db.yaml': commented,
    'ruled/two.yaml': `${onlyStringData}---\n${commented}`,
    'ruled/api.json': `${JSON.stringify(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'j' }, stringData: { token: 'CANARY-json' } },
      null,
      2,
    )}\n`,
    'selected/api.yaml': onlyStringData,
    'other/loose.yaml': onlyStringData.replace('name: api', 'name: loose'),
    'kustomization.yaml':
      'resources:\n  - ruled/db.yaml\nsecretGenerator:\n  - name: gen\n    literals:\n      - password=CANARY-generator\n',
  };

  before(async () => {
    dir = await repo({
      ...originals,
      '.sops.yaml': `creation_rules:
  - path_regex: selected/.*
    encrypted_regex: ^stringData$
    age: ${age.recipient}
  - path_regex: ruled/.*
    age: ${age.recipient}
`,
    });
    run = await lintFix(dir);
  });

  test('each fixed file opens with the real sops -d, MAC verified, giving back the original', async () => {
    for (const file of ['ruled/db.yaml', 'ruled/two.yaml', 'ruled/api.json', 'selected/api.yaml']) {
      const written = await readFile(path.join(dir, file), 'utf8');
      assert.match(written, /^sops:|^\t"sops": \{/m, file);
      assert.doesNotMatch(written, /CANARY/, file);
    }
    // A file in sops's layout comes back byte for byte; any other keeps its values, comments
    // and key order exactly as sops itself keeps them.
    assert.equal(await sopsDecrypt(path.join(dir, 'selected/api.yaml'), age), onlyStringData);
    for (const file of ['ruled/db.yaml', 'ruled/two.yaml', 'ruled/api.json']) {
      const original = originals[file] ?? '';
      const expected = await sopsRoundTrip(original, path.extname(file));
      assert.equal(await sopsDecrypt(path.join(dir, file), age), expected, file);
    }
  });

  test('the log names each fixed file and its rule, never a value', () => {
    assert.ok(run.host.logs.includes('fixed: ruled/db.yaml (encrypted with creation rule 2 of .sops.yaml)'));
    assert.ok(
      run.host.logs.includes('fixed: selected/api.yaml (encrypted with creation rule 1 of .sops.yaml)'),
    );
    assert.doesNotMatch(run.host.allText(), /CANARY|Q0FOQVJZ/);
  });

  test("the rule's selection is kept; without one, only data and stringData are encrypted", async () => {
    const selected = await metadataOf(path.join(dir, 'selected/api.yaml'));
    assert.deepEqual(selected.selection, { kind: 'encrypted_regex', value: '^stringData$' });
    const ruled = await metadataOf(path.join(dir, 'ruled/db.yaml'));
    assert.deepEqual(ruled.selection, { kind: 'encrypted_regex', value: '^(data|stringData)$' });
    const text = await readFile(path.join(dir, 'ruled/db.yaml'), 'utf8');
    assert.match(text, /^ {4}name: db # inline comment$/m, 'names and comments stay readable');
    assert.match(text, /^# the database credentials$/m);
  });

  test('a file no rule matches, with no --age or --pgp, is left as it was, with a clear message', async () => {
    assert.equal(await readFile(path.join(dir, 'other/loose.yaml'), 'utf8'), originals['other/loose.yaml']);
    const line = run.host.logs.find((l) => l.startsWith('not fixed: other/loose.yaml'));
    assert.match(
      line ?? '',
      /not encrypted: \.sops\.yaml: no creation rule matches other\/loose\.yaml.*or pass --age or --pgp/,
    );
    assert.ok(
      run.result.findings.some((f) => f.file === 'other/loose.yaml' && f.rule === 'plaintext-secret'),
    );
  });

  test('a generator literal stays a finding, with what to do instead, and the gate still fails', () => {
    const left = run.result.findings.filter((f) => f.rule === 'generator-plaintext');
    assert.equal(left.length, 1);
    assert.match(left[0]?.hint ?? '', /secretGenerator literal.*env file/);
    assert.ok(
      run.host.logs.some((l) => /^not fixed: kustomization\.yaml:\d+ \(generator-plaintext\)/.test(l)),
    );
    assert.deepEqual(
      [...new Set(run.result.findings.map((f) => f.file))].sort(),
      ['kustomization.yaml', 'other/loose.yaml'],
      'the check after the fix reports only what remains',
    );
    assert.equal(run.exit, 1);
  });
});

describe('lint --fix with --age recipients', () => {
  test('encrypts for them (over a creation rule), and the gate passes once nothing remains', async () => {
    const dir = await repo({
      'app/secret.yaml': commented,
      '.sops.yaml': `creation_rules:\n  - age: ${age.recipient}\n`,
    });
    const run = await lintFix(dir, { age: ageB.recipient });
    assert.ok(run.host.logs.includes(`fixed: app/secret.yaml (encrypted with ${ageB.recipient})`));
    assert.equal(await sopsDecrypt(path.join(dir, 'app/secret.yaml'), ageB), await sopsRoundTrip(commented));
    await assert.rejects(
      sopsDecrypt(path.join(dir, 'app/secret.yaml'), age),
      'the flags replace the rule keys',
    );
    assert.deepEqual(run.result.findings, []);
    assert.equal(run.exit, 0);
    assert.equal(run.host.outputs.get('findings'), '0');
  });
});

describe('lint --fix with no .sops.yaml and no recipients', () => {
  test('leaves the file as it was, says why and what to do, and the gate fails', async () => {
    const dir = await repo({ 'secret.yaml': onlyStringData });
    const run = await lintFix(dir);
    assert.equal(await readFile(path.join(dir, 'secret.yaml'), 'utf8'), onlyStringData);
    const line = run.host.logs.find((l) => l.startsWith('not fixed: secret.yaml'));
    assert.match(
      line ?? '',
      /no keys to encrypt for: no .sops.yaml creation rule, and no --age or --pgp; add a .sops.yaml/,
    );
    assert.deepEqual(
      run.result.findings.map((f) => f.rule),
      ['plaintext-secret'],
    );
    assert.match(run.result.findings[0]?.hint ?? '', /^not encrypted: no keys to encrypt for/);
    assert.equal(run.exit, 1);
  });
});
