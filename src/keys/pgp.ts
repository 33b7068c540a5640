/**
 * The in-process OpenPGP key source (openpgp.js v6): private keys given as files, used to
 * decrypt `pgp` stanzas. openpgp's defaults are kept on purpose: messages without integrity
 * protection (no MDC/AEAD) are rejected, exactly as a modern GnuPG does.
 */
import { readFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { UserError, errorMessage } from '../errors.ts';
import { maskableParts } from '../masking.ts';
import type { KeySource } from './key-source.ts';
import { decryptRsaSessionKey } from './pgp-rsa.ts';
import type { MasterKey } from './master-key.ts';
import type { Mask } from '../ports.ts';

/** What {@link loadPgpKeySource} reads. */
export interface PgpLoadOptions {
  /** `--pgp-key-file` values: armored or binary private keys, one or more per file. */
  readonly keyFiles: readonly string[];
  /** Armored private keys given as text (the Action's `pgp-key` input, a secret). */
  readonly keyTexts?: readonly string[];
  /** Unlocks any passphrase-protected key in those files. */
  readonly passphrase?: string;
  readonly mask: Mask;
}

const ARMOR_HEADER = '-----BEGIN PGP';
const PRIVATE_BLOCK = /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g;

/** Masks armor by the one masking policy: as a whole and line by line. */
function maskArmor(mask: Mask, armor: string): void {
  for (const part of maskableParts(armor)) mask(part);
}

/** Reads and unlocks the private keys of one file; the armor is masked before parsing. */
async function readKeyFile(
  file: string,
  passphrase: string | undefined,
  mask: Mask,
): Promise<openpgp.PrivateKey[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing ? 'FILE_NOT_FOUND' : 'KEY_SOURCE',
      `pgp key file ${file}: ${missing ? 'not found' : 'cannot be read'}`,
      {
        cause: error,
      },
    );
  }
  return parseKeys(bytes, file, passphrase, mask);
}

/** Parses and unlocks armored or binary private keys; `label` names them in errors. */
async function parseKeys(
  bytes: Buffer,
  file: string,
  passphrase: string | undefined,
  mask: Mask,
): Promise<openpgp.PrivateKey[]> {
  const text = bytes.toString('utf8');
  const armored = text.includes(ARMOR_HEADER);
  if (armored) maskArmor(mask, text);
  const keys: openpgp.PrivateKey[] = [];
  try {
    if (armored) {
      // `gpg --export-secret-keys -a` of several keys, often followed by public blocks, is
      // several armor blocks in one file; openpgp.js reads only the first block it is given.
      for (const block of text.match(PRIVATE_BLOCK) ?? []) {
        keys.push(...(await openpgp.readPrivateKeys({ armoredKeys: block })));
      }
    } else {
      keys.push(...(await openpgp.readPrivateKeys({ binaryKeys: new Uint8Array(bytes) })));
    }
  } catch (error) {
    throw new UserError('KEY_SOURCE', `pgp key file ${file}: no private key could be read`, { cause: error });
  }
  if (keys.length === 0) throw new UserError('KEY_SOURCE', `pgp key file ${file}: no private key found`);
  const unlocked: openpgp.PrivateKey[] = [];
  for (const key of keys) {
    if (key.isDecrypted()) {
      unlocked.push(key);
      continue;
    }
    if (passphrase === undefined) {
      throw new UserError('KEY_SOURCE', `pgp key ${fingerprintOf(key)} in ${file} is passphrase-protected`, {
        hint: 'pass its passphrase with --pgp-passphrase',
      });
    }
    try {
      unlocked.push(await openpgp.decryptKey({ privateKey: key, passphrase }));
    } catch (error) {
      throw new UserError('KEY_SOURCE', `pgp key ${fingerprintOf(key)} in ${file}: wrong passphrase`, {
        cause: error,
      });
    }
  }
  return unlocked;
}

function fingerprintOf(key: openpgp.Key): string {
  return key.getFingerprint().toUpperCase();
}

/** The wildcard key id (`gpg --throw-keyids`) names no key, so every key may be the one. */
function isWildcard(id: openpgp.KeyID): boolean {
  return /^0+$/.test(id.toHex());
}

/**
 * Builds the OpenPGP source from already unlocked keys. `locations` is what the report
 * prints under "where keys were looked for".
 */
export function createPgpKeySource(
  keys: readonly openpgp.PrivateKey[],
  locations: readonly string[],
): KeySource {
  return {
    name: 'pgp',
    locations,
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'pgp' || keys.length === 0) return null;
      let message: openpgp.Message<string>;
      try {
        message = await openpgp.readMessage({ armoredMessage: key.enc });
      } catch (error) {
        throw new UserError('DECRYPT_FAILED', 'pgp: enc is not an OpenPGP message', { cause: error });
      }
      // "Mine" means a loaded key (primary or subkey) is one the message was encrypted to.
      const ids = message.getEncryptionKeyIDs();
      const anonymous = ids.length > 0 && ids.every(isWildcard);
      const matching = anonymous ? [...keys] : keys.filter((k) => ids.some((id) => k.getKeys(id).length > 0));
      if (matching.length === 0) return null;
      let data: Uint8Array;
      try {
        const sessionKey = decryptRsaSessionKey(message, matching);
        const result = await openpgp.decrypt(
          sessionKey === null
            ? { message, decryptionKeys: matching, format: 'binary' }
            : { message, sessionKeys: sessionKey, format: 'binary' },
        );
        // A non-streamed message decrypts to a plain Uint8Array.
        data = result.data as Uint8Array;
      } catch (error) {
        // With anonymous recipients only trying tells; none of our keys opened it, so not ours.
        if (anonymous) return null;
        throw new UserError('DECRYPT_FAILED', `pgp: ${firstLine(errorMessage(error))}`, { cause: error });
      }
      // Old GnuPG can "succeed" with nothing when it skips packets it does not know (sops 3.10).
      if (data.length === 0) throw new UserError('DECRYPT_FAILED', 'pgp: decryption returned zero bytes');
      return data;
    },
  };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 200);
}

/**
 * Reads every `--pgp-key-file` (masking each before parsing) and returns the OpenPGP source.
 * A file that is missing, unreadable or locked without a passphrase is an error: the user
 * named it.
 */
export async function loadPgpKeySource(options: PgpLoadOptions): Promise<KeySource> {
  if (options.passphrase !== undefined && options.passphrase !== '') options.mask(options.passphrase);
  const keys: openpgp.PrivateKey[] = [];
  const locations: string[] = [];
  for (const file of options.keyFiles) {
    const found = await readKeyFile(file, options.passphrase, options.mask);
    keys.push(...found);
    locations.push(`--pgp-key-file ${file}: ${found.map(fingerprintOf).join(', ') || 'no keys'}`);
  }
  for (const [i, text] of (options.keyTexts ?? []).entries()) {
    // Masked whole and line by line before parsing, so a parse error cannot print it.
    maskArmor(options.mask, text);
    const found = await parseKeys(
      Buffer.from(text, 'utf8'),
      `pgp-key input #${i + 1}`,
      options.passphrase,
      options.mask,
    );
    keys.push(...found);
    locations.push(`pgp-key input #${i + 1}: ${found.map(fingerprintOf).join(', ') || 'no keys'}`);
  }
  return createPgpKeySource(keys, locations);
}
