import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { decryptAfterBuild, formatForDataKey, needsPostBuild } from '../../../src/kustomize/post-build.ts';
import { SecretRegistry } from '../../../src/masking.ts';

test('data-key formats follow Flux', () => {
  assert.equal(formatForDataKey('.dockerconfigjson'), 'json');
  assert.equal(formatForDataKey('config.yaml'), 'yaml');
  assert.equal(formatForDataKey('token'), 'binary');
});

test('a v1 Secret that keeps sops metadata because decryption is disabled is an error', async () => {
  const doc = parseDocument(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kustomize.toolkit.fluxcd.io/decrypt: disabled\nsops:\n  mac: x\n',
  );
  const host = createMemoryHost();
  await assert.rejects(
    decryptAfterBuild([doc], { keySources: [], registry: new SecretRegistry(() => undefined), log: host }),
    /Secret s still carries sops metadata/,
  );
  const plain = parseDocument('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n');
  assert.equal(
    await decryptAfterBuild([plain], {
      keySources: [],
      registry: new SecretRegistry(() => undefined),
      log: host,
    }),
    false,
  );
});

test('needsPostBuild is false only where decryptAfterBuild would do nothing', async () => {
  const sopsDoc = Buffer.from(
    'a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:m]\n',
  ).toString('base64');
  const disabled =
    'metadata:\n  name: s\n  annotations:\n    kustomize.toolkit.fluxcd.io/decrypt: disabled\n';
  const cases: { name: string; yaml: string; needs: boolean }[] = [
    {
      name: 'a ConfigMap',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n',
      needs: false,
    },
    {
      name: 'a plain Secret',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YWJj\n',
      needs: false,
    },
    {
      name: 'a Secret without data',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: sops\n',
      needs: false,
    },
    {
      name: 'a Secret whose data value is a SOPS document',
      yaml: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: ${sopsDoc}\n`,
      needs: true,
    },
    {
      name: 'the same with decryption disabled',
      yaml: `apiVersion: v1\nkind: Secret\n${disabled}data:\n  a: ${sopsDoc}\n`,
      needs: false,
    },
    {
      name: 'an object with sops metadata',
      yaml: 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nsops:\n  mac: x\n',
      needs: true,
    },
    {
      name: 'a v1 Secret with sops metadata and decryption disabled',
      yaml: `apiVersion: v1\nkind: Secret\n${disabled}sops:\n  mac: x\n`,
      needs: true,
    },
    { name: 'a scalar document', yaml: 'just text\n', needs: false },
  ];
  for (const { name, yaml, needs } of cases) {
    assert.equal(needsPostBuild(parseDocument(yaml).toJS()), needs, name);
    if (needs) continue;
    // Where the predicate says no, the real post-build pass must agree: nothing changes, nothing throws.
    const changed = await decryptAfterBuild([parseDocument(yaml)], {
      keySources: [],
      registry: new SecretRegistry(() => undefined),
      log: createMemoryHost(),
    });
    assert.equal(changed, false, name);
  }
});
