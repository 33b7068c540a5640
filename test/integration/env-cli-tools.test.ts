/**
 * The cli-tools component installs the pinned sops, kustomize and age, and age 1.3's
 * post-quantum keys work end to end (the format the native engine must also read).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AGE_VERSION, KUSTOMIZE_VERSION, SOPS_VERSION } from '../env/components/cli-tools.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);

describe('cli-tools component', () => {
  let dir: string;

  before(async () => {
    await requireComponent('cli-tools');
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-env-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const versions = [
    // Without the flag sops asks GitHub for the latest release.
    {
      tool: 'sops',
      args: ['--version', '--disable-version-check'],
      expected: `sops ${SOPS_VERSION.slice(1)}`,
    },
    { tool: 'kustomize', args: ['version'], expected: KUSTOMIZE_VERSION },
    { tool: 'age', args: ['--version'], expected: AGE_VERSION },
  ];
  for (const { tool, args, expected } of versions) {
    it(`${tool} is the pinned ${expected}`, async () => {
      const { stdout } = await run(toolPath(tool), args);
      assert.equal(stdout.trim().split('\n')[0], expected);
    });
  }

  const keyKinds = [
    {
      kind: 'post-quantum',
      flags: ['-pq'],
      identityPrefix: 'AGE-SECRET-KEY-PQ-1',
      recipientPrefix: 'age1pq1',
    },
    { kind: 'X25519', flags: [], identityPrefix: 'AGE-SECRET-KEY-1', recipientPrefix: 'age1' },
  ];
  for (const { kind, flags, identityPrefix, recipientPrefix } of keyKinds) {
    it(`age-keygen makes a ${kind} key that age encrypts to and decrypts with`, async () => {
      const identityFile = path.join(dir, `${kind}.key`);
      await run(toolPath('age-keygen'), [...flags, '-o', identityFile]);
      const identity = readFileSync(identityFile, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('AGE-SECRET-KEY-'));
      assert.ok(identity?.startsWith(identityPrefix), `identity should start with ${identityPrefix}`);

      const { stdout: recipientOut } = await run(toolPath('age-keygen'), ['-y', identityFile]);
      const recipient = recipientOut.trim();
      assert.ok(
        recipient.startsWith(recipientPrefix),
        `recipient ${recipient.slice(0, 12)}… should start with ${recipientPrefix}`,
      );

      const plainFile = path.join(dir, `${kind}.txt`);
      const encryptedFile = path.join(dir, `${kind}.age`);
      const plaintext = `round trip through a ${kind} key\n`;
      writeFileSync(plainFile, plaintext);
      await run(toolPath('age'), ['-r', recipient, '-o', encryptedFile, plainFile]);
      assert.notEqual(readFileSync(encryptedFile, 'latin1').includes(plaintext), true);
      const { stdout: decrypted } = await run(toolPath('age'), ['-d', '-i', identityFile, encryptedFile]);
      assert.equal(decrypted, plaintext);
    });
  }
});
