/**
 * Interop with the real sops: it encrypts files in every store with every key type we can run
 * here (age, OpenPGP, AWS KMS on moto, Vault transit), and our bundled `decrypt` must print
 * byte-for-byte what `sops -d` prints, for every output type (or fail where sops fails).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { requireComponent } from '../env/state.ts';
import { upstreamPgpKey } from '../support/fixtures.ts';
import { runCli } from '../support/run-dist.ts';
import { newAgeKey, runSops, sopsEncrypt, type AgeKey } from '../support/tools.ts';

const execFileAsync = promisify(execFile);
const PGP_FP = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';
/** The encrypted_regex of a widely copied home-ops template. */
const HOME_OPS_REGEX = '((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))';

const yamlDoc = `# a head comment
apiVersion: v1
kind: Secret
metadata:
    name: app # inline
    labels:
        tier: "backend"
data:
    password: aHVudGVyMg==
stringData:
    multi: |
        line one
        line two
    number: 42
    float: 1.5
    enabled: true
    when: 2024-01-02
    empty: ""
    nothing: null
    list:
        - a
        # a comment inside a list
        - 1
        - {x: y}
`;
const multiDoc = `a: 1
b: secret-one
---
# second
c: [1, 2, 3]
d: {e: secret-two}
`;
const jsonDoc = `{
  "name": "app",
  "big": 9007199254740993,
  "float": 1.25e3,
  "nested": {"list": [1, "two", true, null, {"k": "v"}], "html": "<a&b>"},
  "unicode": "zaż\\u00f3łć"
}
`;
const dotenvDoc = `# comment
DB_USER=admin
DB_PASSWORD=p@ss=word
QUOTED="kept as is"
MULTI=line1\\nline2
`;
const iniDoc = `; top comment
[database]
user = admin
password = s3cret
port = 5432

[server]
; server comment
host = example.com
`;
const binaryDoc = 'raw bytes\nwith lines\n\u00ff and utf-8\n';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly content: string;
  readonly args: readonly string[];
  /** A `.sops.yaml` for options sops has no flag for. */
  readonly config?: string;
}

const outputTypes = ['yaml', 'json', 'dotenv', 'ini', 'binary'] as const;

let age: AgeKey;
let ageB: AgeKey;
let ageC: AgeKey;
let gnupgHome: string;

before(async () => {
  age = await newAgeKey();
  ageB = await newAgeKey();
  ageC = await newAgeKey();
  gnupgHome = await mkdtemp(path.join(tmpdir(), 'ksd-gnupg-'));
  await execFileAsync('gpg', ['--batch', '--import', upstreamPgpKey], {
    env: { ...process.env, GNUPGHOME: gnupgHome },
  });
});

async function compare(
  file: string,
  sopsEnv: Record<string, string>,
  ourArgs: readonly string[],
  ourEnv: Record<string, string>,
): Promise<void> {
  for (const outputType of outputTypes) {
    let want: Buffer | undefined;
    try {
      want = await runSops(['decrypt', '--output-type', outputType, file], sopsEnv);
    } catch {
      want = undefined;
    }
    const got = await runCli(['decrypt', '--output-type', outputType, ...ourArgs, file], ourEnv);
    if (want === undefined) {
      assert.equal(got.code, 2, `sops fails for output ${outputType}; so must we`);
      assert.equal(got.stdout.length, 0);
    } else {
      assert.equal(got.code, 0, `output ${outputType}: ${got.stderr}`);
      assert.equal(
        got.stdout.toString('latin1'),
        want.toString('latin1'),
        `output ${outputType} differs from sops -d`,
      );
    }
  }
}

function storeCases(args: readonly string[]): Case[] {
  return [
    { name: 'yaml', file: 'secret.yaml', content: yamlDoc, args },
    { name: 'yaml multi-document', file: 'multi.yaml', content: multiDoc, args },
    { name: 'json', file: 'config.json', content: jsonDoc, args },
    { name: 'dotenv', file: 'app.env', content: dotenvDoc, args },
    { name: 'ini', file: 'app.ini', content: iniDoc, args },
    { name: 'binary', file: 'blob.txt', content: binaryDoc, args },
  ];
}

