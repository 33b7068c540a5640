import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/keys/age-x25519.ts
import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  timingSafeEqual
} from "node:crypto";
var BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
var X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
var X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
var STANZA_LABEL = "age-encryption.org/v1/X25519";
function bech32Polymod(values) {
  const gen = [996825010, 642813549, 513874426, 1027748829, 705979059];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (chk & 33554431) << 5 ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i & 1) === 1) chk ^= gen[i] ?? 0;
  }
  return chk >>> 0;
}
function decodeBech32(text) {
  const lower = text.toLowerCase();
  if (lower !== text && text.toUpperCase() !== text) return null;
  const sep = lower.lastIndexOf("1");
  if (sep < 1 || sep + 7 > lower.length) return null;
  const hrp = lower.slice(0, sep);
  const words = [];
  for (const ch of lower.slice(sep + 1)) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v === -1) return null;
    words.push(v);
  }
  const codes = Array.from({ length: hrp.length }, (_, i) => hrp.charCodeAt(i));
  const expanded = [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
  if (bech32Polymod([...expanded, ...words]) !== 1) return null;
  let acc = 0;
  let bits = 0;
  const out = [];
  for (const w of words.slice(0, -6)) {
    acc = acc << 5 | w;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push(acc >> bits & 255);
    }
  }
  if (bits >= 5 || (acc & (1 << bits) - 1) !== 0) return null;
  return { hrp, data: Uint8Array.from(out) };
}
var NativeX25519Identity = class _NativeX25519Identity {
  #privateKey;
  #publicKey;
  constructor(scalar) {
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]),
      format: "der",
      type: "pkcs8"
    });
    const spki = createPublicKey(this.#privateKey).export({ format: "der", type: "spki" });
    this.#publicKey = spki.subarray(spki.length - 32);
  }
  /** Returns null for anything that is not a valid X25519 age identity. */
  static parse(identity) {
    if (!identity.startsWith("AGE-SECRET-KEY-1")) return null;
    const decoded = decodeBech32(identity);
    if (decoded?.hrp !== "age-secret-key-" || decoded.data.length !== 32) return null;
    return new _NativeX25519Identity(decoded.data);
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "X25519" || stanza.args.length !== 2 || stanza.body.length !== 32) continue;
      const share = Buffer.from(stanza.args[1] ?? "", "base64");
      if (share.length !== 32) continue;
      const shared = diffieHellman({
        privateKey: this.#privateKey,
        publicKey: createPublicKey({
          key: Buffer.concat([X25519_SPKI_PREFIX, share]),
          format: "der",
          type: "spki"
        })
      });
      if (shared.every((b) => b === 0)) continue;
      const wrapKey = Buffer.from(
        hkdfSync("sha256", shared, Buffer.concat([share, this.#publicKey]), STANZA_LABEL, 32)
      );
      try {
        const decipher = createDecipheriv("chacha20-poly1305", wrapKey, Buffer.alloc(12), {
          authTagLength: 16
        });
        decipher.setAuthTag(stanza.body.subarray(16));
        return Buffer.concat([decipher.update(stanza.body.subarray(0, 16)), decipher.final()]);
      } catch {
      }
    }
    return null;
  }
};
var HEADER_INTRO = "age-encryption.org/v1\n";
var CHUNK = 64 * 1024;
function rawBase64(text) {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return null;
  return Buffer.from(text, "base64");
}
function parseHeader(file) {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.subarray(0, HEADER_INTRO.length).toString("latin1") !== HEADER_INTRO) return null;
  const stanzas = [];
  let at = HEADER_INTRO.length;
  const readLine = () => {
    const end = buf.indexOf(10, at);
    if (end === -1) return null;
    const line = buf.subarray(at, end).toString("latin1");
    at = end + 1;
    return line;
  };
  for (; ; ) {
    const lineStart = at;
    const line = readLine();
    if (line === null) return null;
    if (line.startsWith("--- ")) {
      const mac = rawBase64(line.slice(4));
      if (mac?.length !== 32) return null;
      return { stanzas, headerNoMac: buf.subarray(0, lineStart + 3), mac, payload: buf.subarray(at) };
    }
    if (!line.startsWith("-> ")) return null;
    const args = line.slice(3).split(" ");
    const bodyParts = [];
    for (; ; ) {
      const bodyLine = readLine();
      if (bodyLine === null || bodyLine.length > 64) return null;
      const part = rawBase64(bodyLine);
      if (part === null) return null;
      bodyParts.push(part);
      if (bodyLine.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(bodyParts) });
  }
}
function hkdf32(ikm, salt, info) {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, 32));
}
function decryptAgeFileX25519(file, identities) {
  const header = parseHeader(file);
  if (header === null) return null;
  let fileKey = null;
  for (const identity of identities) {
    fileKey = identity.unwrapFileKey(header.stanzas);
    if (fileKey !== null) break;
  }
  if (fileKey === null) return null;
  const expected = createHmac("sha256", hkdf32(fileKey, new Uint8Array(0), "header")).update(header.headerNoMac).digest();
  if (!timingSafeEqual(expected, header.mac)) throw new Error("age header MAC does not verify");
  const { payload } = header;
  if (payload.length < 16) throw new Error("age payload is truncated");
  const key = hkdf32(fileKey, payload.subarray(0, 16), "payload");
  const body = payload.subarray(16);
  const chunks = [];
  const nonce = Buffer.alloc(12);
  for (let offset = 0, counter = 0; ; counter++) {
    const end = Math.min(offset + CHUNK + 16, body.length);
    const last = end === body.length;
    nonce.writeUIntBE(counter, 5, 6);
    nonce[11] = last ? 1 : 0;
    const chunk = body.subarray(offset, end);
    if (chunk.length < 16) throw new Error("age payload chunk is truncated");
    const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(chunk.subarray(chunk.length - 16));
    chunks.push(Buffer.concat([decipher.update(chunk.subarray(0, chunk.length - 16)), decipher.final()]));
    if (last) break;
    offset = end;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export {
  decodeBech32,
  NativeX25519Identity,
  decryptAgeFileX25519
};
