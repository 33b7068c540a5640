import type { KeyRecipient, MasterKey } from './master-key.ts';

/**
 * One source of master keys (age identities, OpenPGP keys, a cloud KMS client...).
 *
 * The contract is typage's: `decrypt` returns `null` when the stanza is not this source's
 * (another type, or a recipient it holds no identity for), and throws only when the stanza
 * is its own and decryption fails. Errors are short, lowercase and never contain key
 * material.
 */
export interface KeySource {
  /** e.g. `age`, `pgp`. */
  readonly name: string;
  /** Where this source looked for keys, for the report printed when no key works. */
  readonly locations: readonly string[];
  /** Returns the plaintext data key (32 bytes) or Shamir share (33 bytes). */
  decrypt(key: MasterKey): Promise<Uint8Array | null>;
  /**
   * The wrap direction, for `encrypt`: returns the stanza's `enc` for `plaintext` (a data key
   * or Shamir share). Absent on sources that cannot wrap; throws when the wrap fails.
   */
  encrypt?(key: KeyRecipient, plaintext: Uint8Array): Promise<string>;
  /**
   * For `encrypt`, before any wrap: the recipient as the stanza will record it (Azure pins a
   * version-less key to its latest version, as sops does). Absent: recorded as named.
   */
  pin?(key: KeyRecipient): Promise<KeyRecipient>;
}