describe('age', () => {
  const cases = (): Case[] => [
    ...storeCases(['--age', age.recipient]),
    {
      name: 'encrypted_regex (k8s)',
      file: 'k8s.yaml',
      content: yamlDoc,
      args: ['--age', age.recipient, '--encrypted-regex', '^(data|stringData)$'],
    },
    {
      // The home-ops template's regex: an inline flag inside a group, which Go accepts.
      name: 'encrypted_regex (home-ops, an inline flag inside a group)',
      file: 'home-ops.yaml',
      content:
        'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app\n    annotations:\n        note: shown\nstringData:\n    DB_PASSWORD: hunter2\n    plain: in-stringData\nspec:\n    secretN: kept-clear\n    SECRETn: kept-clear\n    secretX: hidden\n    apiToken: hidden\n    data: hidden\n    xdata: kept-clear\n',
      args: ['--age', age.recipient, '--encrypted-regex', HOME_OPS_REGEX],
    },
    {
      // 2^40 steps for a backtracking engine on the first key; RE2 is linear.
      name: 'encrypted_regex ^(a+)+$ with a 41-character key',
      file: 'catastrophic.yaml',
      content: `${'a'.repeat(40)}!: clear\n${'a'.repeat(40)}: hidden\n`,
      args: ['--age', age.recipient, '--encrypted-regex', '^(a+)+$'],
    },
    {
      name: 'mac_only_encrypted',
      file: 'maconly.yaml',
      content: yamlDoc,
      args: [],
      config: `creation_rules:\n  - age: ${age.recipient}\n    encrypted_regex: ^(data|stringData)$\n    mac_only_encrypted: true\n`,
    },
    {
      name: 'unencrypted_suffix',
      file: 'suffix.yaml',
      content: 'a_unencrypted: 1\nb: two\nn_unencrypted: {x: y}\n',
      args: ['--age', age.recipient, '--unencrypted-suffix', '_unencrypted'],
    },
    {
      name: 'encrypted_comment_regex',
      file: 'comments.yaml',
      content:
        '# sops:enc\npassword: x\n# a secret note\nplain: y\nlist:\n    # sops:enc\n    - hidden\n    - shown\n',
      args: [],
      config: `creation_rules:\n  - age: ${age.recipient}\n    encrypted_comment_regex: sops:enc\n`,
    },
    {
      name: 'unencrypted_comment_regex',
      file: 'clearcomments.yaml',
      content: '# sops:clear\npassword: x\nplain: y\n',
      args: [],
      config: `creation_rules:\n  - age: ${age.recipient}\n    unencrypted_comment_regex: sops:clear\n`,
    },
    {
      name: 'encrypted_suffix',
      file: 'encsuffix.yaml',
      content: 'password_enc: x\nplain: y\nnested: {token_enc: z}\n',
      args: ['--age', age.recipient, '--encrypted-suffix', '_enc'],
    },
    {
      name: 'unencrypted_regex',
      file: 'unencregex.yaml',
      content: 'public_key: x\nprivate_key: y\n',
      args: ['--age', age.recipient, '--unencrypted-regex', '^public'],
    },
  ];
  test('every store and selection option', async () => {
    for (const c of cases()) {
      await test(c.name, async () => {
        const file = await sopsEncrypt(c.content, c.file, c.args, {}, c.config);
        await compare(file, { SOPS_AGE_KEY_FILE: age.file }, ['--age-key-file', age.file], {});
      });
    }
  });

  test('--extract of maps, lists, strings and other scalars, for every output type', async () => {
    const file = await sopsEncrypt(
      'a:\n    - x\n    - 2\n    - {k: v}\nn: 5\nf: 1.5\nb: true\ns: text\nm:\n    k: v\n',
      'extract.yaml',
      ['--age', age.recipient],
    );
    for (const path of ['["a"]', '["a"][2]', '["n"]', '["f"]', '["b"]', '["s"]', '["m"]']) {
      for (const outputType of outputTypes) {
        let want: Buffer | undefined;
        try {
          want = await runSops(['decrypt', '--output-type', outputType, '--extract', path, file], {
            SOPS_AGE_KEY_FILE: age.file,
          });
        } catch {
          want = undefined;
        }
        const got = await runCli([
          'decrypt',
          '--output-type',
          outputType,
          '--extract',
          path,
          '--age-key-file',
          age.file,
          file,
        ]);
        if (want === undefined) {
          assert.equal(got.code, 2, `${path} as ${outputType}: sops fails, so must we`);
        } else {
          assert.equal(got.code, 0, `${path} as ${outputType}: ${got.stderr}`);
          assert.equal(got.stdout.toString('latin1'), want.toString('latin1'), `${path} as ${outputType}`);
        }
      }
    }
  });

  test('Shamir key groups with threshold 2 of 3', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-shamir-'));
    await writeFile(
      path.join(dir, '.sops.yaml'),
      `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [${age.recipient}]\n      - age: [${ageB.recipient}]\n      - age: [${ageC.recipient}]\n`,
    );
    const plain = path.join(dir, 'secret.yaml');
    await writeFile(plain, yamlDoc);
    const encrypted = await runSops(['--config', path.join(dir, '.sops.yaml'), 'encrypt', plain]);
    const file = path.join(dir, 'secret.enc.yaml');
    await writeFile(file, encrypted);
    assert.match(encrypted.toString(), /shamir_threshold: 2/);
    // Two of three keys suffice; one does not.
    const two = await runCli(['decrypt', '--age-key-file', age.file, '--age-key-file', ageC.file, file]);
    assert.equal(two.code, 0, two.stderr);
    const both = `${age.identity}\n${ageB.identity}`;
    const want = await runSops(['decrypt', file], { SOPS_AGE_KEY: both });
    assert.equal(two.stdout.toString(), want.toString());
    const one = await runCli(['decrypt', '--age-key-file', ageB.file, file]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /group/i);
  });
});

