import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  decrypt,
  decryptKey,
  enums,
  readMessage,
  readPrivateKeys
} from "./chunk-NDDCWY3B.js";
import {
  maskableParts
} from "./chunk-3VWYDLH3.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/pgp.ts
import { readFile } from "node:fs/promises";

// src/keys/pgp-rsa.ts
import { constants, createPrivateKey, privateDecrypt } from "node:crypto";
var RSA_ALGORITHMS = /* @__PURE__ */ new Set([
  enums.publicKey.rsaEncryptSign,
  enums.publicKey.rsaEncrypt
]);
var SESSION_CIPHERS = /* @__PURE__ */ new Map([
  [enums.symmetric.aes128, { size: 16, name: "aes128" }],
  [enums.symmetric.aes192, { size: 24, name: "aes192" }],
  [enums.symmetric.aes256, { size: 32, name: "aes256" }]
]);
var imported = /* @__PURE__ */ new WeakMap();
function toBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}
function b64url(value) {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, "hex").toString("base64url");
}
function importRsaKey(params) {
  const d = toBigInt(params.d);
  const p = toBigInt(params.q);
  const q = toBigInt(params.p);
  const key = createPrivateKey({
    format: "jwk",
    key: {
      kty: "RSA",
      n: Buffer.from(params.n).toString("base64url"),
      e: Buffer.from(params.e).toString("base64url"),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(toBigInt(params.u))
    }
  });
  return { key, size: params.n.length };
}
function rsaKeyFor(packet) {
  const cached = imported.get(packet);
  if (cached !== void 0) return cached;
  if (!packet.isDecrypted() || !RSA_ALGORITHMS.has(packet.algorithm)) return null;
  const params = { ...packet.publicParams, ...packet.privateParams ?? {} };
  if (params.n === void 0 || params.e === void 0 || params.d === void 0) return null;
  if (params.p === void 0 || params.q === void 0 || params.u === void 0) return null;
  const made = importRsaKey(params);
  imported.set(packet, made);
  return made;
}
function decryptRsaSessionKey(message, keys) {
  for (const packet of message.packets.filterByTag(enums.packet.publicKeyEncryptedSessionKey)) {
    const pkesk = packet;
    const c = pkesk.encrypted.c;
    if (pkesk.version !== 3 || !RSA_ALGORITHMS.has(pkesk.publicKeyAlgorithm) || c === void 0) continue;
    for (const key of keys) {
      for (const sub of key.getKeys(pkesk.publicKeyID)) {
        const rsa = rsaKeyFor(sub.keyPacket);
        if (rsa === null || c.length > rsa.size) continue;
        const input = Buffer.alloc(rsa.size);
        input.set(c, rsa.size - c.length);
        let m;
        try {
          m = privateDecrypt({ key: rsa.key, padding: constants.RSA_PKCS1_PADDING }, input);
        } catch {
          continue;
        }
        const cipher = SESSION_CIPHERS.get(m[0] ?? 0);
        if (cipher === void 0 || m.length !== cipher.size + 3) continue;
        const { size } = cipher;
        const sessionKey = m.subarray(1, 1 + size);
        const sum = sessionKey.reduce((acc, b) => acc + b & 65535, 0);
        if (sum !== m.readUInt16BE(1 + size)) continue;
        return {
          data: new Uint8Array(sessionKey),
          algorithm: cipher.name
        };
      }
    }
  }
  return null;
}

