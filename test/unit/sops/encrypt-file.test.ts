/**
 * The encrypt engine without real keys: a recording wrap keeps the data key (or share) each
 * master key was given, and a key source hands it back, so every store's output can be
 * decrypted by our own decrypt, with the MAC verified; the metadata layout is compared with
 * what sops 3.13 writes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import type { KeyRecipient, MasterKey } from '../../../src/keys/master-key.ts';
import { decryptText } from '../../../src/sops/decrypt.ts';
import { encryptFileBytes, type EncryptPlan } from '../../../src/sops/encrypt-file.ts';
import { storeFor } from '../../../src/sops/formats.ts';
import { emitBinaryBytes } from '../../../src/sops/stores/binary.ts';
import type { Format } from '../../../src/sops/tree.ts';

const NOW = (): Date => new Date('2026-01-02T03:04:05.678Z');

/** A wrap that stores the plaintext under a name, and the key source that returns it. */
function recordingKeys(): {
  wrap: (key: KeyRecipient, plaintext: Uint8Array) => Promise<string>;
  source: KeySource;
} {
  const kept = new Map<string, Uint8Array>();
  let counter = 0;
  return {
    wrap: (_key, plaintext) => {
      const name = `wrapped-${counter++}`;
      kept.set(name, Uint8Array.from(plaintext));
      return Promise.resolve(name);
    },
    source: {
      name: 'age',
      locations: [],
      decrypt: (key: MasterKey) => Promise.resolve(kept.get(key.enc) ?? null),
    },
  };
}

const age = (recipient: string): KeyRecipient => ({ type: 'age', recipient });
const ONE_GROUP: EncryptPlan = {
  keyGroups: [[age('age1a'), age('age1b')]],
  shamirThreshold: 0,
  selection: undefined,
  macOnlyEncrypted: false,
};

async function encrypt(
  text: string | Uint8Array,
  format: Format,
  plan: EncryptPlan,
  wrap = recordingKeys().wrap,
): Promise<string> {
  let out: string | undefined;
  await encryptFileBytes(typeof text === 'string' ? Buffer.from(text) : text, format, plan, {
    wrap,
    now: NOW,
    release: (written, verify) => {
      verify(Buffer.from(written));
      out = written;
      return Promise.resolve();
    },
  });
  assert.ok(out !== undefined);
  return out;
}

const cases: readonly { name: string; format: Format; text: string; plan?: Partial<EncryptPlan> }[] = [
  {
    name: 'yaml',
    format: 'yaml',
    text: '# c\na: 1\nb:\n    - x\n    - true\nc: 2024-01-02\nd_unencrypted: keep\n',
  },
  { name: 'yaml multi-document', format: 'yaml', text: 'a: one\n---\nb: two\n' },
  { name: 'json', format: 'json', text: '{\n\t"a": 1.5,\n\t"b": [null, "x", {"c": false}]\n}\n' },
  { name: 'dotenv', format: 'dotenv', text: '#c\nA=1\nB=x\\ny\n' },
  { name: 'ini', format: 'ini', text: '[s]\nk = v\n; note\nn = 2\n' },
  { name: 'binary', format: 'binary', text: 'raw\nbytes\n' },
  {
    name: 'encrypted_regex with mac_only_encrypted',
    format: 'yaml',
    text: 'kind: Secret\nstringData:\n    p: s\n',
    plan: { selection: { kind: 'encrypted_regex', value: '^stringData$' }, macOnlyEncrypted: true },
  },
  {
    name: 'three key groups, threshold 2',
    format: 'yaml',
    text: 'a: b\n',
    plan: { keyGroups: [[age('age1a')], [age('age1b')], [age('age1c')]], shamirThreshold: 2 },
  },
];

describe('encrypt, then our own decrypt gives the input back', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const keys = recordingKeys();
      const out = await encrypt(c.text, c.format, { ...ONE_GROUP, ...c.plan }, keys.wrap);
      const { branches } = await decryptText(out, c.format, { keySources: [keys.source] });
      if (c.format === 'binary') {
        assert.equal(Buffer.from(emitBinaryBytes(branches)).toString(), c.text);
      } else {
        const store = storeFor(c.format);
        assert.equal(store.emitPlain(branches), store.emitPlain(store.loadPlain(c.text)));
      }
    });
  }
});

test('the metadata is laid out as sops 3.13 writes it (sorted keys; age and hc_vault always in a group)', async () => {
  const out = await encrypt('a: b\n', 'yaml', {
    keyGroups: [[{ type: 'pgp', fp: 'ABCD' }], [age('age1x')]],
    shamirThreshold: 0,
    selection: undefined,
    macOnlyEncrypted: false,
  });
  const sops = out.slice(out.indexOf('sops:')).replace(/mac: ENC\[.*\]/, 'mac: MAC');
  assert.equal(
    sops,
    `sops:
    key_groups:
        - age: []
          hc_vault: []
          pgp:
            - created_at: "2026-01-02T03:04:05Z"
              enc: wrapped-0
              fp: ABCD
        - age:
            - enc: wrapped-1
              recipient: age1x
          hc_vault: []
    lastmodified: "2026-01-02T03:04:05Z"
    mac: MAC
    shamir_threshold: 2
    unencrypted_suffix: _unencrypted
    version: 3.13.3
`,
  );
});

