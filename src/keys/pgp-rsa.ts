/**
 * RSA session-key decryption for OpenPGP with the private key imported into node:crypto once.
 * openpgp.js re-imports the key (JWK) for every message, which is two thirds of an RSA-4096
 * decrypt; a sops run opens one message per file, so caching it is what keeps PGP fast
 * (bench/decrypt). Anything this does not handle returns null and openpgp.js does the work.
 */
import { constants, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import * as openpgp from 'openpgp';

const RSA_ALGORITHMS = new Set<number>([
  openpgp.enums.publicKey.rsaEncryptSign,
  openpgp.enums.publicKey.rsaEncrypt,
]);
const SESSION_CIPHERS = new Map<number, { size: number; name: openpgp.enums.symmetricNames }>([
  [openpgp.enums.symmetric.aes128, { size: 16, name: 'aes128' }],
  [openpgp.enums.symmetric.aes192, { size: 24, name: 'aes192' }],
  [openpgp.enums.symmetric.aes256, { size: 32, name: 'aes256' }],
]);

/** The fields of openpgp.js packets read here; its typings keep them private. */
interface RsaParams {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly u: Uint8Array;
}
interface PkeskFields {
  readonly version: number;
  readonly publicKeyAlgorithm: number;
  readonly publicKeyID: openpgp.KeyID;
  readonly encrypted: { readonly c?: Uint8Array };
}

const imported = new WeakMap<object, { key: KeyObject; size: number }>();

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function b64url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** OpenPGP stores u = p⁻¹ mod q; JWK wants qi = q⁻¹ mod p, so the primes swap roles. */
function importRsaKey(params: RsaParams): { key: KeyObject; size: number } {
  const d = toBigInt(params.d);
  const p = toBigInt(params.q);
  const q = toBigInt(params.p);
  const key = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: Buffer.from(params.n).toString('base64url'),
      e: Buffer.from(params.e).toString('base64url'),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(toBigInt(params.u)),
    },
  });
  return { key, size: params.n.length };
}

function rsaKeyFor(
  packet: openpgp.SecretKeyPacket | openpgp.SecretSubkeyPacket,
): { key: KeyObject; size: number } | null {
  const cached = imported.get(packet);
  if (cached !== undefined) return cached;
  if (!packet.isDecrypted() || !RSA_ALGORITHMS.has(packet.algorithm)) return null;
  const params: Partial<RsaParams> = { ...packet.publicParams, ...(packet.privateParams ?? {}) };
  if (params.n === undefined || params.e === undefined || params.d === undefined) return null;
  if (params.p === undefined || params.q === undefined || params.u === undefined) return null;
  const made = importRsaKey(params as RsaParams);
  imported.set(packet, made);
  return made;
}

/**
 * Finds a v3 RSA PKESK addressed to one of `keys` and returns its session key, or null when
 * there is none (or its checksum fails, which then leaves the verdict to openpgp.js).
 */
export function decryptRsaSessionKey(
  message: openpgp.Message<string>,
  keys: readonly openpgp.PrivateKey[],
): openpgp.SessionKey | null {
  for (const packet of message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)) {
    const pkesk = packet as unknown as PkeskFields;
    const c = pkesk.encrypted.c;
    if (pkesk.version !== 3 || !RSA_ALGORITHMS.has(pkesk.publicKeyAlgorithm) || c === undefined) continue;
    for (const key of keys) {
      for (const sub of key.getKeys(pkesk.publicKeyID)) {
        const rsa = rsaKeyFor(sub.keyPacket as openpgp.SecretKeyPacket);
        if (rsa === null || c.length > rsa.size) continue;
        const input = Buffer.alloc(rsa.size);
        input.set(c, rsa.size - c.length);
        let m: Buffer;
        try {
          // Node 24's PKCS#1 v1.5 decryption uses implicit rejection: bad padding yields a
          // random result, which the checksum below rejects, so no padding oracle remains.
          m = privateDecrypt({ key: rsa.key, padding: constants.RSA_PKCS1_PADDING }, input);
        } catch {
          continue;
        }
        const cipher = SESSION_CIPHERS.get(m[0] ?? 0);
        if (cipher === undefined || m.length !== cipher.size + 3) continue;
        const { size } = cipher;
        const sessionKey = m.subarray(1, 1 + size);
        const sum = sessionKey.reduce((acc, b) => (acc + b) & 0xffff, 0);
        if (sum !== m.readUInt16BE(1 + size)) continue;
        return {
          data: new Uint8Array(sessionKey),
          algorithm: cipher.name,
        };
      }
    }
  }
  return null;
}
