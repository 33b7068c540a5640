import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { loadAgeKeySource } from '../../../src/keys/age.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { loadPgpKeySource } from '../../../src/keys/pgp.ts';
import { formatKeyReport, recoverDataKey, sortKeysForDecryption } from '../../../src/sops/data-key.ts';
import { formatFromPath, storeFor } from '../../../src/sops/formats.ts';
import { parseMetadata, type Metadata } from '../../../src/sops/metadata.ts';
import { splitSecret } from '../../../src/sops/shamir.ts';
import { repoRoot } from '../../env/paths.ts';
import { fluxSops, sopsUpstream } from '../../support/fixtures.ts';

const flux = fluxSops;
const upstream = sopsUpstream;
const shamirDir = path.join(repoRoot, 'test', 'fixtures', 'shamir');
const noMask = (): void => undefined;

/** The fixture's metadata, read by the real store and metadata parser. */
function readMetadata(file: string): Metadata {
  const loaded = storeFor(formatFromPath(file)).loadEncrypted(readFileSync(file, 'utf8'));
  assert.ok(loaded.metadata !== null, `${file} carries sops metadata`);
  return parseMetadata(loaded.metadata);
}

/** Proves a data key is right: it opens the file's MAC (AES-GCM, AAD = lastmodified). */
function decryptMac(metadata: Metadata, dataKey: Uint8Array): string {
  const match = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/.exec(metadata.mac);
  assert.ok(match, 'mac is an ENC value');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(match[2]!, 'base64'));
  decipher.setAAD(Buffer.from(metadata.lastModified));
  decipher.setAuthTag(Buffer.from(match[3]!, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(match[1]!, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

async function ageSource(...files: string[]): Promise<KeySource> {
  return loadAgeKeySource({ keyFiles: files, env: {}, mask: noMask });
}

// ---------------------------------------------------------------------------------------------

describe('recoverDataKey with real sops files', () => {
  const ageCases: [string, string][] = [
    ['algorithms/age.yaml', 'age.txt'],
    ['algorithms/age-pq.yaml', 'age-pq.txt'],
    ['component/env.env', 'age.txt'],
    ['envs/env.env', 'age.txt'],
    ['files/file.txt', 'age.txt'],
    ['global/secret.yaml', 'age-global.txt'],
    ['patches/merge1.yaml', 'age.txt'],
    ['patches/merge2.yaml', 'age.txt'],
    ['remote/env.env', 'age.txt'],
  ];
  for (const [file, key] of ageCases) {
    it(`flux ${file} opens with keys/${key}`, async () => {
      const metadata = readMetadata(path.join(flux, file));
      const dataKey = await recoverDataKey(metadata, [await ageSource(path.join(flux, 'keys', key))]);
      assert.equal(dataKey.length, 32);
      assert.match(decryptMac(metadata, dataKey), /^[0-9A-F]{128}$/);
    });
  }

  it('flux algorithms/pgp.yaml opens with keys/pgp.asc', async () => {
    const metadata = readMetadata(path.join(flux, 'algorithms', 'pgp.yaml'));
    const pgp = await loadPgpKeySource({ keyFiles: [path.join(flux, 'keys', 'pgp.asc')], mask: noMask });
    assert.match(decryptMac(metadata, await recoverDataKey(metadata, [pgp])), /^[0-9A-F]{128}$/);
  });

  const upstreamFiles = [
    'example.yaml',
    'example.json',
    'example.ini',
    'example.txt',
    'examples/all_in_one/config/secret.enc.json',
    'examples/per_file/config.enc/static_github.json',
    'functional-tests/res/comments.enc.yaml',
    'functional-tests/res/comments_unencrypted_comments.yaml',
    'functional-tests/res/format-2.enc.ini',
    'functional-tests/res/format.enc.env',
    'functional-tests/res/format.enc.ini',
    'functional-tests/res/format.enc.json',
    'functional-tests/res/format.enc.yaml',
    'functional-tests/res/multiple_keys.yaml',
  ];
  for (const file of upstreamFiles) {
    it(`sops-upstream ${file} opens with sops_functional_tests_key.asc`, async () => {
      const metadata = readMetadata(path.join(upstream, file));
      const pgp = await loadPgpKeySource({
        keyFiles: [path.join(upstream, 'pgp', 'sops_functional_tests_key.asc')],
        mask: noMask,
      });
      assert.match(decryptMac(metadata, await recoverDataKey(metadata, [pgp])), /^[0-9A-F]{128}$/);
    });
  }

  it('opens with the second pgp key when the first is not held (rsa1024 D7229043…)', async () => {
    const metadata = readMetadata(path.join(upstream, 'example.yaml'));
    const [first, second] = metadata.keyGroups[0]!;
    assert.equal(first?.type === 'pgp' && first.fp, 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4');
    const pgp = await loadPgpKeySource({
      keyFiles: [path.join(upstream, 'pgp', 'sops_functional_tests_key.asc')],
      mask: noMask,
    });
    const onlySecond: Metadata = { ...metadata, keyGroups: [[second!]] };
    assert.match(decryptMac(metadata, await recoverDataKey(onlySecond, [pgp])), /^[0-9A-F]{128}$/);
  });

  describe('the sops-written Shamir fixture (3 groups, threshold 2)', () => {
    const metadata = readMetadata(path.join(shamirDir, 'secret.enc.yaml'));
    const key = (n: number): string => path.join(shamirDir, `age-${n}.txt`);

    it('has three groups and threshold 2', () => {
      assert.equal(metadata.keyGroups.length, 3);
      assert.equal(metadata.shamirThreshold, 2);
    });

    for (const pair of [
      [1, 2],
      [1, 3],
      [2, 3],
      [1, 2, 3],
    ]) {
      it(`opens with keys ${pair.join('+')}`, async () => {
        const dataKey = await recoverDataKey(metadata, [await ageSource(...pair.map(key))]);
        assert.match(decryptMac(metadata, dataKey), /^[0-9A-F]{128}$/);
      });
    }

    it('fails with one key and reports the threshold and each group', async () => {
      await assert.rejects(recoverDataKey(metadata, [await ageSource(key(2))]), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'NO_MATCHING_KEY');
        const report = error.report ?? '';
        assert.match(
          report,
          /Group 0: FAILED\n {2}age age1\S+: FAILED\n {4}- no identity for this recipient/,
        );
        assert.match(report, /Group 1: SUCCESS\n {2}age age1\S+: SUCCESS/);
        assert.match(report, /Group 2: FAILED/);
        assert.match(report, /Shamir threshold of 2, but only 1 part\(s\)/);
        assert.match(report, /--age-key-file \S+age-2\.txt: 1 identity/);
        return true;
      });
    });
  });

  it('a wrong age key gives NO_MATCHING_KEY with a report naming the recipient', async () => {
    const metadata = readMetadata(path.join(flux, 'algorithms', 'age.yaml'));
    await assert.rejects(
      recoverDataKey(metadata, [await ageSource(path.join(flux, 'keys', 'age-global.txt'))]),
      (error) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'NO_MATCHING_KEY');
        assert.equal(error.message, 'no key could decrypt the data key: no identity for this recipient');
        assert.ok(error.hint !== undefined && error.hint.includes('--age-key-file'));
        assert.match(
          error.report ?? '',
          /Group 0: FAILED\n {2}age age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29: FAILED\n {4}- no identity for this recipient/,
        );
        assert.match(error.report ?? '', /no master key was able to decrypt the file/);
        assert.match(error.report ?? '', /Keys were looked for in:\n {2}age:\n {4}- --age-key-file /);
        return true;
      },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The algorithm, with fake sources.

const enc = (value: Uint8Array): string => Buffer.from(value).toString('hex');
const ageKey = (recipient: string, value: Uint8Array | string): MasterKey => ({
  type: 'age',
  recipient,
  enc: typeof value === 'string' ? value : enc(value),
});
const pgpKey = (fp: string, value: Uint8Array | string): MasterKey => ({
  type: 'pgp',
  fp,
  enc: typeof value === 'string' ? value : enc(value),
});
const kmsKey: MasterKey = { type: 'kms', arn: 'arn:aws:kms:eu-west-1:1:key/x', context: {}, enc: 'AAAA' };

/** A source that "holds" the recipients listed; enc is hex of the plaintext, "fail" throws. */
function fakeSource(name: string, held: readonly string[], calls: string[] = []): KeySource {
  return {
    name,
    locations: [`fake ${name} keyring`],
    decrypt(key) {
      const id = key.type === 'age' ? key.recipient : key.type === 'pgp' ? key.fp : '';
      if (key.type !== name) return Promise.resolve(null);
      calls.push(id);
      if (!held.includes(id)) return Promise.resolve(null);
      if (key.enc === 'fail') return Promise.reject(new UserError('DECRYPT_FAILED', `${name}: bad stanza`));
      return Promise.resolve(Uint8Array.from(Buffer.from(key.enc, 'hex')));
    },
  };
}

function metadataOf(groups: MasterKey[][], shamirThreshold = 0): Metadata {
  return {
    keyGroups: groups,
    shamirThreshold,
    lastModified: '2024-01-01T00:00:00Z',
    mac: '',
    selection: { kind: 'unencrypted_suffix', value: '_unencrypted' },
    macOnlyEncrypted: false,
    version: '3.13.3',
  };
}

describe('recoverDataKey', () => {
  const dataKey = new Uint8Array(32).map((_, i) => i + 1);

  it('tries age before pgp, then the rest in file order, and stops at the first success', async () => {
    const calls: string[] = [];
    const group = [pgpKey('P1', dataKey), kmsKey, ageKey('A1', 'fail'), ageKey('A2', dataKey)];
    const key = await recoverDataKey(metadataOf([group]), [
      fakeSource('pgp', ['P1'], calls),
      fakeSource('age', ['A1', 'A2'], calls),
    ]);
    assert.deepEqual(key, dataKey);
    assert.deepEqual(calls, ['A1', 'A2']);
  });

  it('honours a custom decryption order', async () => {
    const calls: string[] = [];
    const group = [ageKey('A1', dataKey), pgpKey('P1', dataKey)];
    await recoverDataKey(
      metadataOf([group]),
      [fakeSource('pgp', ['P1'], calls), fakeSource('age', ['A1'], calls)],
      {
        decryptionOrder: ['pgp', 'age'],
      },
    );
    assert.deepEqual(calls, ['P1']);
  });

  it('sorts stably: unknown types keep file order after the ordered ones', () => {
    const group = [kmsKey, pgpKey('P1', 'x'), { ...kmsKey, arn: 'second' }, ageKey('A1', 'x')];
    const sorted = sortKeysForDecryption(group, ['age', 'pgp']);
    assert.deepEqual(sorted, [group[3], group[1], group[0], group[2]]);
  });

  it('reports every failure: thrown reason, no identity, no source, wrong length', async () => {
    const group = [ageKey('A1', 'fail'), ageKey('A2', dataKey), pgpKey('P1', new Uint8Array(5)), kmsKey];
    await assert.rejects(
      recoverDataKey(metadataOf([group]), [fakeSource('age', ['A1']), fakeSource('pgp', ['P1'])]),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'NO_MATCHING_KEY');
        assert.equal(
          error.report,
          [
            'Failed to get the data key required to decrypt the SOPS file.',
            '',
            'Group 0: FAILED',
            '  age A1: FAILED',
            '    - age: bad stanza',
            '  age A2: FAILED',
            '    - no identity for this recipient',
            '  pgp P1: FAILED',
            '    - decrypted to 5 bytes, expected 32',
            '  aws kms arn:aws:kms:eu-west-1:1:key/x: FAILED',
            '    - no key source for kms',
            '',
            'Recovery failed because no master key was able to decrypt the file. At least one key has to be successful, but none were.',
            '',
            'Keys were looked for in:',
            '  age:',
            '    - fake age keyring',
            '  pgp:',
            '    - fake pgp keyring',
          ].join('\n'),
        );
        return true;
      },
    );
  });

  it('combines one share per group when the threshold is met, trying every group', async () => {
    const shares = splitSecret(dataKey, 3, 2);
    const calls: string[] = [];
    const groups = [[ageKey('A1', shares[0]!)], [ageKey('A2', shares[1]!)], [ageKey('A3', shares[2]!)]];
    const key = await recoverDataKey(metadataOf(groups, 2), [fakeSource('age', ['A1', 'A3'], calls)]);
    assert.deepEqual(key, dataKey);
    assert.deepEqual(calls, ['A1', 'A2', 'A3']);
  });

  it('fails below the threshold', async () => {
    const shares = splitSecret(dataKey, 3, 3);
    const groups = [[ageKey('A1', shares[0]!)], [ageKey('A2', shares[1]!)], [ageKey('A3', shares[2]!)]];
    await assert.rejects(
      recoverDataKey(metadataOf(groups, 3), [fakeSource('age', ['A1', 'A3'])]),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'NO_MATCHING_KEY');
        assert.match(error.report ?? '', /Shamir threshold of 3, but only 2 part\(s\)/);
        return true;
      },
    );
  });

  it('rejects a 32-byte value where a 33-byte share is expected', async () => {
    const groups = [[ageKey('A1', dataKey)], [ageKey('A2', dataKey)]];
    await assert.rejects(
      recoverDataKey(metadataOf(groups, 2), [fakeSource('age', ['A1', 'A2'])]),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.report ?? '', /decrypted to 32 bytes, expected 33/);
        return true;
      },
    );
  });

  it('reports corrupt shares as a combine failure', async () => {
    const share = new Uint8Array(33).fill(1);
    const groups = [[ageKey('A1', share)], [ageKey('A2', share)]];
    await assert.rejects(
      recoverDataKey(metadataOf(groups, 2), [fakeSource('age', ['A1', 'A2'])]),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'DECRYPT_FAILED');
        assert.match(error.message, /shamir: duplicate share/);
        return true;
      },
    );
  });

  it('rejects metadata without keys', async () => {
    await assert.rejects(recoverDataKey(metadataOf([[]]), []), { code: 'BAD_METADATA' });
    await assert.rejects(recoverDataKey(metadataOf([]), []), { code: 'BAD_METADATA' });
  });

  it('formats a report with no sources', () => {
    const report = formatKeyReport({ groups: [{ ok: false, keys: [] }], threshold: 0, sources: [] });
    assert.match(report, /Group 0: FAILED\n {2}\(no keys\)/);
    assert.match(report, /\(no key sources were configured\)/);
  });
});
