import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  ED25519_LABEL,
  RSA_LABEL,
  WireReader,
  hkdf,
  sshFingerprint,
  x25519
} from "./chunk-GW4KX3CM.js";
import {
  Stanza
} from "./chunk-G4UPG4IX.js";
import "./chunk-3VWYDLH3.js";
import "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/age-ssh-recipient.ts
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
var P = 2n ** 255n - 19n;
var BASEPOINT = Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]);
function modPow(base, exponent) {
  let result = 1n;
  let b = base % P;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = result * b % P;
    b = b * b % P;
    e >>= 1n;
  }
  return result;
}
function ed25519ToX25519(publicKey) {
  const le = Buffer.from(publicKey);
  le[31] = (le[31] ?? 0) & 127;
  const y = BigInt(`0x${Buffer.from(le).reverse().toString("hex")}`);
  const u = (1n + y) * modPow((1n - y + P) % P, P - 2n) % P;
  return Buffer.from(u.toString(16).padStart(64, "0"), "hex").reverse();
}
function sealFileKey(key, fileKey) {
  const cipher = createCipheriv("chacha20-poly1305", key, Buffer.alloc(12), { authTagLength: 16 });
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}
function rawBase64(bytes) {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}
var SshEd25519Recipient = class {
  blob;
  theirPublic;
  constructor(blob, point) {
    this.blob = blob;
    this.theirPublic = ed25519ToX25519(point);
  }
  wrapFileKey(fileKey) {
    const ephemeral = randomBytes(32);
    const ourPublic = x25519(ephemeral, BASEPOINT);
    let shared = x25519(ephemeral, this.theirPublic);
    const tweak = hkdf(new Uint8Array(0), this.blob, ED25519_LABEL);
    shared = x25519(tweak, shared);
    const wrappingKey = hkdf(shared, Buffer.concat([ourPublic, this.theirPublic]), ED25519_LABEL);
    return [
      new Stanza(
        ["ssh-ed25519", sshFingerprint(this.blob), rawBase64(ourPublic)],
        sealFileKey(wrappingKey, fileKey)
      )
    ];
  }
};
var SshRsaRecipient = class {
  blob;
  n;
  e;
  constructor(blob, e, n) {
    this.blob = blob;
    this.e = e;
    this.n = n;
  }
  wrapFileKey(fileKey) {
    const strip = (b) => Buffer.from(b.subarray(b.findIndex((x) => x !== 0)));
    const key = createPublicKey({
      key: { kty: "RSA", n: strip(this.n).toString("base64url"), e: strip(this.e).toString("base64url") },
      format: "jwk"
    });
    const body = publicEncrypt(
      {
        key,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha256",
        oaepLabel: Buffer.from(RSA_LABEL)
      },
      fileKey
    );
    return [new Stanza(["ssh-rsa", sshFingerprint(this.blob)], body)];
  }
};
function parseSshRecipient(line) {
  const [type, data] = line.trim().split(/\s+/);
  if (type !== "ssh-ed25519" && type !== "ssh-rsa" || data === void 0) return null;
  const blob = Buffer.from(data, "base64");
  try {
    const reader = new WireReader(blob);
    if (reader.text() !== type) return null;
    if (type === "ssh-ed25519") {
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
export {
  ed25519ToX25519,
  parseSshRecipient
};
