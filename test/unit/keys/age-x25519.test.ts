import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { NativeX25519Identity, decodeBech32, decryptAgeFileX25519 } from '../../../src/keys/age-x25519.ts';

async function encryptTo(recipient: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  return e.encrypt(plaintext);
}

describe('native X25519 age decryption (checked against age-encryption)', async () => {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const native = NativeX25519Identity.parse(identity)!;

  const sizes = [0, 32, 33, 64 * 1024, 64 * 1024 + 1, 200_000];
  for (const size of sizes) {
    test(`a ${size}-byte payload`, async () => {
      const plain = randomBytes(size);
      const file = await encryptTo(recipient, plain);
      assert.deepEqual(decryptAgeFileX25519(file, [native]), new Uint8Array(plain));
    });
  }

  test('another recipient gives null (not ours)', async () => {
    const other = await identityToRecipient(await generateIdentity());
    assert.equal(decryptAgeFileX25519(await encryptTo(other, randomBytes(32)), [native]), null);
  });

  test('a tampered header MAC or payload throws', async () => {
    const file = Buffer.from(await encryptTo(recipient, randomBytes(32)));
    const macAt = file.indexOf('--- ') + 5;
    const badMac = Buffer.from(file);
    badMac[macAt] = badMac[macAt] === 0x41 ? 0x42 : 0x41;
    assert.throws(() => decryptAgeFileX25519(badMac, [native]), /MAC/);
    const badPayload = Buffer.from(file);
    badPayload[badPayload.length - 1] = badPayload[badPayload.length - 1]! ^ 1;
    assert.throws(() => decryptAgeFileX25519(badPayload, [native]));
  });

  test('identity parsing', () => {
    assert.equal(NativeX25519Identity.parse('AGE-SECRET-KEY-PQ-1XYZ'), null);
    assert.equal(
      NativeX25519Identity.parse(identity.slice(0, -1) + (identity.endsWith('Q') ? 'P' : 'Q')),
      null,
      'bad checksum',
    );
  });
});

test('bech32 decodes BIP 173 vectors and rejects bad checksums', () => {
  assert.deepEqual(decodeBech32('a12uel5l'), { hrp: 'a', data: new Uint8Array(0) });
  assert.equal(decodeBech32('a12uel5m'), null);
  assert.equal(decodeBech32('A12uEL5L'), null, 'mixed case');
});
