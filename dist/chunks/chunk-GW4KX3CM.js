import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  maskText
} from "./chunk-3VWYDLH3.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/age-ssh.ts
import {
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  constants,
  diffieHellman,
  hkdfSync,
  privateDecrypt
} from "node:crypto";
var ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
var RSA_LABEL = "age-encryption.org/v1/ssh-rsa";
var X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
var X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
var WireReader = class {
  offset = 0;
  bytes;
  constructor(bytes) {
    this.bytes = bytes;
  }
  uint32() {
    if (this.offset + 4 > this.bytes.length) throw new Error("truncated ssh key");
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }
  string() {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error("truncated ssh key");
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  text() {
    return Buffer.from(this.string()).toString("latin1");
  }
};
function wireString(bytes) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
function wireMpint(unsigned) {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  const needsZero = body.length > 0 && ((body[0] ?? 0) & 128) !== 0;
  return wireString(needsZero ? Buffer.concat([Buffer.from([0]), body]) : body);
}
function stripLeadingZeros(bytes) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
function toBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}
function fromBigInt(value) {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, "hex");
}
function sshFingerprint(publicBlob) {
  return createHash("sha256").update(publicBlob).digest().subarray(0, 4).toString("base64").replace(/=+$/, "");
}
function decodeRawBase64(value) {
  if (!/^[A-Za-z0-9+/]*$/.test(value) || value.length % 4 === 1) return null;
  return Buffer.from(value, "base64");
}
function x25519Private(scalar) {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]),
    format: "der",
    type: "pkcs8"
  });
}
function x25519Public(point) {
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, point]), format: "der", type: "spki" });
}
function x25519(scalar, point) {
  return diffieHellman({ privateKey: x25519Private(scalar), publicKey: x25519Public(point) });
}
function hkdf(ikm, salt, info) {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, 32));
}
function openFileKey(key, body) {
  if (body.length < 16) return null;
  try {
    const decipher = createDecipheriv("chacha20-poly1305", key, Buffer.alloc(12), { authTagLength: 16 });
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}
var SshEd25519Identity = class {
  fingerprint;
  secret;
  ourPublic;
  publicBlob;
  constructor(publicBlob, seed) {
    this.publicBlob = publicBlob;
    this.fingerprint = sshFingerprint(publicBlob);
    this.secret = createHash("sha512").update(seed).digest().subarray(0, 32);
    const jwk = createPublicKey(x25519Private(this.secret)).export({ format: "jwk" });
    this.ourPublic = Buffer.from(jwk.x ?? "", "base64url");
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "ssh-ed25519") continue;
      if (stanza.args.length !== 3) throw new Error("invalid ssh-ed25519 stanza");
      const ephemeral = decodeRawBase64(stanza.args[2] ?? "");
      if (ephemeral?.length !== 32) throw new Error("invalid ssh-ed25519 stanza");
      if (stanza.args[1] !== this.fingerprint) continue;
      let shared = x25519(this.secret, ephemeral);
      const tweak = hkdf(new Uint8Array(0), this.publicBlob, ED25519_LABEL);
      shared = x25519(tweak, shared);
      const wrappingKey = hkdf(shared, Buffer.concat([ephemeral, this.ourPublic]), ED25519_LABEL);
      const fileKey = openFileKey(wrappingKey, stanza.body);
      if (fileKey === null) throw new Error("ssh-ed25519: failed to decrypt file key");
      return fileKey;
    }
    return null;
  }
};
var SshRsaIdentity = class {
  fingerprint;
  privateKey;
  constructor(publicBlob, privateKey) {
    this.fingerprint = sshFingerprint(publicBlob);
    this.privateKey = privateKey;
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "ssh-rsa") continue;
      if (stanza.args.length !== 2) throw new Error("invalid ssh-rsa stanza");
      if (stanza.args[1] !== this.fingerprint) continue;
      try {
        return privateDecrypt(
          {
            key: this.privateKey,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: "sha256",
            oaepLabel: Buffer.from(RSA_LABEL)
          },
          stanza.body
        );
      } catch {
        throw new Error("ssh-rsa: failed to decrypt file key");
      }
    }
    return null;
  }
};
var LockedSshIdentity = class {
  fingerprint;
  type;
  location;
  constructor(type, publicBlob, location) {
    this.type = type;
    this.location = location;
    this.fingerprint = sshFingerprint(publicBlob);
  }
  unwrapFileKey(stanzas) {
    const mine = stanzas.some((s) => s.args[0] === this.type && s.args[1] === this.fingerprint);
    if (!mine) return null;
    throw new UserError(
      "UNSUPPORTED",
      `ssh key ${this.location} is passphrase-protected, which is not supported; use an unencrypted copy`
    );
  }
};
function parseOpenSshKey(pem) {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    pem
  )?.[1];
  if (body === void 0) throw new Error("not an OpenSSH private key");
  const bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  const magic = Buffer.from("openssh-key-v1\0", "latin1");
  if (!bytes.subarray(0, magic.length).equals(magic)) throw new Error("not an OpenSSH private key");
  const reader = new WireReader(bytes.subarray(magic.length));
  const cipher = reader.text();
  reader.string();
  reader.string();
  if (reader.uint32() !== 1) throw new Error("ssh key files with several keys are not supported");
  const publicBlob = reader.string();
  const type = new WireReader(publicBlob).text();
  if (cipher !== "none") return { kind: "locked", type, publicBlob };
  const secret = new WireReader(reader.string());
  if (secret.uint32() !== secret.uint32()) throw new Error("corrupt ssh private key");
  const keyType = secret.text();
  if (keyType !== type) throw new Error("corrupt ssh private key");
  if (type === "ssh-ed25519") {
    secret.string();
    const priv = secret.string();
    if (priv.length !== 64) throw new Error("corrupt ssh-ed25519 private key");
    return { kind: "ssh-ed25519", publicBlob, seed: priv.subarray(0, 32) };
  }
  if (type === "ssh-rsa") {
    const n = stripLeadingZeros(secret.string());
    const e = stripLeadingZeros(secret.string());
    const d = stripLeadingZeros(secret.string());
    const iqmp = stripLeadingZeros(secret.string());
    const p = stripLeadingZeros(secret.string());
    const q = stripLeadingZeros(secret.string());
    const dBig = toBigInt(d);
    const privateKey = createPrivateKey({
      format: "jwk",
      key: {
        kty: "RSA",
        n: Buffer.from(n).toString("base64url"),
        e: Buffer.from(e).toString("base64url"),
        d: Buffer.from(d).toString("base64url"),
        p: Buffer.from(p).toString("base64url"),
        q: Buffer.from(q).toString("base64url"),
        dp: fromBigInt(dBig % (toBigInt(p) - 1n)).toString("base64url"),
        dq: fromBigInt(dBig % (toBigInt(q) - 1n)).toString("base64url"),
        qi: Buffer.from(iqmp).toString("base64url")
      }
    });
    return { kind: "ssh-rsa", publicBlob, privateKey };
  }
  throw new Error(`unsupported ssh key type ${type}`);
}
function parsePemKey(pem) {
  if (/Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(pem)) {
    throw new UserError("UNSUPPORTED", "passphrase-protected PEM keys are not supported");
  }
  const key = createPrivateKey(pem);
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "ed25519") {
    const pub = Buffer.from(jwk.x ?? "", "base64url");
    const publicBlob = Buffer.concat([wireString(Buffer.from("ssh-ed25519")), wireString(pub)]);
    return { kind: "ssh-ed25519", publicBlob, seed: Buffer.from(jwk.d ?? "", "base64url") };
  }
  if (key.asymmetricKeyType === "rsa") {
    const publicBlob = Buffer.concat([
      wireString(Buffer.from("ssh-rsa")),
      wireMpint(Buffer.from(jwk.e ?? "", "base64url")),
      wireMpint(Buffer.from(jwk.n ?? "", "base64url"))
    ]);
    return { kind: "ssh-rsa", publicBlob, privateKey: key };
  }
  throw new Error(`unsupported ssh key type ${key.asymmetricKeyType ?? "unknown"}`);
}
function parseSshIdentity(text, location, mask) {
  maskText(mask, text);
  let key;
  try {
    key = text.includes("BEGIN OPENSSH PRIVATE KEY") ? parseOpenSshKey(text) : parsePemKey(text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError("KEY_SOURCE", `malformed ssh identity in ${location}`, { cause: error });
  }
  switch (key.kind) {
    case "ssh-ed25519":
      return new SshEd25519Identity(key.publicBlob, key.seed);
    case "ssh-rsa":
      return new SshRsaIdentity(key.publicBlob, key.privateKey);
    case "locked":
      return new LockedSshIdentity(key.type, key.publicBlob, location);
  }
}

export {
  ED25519_LABEL,
  RSA_LABEL,
  WireReader,
  sshFingerprint,
  x25519,
  hkdf,
  parseSshIdentity
};
