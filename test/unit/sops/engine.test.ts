import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../src/errors.ts';
import { decryptBranches } from '../../../src/sops/decrypt-tree.ts';
import { encryptBranches, type EncryptSettings } from '../../../src/sops/encrypt.ts';
import { verifyMac } from '../../../src/sops/mac.ts';
import type { Metadata } from '../../../src/sops/metadata.ts';
import { mapOf, str, type Branch, type TreeValue } from '../../../src/sops/tree.ts';

const key = randomBytes(32);
const settings: EncryptSettings = {
  selection: { kind: 'encrypted_regex', value: '^(data|stringData)$' },
  macOnlyEncrypted: false,
  lastModified: '2026-11-26T05:00:00Z',
};

function secret(values: Record<string, string>): Branch {
  return mapOf([
    ['apiVersion', str('v1')],
    ['kind', str('Secret')],
    ['metadata', mapOf([['name', str('db')]])],
    ['data', mapOf(Object.entries(values).map(([k, v]) => [k, str(v)] as const))],
  ]);
}

function metadataFor(mac: string, over: Partial<Metadata> = {}): Metadata {
  return {
    keyGroups: [[{ type: 'age', recipient: 'age1x', enc: 'x' }]],
    shamirThreshold: 1,
    lastModified: settings.lastModified,
    mac,
    selection: settings.selection,
    macOnlyEncrypted: settings.macOnlyEncrypted,
    version: '3.13.3',
    ...over,
  };
}

function roundTrip(
  branches: Branch[],
  s: EncryptSettings = settings,
): { plain: Branch[]; metadata: Metadata; mac: string } {
  const enc = encryptBranches(branches, s, key);
  const metadata = metadataFor(enc.mac, { selection: s.selection, macOnlyEncrypted: s.macOnlyEncrypted });
  const { branches: plain, mac } = decryptBranches(enc.branches, metadata, key);
  verifyMac(metadata, mac, key);
  return { plain, metadata, mac };
}

describe('engine', () => {
  test('round trip restores the tree and the MAC verifies', () => {
    const tree = secret({ password: 'canary-7f3a', user: 'admin' });
    assert.deepEqual(roundTrip([tree]).plain, [tree]);
  });

  test('an empty tree hashes to SHA-512 of nothing', () => {
    const enc = encryptBranches(
      [mapOf([])],
      { ...settings, selection: { kind: 'unencrypted_suffix', value: '_unencrypted' } },
      key,
    );
    const { mac } = decryptBranches(enc.branches, metadataFor(enc.mac), key);
    assert.equal(mac, createHash('sha512').digest('hex').toUpperCase());
    assert.ok(mac.startsWith('CF83E135'));
  });

  test('mac_only_encrypted hashes only selected values, after the sops prefix', () => {
    const s = { ...settings, macOnlyEncrypted: true };
    const tree = secret({ password: 'p' });
    const { mac } = roundTrip([tree], s);
    const expected = createHash('sha512')
      .update(createHash('sha256').update('sops').digest())
      .update('p')
      .digest('hex')
      .toUpperCase();
    assert.equal(mac, expected);
  });

  test('the decrypted values are masked as they appear', () => {
    const enc = encryptBranches([secret({ password: 'canary-mask-1' })], settings, key);
    const masked: string[] = [];
    decryptBranches(enc.branches, metadataFor(enc.mac), key, (v) => masked.push(v));
    assert.deepEqual(masked, ['canary-mask-1']);
  });

  test('editing a cleartext value the MAC covers is a MAC mismatch', () => {
    const enc = encryptBranches([secret({ password: 'p' })], settings, key);
    const edited = JSON.parse(JSON.stringify(enc.branches).replace('"db"', '"evil"')) as Branch[];
    const metadata = metadataFor(enc.mac);
    const { mac } = decryptBranches(edited, metadata, key);
    assert.throws(
      () => verifyMac(metadata, mac, key),
      (e: unknown) => e instanceof UserError && e.code === 'MAC_MISMATCH',
    );
  });

  test('a file without a MAC is rejected', () => {
    const enc = encryptBranches([secret({ password: 'p' })], settings, key);
    const metadata = metadataFor('');
    const { mac } = decryptBranches(enc.branches, metadata, key);
    assert.throws(() => verifyMac(metadata, mac, key), /no MAC/);
  });

  test('a cleartext value under an encrypted path is an error naming the path', () => {
    const tree = secret({ password: 'p' });
    const enc = encryptBranches([tree], settings, key);
    const tampered = [
      mapOf([
        ...enc.branches[0]!.items.map((i) => ('key' in i ? ([i.key, i.value] as const) : null)).filter(
          (x) => x !== null,
        ),
        ['data', mapOf([['n', { kind: 'int', value: 1n }]])],
      ]),
    ];
    assert.throws(() => decryptBranches(tampered, metadataFor(enc.mac), key), /data\.n/);
  });
});

describe('property: any tampering gives an error and never output', () => {
  const tree = secret({ password: 'canary-prop', token: 'abc' });
  const enc = encryptBranches([tree], settings, key);
  const metadata = metadataFor(enc.mac);
  const text = JSON.stringify(enc.branches);

  function decryptsCleanly(branches: Branch[]): boolean {
    try {
      const { mac } = decryptBranches(branches, metadata, key);
      verifyMac(metadata, mac, key);
      return true;
    } catch (error) {
      assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
      assert.ok(!error.message.includes('canary-prop'));
      return false;
    }
  }

  test('flipping any bit of a ciphertext, IV or tag', () => {
    const fields = [...text.matchAll(/(data|iv|tag):([A-Za-z0-9+/=]+)/g)].map((m) => m[0]);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, offset, flip) => {
        const field = fields[which % fields.length]!;
        const [name, b64] = field.split(':') as [string, string];
        const bytes = Buffer.from(b64, 'base64');
        const at = offset % bytes.length;
        bytes[at] = bytes[at]! ^ flip;
        const mutated = text.replace(field, `${name}:${bytes.toString('base64')}`);
        return !decryptsCleanly(JSON.parse(mutated) as Branch[]);
      }),
      { numRuns: 300 },
    );
  });

  test('renaming a key on the path (the AAD)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('password', 'token', 'data'),
        fc.string({ minLength: 1, maxLength: 5 }),
        (k, suffix) => {
          // A function replacement, so `$&` and friends in the suffix are taken literally.
          const mutated = text.replace(`"key":"${k}"`, () => `"key":"${k}${suffix.replace(/["\\]/g, 'x')}"`);
          return !decryptsCleanly(JSON.parse(mutated) as Branch[]);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('editing any MAC-covered cleartext value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('v1', 'Secret', 'db'),
        fc.string({ minLength: 1, maxLength: 5 }),
        (value, extra) => {
          const mutated = text.replace(
            `"value":"${value}"`,
            () => `"value":${JSON.stringify(value + extra)}`,
          );
          return !decryptsCleanly(JSON.parse(mutated) as Branch[]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

test('values of every type survive the walk inside lists', () => {
  const values: TreeValue[] = [
    str('a'),
    { kind: 'int', value: 5n },
    { kind: 'float', value: 0.5 },
    { kind: 'bool', value: true },
  ];
  const tree = mapOf([['list', { kind: 'list', items: values }]]);
  const { plain } = roundTrip([tree], {
    ...settings,
    selection: { kind: 'unencrypted_suffix', value: '_unencrypted' },
  });
  assert.deepEqual(plain, [tree]);
});
