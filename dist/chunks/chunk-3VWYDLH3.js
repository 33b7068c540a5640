import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/secret-forms.ts
var GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
var hex = (code, width) => code.toString(16).padStart(width, "0");
var GO_SHORT = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"'
};
function goQuoted(value) {
  let out = "";
  for (const char of value) {
    const short = GO_SHORT[char];
    const code = char.codePointAt(0) ?? 0;
    if (short !== void 0) out += short;
    else if (GO_PRINTABLE.test(char)) out += char;
    else if (code < 32 || code === 127) out += `\\x${hex(code, 2)}`;
    else if (code < 65536) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out;
}
function jsonEscaped(value) {
  return JSON.stringify(value).slice(1, -1);
}
function goJsonEscaped(value) {
  return jsonEscaped(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${hex(char.codePointAt(0) ?? 0, 4)}`);
}
var YAML_SHORT = {
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "	": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1B": "\\e",
  '"': '\\"',
  "\\": "\\\\",
  "\x85": "\\N",
  "\xA0": "\\_",
  "\u2028": "\\L",
  "\u2029": "\\P"
};
function yamlDoubleQuoted(value) {
  let out = "";
  for (const char of value) {
    const short = YAML_SHORT[char];
    const code = char.codePointAt(0) ?? 0;
    if (short !== void 0) out += short;
    else if (code < 32 || code === 127) out += `\\x${hex(code, 2)}`;
    else out += char;
  }
  return out;
}
function yamlSingleQuoted(value) {
  return value.replaceAll("'", "''");
}
var UNESCAPED = /^[ !#-%(-;=?-[\]-~]*$/;
function escapedForms(value) {
  if (UNESCAPED.test(value)) return [];
  const forms = /* @__PURE__ */ new Set([
    goQuoted(value),
    jsonEscaped(value),
    goJsonEscaped(value),
    yamlDoubleQuoted(value),
    yamlSingleQuoted(value)
  ]);
  forms.delete(value);
  return [...forms];
}

// src/masking.ts
var MIN_MASK_LENGTH = 4;
var MASK_TOKEN = "***";
function maskableParts(value, options = {}) {
  const parts = /* @__PURE__ */ new Set();
  const candidates = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    if (trimmed.length >= MIN_MASK_LENGTH) parts.add(trimmed);
  }
  return [...parts];
}
var KEY_LENGTH = MIN_MASK_LENGTH;
function keyAt(text, at) {
  let h = 0;
  for (let k = 0; k < KEY_LENGTH; k++) h = Math.imul(h, 65599) + text.charCodeAt(at + k);
  return h | 0;
}
var Bucket = class {
  lengths = [];
  #byLength = /* @__PURE__ */ new Map();
  add(value) {
    let set = this.#byLength.get(value.length);
    if (set === void 0) {
      this.#byLength.set(value.length, set = /* @__PURE__ */ new Set());
      const at = this.lengths.findIndex((length) => length < value.length);
      this.lengths.splice(at === -1 ? this.lengths.length : at, 0, value.length);
    }
    set.add(value);
  }
  /** The length of the longest secret here that starts at `at` in `text`, 0 when none does. */
  matchAt(text, at) {
    for (const length of this.lengths) {
      if (at + length > text.length) continue;
      if (this.#byLength.get(length)?.has(text.slice(at, at + length)) === true) return length;
    }
    return 0;
  }
};
var SecretSet = class {
  #values = /* @__PURE__ */ new Set();
  /** Secrets of at least KEY_LENGTH characters by the key of their start. */
  #byKey = /* @__PURE__ */ new Map();
  /** Secrets shorter than KEY_LENGTH (none under the masking policy). */
  #short = new Bucket();
  /** Adds `value`; false when it was there already (or is empty, which matches nothing). */
  add(value) {
    if (value === "" || this.#values.has(value)) return false;
    this.#values.add(value);
    if (value.length < KEY_LENGTH) {
      this.#short.add(value);
    } else {
      const key = keyAt(value, 0);
      let bucket = this.#byKey.get(key);
      if (bucket === void 0) this.#byKey.set(key, bucket = new Bucket());
      bucket.add(value);
    }
    return true;
  }
  get size() {
    return this.#values.size;
  }
  longestFirst() {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
  /** The length of the longest secret starting at `at` in `text`, 0 when none does. */
  #matchAt(text, at) {
    if (at + KEY_LENGTH <= text.length) {
      const length = this.#byKey.get(keyAt(text, at))?.matchAt(text, at) ?? 0;
      if (length > 0) return length;
    }
    return this.#short.matchAt(text, at);
  }
  replace(text, token) {
    if (this.#values.size === 0) return text;
    let out = "";
    let copied = 0;
    for (let at = 0; at < text.length; ) {
      const length = this.#matchAt(text, at);
      if (length === 0) {
        at++;
        continue;
      }
      out += text.slice(copied, at) + token;
      at += length;
      copied = at;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
  foundIn(text) {
    if (this.#values.size === 0) return false;
    for (let at = 0; at < text.length; at++) if (this.#matchAt(text, at) > 0) return true;
    return false;
  }
};
function maskText(mask, text) {
  for (const part of maskableParts(text)) mask(part);
}
var Redactor = class {
  #secrets = new SecretSet();
  add(value) {
    for (const part of maskableParts(value)) this.#secrets.add(part);
  }
  redact(text) {
    return this.#secrets.replace(text, MASK_TOKEN);
  }
};
var SecretRegistry = class {
  #values = new SecretSet();
  #mask;
  constructor(mask) {
    this.#mask = mask;
  }
  add(value, options = {}) {
    const parts = maskableParts(value, options);
    if (parts.length === 0) return;
    const written = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
    const encoded = written.filter((text) => maskableParts(text, { lines: false }).length > 0).map((text) => Buffer.from(text, "utf8").toString("base64"));
    const escaped = parts.flatMap((part) => escapedForms(part));
    for (const form of [...parts, ...encoded, ...escaped]) {
      if (this.#values.add(form)) this.#mask(form);
    }
  }
  /** Every registered value and form, longest first. */
  values() {
    return this.#values.longestFirst();
  }
  redact(text, token = MASK_TOKEN) {
    return this.#values.replace(text, token);
  }
  /** Whether a text (a scalar of the build output, a diff line) holds a decrypted value. */
  touches(text) {
    return this.#values.foundIn(text);
  }
};

export {
  MASK_TOKEN,
  maskableParts,
  maskText,
  Redactor,
  SecretRegistry
};
