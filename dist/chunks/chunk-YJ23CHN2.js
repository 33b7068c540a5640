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
function escapedForms(value) {
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
var SecretSet = class {
  #values = /* @__PURE__ */ new Set();
  #pattern;
  /** Adds `value`; false when it was there already. */
  add(value) {
    if (this.#values.has(value)) return false;
    this.#values.add(value);
    this.#pattern = void 0;
    return true;
  }
  get size() {
    return this.#values.size;
  }
  longestFirst() {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
  #compiled() {
    this.#pattern ??= new RegExp(
      this.longestFirst().map((value) => value.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"),
      "g"
    );
    return this.#pattern;
  }
  replace(text, token) {
    if (this.#values.size === 0) return text;
    return text.replace(this.#compiled(), () => token);
  }
  foundIn(text) {
    if (this.#values.size === 0) return false;
    const pattern = this.#compiled();
    pattern.lastIndex = 0;
    return pattern.test(text);
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
