import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  decryptValue,
  formatFloatF,
  formatGoTime,
  shouldBeEncrypted
} from "./chunk-NHKNCDYL.js";
import {
  SopsFormatError,
  UserError,
  withContext
} from "./chunk-ZSIIWODD.js";

// src/sops/text-encoding.ts
var strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
var lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
function utf16Bom(bytes) {
  if (bytes[0] === 255 && bytes[1] === 254) return "utf-16le";
  if (bytes[0] === 254 && bytes[1] === 255) return "utf-16be";
  return void 0;
}
function looksLikeBomlessUtf16(bytes) {
  const n = Math.min(bytes.length - bytes.length % 2, 64);
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  return even === n / 2 && odd === 0 || odd === n / 2 && even === 0;
}
function firstInvalidUtf8(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 128) {
      i++;
      continue;
    }
    let length;
    let min;
    if (b >= 194 && b <= 223) [length, min] = [2, 128];
    else if (b >= 224 && b <= 239) [length, min] = [3, 2048];
    else if (b >= 240 && b <= 244) [length, min] = [4, 65536];
    else return i;
    if (i + length > bytes.length) return i;
    let cp = b & 255 >> length + 1;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k] ?? 0;
      if ((c & 192) !== 128) return i;
      cp = cp << 6 | c & 63;
    }
    if (cp < min || cp >= 55296 && cp <= 57343 || cp > 1114111) return i;
    i += length;
  }
  return -1;
}
function positionOf(bytes, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = lenientUtf8.decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}
function positionInText(text, index) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
function checkYamlPrintable(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    if (c > 65535) {
      i++;
      continue;
    }
    const printable = c === 9 || c === 10 || c === 13 || c >= 32 && c <= 126 || c === 133 || c >= 160 && c <= 55295 || c >= 57344 && c <= 65533;
    if (!printable) {
      const { line, column } = positionInText(text, i);
      const name = `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
      throw new SopsFormatError(`line ${line}, column ${column} holds the control character ${name}`, {
        hint: "YAML does not allow it and sops refuses the file too; remove it, or write it as an escape in a double-quoted string",
        line,
        column
      });
    }
  }
}
function decodeUtf16(bytes, encoding) {
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) {
    throw new SopsFormatError("the UTF-16 file ends in the middle of a character", {
      hint: "the file is truncated; restore it from version control"
    });
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (cause) {
    throw new SopsFormatError("the UTF-16 file has an unpaired surrogate", {
      cause,
      hint: "sops refuses it too; convert the file to UTF-8"
    });
  }
}
function refuseInvalidUtf8(bytes, hint) {
  try {
    return strictUtf8.decode(bytes);
  } catch {
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) throw new SopsFormatError("the file is not valid UTF-8", { hint });
  const { line, column } = positionOf(bytes, bad);
  throw new SopsFormatError(`line ${line}, column ${column} is not valid UTF-8`, { hint, line, column });
}
function decodeSopsText(bytes, format) {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== void 0) {
    if (format === "yaml") {
      const text = decodeUtf16(bytes, utf16);
      checkYamlPrintable(text);
      return text;
    }
    throw new SopsFormatError(
      `the file is UTF-16 (it starts with a UTF-16 byte-order mark); sops reads ${format} files as UTF-8 only`,
      { hint: "convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8" }
    );
  }
  if (looksLikeBomlessUtf16(bytes)) {
    throw new SopsFormatError(
      "the file looks like UTF-16 without a byte-order mark (every other byte is NUL)",
      {
        hint: "sops cannot read it either; convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8"
      }
    );
  }
  switch (format) {
    case "yaml": {
      const text = refuseInvalidUtf8(bytes, "sops (go-yaml) refuses such a file too; save it as UTF-8");
      checkYamlPrintable(text);
      return text;
    }
    case "dotenv":
    case "ini":
      return refuseInvalidUtf8(
        bytes,
        "sops would keep those bytes as they are, which this tool cannot do without changing them; save the file as UTF-8"
      );
    case "json":
    case "binary":
      if (bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191) {
        throw new SopsFormatError("the file starts with a UTF-8 byte-order mark, which JSON does not allow", {
          hint: "sops refuses it too; save the file as UTF-8 without a BOM",
          line: 1,
          column: 1
        });
      }
      return lenientUtf8.decode(bytes);
  }
}
function readableText(bytes) {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== void 0) return new TextDecoder(utf16, { ignoreBOM: true }).decode(bytes.subarray(2));
  return lenientUtf8.decode(bytes);
}

// src/keys/master-key.ts
function describeMasterKey(key) {
  switch (key.type) {
    case "age":
      return `age ${key.recipient}`;
    case "pgp":
      return `pgp ${key.fp}`;
    case "kms":
      return `aws kms ${key.arn}${key.role === void 0 ? "" : ` (role ${key.role})`}`;
    case "gcp_kms":
      return `gcp kms ${key.resourceId}`;
    case "azure_kv":
      return `azure key vault ${key.vaultUrl} key ${key.name}/${key.version}`;
    case "hc_vault":
      return `vault transit ${key.vaultAddress}/v1/${key.enginePath}/keys/${key.keyName}`;
    case "hckms":
      return `huaweicloud kms ${key.keyId}`;
  }
}

// src/sops/shamir.ts
import { randomBytes } from "node:crypto";
function mult(a, b) {
  let acc = 0;
  for (let i = 7; i >= 0; i--) {
    const bit = b >> i & 1;
    const aOrZero = -bit & a;
    const reduce = -(acc >> 7) & 27;
    acc = (aOrZero ^ reduce ^ acc << 1) & 255;
  }
  return acc;
}
function inverse(a) {
  let b = mult(a, a);
  let c = mult(a, b);
  b = mult(c, c);
  b = mult(b, b);
  c = mult(b, c);
  b = mult(b, b);
  b = mult(b, b);
  b = mult(b, c);
  b = mult(b, b);
  b = mult(a, b);
  return mult(b, b);
}
function interpolate(xs, ys, x) {
  let result = 0;
  for (let i = 0; i < xs.length; i++) {
    let basis = 1;
    for (let j = 0; j < xs.length; j++) {
      if (i === j) continue;
      const num = x ^ (xs[j] ?? 0);
      const denom = (xs[i] ?? 0) ^ (xs[j] ?? 0);
      basis = mult(basis, mult(num, inverse(denom)));
    }
    result ^= mult(ys[i] ?? 0, basis);
  }
  return result;
}
function combineShares(shares) {
  if (shares.length < 2) {
    throw new UserError("DECRYPT_FAILED", "shamir: at least two shares are needed to rebuild the data key");
  }
  const length = shares[0]?.length ?? 0;
  if (length < 2) throw new UserError("DECRYPT_FAILED", "shamir: shares must be at least two bytes");
  const xs = [];
  for (const share of shares) {
    if (share.length !== length) throw new UserError("DECRYPT_FAILED", "shamir: shares differ in length");
    const x = share[length - 1] ?? 0;
    if (xs.includes(x)) throw new UserError("DECRYPT_FAILED", "shamir: duplicate share");
    xs.push(x);
  }
  const secret = new Uint8Array(length - 1);
  const ys = new Array(shares.length);
  for (let index = 0; index < secret.length; index++) {
    for (const [i, share] of shares.entries()) ys[i] = share[index] ?? 0;
    secret[index] = interpolate(xs, ys, 0);
  }
  return secret;
}
function splitSecret(secret, parts, threshold, random = randomBytes) {
  if (parts < threshold) throw new RangeError("parts cannot be less than threshold");
  if (parts > 255) throw new RangeError("parts cannot exceed 255");
  if (threshold < 2) throw new RangeError("threshold must be at least 2");
  if (threshold > 255) throw new RangeError("threshold cannot exceed 255");
  if (secret.length === 0) throw new RangeError("cannot split an empty secret");
  const out = Array.from({ length: parts }, (_, i) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = i + 1;
    return share;
  });
  for (const [index, value] of secret.entries()) {
    const coefficients = [value, ...random(threshold - 1)];
    for (const [i, share] of out.entries()) {
      const x = i + 1;
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = mult(y, x) ^ (coefficients[c] ?? 0);
      share[index] = y;
    }
  }
  return out;
}

// src/sops/describe-path.ts
var INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
function visibleKey(key) {
  return key.replace(
    INVISIBLE,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}}`
  );
}
function describePath(path) {
  return path.length === 0 ? "(top level)" : path.map(visibleKey).join(".");
}
function bomHint(path) {
  return path[0]?.startsWith("\uFEFF") === true ? "the file starts with a byte-order mark (U+FEFF), which sops reads as part of the first key; save the file as UTF-8 without a BOM" : void 0;
}

