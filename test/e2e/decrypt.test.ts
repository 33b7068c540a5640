/**
 * The bundled CLI and Action, run as users and the runner run them, on files the real sops
 * writes with canary secrets. Every output channel is searched for the canaries.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { runAction, runCli, withoutMaskCommands } from '../support/run-dist.ts';
import { newAgeKey, runSops, sopsEncrypt, type AgeKey } from '../support/tools.ts';

const CANARY = 'canary-e2e-5b1f0c9d';
const CANARY_B64 = Buffer.from(CANARY).toString('base64');
const plaintext = `apiVersion: v1
kind: Secret
metadata:
    name: db
    namespace: prod
type: Opaque
data:
    password: ${CANARY_B64}
stringData:
    token: ${CANARY}
`;

let key: AgeKey;
let other: AgeKey;
let file: string;

function assertNoCanary(...channels: (string | Buffer)[]): void {
  for (const channel of channels) {
    const text = withoutMaskCommands(channel.toString());
    assert.ok(!text.includes(CANARY) && !text.includes(CANARY_B64), `a canary leaked: ${text.slice(0, 300)}`);
  }
}

function assertCleanError(stderr: string): void {
  assert.ok(!/\n\s+at .+:\d+:\d+/.test(stderr), `no stack trace: ${stderr}`);
  assert.match(stderr, /^error: decrypting /m);
}

before(async () => {
  key = await newAgeKey();
  other = await newAgeKey();
  file = await sopsEncrypt(plaintext, 'secret.yaml', [
    '--age',
    key.recipient,
    '--encrypted-regex',
    '^(data|stringData)$',
  ]);
});

describe('CLI: decrypt', () => {
  test('prints exactly what sops -d prints', async () => {
    const want = await runSops(['decrypt', file], { SOPS_AGE_KEY_FILE: key.file });
    const got = await runCli(['decrypt', file], { SOPS_AGE_KEY_FILE: key.file });
    assert.equal(got.stderr, '');
    assert.equal(got.code, 0);
    assert.equal(got.stdout.toString(), want.toString());
  });

  test('--output-type json matches sops', async () => {
    const want = await runSops(['decrypt', '--output-type', 'json', file], { SOPS_AGE_KEY_FILE: key.file });
    const got = await runCli(['decrypt', '--output-type', 'json', '--age-key-file', key.file, file]);
    assert.equal(got.code, 0);
    assert.equal(got.stdout.toString(), want.toString());
  });

  test('--extract a single value', async () => {
    const got = await runCli([
      'decrypt',
      '--extract',
      '["stringData"]["token"]',
      '--age-key-file',
      key.file,
      file,
    ]);
    assert.equal(got.code, 0);
    assert.equal(got.stdout.toString(), CANARY);
  });

  test('stdin with --input-type', async () => {
    const got = await runCli(
      ['decrypt', '--input-type', 'yaml', '-'],
      { SOPS_AGE_KEY: key.identity },
      await readFile(file, 'utf8'),
    );
    assert.equal(got.code, 0);
    assert.ok(got.stdout.toString().includes(CANARY));
  });

  test('--output writes a 0600 file and prints nothing', async () => {
    const out = `${file}.out`;
    const got = await runCli(['decrypt', '--output', out, '--age-key-file', key.file, file]);
    assert.equal(got.code, 0);
    assert.equal(got.stdout.length, 0);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    assert.ok((await readFile(out, 'utf8')).includes(CANARY));
  });

  test('the wrong key: exit 2, one line, a key report, no plaintext', async () => {
    const got = await runCli(['decrypt', '--age-key-file', other.file, file]);
    assert.equal(got.code, 2);
    assert.equal(got.stdout.length, 0);
    assertCleanError(got.stderr);
    assert.ok(got.stderr.includes(file));
    assert.ok(got.stderr.includes(key.recipient), 'the report names the key that was tried');
    assert.ok(got.stderr.includes(other.file), 'the report says where keys were looked for');
    assertNoCanary(got.stderr);
  });

  test('a hand-edited cleartext field: MAC mismatch, no plaintext on stdout', async () => {
    const edited = `${file}.edited.yaml`;
    await writeFile(edited, (await readFile(file, 'utf8')).replace('name: db', 'name: evil'));
    const got = await runCli(['decrypt', '--age-key-file', key.file, edited]);
    assert.equal(got.code, 2);
    assert.equal(got.stdout.length, 0);
    assertCleanError(got.stderr);
    assert.match(got.stderr, /MAC mismatch/);
    assertNoCanary(got.stderr);
    const ignored = await runCli(['decrypt', '--ignore-mac', '--age-key-file', key.file, edited]);
    assert.equal(ignored.code, 0);
    assert.ok(ignored.stdout.toString().includes('name: evil'));
  });

  const badInputs: [string, (text: string) => string, RegExp][] = [
    ['truncated', (t) => t.slice(0, Math.floor(t.length / 2)), /decrypting .*secret/],
    [
      'a bad ENC string',
      (t) => t.replace(/ENC\[AES256_GCM,data:/, 'ENC[AES256_GCM,dat:'),
      /data\.password|stringData\.token/,
    ],
    ['invalid base64', (t) => t.replace(/iv:[A-Za-z0-9+/]{4}/, 'iv:!!!!'), /base64/],
    ['an unknown type', (t) => t.replace('type:str]', 'type:blob]'), /unknown value type/],
    ['no sops metadata', (t) => t.slice(0, t.indexOf('sops:')), /no sops metadata/],
  ];
  for (const [name, mutate, message] of badInputs) {
    test(`bad input: ${name}`, async () => {
      const bad = `${file}.${name.replace(/\W+/g, '-')}.yaml`;
      await writeFile(bad, mutate(await readFile(file, 'utf8')));
      const got = await runCli(['decrypt', '--age-key-file', key.file, bad]);
      assert.equal(got.code, 2, got.stderr);
      assert.equal(got.stdout.length, 0);
      assertCleanError(got.stderr);
      assert.match(got.stderr, message);
      assertNoCanary(got.stderr);
    });
  }

  const hostile: [string, string, () => string, RegExp][] = [
    [
      'deeply nested YAML',
      'deep.yaml',
      () => `${'a: {'.repeat(5000)}${'}'.repeat(5000)}\n`,
      /nest|deep|level/i,
    ],
    [
      'deeply nested JSON',
      'deep.json',
      () => `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      /nest|deep|level/i,
    ],
    ['a file over the size limit', 'huge.yaml', () => `a: ${'x'.repeat(65 * 1024 * 1024)}\n`, /limit/],
  ];
  for (const [name, fileName, make, message] of hostile) {
    test(`hostile input: ${name}`, async () => {
      const hostileFile = `${file}.${fileName}`;
      await writeFile(hostileFile, make());
      const got = await runCli(['decrypt', '--age-key-file', key.file, hostileFile]);
      assert.equal(got.code, 2, got.stderr);
      assert.equal(got.stdout.length, 0);
      assertCleanError(got.stderr);
      assert.match(got.stderr, message);
    });
  }

  test('a missing file', async () => {
    const got = await runCli(['decrypt', '/nonexistent/secret.yaml']);
    assert.equal(got.code, 2);
    assert.match(got.stderr, /decrypting \/nonexistent\/secret.yaml: no such file/);
  });

  test('a YAML alias bomb is refused', async () => {
    const layers = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      layers.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const bomb = `${file}.bomb.yaml`;
    await writeFile(
      bomb,
      `${layers.join('\n')}\n${(await readFile(file, 'utf8')).slice((await readFile(file, 'utf8')).indexOf('sops:'))}`,
    );
    const got = await runCli(['decrypt', '--age-key-file', key.file, bomb]);
    assert.equal(got.code, 2);
    assertCleanError(got.stderr);
  });
});

describe('Action: decrypt', () => {
  test('writes the output file and leaks the canary nowhere', async () => {
    const out = `${file}.action.yaml`;
    const got = await runAction({ command: 'decrypt', file, output: out, 'age-key': key.identity });
    assert.equal(got.code, 0, got.stdout.toString());
    assert.ok((await readFile(out, 'utf8')).includes(CANARY));
    assert.ok(got.stdout.toString().includes(`::add-mask::${CANARY}`), 'the canary is masked');
    assertNoCanary(got.stdout, got.stderr, got.outputs, got.summary);
  });

  test('refuses to print plaintext to the job log', async () => {
    const got = await runAction({ command: 'decrypt', file, 'age-key': key.identity });
    assert.equal(got.code, 1);
    assert.match(got.stdout.toString(), /needs the output input/);
    assertNoCanary(got.stdout, got.stderr, got.outputs, got.summary);
  });

  test('a wrong key fails the step with the report and no secret', async () => {
    const got = await runAction({ command: 'decrypt', file, output: `${file}.x`, 'age-key': other.identity });
    assert.equal(got.code, 1);
    assert.match(
      got.stdout.toString(),
      /::error::kustomize-sops-deploy: decrypting .*no key could decrypt the data key/,
    );
    assertNoCanary(got.stdout, got.stderr, got.outputs, got.summary);
  });
});