describe('OpenPGP', () => {
  test('every store', async () => {
    for (const c of storeCases(['--pgp', PGP_FP])) {
      await test(c.name, async () => {
        const file = await sopsEncrypt(c.content, c.file, c.args, { GNUPGHOME: gnupgHome });
        await compare(file, { GNUPGHOME: gnupgHome }, ['--pgp-key-file', upstreamPgpKey], {});
      });
    }
  });
  test('through the local gpg keyring, as sops does', async () => {
    const file = await sopsEncrypt(yamlDoc, 'gpg.yaml', ['--pgp', PGP_FP], { GNUPGHOME: gnupgHome });
    await compare(file, { GNUPGHOME: gnupgHome }, [], { GNUPGHOME: gnupgHome });
  });
});

describe('AWS KMS (moto)', () => {
  test('every store, with an encryption context', async () => {
    const moto = await requireComponent('moto');
    const awsEnv = {
      AWS_ENDPOINT_URL: moto['endpoint']!,
      AWS_ACCESS_KEY_ID: moto['accessKeyId']!,
      AWS_SECRET_ACCESS_KEY: moto['secretAccessKey']!,
      AWS_REGION: moto['region']!,
    };
    for (const c of storeCases(['--kms', moto['kmsKeyArn']!, '--encryption-context', 'app:test,env:ci'])) {
      await test(c.name, async () => {
        const file = await sopsEncrypt(c.content, c.file, c.args, awsEnv);
        await compare(file, awsEnv, [], awsEnv);
      });
    }
  });
});

describe('Vault transit', () => {
  test('every store', async () => {
    const vault = await requireComponent('vault');
    const env = { VAULT_ADDR: vault['address']!, VAULT_TOKEN: vault['token']! };
    const uri = `${vault['address']!}/v1/${vault['transitPath'] ?? 'transit'}/keys/${vault['keyName'] ?? 'sops'}`;
    for (const c of storeCases(['--hc-vault-transit', uri])) {
      await test(c.name, async () => {
        const file = await sopsEncrypt(c.content, c.file, c.args, env);
        await compare(file, env, [], env);
      });
    }
  });
});
