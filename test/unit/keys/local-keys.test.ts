import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Exec } from '../../../src/ports.ts';
import { buildLocalKeySources } from '../../../src/keys/local-keys.ts';
import { fluxSops, upstreamPgpKey } from '../../support/fixtures.ts';

const fluxKeys = path.join(fluxSops, 'keys');
const upstreamKey = upstreamPgpKey;
const idleExec: Exec = { run: () => Promise.reject(new Error('not expected to run')) };

describe('buildLocalKeySources', () => {
  it('returns age then the gpg fallback when no pgp key file is given', async () => {
    const sources = await buildLocalKeySources({
      ageKeyFiles: [path.join(fluxKeys, 'age.txt')],
      env: { GNUPGHOME: '/tmp/gh' },
      exec: idleExec,
      mask: () => undefined,
    });
    assert.deepEqual(
      sources.map((s) => s.name),
      ['age', 'pgp'],
    );
    assert.equal(sources[0]?.locations[0], `--age-key-file ${path.join(fluxKeys, 'age.txt')}: 1 identity`);
    assert.deepEqual(sources[1]?.locations, ['gpg binary "gpg" with keyring GNUPGHOME=/tmp/gh']);
  });

  it('uses in-process OpenPGP keys instead of gpg when given, masking the passphrase first', async () => {
    const masked: string[] = [];
    const sources = await buildLocalKeySources({
      pgpKeyFiles: [upstreamKey],
      pgpPassphrase: 'unused-but-secret',
      env: {},
      exec: idleExec,
      mask: (v) => masked.push(v),
    });
    assert.equal(masked[0], 'unused-but-secret');
    assert.match(
      sources[1]?.locations[0] ?? '',
      /^--pgp-key-file .*: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, D7229043/,
    );
  });

  it('rejects a passphrase without a pgp key file, after masking it', async () => {
    const masked: string[] = [];
    await assert.rejects(
      buildLocalKeySources({
        pgpPassphrase: 'hunter2-secret',
        env: {},
        exec: idleExec,
        mask: (v) => masked.push(v),
      }),
      (error: unknown) => {
        assert.ok(error instanceof Error && 'code' in error && error.code === 'USAGE');
        assert.ok(!error.message.includes('hunter2-secret'));
        return true;
      },
    );
    assert.deepEqual(masked, ['hunter2-secret']);
  });
});
