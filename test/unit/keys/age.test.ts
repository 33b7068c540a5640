import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Encrypter,
  armor,
  generateHybridIdentity,
  generateX25519Identity,
  identityToRecipient,
} from 'age-encryption';
import { UserError } from '../../../src/errors.ts';
import type { Exec, ExecOptions } from '../../../src/ports.ts';
import {
  loadAgeKeySource,
  parseAgeIdentities,
  parseSshIdentity,
  splitCommandLine,
} from '../../../src/keys/age.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { toolPath } from '../../env/paths.ts';
import { fluxSops } from '../../support/fixtures.ts';

const fluxKeys = path.join(fluxSops, 'keys');
const noMask = (): void => undefined;

async function encryptTo(recipient: string, plaintext: Uint8Array): Promise<string> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  return armor.encode(await e.encrypt(plaintext));
}

async function stanza(identity: string, plaintext: Uint8Array): Promise<MasterKey> {
  const recipient = await identityToRecipient(identity);
  return { type: 'age', recipient, enc: await encryptTo(recipient, plaintext) };
}

const dataKey = new Uint8Array(32).map((_, i) => 200 - i);

describe('parseAgeIdentities', () => {
  it('reads one identity per line, skipping blanks and comments, and masks each', async () => {
    const a = await generateX25519Identity();
    const b = await generateHybridIdentity();
    const masked: string[] = [];
    const found = parseAgeIdentities(`# created: now\n# public key: age1xyz\n${a}\n\n  ${b}  \r\n`, (v) =>
      masked.push(v),
    );
    assert.deepEqual(found, [a, b]);
    assert.deepEqual(masked, [a, b]);
  });

  it('splits words only when told (SOPS_AGE_KEY)', async () => {
    const a = await generateX25519Identity();
    const b = await generateX25519Identity();
    assert.deepEqual(parseAgeIdentities(`${a} ${b}`, noMask, { multiplePerLine: true }), [a, b]);
    assert.throws(() => parseAgeIdentities(`${a} ${b}`, noMask), { code: 'KEY_SOURCE' });
  });

  const bad: [string, string, string, RegExp][] = [
    ['an unknown type', 'hello-world', 'KEY_SOURCE', /^line 1: unknown identity type$/],
    ['a corrupt key', 'AGE-SECRET-KEY-1QQQQ', 'KEY_SOURCE', /^line 1: malformed age identity$/],
    ['a plugin', 'AGE-PLUGIN-YUBIKEY-1ABC', 'UNSUPPORTED', /plugin identities are not supported/],
    [
      'an encrypted identity file',
      '-----BEGIN AGE ENCRYPTED FILE-----\nabc\n',
      'UNSUPPORTED',
      /passphrase-protected/,
    ],
  ];
  for (const [name, text, code, message] of bad) {
    it(`rejects ${name} without echoing it, after masking it`, () => {
      const masked: string[] = [];
      assert.throws(
        () => parseAgeIdentities(text, (v) => masked.push(v)),
        (error: unknown) =>
          error instanceof UserError &&
          error.code === code &&
          message.test(error.message) &&
          !error.message.includes('QQQQ'),
      );
      assert.ok(masked.length > 0);
    });
  }
});

describe('splitCommandLine', () => {
  const cases: [string, string[]][] = [
    ['cat /x/keys.txt', ['cat', '/x/keys.txt']],
    ['  sh -c "echo \\"hi\\""  ', ['sh', '-c', 'echo "hi"']],
    ["pass show 'age key'", ['pass', 'show', 'age key']],
    ['a\\ b c # comment', ['a b', 'c']],
    ['', []],
  ];
  for (const [line, argv] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => {
      assert.deepEqual(splitCommandLine(line), argv);
    });
  }
  it('rejects an unterminated quote', () => {
    assert.throws(() => splitCommandLine('a "b'), { code: 'KEY_SOURCE' });
  });
});