// src/keys/pgp.ts
var ARMOR_HEADER = "-----BEGIN PGP";
var PRIVATE_BLOCK = /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g;
function maskArmor(mask, armor) {
  for (const part of maskableParts(armor)) mask(part);
}
async function readKeyFile(file, passphrase, mask) {
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const missing = error.code === "ENOENT";
    throw new UserError(
      missing ? "FILE_NOT_FOUND" : "KEY_SOURCE",
      `pgp key file ${file}: ${missing ? "not found" : "cannot be read"}`,
      {
        cause: error
      }
    );
  }
  return parseKeys(bytes, file, passphrase, mask);
}
async function parseKeys(bytes, file, passphrase, mask) {
  const text = bytes.toString("utf8");
  const armored = text.includes(ARMOR_HEADER);
  if (armored) maskArmor(mask, text);
  const keys = [];
  try {
    if (armored) {
      for (const block of text.match(PRIVATE_BLOCK) ?? []) {
        keys.push(...await readPrivateKeys({ armoredKeys: block }));
      }
    } else {
      keys.push(...await readPrivateKeys({ binaryKeys: new Uint8Array(bytes) }));
    }
  } catch (error) {
    throw new UserError("KEY_SOURCE", `pgp key file ${file}: no private key could be read`, { cause: error });
  }
  if (keys.length === 0) throw new UserError("KEY_SOURCE", `pgp key file ${file}: no private key found`);
  const unlocked = [];
  for (const key of keys) {
    if (key.isDecrypted()) {
      unlocked.push(key);
      continue;
    }
    if (passphrase === void 0) {
      throw new UserError("KEY_SOURCE", `pgp key ${fingerprintOf(key)} in ${file} is passphrase-protected`, {
        hint: "pass its passphrase with --pgp-passphrase"
      });
    }
    try {
      unlocked.push(await decryptKey({ privateKey: key, passphrase }));
    } catch (error) {
      throw new UserError("KEY_SOURCE", `pgp key ${fingerprintOf(key)} in ${file}: wrong passphrase`, {
        cause: error
      });
    }
  }
  return unlocked;
}
function fingerprintOf(key) {
  return key.getFingerprint().toUpperCase();
}
function isWildcard(id) {
  return /^0+$/.test(id.toHex());
}
function createPgpKeySource(keys, locations) {
  return {
    name: "pgp",
    locations,
    async decrypt(key) {
      if (key.type !== "pgp" || keys.length === 0) return null;
      let message;
      try {
        message = await readMessage({ armoredMessage: key.enc });
      } catch (error) {
        throw new UserError("DECRYPT_FAILED", "pgp: enc is not an OpenPGP message", { cause: error });
      }
      const ids = message.getEncryptionKeyIDs();
      const anonymous = ids.length > 0 && ids.every(isWildcard);
      const matching = anonymous ? [...keys] : keys.filter((k) => ids.some((id) => k.getKeys(id).length > 0));
      if (matching.length === 0) return null;
      let data;
      try {
        const sessionKey = decryptRsaSessionKey(message, matching);
        const result = await decrypt(
          sessionKey === null ? { message, decryptionKeys: matching, format: "binary" } : { message, sessionKeys: sessionKey, format: "binary" }
        );
        data = result.data;
      } catch (error) {
        if (anonymous) return null;
        throw new UserError("DECRYPT_FAILED", `pgp: ${firstLine(errorMessage(error))}`, { cause: error });
      }
      if (data.length === 0) throw new UserError("DECRYPT_FAILED", "pgp: decryption returned zero bytes");
      return data;
    }
  };
}
function firstLine(text) {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}
async function loadPgpKeySource(options) {
  if (options.passphrase !== void 0 && options.passphrase !== "") options.mask(options.passphrase);
  const keys = [];
  const locations = [];
  for (const file of options.keyFiles) {
    const found = await readKeyFile(file, options.passphrase, options.mask);
    keys.push(...found);
    locations.push(`--pgp-key-file ${file}: ${found.map(fingerprintOf).join(", ") || "no keys"}`);
  }
  for (const [i, text] of (options.keyTexts ?? []).entries()) {
    maskArmor(options.mask, text);
    const found = await parseKeys(
      Buffer.from(text, "utf8"),
      `pgp-key input #${i + 1}`,
      options.passphrase,
      options.mask
    );
    keys.push(...found);
    locations.push(`pgp-key input #${i + 1}: ${found.map(fingerprintOf).join(", ") || "no keys"}`);
  }
  return createPgpKeySource(keys, locations);
}
export {
  createPgpKeySource,
  loadPgpKeySource
};
