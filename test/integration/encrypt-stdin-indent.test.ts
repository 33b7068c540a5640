/**
 * `encrypt -` (stdin, bounded like `decrypt -`, named by `--filename-override` for the
 * creation rules and the formats) and `--indent`, against the real sops 3.13: sops -d opens
 * what we write with its MAC verified and gives back the input, and the layout is the one
 * `sops --indent N encrypt` writes for the same input.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { MAX_INPUT_BYTES } from '../../src/commands/decrypt.ts';
import { runEncrypt } from '../../src/commands/encrypt-run.ts';
import { parseEncryptConfig } from '../../src/config/encrypt.ts';
import { UserError } from '../../src/errors.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { commandDeps } from '../support/command-deps.ts';
import { layout } from '../support/sops-layout.ts';
import { newAgeKey, runSops, tool, type AgeKey } from '../support/tools.ts';

let age: AgeKey;
let sops: string;
const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };

before(async () => {
  sops = await tool('sops');
  age = await newAgeKey();
});

/** Our `encrypt` in `cwd`, stdin holding `stdin`; what it printed, and the cap stdin was read with. */
async function ourEncrypt(
  cwd: string,
  inputs: Record<string, string>,
  stdin = '',
): Promise<{ out: Buffer; stdinCap: number | undefined }> {
  const config = parseEncryptConfig((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
  const host = createMemoryHost();
  let stdinCap: number | undefined;
  const deps = {
    ...commandDeps(host),
    readStdin: (maxBytes: number) => {
      stdinCap = maxBytes;
      return Promise.resolve(Buffer.from(stdin));
    },
  };
  await runEncrypt(config, deps, cwd);
  return { out: Buffer.concat(host.stdout), stdinCap };
}

/** The real sops -d of `bytes`, written as `name` (its format from the name). */
async function sopsDecrypt(dir: string, name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, `enc-${name}`);
  await writeFile(file, bytes);
  return (await runSops(['decrypt', file], { SOPS_AGE_KEY_FILE: age.file })).toString('utf8');
}

describe('encrypt - reads stdin, named by --filename-override', () => {
  test('the override picks the creation rule and the format, as sops does; sops -d opens it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-stdin-'));
    await mkdir(path.join(dir, 'secrets'));
    await writeFile(
      path.join(dir, '.sops.yaml'),
      `creation_rules:\n  - path_regex: ^secrets/.*\\.json$\n    age: ${age.recipient}\n    encrypted_regex: ^password$\n`,
    );
    const input = '{\n\t"user": "admin",\n\t"password": "stdin-secret-1"\n}\n';
    const { out, stdinCap } = await ourEncrypt(
      dir,
      { file: '-', 'filename-override': 'secrets/app.json' },
      input,
    );
    assert.equal(stdinCap, MAX_INPUT_BYTES, 'stdin is read with the same cap as decrypt -');
    const text = out.toString('utf8');
    assert.match(text, /"encrypted_regex": "\^password\$"/);
    assert.match(text, /"user": "admin"/);
    assert.ok(!text.includes('stdin-secret-1'));
    assert.equal(await sopsDecrypt(dir, 'app.json', out), input, 'sops -d');
    const bySops = execFileSync(
      sops,
      ['--disable-version-check', 'encrypt', '--filename-override', 'secrets/app.json'],
      { cwd: dir, env, input },
    );
    assert.equal(layout(text), layout(bySops.toString('utf8')));
  });

  test('--filename-override renames a real file for the rules too', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-override-'));
    await writeFile(
      path.join(dir, '.sops.yaml'),
      `creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: ${age.recipient}\n    encrypted_regex: ^data$\n`,
    );
    const input = 'kind: Secret\ndata:\n    a: c2VjcmV0\n';
    await writeFile(path.join(dir, 'plain.yaml'), input);
    const { out } = await ourEncrypt(dir, { file: 'plain.yaml', 'filename-override': 'x.enc.yaml' });
    assert.match(out.toString('utf8'), /encrypted_regex: \^data\$/);
    assert.equal(await sopsDecrypt(dir, 'x.yaml', out), input);
  });

  const refusals: readonly { name: string; inputs: Record<string, string>; message: RegExp }[] = [
    { name: 'no --filename-override', inputs: { file: '-' }, message: /needs --filename-override/ },
    {
      name: '--in-place',
      inputs: { file: '-', 'filename-override': 'a.yaml', 'in-place': 'true' },
      message: /in-place needs a file/,
    },
  ];
  for (const refusal of refusals) {
    test(`refused: ${refusal.name}`, () => {
      assert.throws(
        () => parseEncryptConfig((name) => refusal.inputs[name] ?? '', env, { stdoutIsLog: false }),
        (error: unknown) => error instanceof UserError && refusal.message.test(error.message),
      );
    });
  }
});

describe('--indent writes the layout sops --indent writes, and sops -d opens it', () => {
  const cases: readonly { file: string; content: string; indent: string }[] = [
    { file: 'a.yaml', content: 'a: b\nc:\n  d:\n    - e\n', indent: '2' },
    { file: 'a.yaml', content: 'a: b\nc:\n    d: e\n', indent: '0' },
    { file: 'a.yaml', content: 'a: b\nc:\n  d: e\n', indent: '1' },
    { file: 'a.json', content: '{\n  "a": {\n    "b": [\n      1\n    ]\n  }\n}\n', indent: '2' },
    { file: 'a.json', content: '{\n"a": {\n"b": "c"\n}\n}\n', indent: '0' },
    { file: 'a.json', content: '{\n\t"a": {\n\t\t"b": "c"\n\t}\n}\n', indent: '-1' },
  ];
  for (const c of cases) {
    test(`${c.file}, --indent ${c.indent}`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-indent-'));
      await writeFile(path.join(dir, c.file), c.content);
      const { out } = await ourEncrypt(dir, { file: c.file, age: age.recipient, indent: c.indent });
      const bySops = await runSops([
        '--indent',
        c.indent,
        'encrypt',
        '--age',
        age.recipient,
        path.join(dir, c.file),
      ]);
      assert.equal(layout(out.toString('utf8')), layout(bySops.toString('utf8')));
      // sops -d writes its default layout: the same for our file as for its own.
      assert.equal(
        await sopsDecrypt(dir, c.file, out),
        await sopsDecrypt(dir, `sops-${c.file}`, bySops),
        'sops -d',
      );
    });
  }

  test('a negative YAML indent is refused, as sops refuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-indent-'));
    await writeFile(path.join(dir, 'a.yaml'), 'a: b\n');
    await assert.rejects(
      ourEncrypt(dir, { file: 'a.yaml', age: age.recipient, indent: '-1' }),
      /negative indentation/,
    );
  });
});
