import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UNDECRYPTED_TEXT,
  isUndecryptedBytes,
  isUndecryptedString
} from "./chunk-6NT2VJT7.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";

// src/kube/mask.ts
var MASK = "***";
var MASK_BEFORE = "*** (before)";
var MASK_AFTER = "*** (after)";
var MASK_UNDECRYPTED = UNDECRYPTED_TEXT;
var LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
function secretValues(secret) {
  const values = /* @__PURE__ */ new Map();
  const data = secret["data"];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      values.set(key, typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0));
    }
  }
  const stringData = secret["stringData"];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      values.set(key, Buffer.from(typeof value === "string" ? value : "", "utf8"));
    }
  }
  return values;
}
function replaceValues(secret, token) {
  for (const field of ["data", "stringData"]) {
    const map = secret[field];
    if (!isRecord(map)) continue;
    for (const key of Object.keys(map)) map[key] = token(key);
  }
  const metadata = secret["metadata"];
  if (isRecord(metadata) && isRecord(metadata["annotations"]) && LAST_APPLIED in metadata["annotations"]) {
    metadata["annotations"][LAST_APPLIED] = MASK;
  }
}
function isSecret(object) {
  return object !== void 0 && object["kind"] === "Secret" && (object["apiVersion"] === "v1" || object["apiVersion"] === void 0);
}
function maskSecretPair(before, after) {
  if (!isSecret(before) && !isSecret(after)) return { before, after };
  const oldCopy = before === void 0 ? void 0 : structuredClone(before);
  const newCopy = after === void 0 ? void 0 : structuredClone(after);
  const oldValues = oldCopy === void 0 ? /* @__PURE__ */ new Map() : secretValues(oldCopy);
  const newValues = newCopy === void 0 ? /* @__PURE__ */ new Map() : secretValues(newCopy);
  const token = (key, side) => {
    const oldValue = oldValues.get(key);
    const newValue = newValues.get(key);
    const mine = side === "before" ? oldValue : newValue;
    if (mine !== void 0 && isUndecryptedBytes(mine)) return MASK_UNDECRYPTED;
    if (oldValue === void 0 || newValue === void 0 || oldValue.equals(newValue)) return MASK;
    if (isUndecryptedBytes(oldValue) || isUndecryptedBytes(newValue)) return MASK;
    return side === "before" ? MASK_BEFORE : MASK_AFTER;
  };
  if (oldCopy !== void 0) replaceValues(oldCopy, (key) => token(key, "before"));
  if (newCopy !== void 0) replaceValues(newCopy, (key) => token(key, "after"));
  return { before: oldCopy, after: newCopy };
}
function hasUndecryptedValues(object) {
  const visit = (value) => {
    if (typeof value === "string") return isUndecryptedString(value);
    if (Array.isArray(value)) return value.some(visit);
    if (isRecord(value)) return Object.values(value).some(visit);
    return false;
  };
  return object !== void 0 && visit(object);
}
function storedForm(object) {
  if (!isSecret(object) || !isRecord(object["stringData"])) return object;
  const data = isRecord(object["data"]) ? { ...object["data"] } : {};
  for (const [key, value] of Object.entries(object["stringData"])) {
    data[key] = Buffer.from(typeof value === "string" ? value : "", "utf8").toString("base64");
  }
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => key !== "stringData"));
  return { ...rest, data };
}
function equalExceptUndecrypted(a, b) {
  if (a === b) return true;
  if (typeof a === "string" && isUndecryptedString(a)) return b !== void 0;
  if (typeof b === "string" && isUndecryptedString(b)) return a !== void 0;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => equalExceptUndecrypted(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && equalExceptUndecrypted(a[key], b[key]));
  }
  return false;
}
function sameExceptUndecrypted(a, b) {
  return equalExceptUndecrypted(storedForm(a), storedForm(b));
}

export {
  maskSecretPair,
  hasUndecryptedValues,
  sameExceptUndecrypted
};