describe('age key source', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-age-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('decrypts X25519 and post-quantum stanzas, and returns null for other recipients or types', async () => {
    const x = await generateX25519Identity();
    const pq = await generateHybridIdentity();
    const other = await generateX25519Identity();
    const source = await loadAgeKeySource({ env: { SOPS_AGE_KEY: `${x}\n${pq}` }, mask: noMask });
    assert.deepEqual(await source.decrypt(await stanza(x, dataKey)), dataKey);
    assert.deepEqual(await source.decrypt(await stanza(pq, dataKey)), dataKey);
    assert.equal(await source.decrypt(await stanza(other, dataKey)), null);
    assert.equal(await source.decrypt({ type: 'pgp', fp: 'AB', enc: 'x' }), null);
  });

  it('returns null when no identity was found anywhere', async () => {
    const source = await loadAgeKeySource({ env: {}, mask: noMask });
    assert.equal(await source.decrypt(await stanza(await generateX25519Identity(), dataKey)), null);
  });

  it('throws when a stanza is its own but broken (enc not armored, tampered payload)', async () => {
    const x = await generateX25519Identity();
    const source = await loadAgeKeySource({ env: { SOPS_AGE_KEY: x }, mask: noMask });
    const good = await stanza(x, dataKey);
    await assert.rejects(source.decrypt({ ...good, enc: 'not age' }), { code: 'DECRYPT_FAILED' });
    // Flip one byte of the payload (after the header): the key matches, the payload fails.
    const raw = armor.decode(good.enc);
    raw[raw.length - 1]! ^= 1;
    await assert.rejects(source.decrypt({ ...good, enc: armor.encode(raw) }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'DECRYPT_FAILED');
      assert.ok(!error.message.includes(x));
      return true;
    });
  });

  it('decrypts the Flux fixtures with their key files', async () => {
    for (const name of ['age.txt', 'age-pq.txt', 'age-global.txt']) {
      const text = readFileSync(path.join(fluxKeys, name), 'utf8');
      const recipient = /public key: (age1\S+)/.exec(text)?.[1] ?? '';
      const source = await loadAgeKeySource({ keyFiles: [path.join(fluxKeys, name)], mask: noMask });
      assert.deepEqual(
        await source.decrypt({ type: 'age', recipient, enc: await encryptTo(recipient, dataKey) }),
        dataKey,
      );
    }
  });

  it('looks in sops order and records what it found', async () => {
    const home = path.join(dir, 'home-order');
    const [k1, k2, k3] = [
      await generateX25519Identity(),
      await generateX25519Identity(),
      await generateX25519Identity(),
    ];
    mkdirSync(path.join(home, '.config', 'sops', 'age'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'sops', 'age', 'keys.txt'), `${k3}\n`);
    writeFileSync(path.join(dir, 'explicit.txt'), `${k1}\n`);
    writeFileSync(path.join(dir, 'env-file.txt'), `${k2}\n`);
    const masked: string[] = [];
    const source = await loadAgeKeySource({
      keyFiles: [path.join(dir, 'explicit.txt')],
      env: {
        SOPS_AGE_KEY_FILE: path.join(dir, 'env-file.txt'),
        SOPS_AGE_SSH_PRIVATE_KEY_FILE: path.join(dir, 'nope'),
      },
      homeDir: home,
      mask: (v) => masked.push(v),
    });
    assert.deepEqual(source.locations, [
      `--age-key-file ${path.join(dir, 'explicit.txt')}: 1 identity`,
      'SOPS_AGE_KEY: not set',
      `SOPS_AGE_KEY_FILE=${path.join(dir, 'env-file.txt')}: 1 identity`,
      'SOPS_AGE_KEY_CMD: not set',
      `SOPS_AGE_SSH_PRIVATE_KEY_FILE=${path.join(dir, 'nope')}: not found`,
      'SOPS_AGE_SSH_PRIVATE_KEY_CMD: not set',
      `${path.join(home, '.config', 'sops', 'age', 'keys.txt')}: 1 identity`,
      `${path.join(home, '.ssh', 'id_ed25519')}: not found`,
      `${path.join(home, '.ssh', 'id_rsa')}: not found`,
    ]);
    assert.deepEqual(masked, [k1, k2, k3]);
    for (const k of [k1, k2, k3]) assert.deepEqual(await source.decrypt(await stanza(k, dataKey)), dataKey);
  });

  it('uses XDG_CONFIG_HOME for the default key file', async () => {
    const k = await generateX25519Identity();
    const xdg = path.join(dir, 'xdg');
    mkdirSync(path.join(xdg, 'sops', 'age'), { recursive: true });
    writeFileSync(path.join(xdg, 'sops', 'age', 'keys.txt'), k);
    const source = await loadAgeKeySource({
      env: { XDG_CONFIG_HOME: xdg },
      homeDir: path.join(dir, 'no-home'),
      mask: noMask,
    });
    assert.ok(source.locations.includes(`${path.join(xdg, 'sops', 'age', 'keys.txt')}: 1 identity`));
    assert.deepEqual(await source.decrypt(await stanza(k, dataKey)), dataKey);
  });

  it('notes a malformed environment source without failing the others', async () => {
    const k = await generateX25519Identity();
    writeFileSync(path.join(dir, 'bad.txt'), 'AGE-SECRET-KEY-1NOTAKEY\n');
    const masked: string[] = [];
    const source = await loadAgeKeySource({
      env: { SOPS_AGE_KEY: k, SOPS_AGE_KEY_FILE: path.join(dir, 'bad.txt') },
      mask: (v) => masked.push(v),
    });
    assert.ok(
      source.locations.includes(
        `SOPS_AGE_KEY_FILE=${path.join(dir, 'bad.txt')}: error: line 1: malformed age identity`,
      ),
    );
    assert.ok(masked.includes('AGE-SECRET-KEY-1NOTAKEY'));
    assert.deepEqual(await source.decrypt(await stanza(k, dataKey)), dataKey);
  });

  it('fails on an explicit --age-key-file that is missing or malformed', async () => {
    await assert.rejects(loadAgeKeySource({ keyFiles: [path.join(dir, 'missing.txt')], mask: noMask }), {
      code: 'FILE_NOT_FOUND',
      message: `age key file ${path.join(dir, 'missing.txt')}: not found`,
    });
    writeFileSync(path.join(dir, 'garbage.txt'), 'AGE-SECRET-KEY-1SECRETGARBAGE\n');
    await assert.rejects(
      loadAgeKeySource({ keyFiles: [path.join(dir, 'garbage.txt')], mask: noMask }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'KEY_SOURCE');
        assert.ok(!error.message.includes('SECRETGARBAGE'));
        return true;
      },
    );
  });

  it('runs SOPS_AGE_KEY_CMD through Exec once per recipient with SOPS_AGE_RECIPIENT set', async () => {
    const k = await generateX25519Identity();
    const recipient = await identityToRecipient(k);
    const calls: { command: string; args: readonly string[]; recipient: string | undefined }[] = [];
    const exec: Exec = {
      run(command: string, args: readonly string[], options?: ExecOptions) {
        calls.push({ command, args, recipient: options?.env?.['SOPS_AGE_RECIPIENT'] });
        return Promise.resolve({ exitCode: 0, stdout: Buffer.from(`# key\n${k}\n`), stderr: '' });
      },
    };
    const masked: string[] = [];
    const source = await loadAgeKeySource({
      env: { SOPS_AGE_KEY_CMD: 'pass show "sops age"' },
      exec,
      mask: (v) => masked.push(v),
    });
    const key = await stanza(k, dataKey);
    assert.deepEqual(await source.decrypt(key), dataKey);
    assert.deepEqual(await source.decrypt(key), dataKey);
    assert.deepEqual(calls, [{ command: 'pass', args: ['show', 'sops age'], recipient }]);
    assert.ok(masked.includes(k));
  });

  it('records a failing key command and treats the stanza as not its own', async () => {
    const exec: Exec = {
      run: () => Promise.resolve({ exitCode: 3, stdout: new Uint8Array(), stderr: 'boom' }),
    };
    const source = await loadAgeKeySource({ env: { SOPS_AGE_KEY_CMD: 'false' }, exec, mask: noMask });
    const key = await stanza(await generateX25519Identity(), dataKey);
    assert.equal(await source.decrypt(key), null);
    assert.ok(
      source.locations.some(
        (l) => l.includes('SOPS_AGE_KEY_CMD (recipient age1') && l.endsWith('false exited with code 3'),
      ),
    );
  });
});

