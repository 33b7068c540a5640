import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  formatVaultUrl,
  parseVaultUrl
} from "./chunk-2ZU72MXY.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";

// src/keys/cloud-allowlists.ts
var GCP_ALLOWED_KEYS_SETTING = "gcp-allowed-keys";
var AZURE_ALLOWED_VAULTS_SETTING = "azure-allowed-vaults";
var KEY_RE = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+$/;
function patternToRegExp(pattern) {
  const body = pattern.split(/(\*\*|\*)/).map(
    (part) => part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  ).join("");
  return new RegExp(`^${body}$`);
}
function parseGcpAllowedKeys(values) {
  const keys = values.map((v) => v.trim()).filter((v) => v !== "");
  for (const key of keys) {
    if (!key.startsWith("projects/")) {
      throw new UserError(
        "USAGE",
        `${GCP_ALLOWED_KEYS_SETTING} entry "${key}" is not a key resource pattern; expected projects/P/locations/L/keyRings/R/cryptoKeys/K (* matches one segment, ** any)`
      );
    }
  }
  return keys;
}
function checkGcpKey(allowed, resourceId) {
  if (!KEY_RE.test(resourceId)) {
    return { ok: false, reason: `gcp kms resource id ${JSON.stringify(resourceId)} is not a cryptoKey name` };
  }
  if (allowed.length === 0 || allowed.some((p) => patternToRegExp(p).test(resourceId))) return { ok: true };
  return {
    ok: false,
    reason: `gcp kms key ${resourceId} is not in the allowed keys; add it to ${GCP_ALLOWED_KEYS_SETTING}`
  };
}
var formatVault = formatVaultUrl;
function parseAzureAllowedVaults(values) {
  const vaults = [];
  for (const raw of values.map((v) => v.trim()).filter((v) => v !== "")) {
    const url = parseVaultUrl(raw);
    if (url === null) {
      throw new UserError(
        "USAGE",
        `${AZURE_ALLOWED_VAULTS_SETTING} entry "${raw}" is not a vault URL like https://name.vault.azure.net`
      );
    }
    vaults.push(formatVault(url));
  }
  return vaults;
}
function checkAzureVault(allowed, vaultUrl) {
  const url = parseVaultUrl(vaultUrl);
  if (url === null)
    return { ok: false, reason: `azure vault url ${JSON.stringify(vaultUrl)} is not a plain http(s) URL` };
  const shown = formatVault(url);
  if (allowed.includes(shown)) return { ok: true, url };
  return {
    ok: false,
    reason: `azure vault ${shown} is not in the allowed list; add it to ${AZURE_ALLOWED_VAULTS_SETTING} (allowed now: ${allowed.length === 0 ? "none" : allowed.join(", ")})`
  };
}

export {
  AZURE_ALLOWED_VAULTS_SETTING,
  parseGcpAllowedKeys,
  checkGcpKey,
  formatVault,
  parseAzureAllowedVaults,
  checkAzureVault
};
