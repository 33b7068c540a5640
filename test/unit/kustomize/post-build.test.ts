import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { decryptAfterBuild, formatForDataKey } from '../../../src/kustomize/post-build.ts';
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
