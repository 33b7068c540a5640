/**
 * Placeholder staging for diff: files that no key opens are staged with sentinels instead of
 * failing, only when an UndecryptedFiles collector is passed (diff without
 * require-decryption). Corrupted files still fail, and no plaintext ever reaches the stage.
 * The encrypted inputs are Flux's own fixtures, written by real sops.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { loadAgeKeySource } from '../../../src/keys/age.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import { walkGraph } from '../../../src/kustomize/graph.ts';
import { storeFor } from '../../../src/sops/formats.ts';
import { decryptDocument } from '../../../src/kustomize/document.ts';
import {
  checkPlaceholderIdentity,
  placeholderBranches,
  UndecryptedFiles,
} from '../../../src/kustomize/placeholder.ts';
import { decryptAfterBuild } from '../../../src/kustomize/post-build.ts';
import { stageGraph, type StageOptions } from '../../../src/kustomize/stage.ts';
import { SecretRegistry } from '../../../src/masking.ts';
import {
  isUndecryptedBytes,
  isUndecryptedString,
  UNDECRYPTED_DOCKER_JSON,
  UNDECRYPTED_TEXT,
} from '../../../src/sops/undecrypted.ts';
import { fluxSops } from '../../support/fixtures.ts';

const FLUX = fluxSops;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const noMask = (): void => undefined;

const secretYaml = await readFile(path.join(FLUX, 'algorithms/age.yaml'), 'utf8');
const envFile = await readFile(path.join(FLUX, 'envs/env.env'), 'utf8');
const binaryFile = await readFile(path.join(FLUX, 'files/file.txt'), 'utf8');
const rightKey = await loadAgeKeySource({
  keyFiles: [path.join(FLUX, 'keys/age.txt')],
  env: {},
  mask: noMask,
});
const wrongKey = await loadAgeKeySource({
  keyFiles: [path.join(FLUX, 'keys/age-global.txt')],
  env: {},
  mask: noMask,
});

/** The real plaintext values of the fixtures: none may ever appear in a placeholder stage. */
async function plaintexts(): Promise<string[]> {
  const out: string[] = [];
  const registry = new SecretRegistry((v) => out.push(v));
  const options = { keySources: [rightKey], registry };
  await decryptDocument(secretYaml, 'yaml', 'yaml', options);
  await decryptDocument(envFile, 'dotenv', 'dotenv', options);
  await decryptDocument(binaryFile, 'binary', 'binary', { ...options, wholeIsValue: true });
  return out;
}
const canaries = await plaintexts();

