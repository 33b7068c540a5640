import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeySource } from '../../../src/keys/key-source.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { cacheKeySources } from '../../../src/kustomize/key-cache.ts';

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

test('the data-key cache does not keep a failure: the next file asks again', async () => {
  let calls = 0;
  const source: KeySource = {
    name: 'age',
    locations: [],
    decrypt: () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('unavailable')) : Promise.resolve(new Uint8Array(32));
    },
  };
  const [cached] = cacheKeySources([source]);
  const key: MasterKey = { type: 'age', recipient: 'age1x', enc: 'same' };
  await assert.rejects(cached!.decrypt(key), /unavailable/);
  // Let the rejection handler drop the entry.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await cached!.decrypt(key), new Uint8Array(32));
  assert.equal(calls, 2);
});
