/**
 * `.sops.yaml` creation rules as `sops -e` reads them: first match wins, path_regex against
 * the path relative to the config's folder, a rule without path_regex matches everything, no
 * match (or a regex Go cannot compile) is an error, and the key fields in every spelling.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import {
  creationRulePath,
  findSopsConfig,
  matchRuleForFile,
  parseSopsConfigFile,
} from '../../../src/sops/creation-rule.ts';

const A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const B = 'age1yhm4gctwfmrpz87tdslm550wrx6m79y9f2hdzt0lndjnehwj0ukqrjpyx5';
const CONFIG = '/repo/.sops.yaml';

const text = `
stores:
    yaml:
        indent: 2
creation_rules:
    - path_regex: ^prod/.*\\.yaml$
      age: ${A}, ${B}
      encrypted_regex: ^(data|stringData)$
      shamir_threshold: 3
    - path_regex: \\.env$
      key_groups:
          - age: [${A}]
            merge:
                - pgp: ["FBC7 B9E2 A4F9 289A C0C1  D484 3D16 CEE4 A273 81B4"]
          - hc_vault: [https://vault.example.com:8200/v1/sops/transit/keys/app]
            kms:
                - arn: arn:aws:kms:us-east-1:111122223333:key/k
                  role: arn:aws:iam::111122223333:role/r
                  context: {env: prod}
    - path_regex: ^kms/
      kms: arn:aws:kms:eu-west-1:111122223333:key/a+arn:aws:iam::111122223333:role/x,arn:aws:kms:eu-west-1:111122223333:key/b
      mac_only_encrypted: true
    - age: [${B}]
`;

describe('matchRuleForFile', () => {
  const config = parseSopsConfigFile(text, CONFIG);
  const cases: readonly { file: string; rule: number; types: readonly string[][] }[] = [
    { file: '/repo/prod/secret.yaml', rule: 1, types: [['age', 'age']] },
    { file: '/repo/prod/nested/secret.yaml', rule: 1, types: [['age', 'age']] },
    {
      file: '/repo/dev/app.env',
      rule: 2,
      types: [
        ['pgp', 'age'],
        ['kms', 'hc_vault'],
      ],
    },
    { file: '/repo/kms/x.json', rule: 3, types: [['kms', 'kms']] },
    // Outside the config's folder the absolute path is matched: ^prod/ does not match it.
    { file: '/elsewhere/prod/secret.yaml', rule: 4, types: [['age']] },
    { file: '/repo/README.txt', rule: 4, types: [['age']] },
  ];
  for (const c of cases) {
    test(`${c.file} uses rule ${c.rule}`, () => {
      const rule = matchRuleForFile(config, c.file);
      assert.equal(rule?.number, c.rule);
      assert.deepEqual(
        rule.keyGroups.map((g) => g.map((k) => k.type)),
        c.types,
      );
    });
  }

  test('the rule settings and every key spelling', () => {
    const prod = matchRuleForFile(config, '/repo/prod/s.yaml');
    assert.deepEqual(prod?.selection, { kind: 'encrypted_regex', value: '^(data|stringData)$' });
    assert.equal(prod.shamirThreshold, 3);
    const env = matchRuleForFile(config, '/repo/a.env');
    assert.deepEqual(env?.keyGroups, [
      [
        { type: 'pgp', fp: 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4' },
        { type: 'age', recipient: A },
      ],
      [
        {
          type: 'kms',
          arn: 'arn:aws:kms:us-east-1:111122223333:key/k',
          context: { env: 'prod' },
          role: 'arn:aws:iam::111122223333:role/r',
        },
        {
          type: 'hc_vault',
          vaultAddress: 'https://vault.example.com:8200',
          enginePath: 'sops/transit',
          keyName: 'app',
        },
      ],
    ]);
    const kms = matchRuleForFile(config, '/repo/kms/a');
    assert.equal(kms?.macOnlyEncrypted, true);
    assert.deepEqual(kms.keyGroups[0], [
      {
        type: 'kms',
        arn: 'arn:aws:kms:eu-west-1:111122223333:key/a',
        role: 'arn:aws:iam::111122223333:role/x',
        context: {},
      },
      { type: 'kms', arn: 'arn:aws:kms:eu-west-1:111122223333:key/b', context: {} },
    ]);
    assert.deepEqual(config.indents, { yaml: 2 });
  });

  test('no matching rule is an error, as in sops; no creation_rules at all is no rule', () => {
    const only = parseSopsConfigFile('creation_rules:\n  - path_regex: ^x$\n    age: ' + A + '\n', CONFIG);
    assert.throws(() => matchRuleForFile(only, '/repo/y'), {
      message: '/repo/.sops.yaml: no creation rule matches y',
    });
    assert.equal(matchRuleForFile(parseSopsConfigFile('stores: {}\n', CONFIG), '/repo/y'), undefined);
  });

  test('a path_regex Go cannot compile fails (sops 3.13 does), and so does a bad recipient', () => {
    const badRegex = parseSopsConfigFile(
      'creation_rules:\n  - path_regex: (?=x)\n    age: ' + A + '\n',
      CONFIG,
    );
    assert.throws(
      () => matchRuleForFile(badRegex, '/repo/y'),
      (e: unknown) => e instanceof UserError && e.code === 'BAD_FORMAT',
    );
    const badAge = parseSopsConfigFile('creation_rules:\n  - age: age1nope\n', CONFIG);
    assert.throws(
      () => matchRuleForFile(badAge, '/repo/y'),
      (e: unknown) => e instanceof UserError && e.code === 'USAGE',
    );
    const two = parseSopsConfigFile(
      'creation_rules:\n  - age: ' + A + '\n    encrypted_regex: a\n    unencrypted_suffix: b\n',
      CONFIG,
    );
    assert.throws(
      () => matchRuleForFile(two, '/repo/y'),
      /more than one of unencrypted_suffix, encrypted_regex/,
    );
  });
});

test('creationRulePath strips the config folder only from files inside it', () => {
  assert.equal(creationRulePath('/repo/.sops.yaml', '/repo/a/b.yaml'), 'a/b.yaml');
  assert.equal(creationRulePath('/repo/.sops.yaml', '/repository/b.yaml'), '/repository/b.yaml');
});

test('findSopsConfig looks from the start folder up, and only for .sops.yaml', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-sopscfg-'));
  await mkdir(path.join(root, 'a', 'b'), { recursive: true });
  await writeFile(path.join(root, '.sops.yaml'), 'creation_rules: []\n');
  await writeFile(path.join(root, 'a', '.sops.yml'), 'creation_rules: []\n');
  assert.equal(findSopsConfig(path.join(root, 'a', 'b')), path.join(root, '.sops.yaml'));
});
