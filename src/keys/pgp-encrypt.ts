/**
 * The wrap direction of OpenPGP, for `encrypt`: the data key (or Shamir share) encrypted to a
 * fingerprint's key as an armored message, which sops's `pgp.MasterKey.Encrypt` stores in
 * `enc`. The public key is looked for where sops finds it: in the keys given as files
 * (`--pgp-key-file`, public or private), else in the GnuPG keyring through `gpg --export`
 * (sops asks gpg to encrypt; exporting the key and encrypting with openpgp.js gives the same
 * message without a trust prompt). Only public key material is read from gpg.
 */
import { readFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { UserError } from '../errors.ts';
import type { Exec } from '../ports.ts';

/** What {@link createPgpWrapper} reads. */
export interface PgpWrapOptions {
  /** `--pgp-key-file` values: armored or binary keys, public or private. */
  readonly keyFiles: readonly string[];
  /** Runs gpg when no file holds the key. */
  readonly exec: Exec;
  /** `SOPS_GPG_EXEC` picks the binary, `GNUPGHOME` the keyring. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** sops `NewMasterKeyFromFingerprint`: spaces removed; compared case-insensitively here. */
export function normalizeFingerprint(fp: string): string {
  return fp.replaceAll(' ', '');
}

async function readKeys(bytes: Uint8Array, where: string): Promise<openpgp.Key[]> {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    if (text.includes('-----BEGIN PGP')) {
      const blocks =
        text.match(/-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP \1 KEY BLOCK-----/g) ??
        [];
      const keys: openpgp.Key[] = [];
      for (const block of blocks) keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
      return keys;
    }
    return await openpgp.readKeys({ binaryKeys: bytes });
  } catch (cause) {
    throw new UserError('KEY_SOURCE', `${where}: no OpenPGP key could be read`, { cause });
  }
}

/** Finds the key whose primary fingerprint (or a subkey's) is `fp`. */
function findKey(keys: readonly openpgp.Key[], fp: string): openpgp.Key | undefined {
  const wanted = fp.toLowerCase();
  return keys.find(
    (k) =>
      k.getFingerprint() === wanted ||
      k.getSubkeys().some((s) => s.getFingerprint() === wanted) ||
      // A long key id (16 hex digits) names a key as well; gpg accepts it.
      (wanted.length === 16 && k.getKeyIDs().some((id) => id.toHex() === wanted)),
  );
}

/** Creates the OpenPGP wrapper: `wrap(fp, plaintext)` returns the armored message. */
export function createPgpWrapper(
  options: PgpWrapOptions,
): (fp: string, plaintext: Uint8Array) => Promise<string> {
  let fromFiles: Promise<openpgp.Key[]> | undefined;
  const loadFiles = async (): Promise<openpgp.Key[]> => {
    const keys: openpgp.Key[] = [];
    for (const file of options.keyFiles) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (cause) {
        throw new UserError('FILE_NOT_FOUND', `pgp key file ${file}: cannot be read`, { cause });
      }
      // Private keys carry their public key; only that part is used to encrypt.
      keys.push(...(await readKeys(bytes, `pgp key file ${file}`)).map((k) => k.toPublic()));
    }
    return keys;
  };
  const program = options.env['SOPS_GPG_EXEC'] || 'gpg';

  const fromGpg = async (fp: string): Promise<openpgp.Key | undefined> => {
    let result;
    try {
      result = await options.exec.run(program, ['--batch', '--no-tty', '--export', fp], { env: options.env });
    } catch (cause) {
      throw new UserError('KEY_SOURCE', `cannot run "${program}" to find the public key`, {
        cause,
        hint: 'install GnuPG, set SOPS_GPG_EXEC, or pass the key with --pgp-key-file',
      });
    }
    if (result.exitCode !== 0 || result.stdout.length === 0) return undefined;
    return findKey(await readKeys(result.stdout, `gpg --export ${fp}`), fp);
  };

  return async (rawFp, plaintext) => {
    const fp = normalizeFingerprint(rawFp);
    if (!/^[0-9A-Fa-f]{16}([0-9A-Fa-f]{24})?$/.test(fp)) {
      throw new UserError('USAGE', `pgp ${JSON.stringify(rawFp)} is not a key fingerprint`, {
        hint: 'give the 40 hex digits gpg --fingerprint prints',
      });
    }
    fromFiles ??= loadFiles();
    const key = findKey(await fromFiles, fp) ?? (await fromGpg(fp));
    if (key === undefined) {
      throw new UserError('KEY_SOURCE', 'no public key found', {
        hint: 'pass it with --pgp-key-file, or import it into the gpg keyring (gpg --import)',
      });
    }
    let armored: string;
    try {
      const message = await openpgp.createMessage({ binary: plaintext });
      // openpgp's overloads resolve to an error type under the linter; the result is checked here.
      const result: unknown = await openpgp.encrypt({
        message,
        encryptionKeys: key.toPublic(),
        format: 'armored',
      });
      if (typeof result !== 'string') throw new Error('openpgp returned no armored message');
      armored = result;
    } catch (cause) {
      throw new UserError('KEY_SOURCE', 'openpgp cannot encrypt to this key', { cause });
    }
    // sops stores the armor without its final newline (written as a YAML `|-` block).
    return armored.replace(/\n$/, '');
  };
}
