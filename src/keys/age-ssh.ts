/**
 * age's SSH identities (`ssh-ed25519`, `ssh-rsa` stanzas), implemented here from age's
 * `agessh` package, since `age-encryption` has no SSH support: unencrypted OpenSSH and PEM
 * keys; a passphrase-protected key is kept as a locked identity that says so when needed.
 */
import {
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  constants,
  diffieHellman,
  hkdfSync,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';
import type { Identity, Stanza } from 'age-encryption';
import { UserError } from '../errors.ts';
import type { Mask } from '../ports.ts';
import { maskText } from '../masking.ts';

export const ED25519_LABEL = 'age-encryption.org/v1/ssh-ed25519';
export const RSA_LABEL = 'age-encryption.org/v1/ssh-rsa';
// DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 / SPKI for node:crypto.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** Reads the SSH wire encoding (RFC 4251 §5): uint32 and length-prefixed strings. */
export class WireReader {
  private offset = 0;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error('truncated ssh key');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }
  string(): Uint8Array {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error('truncated ssh key');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  text(): string {
    return Buffer.from(this.string()).toString('latin1');
  }
}

function wireString(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unsigned big-endian integer as an SSH mpint (a leading zero when the top bit is set). */
function wireMpint(unsigned: Uint8Array): Buffer {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  const needsZero = body.length > 0 && ((body[0] ?? 0) & 0x80) !== 0;
  return wireString(needsZero ? Buffer.concat([Buffer.from([0]), body]) : body);
}

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function fromBigInt(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** age's SSH stanza tag: the first 4 bytes of SHA-256 of the public key blob, unpadded base64. */
export function sshFingerprint(publicBlob: Uint8Array): string {
  return createHash('sha256')
    .update(publicBlob)
    .digest()
    .subarray(0, 4)
    .toString('base64')
    .replace(/=+$/, '');
}

/** Decodes age's unpadded standard base64, rejecting padding and stray characters as Go does. */
function decodeRawBase64(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*$/.test(value) || value.length % 4 === 1) return null;
  return Buffer.from(value, 'base64');
}

function x25519Private(scalar: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]),
    format: 'der',
    type: 'pkcs8',
  });
}

function x25519Public(point: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

export function x25519(scalar: Uint8Array, point: Uint8Array): Buffer {
  return diffieHellman({ privateKey: x25519Private(scalar), publicKey: x25519Public(point) });
}

export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

/** ChaCha20-Poly1305 with the all-zero nonce, as age wraps file keys; null when it fails. */
function openFileKey(key: Uint8Array, body: Uint8Array): Uint8Array | null {
  if (body.length < 16) return null;
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

/** An SSH key as age sees it: its public blob, and a private key unless it is locked. */
type SshKey =
  | { readonly kind: 'ssh-ed25519'; readonly publicBlob: Uint8Array; readonly seed: Uint8Array }
  | { readonly kind: 'ssh-rsa'; readonly publicBlob: Uint8Array; readonly privateKey: KeyObject }
  | { readonly kind: 'locked'; readonly type: string; readonly publicBlob: Uint8Array };

/** The `ssh-ed25519` stanza (agessh `Ed25519Identity.unwrap`). */
class SshEd25519Identity implements Identity {
  private readonly fingerprint: string;
  private readonly secret: Uint8Array;
  private readonly ourPublic: Uint8Array;
  private readonly publicBlob: Uint8Array;
  constructor(publicBlob: Uint8Array, seed: Uint8Array) {
    this.publicBlob = publicBlob;
    this.fingerprint = sshFingerprint(publicBlob);
    // The X25519 scalar of an Ed25519 key is the first half of SHA-512(seed); X25519 clamps it.
    this.secret = createHash('sha512').update(seed).digest().subarray(0, 32);
    const jwk = createPublicKey(x25519Private(this.secret)).export({ format: 'jwk' });
    this.ourPublic = Buffer.from(jwk.x ?? '', 'base64url');
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== 'ssh-ed25519') continue;
      if (stanza.args.length !== 3) throw new Error('invalid ssh-ed25519 stanza');
      const ephemeral = decodeRawBase64(stanza.args[2] ?? '');
      if (ephemeral?.length !== 32) throw new Error('invalid ssh-ed25519 stanza');
      if (stanza.args[1] !== this.fingerprint) continue;
      let shared = x25519(this.secret, ephemeral);
      // The tweak binds the shared secret to the whole SSH public key, not just its curve point
      // (Go's hkdf.New(sha256, nil, blob, label): empty secret, the blob as salt).
      const tweak = hkdf(new Uint8Array(0), this.publicBlob, ED25519_LABEL);
      shared = x25519(tweak, shared);
      const wrappingKey = hkdf(shared, Buffer.concat([ephemeral, this.ourPublic]), ED25519_LABEL);
      const fileKey = openFileKey(wrappingKey, stanza.body);
      if (fileKey === null) throw new Error('ssh-ed25519: failed to decrypt file key');
      return fileKey;
    }
    return null;
  }
}

/** The `ssh-rsa` stanza (agessh `RSAIdentity.unwrap`): RSA-OAEP-SHA256 with age's label. */
class SshRsaIdentity implements Identity {
  private readonly fingerprint: string;
  private readonly privateKey: KeyObject;
  constructor(publicBlob: Uint8Array, privateKey: KeyObject) {
    this.fingerprint = sshFingerprint(publicBlob);
    this.privateKey = privateKey;
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== 'ssh-rsa') continue;
      if (stanza.args.length !== 2) throw new Error('invalid ssh-rsa stanza');
      if (stanza.args[1] !== this.fingerprint) continue;
      try {
        return privateDecrypt(
          {
            key: this.privateKey,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: 'sha256',
            oaepLabel: Buffer.from(RSA_LABEL),
          },
          stanza.body,
        );
      } catch {
        throw new Error('ssh-rsa: failed to decrypt file key');
      }
    }
    return null;
  }
}