const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-placeholder-'));
  roots.push(root);
  await mkdir(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const app = (secret = secretYaml): Record<string, string> => ({
  'app/kustomization.yaml': [
    'resources: [secret.enc.yaml, cm.yaml]',
    'secretGenerator:',
    '  - name: gen',
    '    envs: [env.env]',
    '    files: [token=file.txt]',
  ].join('\n'),
  'app/secret.enc.yaml': secret,
  'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {level: one}\n',
  'app/env.env': envFile,
  'app/file.txt': binaryFile,
});

async function stage(
  files: Record<string, string>,
  keySources: readonly KeySource[],
  undecrypted: UndecryptedFiles | undefined,
): Promise<Map<string, string>> {
  const root = await tree(files);
  const parent = await mkdtemp(path.join(tmpdir(), 'ksd-placeholder-stage-'));
  roots.push(parent);
  const options: StageOptions = {
    keySources,
    registry: new SecretRegistry(noMask),
    parent,
    signals: null,
    ...(undecrypted === undefined ? {} : { undecrypted }),
  };
  const staged = await stageGraph(await walkGraph(path.join(root, 'app')), options);
  try {
    const out = new Map<string, string>();
    for (const rel of ['secret.enc.yaml', 'cm.yaml', 'env.env', 'file.txt']) {
      out.set(rel, await readFile(path.join(staged.dir, 'app', rel), 'utf8'));
    }
    return out;
  } finally {
    await staged.cleanup();
  }
}

function assertNoCanary(texts: Iterable<string>): void {
  assert.ok(canaries.length > 0);
  for (const text of texts) {
    for (const canary of canaries) {
      assert.ok(!text.includes(canary), 'a plaintext value reached the stage');
      assert.ok(!text.includes(b64(canary)), 'a plaintext value reached the stage (base64)');
    }
  }
}

describe('stageGraph with placeholders (diff without require-decryption)', () => {
  const cases: { name: string; keySources: () => KeySource[] }[] = [
    { name: 'no key configured', keySources: () => [] },
    { name: 'a key that matches no recipient', keySources: () => [wrongKey] },
    {
      name: 'a key source that is unavailable (a fork gets no OIDC token)',
      keySources: () => [
        {
          name: 'age',
          locations: [],
          decrypt: () => Promise.reject(new UserError('KEY_SOURCE', 'no github oidc token')),
        },
      ],
    },
  ];
  for (const { name, keySources } of cases) {
    test(`${name}: every encrypted value becomes the sentinel, and the files are recorded`, async () => {
      const undecrypted = new UndecryptedFiles();
      const staged = await stage(app(), keySources(), undecrypted);
      const secret = parse(staged.get('secret.enc.yaml')!) as Record<string, unknown>;
      assert.deepEqual(secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'age' },
        stringData: { key: UNDECRYPTED_TEXT },
      });
      assert.equal(staged.get('env.env'), `key=${UNDECRYPTED_TEXT}\n`);
      assert.equal(staged.get('file.txt'), UNDECRYPTED_TEXT);
      assert.match(staged.get('cm.yaml')!, /level: one/);
      assert.deepEqual(
        undecrypted.list().map((f) => f.file),
        ['app/env.env', 'app/file.txt', 'app/secret.enc.yaml'],
      );
      for (const file of undecrypted.list()) assert.match(file.reason, /^no key could decrypt the data key/);
      assertNoCanary(staged.values());
    });
  }

  test('without a collector (build, apply, require-decryption) a missing key fails, naming the file', async () => {
    await assert.rejects(
      stage(app(), [], undefined),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'NO_MATCHING_KEY' &&
        /decrypting app\/(secret\.enc\.yaml|env\.env|file\.txt)/.test(e.message),
    );
  });

  test('with the key, files are decrypted and nothing is recorded', async () => {
    const undecrypted = new UndecryptedFiles();
    const staged = await stage(app(), [rightKey], undecrypted);
    assert.equal(undecrypted.size, 0);
    assert.ok(!staged.get('secret.enc.yaml')!.includes(UNDECRYPTED_TEXT));
    assert.ok(canaries.some((c) => staged.get('secret.enc.yaml')!.includes(c)));
  });

  const broken: { name: string; secret: string; keys: () => KeySource[]; code: string }[] = [
    {
      name: 'a MAC mismatch (a cleartext field added after encryption)',
      secret: secretYaml.replace('  name: age\n', '  name: age\n  labels: {tampered: "yes"}\n'),
      keys: () => [rightKey],
      code: 'MAC_MISMATCH',
    },
    {
      name: 'a malformed encrypted value',
      secret: secretYaml.replace(/tag:IroV7hykADvD0IUaq6kikA==/, 'tag:AAAA'),
      keys: () => [],
      code: 'BAD_ENC_VALUE',
    },
    {
      name: 'a value that should be encrypted but is cleartext',
      secret: secretYaml.replace(/key: ENC\[[^\n]*\]/, 'key: 12'),
      keys: () => [],
      code: 'BAD_ENC_VALUE',
    },
    {
      name: 'metadata with no keys',
      secret: secretYaml.replace(/ {2}age:\n(?: {4}.*\n| {8}.*\n)+/, '  age: []\n'),
      keys: () => [],
      code: 'BAD_METADATA',
    },
  ];
  for (const { name, secret, keys, code } of broken) {
    test(`${name} still fails in placeholder mode (${code})`, async () => {
      const undecrypted = new UndecryptedFiles();
      await assert.rejects(
        stage({ ...app(secret), 'app/env.env': 'A=1\n', 'app/file.txt': 'x' }, keys(), undecrypted),
        (e: unknown) => e instanceof UserError && e.code === code && /secret\.enc\.yaml/.test(e.message),
      );
    });
  }

  test('a manifest whose kind or name is encrypted too cannot be shown undecrypted', async () => {
    const whole = secretYaml
      .replace(
        '  name: age\n',
        '  name: ENC[AES256_GCM,data:mHeXsmQ=,iv:vUMpILz3xchORqkzDFvgwENY7EqIHHGJdEF6C8xqbFE=,tag:IroV7hykADvD0IUaq6kikA==,type:str]\n',
      )
      .replace('encrypted_regex: ^(data|stringData)$', 'encrypted_regex: ^(name|data|stringData)$');
    await assert.rejects(
      stage({ ...app(whole), 'app/env.env': 'A=1\n', 'app/file.txt': 'x' }, [], new UndecryptedFiles()),
      /secret\.enc\.yaml: no key could decrypt it, and its apiVersion, kind or metadata\.name is encrypted too/,
    );
  });
});

