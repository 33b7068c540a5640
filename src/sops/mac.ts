/**
 * The MAC: SHA-512 over the cleartext bytes of the leaves in walk order, stored encrypted
 * with the data key and `lastmodified` as additional data.
 */
import { createHash, type Hash } from 'node:crypto';
import { UserError } from '../errors.ts';
import { decryptValue, type DataKey } from './cipher.ts';
import { formatFloatF } from './go-number.ts';
import { formatGoTime } from './go-time.ts';
import type { Metadata } from './metadata.ts';
import type { TreeValue } from './tree.ts';

/** sha256("sops"): the prefix that makes a mac_only_encrypted MAC differ from a full one. */
const MAC_ONLY_ENCRYPTED_INIT = Buffer.from(
  '8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69',
  'hex',
);

/** The bytes sops hashes for a value (`sops.ToBytes`); null for what is never hashed. */
export function macBytes(value: TreeValue): Uint8Array | string | null {
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'bytes':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'float':
      return formatFloatF(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'time':
      return value.value;
    case 'null':
    case 'comment':
    case 'map':
    case 'list':
      return null;
  }
}

export class MacHasher {
  readonly #hash: Hash = createHash('sha512');

  constructor(macOnlyEncrypted: boolean) {
    if (macOnlyEncrypted) this.#hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }

  add(value: TreeValue): void {
    const bytes = macBytes(value);
    if (bytes !== null) this.#hash.update(bytes);
  }

  /** Upper-case hex, as sops has always written it. */
  digest(): string {
    return this.#hash.digest('hex').toUpperCase();
  }
}

/**
 * Compares the computed MAC with the one stored in the file. Throws MAC_MISMATCH, with a
 * message that says what it means and how to fix it; never prints either MAC in full.
 */
export function verifyMac(metadata: Metadata, computed: string, dataKey: DataKey): void {
  const aad = formatGoTime(metadata.lastModified, 'seconds');
  let stored: TreeValue;
  try {
    stored = decryptValue(metadata.mac, dataKey, aad);
  } catch (cause) {
    throw new UserError(
      'MAC_MISMATCH',
      'the stored MAC cannot be decrypted (sops.mac or sops.lastmodified was altered)',
      {
        cause,
        hint: 'restore the file from version control, or pass --ignore-mac if you accept an unauthenticated file',
      },
    );
  }
  const storedText = stored.kind === 'str' ? stored.value : '';
  if (storedText === '') {
    throw new UserError('MAC_MISMATCH', 'the file has no MAC, so its integrity cannot be verified', {
      hint: 're-encrypt the file with sops, or pass --ignore-mac if you accept an unauthenticated file',
    });
  }
  if (storedText !== computed) {
    throw new UserError('MAC_MISMATCH', 'MAC mismatch: the file content does not match its MAC', {
      hint: 'a value (possibly a cleartext one such as metadata.name) was edited without re-encrypting; re-encrypt with sops, or pass --ignore-mac if you accept an unauthenticated file',
    });
  }
}