/**
 * A passphrase-protected SSH key. Its public half is readable, so it can still tell its
 * own stanzas apart and fail only on those (sops would prompt on a terminal; we have none).
 */
class LockedSshIdentity implements Identity {
  private readonly fingerprint: string;
  private readonly type: string;
  private readonly location: string;
  constructor(type: string, publicBlob: Uint8Array, location: string) {
    this.type = type;
    this.location = location;
    this.fingerprint = sshFingerprint(publicBlob);
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    const mine = stanzas.some((s) => s.args[0] === this.type && s.args[1] === this.fingerprint);
    if (!mine) return null;
    throw new UserError(
      'UNSUPPORTED',
      `ssh key ${this.location} is passphrase-protected, which is not supported; use an unencrypted copy`,
    );
  }
}

/** Parses `-----BEGIN OPENSSH PRIVATE KEY-----` (OpenSSH's `PROTOCOL.key` format). */
function parseOpenSshKey(pem: string): SshKey {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    pem,
  )?.[1];
  if (body === undefined) throw new Error('not an OpenSSH private key');
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!bytes.subarray(0, magic.length).equals(magic)) throw new Error('not an OpenSSH private key');
  const reader = new WireReader(bytes.subarray(magic.length));
  const cipher = reader.text();
  reader.string(); // kdf name
  reader.string(); // kdf options
  if (reader.uint32() !== 1) throw new Error('ssh key files with several keys are not supported');
  const publicBlob = reader.string();
  const type = new WireReader(publicBlob).text();
  if (cipher !== 'none') return { kind: 'locked', type, publicBlob };
  const secret = new WireReader(reader.string());
  if (secret.uint32() !== secret.uint32()) throw new Error('corrupt ssh private key');
  const keyType = secret.text();
  if (keyType !== type) throw new Error('corrupt ssh private key');
  if (type === 'ssh-ed25519') {
    secret.string(); // public point, already in publicBlob
    const priv = secret.string();
    if (priv.length !== 64) throw new Error('corrupt ssh-ed25519 private key');
    return { kind: 'ssh-ed25519', publicBlob, seed: priv.subarray(0, 32) };
  }
  if (type === 'ssh-rsa') {
    const n = stripLeadingZeros(secret.string());
    const e = stripLeadingZeros(secret.string());
    const d = stripLeadingZeros(secret.string());
    const iqmp = stripLeadingZeros(secret.string());
    const p = stripLeadingZeros(secret.string());
    const q = stripLeadingZeros(secret.string());
    const dBig = toBigInt(d);
    const privateKey = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'RSA',
        n: Buffer.from(n).toString('base64url'),
        e: Buffer.from(e).toString('base64url'),
        d: Buffer.from(d).toString('base64url'),
        p: Buffer.from(p).toString('base64url'),
        q: Buffer.from(q).toString('base64url'),
        dp: fromBigInt(dBig % (toBigInt(p) - 1n)).toString('base64url'),
        dq: fromBigInt(dBig % (toBigInt(q) - 1n)).toString('base64url'),
        qi: Buffer.from(iqmp).toString('base64url'),
      },
    });
    return { kind: 'ssh-rsa', publicBlob, privateKey };
  }
  throw new Error(`unsupported ssh key type ${type}`);
}

/** Parses a PEM private key (PKCS#1 RSA or PKCS#8 RSA/Ed25519) through node:crypto. */
function parsePemKey(pem: string): SshKey {
  if (/Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(pem)) {
    throw new UserError('UNSUPPORTED', 'passphrase-protected PEM keys are not supported');
  }
  const key = createPrivateKey(pem);
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'ed25519') {
    const pub = Buffer.from(jwk.x ?? '', 'base64url');
    const publicBlob = Buffer.concat([wireString(Buffer.from('ssh-ed25519')), wireString(pub)]);
    return { kind: 'ssh-ed25519', publicBlob, seed: Buffer.from(jwk.d ?? '', 'base64url') };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const publicBlob = Buffer.concat([
      wireString(Buffer.from('ssh-rsa')),
      wireMpint(Buffer.from(jwk.e ?? '', 'base64url')),
      wireMpint(Buffer.from(jwk.n ?? '', 'base64url')),
    ]);
    return { kind: 'ssh-rsa', publicBlob, privateKey: key };
  }
  throw new Error(`unsupported ssh key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/**
 * Parses an SSH private key into an age identity (agessh `ParseIdentity`): unencrypted
 * OpenSSH or PEM `ssh-ed25519`/`ssh-rsa` keys. The key text is masked first.
 */
export function parseSshIdentity(text: string, location: string, mask: Mask): Identity {
  maskText(mask, text);
  let key: SshKey;
  try {
    key = text.includes('BEGIN OPENSSH PRIVATE KEY') ? parseOpenSshKey(text) : parsePemKey(text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('KEY_SOURCE', `malformed ssh identity in ${location}`, { cause: error });
  }
  switch (key.kind) {
    case 'ssh-ed25519':
      return new SshEd25519Identity(key.publicBlob, key.seed);
    case 'ssh-rsa':
      return new SshRsaIdentity(key.publicBlob, key.privateKey);
    case 'locked':
      return new LockedSshIdentity(key.type, key.publicBlob, location);
  }
}