test('every value about to be encrypted is masked first, and only those', async () => {
  const masked: string[] = [];
  await encryptFileBytes(
    Buffer.from('kind: Secret\nstringData:\n    password: hunter2\n    # note\n    empty: ""\n'),
    'yaml',
    { ...ONE_GROUP, selection: { kind: 'encrypted_regex', value: '^stringData$' } },
    { wrap: recordingKeys().wrap, mask: (v) => masked.push(v), release: () => Promise.resolve() },
  );
  assert.deepEqual(masked, ['hunter2', ' note']);
});

test('dotenv and INI flatten the metadata as sops does; binary writes no selection option', async () => {
  const env = await encrypt('A=1\n', 'dotenv', ONE_GROUP);
  assert.deepEqual(
    env.split('\n').map((l) => l.split('=')[0]),
    [
      'A',
      'sops_age__list_0__map_enc',
      'sops_age__list_0__map_recipient',
      'sops_age__list_1__map_enc',
      'sops_age__list_1__map_recipient',
      'sops_lastmodified',
      'sops_mac',
      'sops_unencrypted_suffix',
      'sops_version',
      '',
    ],
  );
  const ini = await encrypt('[s]\nk = v\n', 'ini', ONE_GROUP);
  assert.match(ini, /\n\[sops\]\nage__list_0__map_enc +=/);
  const binary = await encrypt('x', 'binary', ONE_GROUP);
  assert.doesNotMatch(binary, /unencrypted_suffix/);
  assert.match(binary, /^\{\n\t"data": "ENC\[AES256_GCM,.*type:str\]",\n\t"sops": \{/);
});

describe('refusals', () => {
  const refused: readonly { name: string; format: Format; text: string; code: string }[] = [
    {
      name: 'yaml with a sops entry',
      format: 'yaml',
      text: 'a: b\nsops:\n    mac: x\n',
      code: 'ALREADY_ENCRYPTED',
    },
    {
      name: 'json with a sops entry',
      format: 'json',
      text: '{"sops": {"mac": "x"}}',
      code: 'ALREADY_ENCRYPTED',
    },
    {
      name: 'dotenv with a sops_ key',
      format: 'dotenv',
      text: 'A=1\nsops_mac=x\n',
      code: 'ALREADY_ENCRYPTED',
    },
    { name: 'ini with a sops section', format: 'ini', text: '[sops]\nmac = x\n', code: 'ALREADY_ENCRYPTED' },
    {
      name: 'a binary sops envelope',
      format: 'binary',
      text: '{"data": "ENC[AES256_GCM,data:x,iv:x,tag:x,type:str]", "sops": {"mac": "ENC[x]", "lastmodified": "x"}}',
      code: 'ALREADY_ENCRYPTED',
    },
    { name: 'an empty YAML stream', format: 'yaml', text: '', code: 'BAD_FORMAT' },
    {
      name: 'a later YAML document with a sops key',
      format: 'yaml',
      text: 'a: b\n---\nsops: x\n',
      code: 'BAD_FORMAT',
    },
  ];
  for (const c of refused) {
    test(c.name, async () => {
      let released = false;
      await assert.rejects(
        encryptFileBytes(Buffer.from(c.text), c.format, ONE_GROUP, {
          wrap: recordingKeys().wrap,
          release: () => {
            released = true;
            return Promise.resolve();
          },
        }),
        (error: unknown) => error instanceof UserError && error.code === c.code,
      );
      assert.equal(released, false);
    });
  }

  test('a key that cannot wrap fails the whole run, naming the key and its group', async () => {
    await assert.rejects(
      encrypt('a: b\n', 'yaml', { ...ONE_GROUP, keyGroups: [[age('age1a')], [age('age1bad')]] }, (key) =>
        key.type === 'age' && key.recipient === 'age1bad'
          ? Promise.reject(new UserError('KEY_SOURCE', 'refused'))
          : Promise.resolve('x'),
      ),
      { message: 'cannot encrypt the data key for key group 2, age age1bad: refused' },
    );
  });

  test('an empty key group and an impossible threshold are refused before wrapping', async () => {
    for (const plan of [
      { ...ONE_GROUP, keyGroups: [[age('age1a')], []] },
      { ...ONE_GROUP, keyGroups: [[age('age1a')], [age('age1b')]], shamirThreshold: 3 },
      { ...ONE_GROUP, keyGroups: [] },
    ]) {
      await assert.rejects(
        encrypt('a: b\n', 'yaml', plan),
        (e: unknown) => e instanceof UserError && e.code === 'USAGE',
      );
    }
  });
});
