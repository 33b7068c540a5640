/**
 * The wrap direction of age, for `encrypt`: the data key (or Shamir share) as an armored age
 * file for one recipient, which is what sops's `age.MasterKey.Encrypt` stores in `enc`.
 * X25519 (`age1…`) and post-quantum hybrid (`age1pq1…`) recipients go through
 * `age-encryption`, SSH ones (`ssh-ed25519`, `ssh-rsa`) through age-ssh-recipient.ts; plugin
 * recipients are refused by name rather than skipped.
 */
import { UserError } from '../errors.ts';
import { decodeBech32 } from './age-x25519.ts';

/** What kind of age recipient a string is, by its prefix (sops `parseRecipient`). */
function recipientKind(recipient: string): 'x25519' | 'hybrid' | 'ssh' | 'plugin' | 'invalid' {
  if (recipient.startsWith('age1pq1')) return 'hybrid';
  if (/^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+={0,2}( |$)/.test(recipient)) return 'ssh';
  if (/^age1[a-z0-9]+1/.test(recipient)) return 'plugin';
  if (recipient.startsWith('age1')) return decodeBech32(recipient)?.data.length === 32 ? 'x25519' : 'invalid';
  return 'invalid';
}

/**
 * Splits an `age` field as sops does (`age.MasterKeysFromRecipients`): comma-separated, each
 * trimmed, empty entries dropped. Each recipient is checked here, so a typo fails before any
 * data key exists.
 */
export function parseAgeRecipients(text: string, where: string): string[] {
  const recipients = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  for (const recipient of recipients) checkAgeRecipient(recipient, where);
  return recipients;
}

/** Throws a UserError naming `where` unless `recipient` is one `encrypt` can wrap for. */
export function checkAgeRecipient(recipient: string, where: string): void {
  switch (recipientKind(recipient)) {
    case 'x25519':
    case 'hybrid':
    case 'ssh':
      return;
    case 'plugin':
      throw new UserError('UNSUPPORTED', `${where}: age plugin recipients are not supported`, {
        hint: 'use an age1… X25519 recipient, or encrypt this file with sops',
      });
    case 'invalid':
      throw new UserError('USAGE', `${where}: ${JSON.stringify(recipient)} is not an age recipient`, {
        hint: 'an age recipient looks like age1… (the public key age-keygen prints) or ssh-ed25519 AAAA…',
      });
  }
}

/** The `enc` of an age stanza: `plaintext` encrypted to `recipient`, ASCII-armored. */
export async function wrapForAge(recipient: string, plaintext: Uint8Array): Promise<string> {
  checkAgeRecipient(recipient, 'age');
  const { Encrypter, armor } = await import('./age-library.ts');
  const encrypter = new Encrypter();
  if (recipientKind(recipient) === 'ssh') {
    const { parseSshRecipient } = await import('./age-ssh-recipient.ts');
    const ssh = parseSshRecipient(recipient);
    if (ssh === null) {
      throw new UserError(
        'USAGE',
        `age: ${JSON.stringify(recipient.slice(0, 40))}… is not an ssh public key`,
      );
    }
    encrypter.addRecipient(ssh);
  } else {
    encrypter.addRecipient(recipient);
  }
  return armor.encode(await encrypter.encrypt(plaintext));
}
