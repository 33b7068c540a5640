/**
 * The `encrypt` command's plan and refusals, without real keys: key types it cannot wrap for
 * are refused by name before anything is written (never skipped), flags override the rule's
 * keys and options as sops's flags do, and in-place with output is a usage error.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { planEncryption, runEncrypt } from '../../../src/commands/encrypt-run.ts';
import { parseEncryptConfig, type EncryptConfig } from '../../../src/config/encrypt.ts';
import { UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { commandDeps } from '../../support/command-deps.ts';

const A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const B = 'age1yhm4gctwfmrpz87tdslm550wrx6m79y9f2hdzt0lndjnehwj0ukqrjpyx5';

function configOf(inputs: Record<string, string>): EncryptConfig {
  return parseEncryptConfig((name) => inputs[name] ?? '', { PATH: '' }, { stdoutIsLog: false });
}

async function workspace(sopsYaml: string, file: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-cmd-'));
  await writeFile(path.join(dir, '.sops.yaml'), sopsYaml);
  await writeFile(path.join(dir, file), content);
  return dir;
}

describe('key types encrypt cannot wrap for are refused by name, and the file is untouched', () => {
  const cases: readonly { type: string; rule: string }[] = [
    { type: 'hckms', rule: 'hckms: [tr-west-1:0d2e4a12-6f2b-4c1e-9b37-2f5a3c4d5e6f]' },
    // A second group with such a key: the whole run fails, the group is never dropped.
    {
      type: 'hckms',
      rule: `key_groups:\n      - age: [${A}]\n      - hckms: [{key_id: 'tr-west-1:0d2e4a12-6f2b-4c1e-9b37-2f5a3c4d5e6f'}]`,
    },
  ];
  for (const c of cases) {
    test(c.rule.split('\n')[0] ?? c.type, async () => {
      const dir = await workspace(`creation_rules:\n  - ${c.rule}\n`, 's.yaml', 'a: b\n');
      await assert.rejects(
        runEncrypt(configOf({ file: 's.yaml', 'in-place': 'true' }), commandDeps(createMemoryHost()), dir),
        (e: unknown) =>
          e instanceof UserError && e.code === 'UNSUPPORTED' && e.message.includes(`${c.type} keys`),
      );
      assert.equal(await readFile(path.join(dir, 's.yaml'), 'utf8'), 'a: b\n');
    });
  }

  test('an age plugin recipient', async () => {
    const dir = await workspace('stores: {}\n', 's.yaml', 'a: b\n');
    await assert.rejects(
      runEncrypt(
        configOf({
          file: 's.yaml',
          age: 'age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t',
        }),
        commandDeps(createMemoryHost()),
        dir,
      ),
      (e: unknown) =>
        e instanceof UserError && e.code === 'UNSUPPORTED' && /plugin recipients/.test(e.message),
    );
  });
});

describe('planEncryption follows sops: flags replace the rule keys, selection flags win', () => {
  const rule = `creation_rules:\n  - path_regex: \\.yaml$\n    age: ${A}\n    encrypted_regex: ^data$\n    shamir_threshold: 2\n`;
  test('the rule alone', async () => {
    const dir = await workspace(rule, 's.yaml', '');
    const { plan } = await planEncryption(configOf({ file: 's.yaml' }), path.join(dir, 's.yaml'), dir);
    assert.deepEqual(plan.keyGroups, [[{ type: 'age', recipient: A }]]);
    assert.deepEqual(plan.selection, { kind: 'encrypted_regex', value: '^data$' });
  });
  test('--age and --unencrypted-suffix', async () => {
    const dir = await workspace(rule, 's.yaml', '');
    const { plan } = await planEncryption(
      configOf({ file: 's.yaml', age: B, 'unencrypted-suffix': '_clear', 'mac-only-encrypted': 'true' }),
      path.join(dir, 's.yaml'),
      dir,
    );
    assert.deepEqual(plan.keyGroups, [[{ type: 'age', recipient: B }]]);
    assert.deepEqual(plan.selection, { kind: 'unencrypted_suffix', value: '_clear' });
    assert.equal(plan.macOnlyEncrypted, true);
    assert.equal(plan.shamirThreshold, 2);
  });
  test('a config whose rules miss the file fails even with --age, as sops does', async () => {
    const dir = await workspace(rule, 's.env', '');
    await assert.rejects(
      planEncryption(configOf({ file: 's.env', age: B }), path.join(dir, 's.env'), dir),
      /no creation rule matches s\.env/,
    );
  });
  test('no config and no key flags', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-cmd-'));
    await assert.rejects(
      planEncryption(configOf({ file: 's.yaml', config: '/dev/null' }), path.join(dir, 's.yaml'), dir),
      /no keys to encrypt for/,
    );
  });
});

describe("lint --fix's options: a default selection, and a config search that stops at the repository", () => {
  const fallback = { kind: 'encrypted_regex', value: '^(data|stringData)$' } as const;
  test('the default selection applies only when neither a flag nor the rule sets one', async () => {
    const dir = await workspace(`creation_rules:\n  - age: ${A}\n`, 's.yaml', '');
    const file = path.join(dir, 's.yaml');
    const options = { defaultSelection: fallback };
    const bare = await planEncryption(configOf({ file }), file, dir, options);
    assert.deepEqual(bare.plan.selection, fallback);
    assert.deepEqual(bare.with.rule?.number, 1);
    const flagged = await planEncryption(configOf({ file, 'encrypted-suffix': '_x' }), file, dir, options);
    assert.deepEqual(flagged.plan.selection, { kind: 'encrypted_suffix', value: '_x' });
    const ruled = await workspace(
      `creation_rules:\n  - age: ${A}\n    encrypted_regex: ^data$\n`,
      's.yaml',
      '',
    );
    const fromRule = await planEncryption(configOf({ file }), path.join(ruled, 's.yaml'), ruled, options);
    assert.deepEqual(fromRule.plan.selection, { kind: 'encrypted_regex', value: '^data$' });
  });
  test('a .sops.yaml above the root is not used; one inside it is, whatever the cwd', async () => {
    const outer = await workspace(`creation_rules:\n  - age: ${A}\n`, 'unused', '');
    const root = path.join(outer, 'repo');
    await mkdir(path.join(root, 'app'), { recursive: true });
    const file = path.join(root, 'app', 's.yaml');
    const search = { from: path.dirname(file), root };
    await assert.rejects(
      planEncryption(configOf({ file }), file, tmpdir(), { configSearch: search }),
      /no keys to encrypt for/,
    );
    await writeFile(path.join(root, '.sops.yaml'), `creation_rules:\n  - age: ${B}\n`);
    const inside = await planEncryption(configOf({ file }), file, tmpdir(), { configSearch: search });
    assert.deepEqual(inside.plan.keyGroups, [[{ type: 'age', recipient: B }]]);
    assert.equal(inside.with.sopsConfig, path.join(root, '.sops.yaml'));
  });
});

test('--encryption-context goes to the flag and flat-rule kms keys; the threshold flag wins', async () => {
  const arn = 'arn:aws:kms:us-east-1:111122223333:key/k';
  const dir = await workspace(`creation_rules:\n  - kms: ${arn}\n    shamir_threshold: 2\n`, 's.yaml', '');
  const fromRule = await planEncryption(
    configOf({
      file: 's.yaml',
      'encryption-context': 'app:web,env:prod',
      'shamir-secret-sharing-threshold': '3',
    }),
    path.join(dir, 's.yaml'),
    dir,
  );
  assert.deepEqual(fromRule.plan.keyGroups, [[{ type: 'kms', arn, context: { app: 'web', env: 'prod' } }]]);
  assert.equal(fromRule.plan.shamirThreshold, 3);
  const fromFlag = await planEncryption(
    configOf({ file: 's.yaml', kms: `${arn}+arn:aws:iam::111122223333:role/r`, 'encryption-context': 'a:b' }),
    path.join(dir, 's.yaml'),
    dir,
  );
  assert.deepEqual(fromFlag.plan.keyGroups, [
    [{ type: 'kms', arn, role: 'arn:aws:iam::111122223333:role/r', context: { a: 'b' } }],
  ]);
  assert.throws(() => configOf({ file: 'f', 'encryption-context': 'nocolon' }), /not key:value pairs/);
});

test('in-place and output together, and two selection flags, are usage errors', () => {
  assert.throws(() => configOf({ file: 'f', 'in-place': 'true', output: 'o' }), /in-place and output/);
  assert.throws(
    () => configOf({ file: 'f', 'encrypted-regex': 'a', 'encrypted-suffix': 'b' }),
    /more than one of/,
  );
});
