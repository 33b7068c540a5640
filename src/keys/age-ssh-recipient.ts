/**
 * age's SSH recipients for `encrypt` (age's `agessh` `Ed25519Recipient` and `RSARecipient`),
 * as `age-encryption` recipients: it writes the age file, this writes the stanza. The
 * decrypting side is age-ssh.ts, whose helpers this shares. Written here because
 * `age-encryption` has no SSH support.
 */
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import type { Recipient } from 'age-encryption';
import { Stanza } from 'age-encryption';
import { ED25519_LABEL, RSA_LABEL, WireReader, hkdf, sshFingerprint, x25519 } from './age-ssh.ts';

/** 2^255 - 19, the field of Curve25519. */
const P = 2n ** 255n - 19n;
const BASEPOINT = Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]);

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

/** The Montgomery u of an Ed25519 public key: u = (1 + y) / (1 - y) mod p (RFC 7748 §4.1). */
export function ed25519ToX25519(publicKey: Uint8Array): Buffer {
  const le = Buffer.from(publicKey);
  le[31] = (le[31] ?? 0) & 0x7f; // the top bit is the sign of x, not part of y
  const y = BigInt(`0x${Buffer.from(le).reverse().toString('hex')}`);
  const u = ((1n + y) * modPow((1n - y + P) % P, P - 2n)) % P;
  return Buffer.from(u.toString(16).padStart(64, '0'), 'hex').reverse();
}

/** ChaCha20-Poly1305 with the all-zero nonce, as age wraps file keys. */
function sealFileKey(key: Uint8Array, fileKey: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}

function rawBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** An `ssh-ed25519` recipient (agessh `Ed25519Recipient.Wrap`). */
class SshEd25519Recipient implements Recipient {
  private readonly blob: Uint8Array;
  private readonly theirPublic: Buffer;
  constructor(blob: Uint8Array, point: Uint8Array) {
    this.blob = blob;
    this.theirPublic = ed25519ToX25519(point);
  }
  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const ephemeral = randomBytes(32);
    const ourPublic = x25519(ephemeral, BASEPOINT);
    let shared = x25519(ephemeral, this.theirPublic);
    const tweak = hkdf(new Uint8Array(0), this.blob, ED25519_LABEL);
    shared = x25519(tweak, shared);
    const wrappingKey = hkdf(shared, Buffer.concat([ourPublic, this.theirPublic]), ED25519_LABEL);
    return [
      new Stanza(
        ['ssh-ed25519', sshFingerprint(this.blob), rawBase64(ourPublic)],
        sealFileKey(wrappingKey, fileKey),
      ),
    ];
  }
}

/** An `ssh-rsa` recipient (agessh `RSARecipient.Wrap`): RSA-OAEP-SHA256 with age's label. */
class SshRsaRecipient implements Recipient {
  private readonly blob: Uint8Array;
  private readonly n: Uint8Array;
  private readonly e: Uint8Array;
  constructor(blob: Uint8Array, e: Uint8Array, n: Uint8Array) {
    this.blob = blob;
    this.e = e;
    this.n = n;
  }
  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const strip = (b: Uint8Array): Buffer => Buffer.from(b.subarray(b.findIndex((x) => x !== 0)));
    const key = createPublicKey({
      key: { kty: 'RSA', n: strip(this.n).toString('base64url'), e: strip(this.e).toString('base64url') },
      format: 'jwk',
    });
    const body = publicEncrypt(
      {
        key,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: Buffer.from(RSA_LABEL),
      },
      fileKey,
    );
    return [new Stanza(['ssh-rsa', sshFingerprint(this.blob)], body)];
  }
}

/**
 * Parses an `ssh-ed25519 AAAA…` or `ssh-rsa AAAA…` public key line (a comment may follow)
 * into an age recipient; null when it is neither.
 */
export function parseSshRecipient(line: string): Recipient | null {
  const [type, data] = line.trim().split(/\s+/);
  if ((type !== 'ssh-ed25519' && type !== 'ssh-rsa') || data === undefined) return null;
  const blob = Buffer.from(data, 'base64');
  try {
    const reader = new WireReader(blob);
    if (reader.text() !== type) return null;
    if (type === 'ssh-ed25519') {
      const point = reader.string();
      return point.length === 32 ? new SshEd25519Recipient(blob, point) : null;
    }
    const e = reader.string();
    const n = reader.string();
    return new SshRsaRecipient(blob, e, n);
  } catch {
    return null;
  }
}