// src/sops/mac.ts
import { createHash } from "node:crypto";
var MAC_ONLY_ENCRYPTED_INIT = Buffer.from(
  "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69",
  "hex"
);
function macBytes(value) {
  switch (value.kind) {
    case "str":
      return value.value;
    case "bytes":
      return value.value;
    case "int":
      return value.value.toString();
    case "float":
      return formatFloatF(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "time":
      return value.value;
    case "null":
    case "comment":
    case "map":
    case "list":
      return null;
  }
}
var MacHasher = class {
  #hash = createHash("sha512");
  constructor(macOnlyEncrypted) {
    if (macOnlyEncrypted) this.#hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }
  add(value) {
    const bytes = macBytes(value);
    if (bytes !== null) this.#hash.update(bytes);
  }
  /** Upper-case hex, as sops has always written it. */
  digest() {
    return this.#hash.digest("hex").toUpperCase();
  }
};
function verifyMac(metadata, computed, dataKey) {
  const aad = formatGoTime(metadata.lastModified, "seconds");
  let stored;
  try {
    stored = decryptValue(metadata.mac, dataKey, aad);
  } catch (cause) {
    throw new UserError(
      "MAC_MISMATCH",
      "the stored MAC cannot be decrypted (sops.mac or sops.lastmodified was altered)",
      {
        cause,
        hint: "restore the file from version control, or pass --ignore-mac if you accept an unauthenticated file"
      }
    );
  }
  const storedText = stored.kind === "str" ? stored.value : "";
  if (storedText === "") {
    throw new UserError("MAC_MISMATCH", "the file has no MAC, so its integrity cannot be verified", {
      hint: "re-encrypt the file with sops, or pass --ignore-mac if you accept an unauthenticated file"
    });
  }
  if (storedText !== computed) {
    throw new UserError("MAC_MISMATCH", "MAC mismatch: the file content does not match its MAC", {
      hint: "a value (possibly a cleartext one such as metadata.name) was edited without re-encrypting; re-encrypt with sops, or pass --ignore-mac if you accept an unauthenticated file"
    });
  }
}

// src/sops/walk.ts
function walkValue(value, path, comments, visit) {
  switch (value.kind) {
    case "map":
      return walkMap(value, path, comments, visit);
    case "list":
      return walkList(value, path, comments, visit);
    case "null":
      return value;
    default:
      return visit(value, path, comments);
  }
}
function walkMap(map, path, outer, visit) {
  let level = [];
  const items = [];
  for (const item of map.items) {
    if (!("key" in item)) {
      level.push(item.text);
      const out = visit(item, path, [...outer, level]);
      items.push(
        out.kind === "comment" ? out : { kind: "comment", text: out.kind === "str" ? out.value : item.text }
      );
      continue;
    }
    const valueIsComment = item.value.kind === "comment";
    if (item.value.kind === "comment") level.push(item.value.text);
    items.push({
      key: item.key,
      value: walkValue(item.value, [...path, item.key], [...outer, level], visit)
    });
    if (!valueIsComment) level = [];
  }
  return { kind: "map", items };
}
function walkList(list, path, outer, visit) {
  let level = [];
  const items = [];
  for (const item of list.items) {
    if (item.kind === "comment") level.push(item.text);
    items.push(walkValue(item, path, [...outer, level], visit));
    if (item.kind !== "comment") level = [];
  }
  return { kind: "list", items };
}
function mapLeaves(branches, visit) {
  return branches.map((branch) => walkMap(branch, [], [], visit));
}
function aadForPath(path) {
  return path.length === 0 ? ":" : `${path.join(":")}:`;
}

// src/sops/decrypt-tree.ts
function maskValue(value, mask) {
  let text;
  if (value.kind === "str") text = value.value;
  else if (value.kind === "comment") text = value.text;
  else if (value.kind === "bytes") text = Buffer.from(value.value).toString("utf8");
  else if (value.kind === "int" || value.kind === "float" || value.kind === "bool" || value.kind === "time") {
    text = String(value.value);
  }
  if (text !== void 0 && text.trim() !== "") mask(text);
}
function errorAt(path, error) {
  const wrapped = withContext(`value at ${describePath(path)}`, error);
  const hint = bomHint(path);
  if (hint === void 0 || !(wrapped instanceof UserError)) return wrapped;
  return new UserError(wrapped.code, wrapped.message, {
    cause: wrapped.cause,
    report: wrapped.report,
    hint,
    location: wrapped.location
  });
}
function decryptLeaf(value, path, comments, ctx) {
  const isComment = value.kind === "comment";
  const encrypted = shouldBeEncrypted(ctx.metadata.selection, path, comments, isComment);
  let out = value;
  if (encrypted) {
    const aad = aadForPath(path);
    if (value.kind === "comment") {
      try {
        out = decryptValue(value.text, ctx.dataKey, aad);
      } catch {
        out = value;
      }
    } else if (value.kind === "str") {
      try {
        out = decryptValue(value.value, ctx.dataKey, aad);
      } catch (error) {
        throw errorAt(path, error);
      }
    } else {
      throw errorAt(
        path,
        new UserError("BAD_ENC_VALUE", `should be encrypted but is a cleartext ${value.kind}`, {
          hint: "the file was edited by hand after encryption; re-encrypt it with sops"
        })
      );
    }
    maskValue(out, ctx.mask);
  }
  if (!ctx.metadata.macOnlyEncrypted || encrypted) ctx.mac.add(out);
  return out;
}
function decryptBranches(branches, metadata, dataKey, mask = () => void 0) {
  const ctx = { metadata, dataKey, mac: new MacHasher(metadata.macOnlyEncrypted), mask };
  const out = mapLeaves(branches, (leaf, path, comments) => decryptLeaf(leaf, path, comments, ctx));
  return { branches: out, mac: ctx.mac.digest() };
}

export {
  describeMasterKey,
  combineShares,
  splitSecret,
  describePath,
  MacHasher,
  verifyMac,
  mapLeaves,
  aadForPath,
  decryptBranches,
  decodeSopsText,
  readableText
};
