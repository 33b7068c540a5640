import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Exec, ExecOptions, ExecResult } from '../../../src/ports.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { GPG_DECRYPT_ARGS, createGpgKeySource } from '../../../src/keys/gpg.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { fluxSops, sopsUpstream, upstreamPgpKey } from '../../support/fixtures.ts';

const upstreamKey = upstreamPgpKey;
const pgpStanza: MasterKey = {
  type: 'pgp',
  fp: 'ABCD',
  enc: '-----BEGIN PGP MESSAGE-----\n\nxyz\n-----END PGP MESSAGE-----\n',
};

function pgpStanzas(file: string): MasterKey[] {
  const sops = (parseYaml(readFileSync(file, 'utf8')) as { sops: { pgp: { fp: string; enc: string }[] } })
    .sops;
  return sops.pgp.map((s) => ({ type: 'pgp', fp: s.fp, enc: s.enc }));
}

/** An Exec that records its call and answers with a canned result (or an error). */
function fakeExec(answer: ExecResult | NodeJS.ErrnoException, calls: unknown[] = []): Exec {
  return {
    run(command: string, args: readonly string[], options?: ExecOptions) {
      calls.push({ command, args, input: options?.input, gnupgHome: options?.env?.['GNUPGHOME'] });
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

const result = (exitCode: number, stdout: string, stderr = ''): ExecResult => ({
  exitCode,
  stdout: Buffer.from(stdout),
  stderr,
});

describe('gpg key source (fake exec)', () => {
  it('pipes the message to SOPS_GPG_EXEC with sops args plus --batch --no-tty, honouring GNUPGHOME', async () => {
    const calls: unknown[] = [];
    const source = createGpgKeySource({
      exec: fakeExec(result(0, 'k'.repeat(32)), calls),
      env: { SOPS_GPG_EXEC: '/opt/gpg2', GNUPGHOME: '/tmp/gh' },
    });
    assert.deepEqual(await source.decrypt(pgpStanza), Buffer.from('k'.repeat(32)));
    assert.deepEqual(calls, [
      { command: '/opt/gpg2', args: GPG_DECRYPT_ARGS, input: pgpStanza.enc, gnupgHome: '/tmp/gh' },
    ]);
    assert.deepEqual(GPG_DECRYPT_ARGS, ['--batch', '--no-tty', '-d']);
    assert.deepEqual(source.locations, ['gpg binary "/opt/gpg2" with keyring GNUPGHOME=/tmp/gh']);
  });

  const cases: [string, ExecResult, RegExp | null][] = [
    ['"No secret key" is not its own stanza', result(2, '', 'gpg: decryption failed: No secret key\n'), null],
    [
      'another failure names the last stderr line',
      result(2, '', 'gpg: foo\ngpg: decryption failed: Bad session key\n'),
      /^gpg: decryption failed: Bad session key$/,
    ],
    ['exit 0 with no output is an error', result(0, ''), /^gpg: decryption returned zero bytes$/],
  ];
  for (const [name, answer, error] of cases) {
    it(name, async () => {
      const source = createGpgKeySource({ exec: fakeExec(answer), env: {} });
      if (error === null) assert.equal(await source.decrypt(pgpStanza), null);
      else await assert.rejects(source.decrypt(pgpStanza), { code: 'DECRYPT_FAILED', message: error });
    });
  }

  it('a missing gpg is a clear KEY_SOURCE error and a report line, asked only once', async () => {
    const calls: unknown[] = [];
    const enoent = Object.assign(new Error('spawn gpg ENOENT'), { code: 'ENOENT' });
    const source = createGpgKeySource({ exec: fakeExec(enoent, calls), env: {}, homeDir: '/home/u' });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(source.decrypt(pgpStanza), {
        code: 'KEY_SOURCE',
        message: 'gpg: "gpg" not found',
      });
    }
    assert.equal(calls.length, 1);
    assert.deepEqual(source.locations, [
      'gpg binary "gpg" with keyring /home/u/.gnupg',
      'gpg binary "gpg": not found (install GnuPG or set SOPS_GPG_EXEC)',
    ]);
  });

  it('ignores other stanza types without running anything', async () => {
    const calls: unknown[] = [];
    const source = createGpgKeySource({ exec: fakeExec(result(0, 'x'), calls), env: {} });
    assert.equal(await source.decrypt({ type: 'age', recipient: 'age1x', enc: 'x' }), null);
    assert.equal(calls.length, 0);
  });
});

function hasGpg(): boolean {
  try {
    execFileSync('gpg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(
  'gpg key source (real gpg, temporary GNUPGHOME)',
  { skip: hasGpg() ? false : 'gpg is not installed (apt-get install gnupg)' },
  () => {
    let home: string;
    let env: Record<string, string | undefined>;
    before(() => {
      home = mkdtempSync(path.join(tmpdir(), 'ksd-gnupg-'));
      env = { ...process.env, GNUPGHOME: home };
      execFileSync('gpg', ['--batch', '--import', upstreamKey], { env, stdio: 'ignore' });
    });
    after(() => {
      // Stop the agent gpg started for this home before deleting it.
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
      } catch {
        // gpgconf may be missing; the agent exits by itself once its socket is gone.
      }
      rmSync(home, { recursive: true, force: true });
    });

    it('decrypts both sops functional-test stanzas of example.yaml', async () => {
      const source = createGpgKeySource({ exec: nodeExec, env });
      const keys = await Promise.all(
        pgpStanzas(path.join(sopsUpstream, 'example.yaml')).map((s) => source.decrypt(s)),
      );
      assert.equal(keys.length, 2);
      assert.equal(keys[0]?.length, 32);
      assert.deepEqual(keys[0], keys[1]);
    });

    it('returns null for a message to a key the keyring does not hold', async () => {
      const source = createGpgKeySource({ exec: nodeExec, env });
      const flux = path.join(fluxSops, 'algorithms', 'pgp.yaml');
      const [stanza] = pgpStanzas(flux);
      assert.equal(await source.decrypt(stanza!), null);
    });
  },
);
