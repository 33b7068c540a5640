import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../../src/errors.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { loadPgpKeySource } from '../../../src/keys/pgp.ts';
import { fluxKeys, sopsUpstream, upstreamPgpKey } from '../../support/fixtures.ts';

const upstreamKey = upstreamPgpKey;
const fluxKey = fluxKeys.pgp;
const noMask = (): void => undefined;
const dataKey = new Uint8Array(32).map((_, i) => i * 3);

function pgpStanzas(file: string): MasterKey[] {
  const sops = (parseYaml(readFileSync(file, 'utf8')) as { sops: { pgp: { fp: string; enc: string }[] } })
    .sops;
  return sops.pgp.map((s) => ({ type: 'pgp', fp: s.fp, enc: s.enc }));
}

async function encryptTo(key: openpgp.Key, data: Uint8Array): Promise<string> {
  const message = await openpgp.createMessage({ binary: data });
  // A message built from a Uint8Array (not a stream) encrypts to an armored string.
  return (await openpgp.encrypt({ message, encryptionKeys: key.toPublic() })) as string;
}

describe('pgp key source', () => {
  let dir: string;
  let locked: { privateKey: string; publicKey: string };
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-pgp-'));
    locked = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'test', email: 'test@example.invalid' }],
      passphrase: 'correct horse',
      format: 'armored',
    });
    writeFileSync(path.join(dir, 'locked.asc'), locked.privateKey);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every private block of a multi-block file (both sops functional-test keys)', async () => {
    const source = await loadPgpKeySource({ keyFiles: [upstreamKey], mask: noMask });
    assert.deepEqual(source.locations, [
      `--pgp-key-file ${upstreamKey}: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, D7229043384BCC60326C6FB9D8720D957C3D3074`,
    ]);
    const stanzas = pgpStanzas(path.join(sopsUpstream, 'example.yaml'));
    assert.equal(stanzas.length, 2);
    const [a, b] = await Promise.all(stanzas.map((s) => source.decrypt(s)));
    assert.equal(a?.length, 32);
    assert.deepEqual(a, b);
  });

  it('returns null for a message encrypted to another key, and for other stanza types', async () => {
    const source = await loadPgpKeySource({ keyFiles: [fluxKey], mask: noMask });
    for (const s of pgpStanzas(path.join(sopsUpstream, 'example.yaml')))
      assert.equal(await source.decrypt(s), null);
    assert.equal(await source.decrypt({ type: 'age', recipient: 'age1x', enc: 'x' }), null);
  });

  it('matches messages encrypted to a subkey', async () => {
    const source = await loadPgpKeySource({ keyFiles: [fluxKey], mask: noMask });
    const key = await openpgp.readPrivateKey({ armoredKey: readFileSync(fluxKey, 'utf8') });
    const encryptionKey = await key.getEncryptionKey();
    assert.notEqual(
      encryptionKey.getKeyID().toHex(),
      key.getKeyID().toHex(),
      'the fixture encrypts to a subkey',
    );
    const enc = await encryptTo(key, dataKey);
    assert.deepEqual(await source.decrypt({ type: 'pgp', fp: key.getFingerprint(), enc }), dataKey);
  });

  it('unlocks a passphrase-protected key, masking the passphrase and the armor first', async () => {
    const masked: string[] = [];
    const source = await loadPgpKeySource({
      keyFiles: [path.join(dir, 'locked.asc')],
      passphrase: 'correct horse',
      mask: (v) => masked.push(v),
    });
    assert.equal(masked[0], 'correct horse');
    assert.ok(masked.includes(locked.privateKey.trim()));
    const pub = await openpgp.readKey({ armoredKey: locked.publicKey });
    assert.deepEqual(
      await source.decrypt({ type: 'pgp', fp: pub.getFingerprint(), enc: await encryptTo(pub, dataKey) }),
      dataKey,
    );
  });

  const loadErrors: [string, () => Promise<unknown>, string, RegExp][] = [
    [
      'a locked key without a passphrase',
      () => loadPgpKeySource({ keyFiles: [path.join(dir, 'locked.asc')], mask: noMask }),
      'KEY_SOURCE',
      /is passphrase-protected$/,
    ],
    [
      'a wrong passphrase',
      () =>
        loadPgpKeySource({ keyFiles: [path.join(dir, 'locked.asc')], passphrase: 'nope-nope', mask: noMask }),
      'KEY_SOURCE',
      /wrong passphrase$/,
    ],
    [
      'a missing file',
      () => loadPgpKeySource({ keyFiles: [path.join(dir, 'missing.asc')], mask: noMask }),
      'FILE_NOT_FOUND',
      /missing\.asc: not found$/,
    ],
    [
      'a file of public keys only',
      () => {
        writeFileSync(path.join(dir, 'public.asc'), locked.publicKey);
        return loadPgpKeySource({ keyFiles: [path.join(dir, 'public.asc')], mask: noMask });
      },
      'KEY_SOURCE',
      /public\.asc: no private key found$/,
    ],
  ];
  for (const [name, load, code, message] of loadErrors) {
    it(`fails to load ${name}`, async () => {
      await assert.rejects(load(), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, code);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('nope-nope') && !error.message.includes('correct horse'));
        return true;
      });
    });
  }

  it('rejects a zero-byte plaintext and a malformed enc on its own stanza', async () => {
    const source = await loadPgpKeySource({ keyFiles: [fluxKey], mask: noMask });
    const key = await openpgp.readPrivateKey({ armoredKey: readFileSync(fluxKey, 'utf8') });
    const empty = await encryptTo(key, new Uint8Array(0));
    await assert.rejects(source.decrypt({ type: 'pgp', fp: key.getFingerprint(), enc: empty }), {
      code: 'DECRYPT_FAILED',
      message: 'pgp: decryption returned zero bytes',
    });
    await assert.rejects(source.decrypt({ type: 'pgp', fp: key.getFingerprint(), enc: 'garbage' }), {
      code: 'DECRYPT_FAILED',
    });
  });

  it('keeps openpgp integrity checks: a tampered message fails instead of returning bytes', async () => {
    const source = await loadPgpKeySource({ keyFiles: [fluxKey], mask: noMask });
    const key = await openpgp.readPrivateKey({ armoredKey: readFileSync(fluxKey, 'utf8') });
    const unarmored = await openpgp.unarmor(await encryptTo(key, dataKey));
    const bytes = Uint8Array.from(unarmored.data as Uint8Array);
    // A bit flipped inside the encrypted data (CFB) garbles a block, which the MDC must catch.
    bytes[bytes.length - 30]! ^= 0x40;
    const tampered = openpgp.armor(openpgp.enums.armor.message, bytes);
    await assert.rejects(source.decrypt({ type: 'pgp', fp: key.getFingerprint(), enc: tampered }), {
      code: 'DECRYPT_FAILED',
    });
  });
});
