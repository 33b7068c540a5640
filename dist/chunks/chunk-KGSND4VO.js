import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/masking.ts
var MIN_MASK_LENGTH = 4;
function maskableParts(value, options = {}) {
  const parts = /* @__PURE__ */ new Set();
  const candidates = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    if (trimmed.length >= MIN_MASK_LENGTH) parts.add(trimmed);
  }
  return [...parts];
}
function replaceAll(text, longestFirst2) {
  let out = text;
  for (const secret of longestFirst2) out = out.split(secret).join("***");
  return out;
}
function longestFirst(values) {
  return [...values].sort((a, b) => b.length - a.length);
}
function maskText(mask, text) {
  for (const part of maskableParts(text)) mask(part);
}
var Redactor = class {
  #secrets = /* @__PURE__ */ new Set();
  #sorted;
  add(value) {
    for (const part of maskableParts(value)) this.#secrets.add(part);
    this.#sorted = void 0;
  }
  redact(text) {
    if (this.#secrets.size === 0) return text;
    this.#sorted ??= longestFirst(this.#secrets);
    return replaceAll(text, this.#sorted);
  }
};
var SecretRegistry = class {
  #values = /* @__PURE__ */ new Set();
  #mask;
  constructor(mask) {
    this.#mask = mask;
  }
  add(value, options = {}) {
    const parts = maskableParts(value, options);
    if (parts.length === 0) return;
    const written = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
    const encoded = written.filter((text) => maskableParts(text, { lines: false }).length > 0).map((text) => Buffer.from(text, "utf8").toString("base64"));
    for (const form of [...parts, ...encoded]) {
      if (this.#values.has(form)) continue;
      this.#values.add(form);
      this.#mask(form);
    }
  }
  /** Every registered value and encoding, longest first. */
  values() {
    return longestFirst(this.#values);
  }
  /** `text` with every known value replaced by `***`, for kustomize's stderr. */
  redact(text) {
    return replaceAll(text, this.values());
  }
  /** Whether a scalar of the build output holds a decrypted value (substitution skips it). */
  touches(text) {
    for (const value of this.#values) if (text.includes(value)) return true;
    return false;
  }
};

export {
  maskableParts,
  maskText,
  Redactor,
  SecretRegistry
};
