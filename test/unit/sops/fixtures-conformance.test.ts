/**
 * Every upstream fixture that real sops wrote (vendored in test/fixtures/vendor) decrypts with
 * its key, its MAC verifies, and the plaintext is byte for byte what `sops -d` (3.13.3) prints
 * for it (recorded in test/fixtures/conformance/, see its MANIFEST.md); the negative ones fail
 * with the right code.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderOutput } from '../../../src/commands/decrypt-run.ts';
import { UserError } from '../../../src/errors.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { buildLocalKeySources } from '../../../src/keys/local-keys.ts';
import { decryptText } from '../../../src/sops/decrypt.ts';
import { formatFromPath } from '../../../src/sops/formats.ts';
import { fixtures, vendoredFixtures } from '../../support/fixtures.ts';

const expectedDir = fileURLToPath(new URL('../../fixtures/conformance/', import.meta.url));

// No gpg fallback here: a fixture must open with the key the MANIFEST names, in-process.
const emptyGnupgHome = { GNUPGHOME: '/nonexistent-gnupg-home' };

for (const fixture of fixtures) {
  test(path.relative(vendoredFixtures, fixture.file), async () => {
    const text = await readFile(fixture.file, 'utf8');
    const format = formatFromPath(fixture.file);
    const masked: string[] = [];
    const keySources = await buildLocalKeySources({
      ageKeyFiles: fixture.ageKeyFile === undefined ? [] : [fixture.ageKeyFile],
      pgpKeyFiles: fixture.pgpKeyFile === undefined ? [] : [fixture.pgpKeyFile],
      env: emptyGnupgHome,
      exec: nodeExec,
      mask: (v) => masked.push(v),
    });
    const run = decryptText(text, format, { keySources, mask: (v) => masked.push(v) });
    if (fixture.expectError !== undefined) {
      await assert.rejects(run, (e: unknown) => e instanceof UserError && e.code === fixture.expectError);
      return;
    }
    const { branches } = await run;
    const bytes = Buffer.from(renderOutput(branches, format, undefined));
    const expected = await readFile(
      path.join(expectedDir, `${path.relative(vendoredFixtures, fixture.file)}.sops-d`),
    );
    assert.ok(
      bytes.equals(expected),
      `differs from sops -d:\n${bytes.toString('utf8')}\n---\n${expected.toString('utf8')}`,
    );
    const out = bytes.toString('utf8');
    assert.ok(out.length > 0);
    assert.ok(!out.includes('ENC[AES256_GCM'), 'no value is left encrypted');
    assert.ok(!/^sops:|"sops":|^sops_/m.test(out), 'the metadata is stripped');
  });
}
