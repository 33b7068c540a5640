import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/sops/undecrypted.ts
var UNDECRYPTED_TEXT = "(encrypted; not decrypted in this run)";
var UNDECRYPTED_DOCKER_JSON = `{${JSON.stringify(UNDECRYPTED_TEXT)}:{}}`;
var SENTINELS = /* @__PURE__ */ new Set([UNDECRYPTED_TEXT, UNDECRYPTED_DOCKER_JSON]);
var SENTINEL_FORMS = /* @__PURE__ */ new Set([
  ...SENTINELS,
  ...[...SENTINELS].map((s) => Buffer.from(s, "utf8").toString("base64"))
]);
function undecryptedValueFor(key) {
  return key === ".dockerconfigjson" || key === ".dockercfg" ? UNDECRYPTED_DOCKER_JSON : UNDECRYPTED_TEXT;
}
function isUndecryptedBytes(value) {
  return SENTINELS.has(Buffer.from(value).toString("utf8"));
}
function isUndecryptedString(value) {
  return SENTINEL_FORMS.has(value) || value.includes(UNDECRYPTED_TEXT);
}

export {
  UNDECRYPTED_TEXT,
  undecryptedValueFor,
  isUndecryptedBytes,
  isUndecryptedString
};
