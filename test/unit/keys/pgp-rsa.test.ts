import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import * as openpgp from 'openpgp';
import { parse } from 'yaml';
import { decryptRsaSessionKey } from '../../../src/keys/pgp-rsa.ts';
import { upstreamPgpKey, sopsUpstream } from '../../support/fixtures.ts';

async function loadKeys(): Promise<openpgp.PrivateKey[]> {
  const text = await readFile(upstreamPgpKey, 'utf8');
  const blocks =
    text.match(/-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g) ?? [];
  return (await Promise.all(blocks.map((armoredKeys) => openpgp.readPrivateKeys({ armoredKeys })))).flat();
}

async function firstPgpMessage(): Promise<openpgp.Message<string>> {
  const doc = parse(await readFile(path.join(sopsUpstream, 'example.yaml'), 'utf8')) as {
    sops: { pgp: { enc: string }[] };
  };
  return openpgp.readMessage({ armoredMessage: doc.sops.pgp[0]!.enc });
}

test('the native RSA path recovers the same session key openpgp.js does', async () => {
  const keys = await loadKeys();
  const message = await firstPgpMessage();
  const native = decryptRsaSessionKey(message, keys);
  assert.ok(native !== null, 'an RSA PKESK for a loaded key is handled natively');
  const [reference] = await openpgp.decryptSessionKeys({ message, decryptionKeys: keys });
  assert.deepEqual(native.data, reference!.data);
  assert.equal(native.algorithm, reference!.algorithm);
  const result: { data: unknown } = await openpgp.decrypt({ message, sessionKeys: native, format: 'binary' });
  assert.equal((result.data as Uint8Array).length, 32, 'the sops data key');
});

test('a message for other keys, or a corrupted session key, gives null', async () => {
  const message = await firstPgpMessage();
  const { privateKey } = await openpgp.generateKey({
    type: 'rsa',
    rsaBits: 2048,
    userIDs: [{ name: 'x' }],
    format: 'object',
  });
  assert.equal(decryptRsaSessionKey(message, [privateKey]), null);
  const keys = await loadKeys();
  for (const packet of message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)) {
    const c = (packet as unknown as { encrypted: { c: Uint8Array } }).encrypted.c;
    c[c.length - 1] = c[c.length - 1]! ^ 1;
  }
  assert.equal(decryptRsaSessionKey(message, keys), null);
});