describe('placeholderBranches', () => {
  const enc = /key: (ENC\[[^\n]*\])/.exec(secretYaml)![1]!;
  const sops = secretYaml.slice(secretYaml.indexOf('sops:'));

  test('a Secret data value is valid base64 of the sentinel; docker config keys get JSON the apiserver accepts', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: pull}',
      'data:',
      `  token: ${enc}`,
      `  .dockerconfigjson: ${enc}`,
      'stringData:',
      `  plain: ${enc}`,
      sops,
    ].join('\n');
    const emitted = parse(storeFor('yaml').emitPlain(placeholderBranches(text, 'yaml'))) as {
      data: Record<string, string>;
      stringData: Record<string, string>;
    };
    const values = emitted.data;
    assert.equal(emitted.stringData['plain'], UNDECRYPTED_TEXT);
    assert.equal(values['token'], b64(UNDECRYPTED_TEXT));
    assert.equal(values['.dockerconfigjson'], b64(UNDECRYPTED_DOCKER_JSON));
    assert.deepEqual(JSON.parse(UNDECRYPTED_DOCKER_JSON), { [UNDECRYPTED_TEXT]: {} });
    assert.ok(isUndecryptedString(values['token'] ?? ''));
    assert.ok(isUndecryptedBytes(Buffer.from(values['.dockerconfigjson'] ?? '', 'base64')));
    assert.equal(isUndecryptedString('something else'), false);
  });

  test('in other objects the sentinel is plain text', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: c}',
      'data:',
      `  token: ${enc}`,
      sops,
    ].join('\n');
    const branches = placeholderBranches(text, 'yaml');
    assert.match(JSON.stringify(branches), /"value":"\(encrypted; not decrypted in this run\)"/);
    checkPlaceholderIdentity(branches, 'c.yaml');
  });
});

describe('decryptAfterBuild with placeholders', () => {
  const doc = () =>
    parseDocument(
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\ndata:\n  config.yaml: ${b64(secretYaml)}\n`,
    );

  test('a Secret data value that is a SOPS document no key opens becomes the base64 sentinel', async () => {
    const undecrypted = new UndecryptedFiles();
    const d = doc();
    const changed = await decryptAfterBuild([d], {
      keySources: [],
      registry: new SecretRegistry(noMask),
      log: createMemoryHost(),
      undecrypted,
    });
    assert.equal(changed, true);
    assert.equal(d.getIn(['data', 'config.yaml']), b64(UNDECRYPTED_TEXT));
    assert.deepEqual(
      undecrypted.list().map((f) => f.file),
      ['Secret ns/s data key config.yaml'],
    );
    assertNoCanary([d.toString()]);
  });

  test('without a collector it fails as before', async () => {
    await assert.rejects(
      decryptAfterBuild([doc()], {
        keySources: [],
        registry: new SecretRegistry(noMask),
        log: createMemoryHost(),
      }),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'NO_MATCHING_KEY' &&
        /Secret ns\/s data key config\.yaml/.test(e.message),
    );
  });

  test('a corrupted embedded document still fails', async () => {
    const bad = secretYaml.replace(/tag:IroV7hykADvD0IUaq6kikA==/, 'tag:AAAA');
    const d = parseDocument(
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  c.yaml: ${b64(bad)}\n`,
    );
    await assert.rejects(
      decryptAfterBuild([d], {
        keySources: [],
        registry: new SecretRegistry(noMask),
        log: createMemoryHost(),
        undecrypted: new UndecryptedFiles(),
      }),
      (e: unknown) => e instanceof UserError && e.code === 'BAD_ENC_VALUE',
    );
  });
});