// SSH identities against the real tools: keys from ssh-keygen, stanzas from age -R.
const ageBinary = toolPath('age');
function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['-V'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const sshSkip = !hasCommand('ssh-keygen')
  ? 'ssh-keygen is not installed (apt-get install openssh-client)'
  : !existsSync(ageBinary)
    ? `real age is not built at ${ageBinary}`
    : false;

describe('age SSH identities (ssh-keygen + real age)', { skip: sshSkip }, () => {
  let dir: string;
  const keys = [
    ['ed25519 OpenSSH', 'id_ed25519', ['-t', 'ed25519']],
    ['rsa OpenSSH', 'id_rsa', ['-t', 'rsa', '-b', '2048']],
    ['rsa PEM', 'id_rsa_pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']],
  ] as const;
  const stanzaFor = (name: string): MasterKey => ({
    type: 'age',
    recipient: readFileSync(path.join(dir, `${name}.pub`), 'utf8').trim(),
    enc: execFileSync(ageBinary, ['-a', '-R', path.join(dir, `${name}.pub`)], { input: dataKey }).toString(
      'utf8',
    ),
  });

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-ssh-'));
    for (const [, name, args] of keys) {
      execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', 'test', '-f', path.join(dir, name)]);
    }
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      'secret-pass',
      '-f',
      path.join(dir, 'id_locked'),
    ]);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, name] of keys) {
    it(`decrypts a ${label} stanza and declines the others`, async () => {
      const masked: string[] = [];
      const source = await loadAgeKeySource({
        env: { SOPS_AGE_SSH_PRIVATE_KEY_FILE: path.join(dir, name) },
        mask: (v) => masked.push(v),
      });
      assert.deepEqual(await source.decrypt(stanzaFor(name)), dataKey);
      for (const [, other] of keys)
        if (other !== name) assert.equal(await source.decrypt(stanzaFor(other)), null);
      assert.ok(masked.includes(readFileSync(path.join(dir, name), 'utf8').trim()));
    });
  }

  it('reads ~/.ssh/id_ed25519 and ~/.ssh/id_rsa by default', async () => {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    writeFileSync(path.join(home, '.ssh', 'id_ed25519'), readFileSync(path.join(dir, 'id_ed25519')));
    writeFileSync(path.join(home, '.ssh', 'id_rsa'), readFileSync(path.join(dir, 'id_rsa')));
    const source = await loadAgeKeySource({ env: {}, homeDir: home, mask: noMask });
    assert.deepEqual(await source.decrypt(stanzaFor('id_ed25519')), dataKey);
    assert.deepEqual(await source.decrypt(stanzaFor('id_rsa')), dataKey);
    assert.ok(source.locations.includes(`${path.join(home, '.ssh', 'id_rsa')}: 1 identity`));
  });

  it('fails clearly on its own stanza when the key is passphrase-protected, and declines others', async () => {
    const identity = parseSshIdentity(readFileSync(path.join(dir, 'id_locked'), 'utf8'), 'id_locked', noMask);
    const source = await loadAgeKeySource({
      env: { SOPS_AGE_SSH_PRIVATE_KEY_FILE: path.join(dir, 'id_locked') },
      mask: noMask,
    });
    assert.ok(identity);
    assert.equal(await source.decrypt(stanzaFor('id_ed25519')), null);
    await assert.rejects(source.decrypt(stanzaFor('id_locked')), {
      code: 'UNSUPPORTED',
      message: `ssh key ${path.join(dir, 'id_locked')} is passphrase-protected, which is not supported; use an unencrypted copy`,
    });
  });
});
