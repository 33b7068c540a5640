import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { decryptAfterBuild, formatForDataKey } from '../../../src/kustomize/post-build.ts';
import { cacheKeySources, detectSopsFormat, mapLimit, SecretRegistry } from '../../../src/kustomize/stage.ts';

test('the data-key cache unwraps one encrypted key once, even concurrently', async () => {
  let calls = 0;
  const source: KeySource = {
    name: 'age',
    locations: [],
    decrypt: async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Uint8Array(32);
    },
  };
  const [cached] = cacheKeySources([source]);
  const key: MasterKey = { type: 'age', recipient: 'age1x', enc: 'same' };
  await Promise.all([cached!.decrypt(key), cached!.decrypt(key), cached!.decrypt({ ...key })]);
  assert.equal(calls, 1);
  await cached!.decrypt({ ...key, enc: 'other' });
  assert.equal(calls, 2);
});

test('mapLimit keeps the bound and waits for running work before it throws', async () => {
  let running = 0;
  let peak = 0;
  let finished = 0;
  await assert.rejects(
    mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 1 : 10));
      running--;
      finished++;
      if (n === 1) throw new Error('first');
    }),
    /first/,
  );
  assert.equal(peak, 2);
  assert.equal(running, 0);
  assert.ok(finished < 6, 'no new work starts after a failure');
});

test('the registry masks values of 4+ characters and their base64, and redacts', () => {
  const host = createMemoryHost();
  const registry = new SecretRegistry((v) => host.setSecret(v));
  registry.add('abc');
  registry.add('hunter2');
  assert.deepEqual(host.secrets, ['hunter2', Buffer.from('hunter2').toString('base64')]);
  assert.equal(registry.redact('pw=hunter2'), 'pw=***');
  assert.equal(registry.touches('x hunter2 y'), true);
});

test('marker detection and data-key formats follow Flux', () => {
  assert.equal(detectSopsFormat('sops_mac=ENC[x'), 'dotenv');
  assert.equal(detectSopsFormat('  mac: ENC[x'), 'yaml');
  assert.equal(detectSopsFormat('"mac": "ENC[x'), 'json');
  assert.equal(detectSopsFormat('plain'), undefined);
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
