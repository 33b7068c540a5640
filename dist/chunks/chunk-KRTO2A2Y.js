import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  combineShares,
  decodeSopsText,
  decryptBranches,
  describeMasterKey,
  verifyMac
} from "./chunk-S5KSNVEA.js";
import {
  dataKeyObject,
  parseMetadata,
  storeFor
} from "./chunk-NHKNCDYL.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";

// src/sops/data-key.ts
var DEFAULT_DECRYPTION_ORDER = ["age", "pgp"];
var DATA_KEY_BYTES = 32;
var SHARE_BYTES = DATA_KEY_BYTES + 1;
function sortKeysForDecryption(group, order) {
  const rank = (key) => {
    const index = order.indexOf(key.type);
    return index === -1 ? order.length : index;
  };
  return [...group].sort((a, b) => rank(a) - rank(b));
}
async function tryKey(key, sources, expectedBytes) {
  const handlers = sources.filter((s) => s.name === key.type);
  if (handlers.length === 0) {
    return { attempt: { key, ok: false, reasons: [`no key source for ${key.type}`] } };
  }
  const reasons = [];
  for (const source of handlers) {
    let value;
    try {
      value = await source.decrypt(key);
    } catch (error) {
      reasons.push(firstLine(errorMessage(error)));
      continue;
    }
    if (value === null) continue;
    if (value.length !== expectedBytes) {
      reasons.push(`decrypted to ${value.length} bytes, expected ${expectedBytes}`);
      continue;
    }
    return { attempt: { key, ok: true, reasons: [] }, value };
  }
  if (reasons.length === 0) reasons.push("no identity for this recipient");
  return { attempt: { key, ok: false, reasons } };
}
function firstLine(text) {
  return (text.split("\n")[0] ?? "").slice(0, 600);
}
function formatKeyReport(input) {
  const lines = ["Failed to get the data key required to decrypt the SOPS file.", ""];
  for (const [index, group] of input.groups.entries()) {
    lines.push(`Group ${index}: ${group.ok ? "SUCCESS" : "FAILED"}`);
    if (group.keys.length === 0) lines.push("  (no keys)");
    for (const attempt of group.keys) {
      lines.push(`  ${describeMasterKey(attempt.key)}: ${attempt.ok ? "SUCCESS" : "FAILED"}`);
      for (const reason of attempt.reasons) lines.push(`    - ${reason}`);
    }
    lines.push("");
  }
  const succeeded = input.groups.filter((g) => g.ok).length;
  if (input.groups.length <= 1) {
    lines.push(
      "Recovery failed because no master key was able to decrypt the file. At least one key has to be successful, but none were."
    );
  } else {
    lines.push(
      `Recovery failed because the file was encrypted with a Shamir threshold of ${input.threshold}, but only ${succeeded} part(s) were recovered, one for each successful key group. At least ${input.threshold} groups have to be successful; a group is successful when any one of its keys decrypts.`
    );
  }
  lines.push("", "Keys were looked for in:");
  if (input.sources.length === 0) lines.push("  (no key sources were configured)");
  for (const source of input.sources) {
    lines.push(`  ${source.name}:`);
    if (source.locations.length === 0) lines.push("    - (nothing)");
    for (const location of source.locations) lines.push(`    - ${location}`);
  }
  return lines.join("\n");
}
var HINT = "give a key that matches one of the recipients above: --age-key-file, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY for age, --pgp-key-file or a gpg keyring for pgp";
async function recoverDataKey(metadata, sources, options = {}) {
  const groups = metadata.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UserError("BAD_METADATA", "no keys found in file");
  }
  const order = options.decryptionOrder ?? DEFAULT_DECRYPTION_ORDER;
  const shamir = groups.length > 1;
  const expectedBytes = shamir ? SHARE_BYTES : DATA_KEY_BYTES;
  const attempts = [];
  const parts = [];
  for (const group of groups) {
    const keys = [];
    let part;
    for (const key of sortKeysForDecryption(group, order)) {
      const { attempt, value } = await tryKey(key, sources, expectedBytes);
      keys.push(attempt);
      if (value !== void 0) {
        part = value;
        break;
      }
    }
    if (part !== void 0) parts.push(part);
    attempts.push({ ok: part !== void 0, keys });
  }
  const required = shamir ? Math.max(metadata.shamirThreshold, 2) : 1;
  const report = () => formatKeyReport({ groups: attempts, threshold: shamir ? metadata.shamirThreshold : 0, sources });
  if (parts.length < required) {
    const tried = attempts.flatMap((g) => g.keys);
    const only = tried.length === 1 ? tried[0]?.reasons[0] : void 0;
    const message = only === void 0 ? "no key could decrypt the data key" : `no key could decrypt the data key: ${only}`;
    throw new UserError("NO_MATCHING_KEY", message, {
      report: report(),
      hint: HINT
    });
  }
  if (!shamir) {
    const [dataKey2] = parts;
    if (dataKey2 !== void 0) return dataKey2;
  }
  let dataKey;
  try {
    dataKey = combineShares(parts);
  } catch (error) {
    throw new UserError(
      "DECRYPT_FAILED",
      `could not rebuild the data key from shamir shares: ${errorMessage(error)}`,
      {
        cause: error,
        report: report()
      }
    );
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new UserError(
      "DECRYPT_FAILED",
      `the rebuilt data key is ${dataKey.length} bytes, expected ${DATA_KEY_BYTES}`
    );
  }
  return dataKey;
}

// src/sops/decrypt.ts
function noMetadataHint(text, format) {
  if (format === "binary") {
    return "files with an unknown extension are read as sops binary files; pass --input-type if this one is yaml, json, dotenv or ini";
  }
  if ((format === "dotenv" || format === "ini") && text.includes("\r") && !text.includes("\n")) {
    return "the lines end in CR only (old Mac style), so the whole file reads as one line; convert the line ends to LF";
  }
  return "encrypt it with sops first, or check that --input-type matches the file";
}
async function decryptText(input, format, options) {
  const text = typeof input === "string" ? input : decodeSopsText(input, format);
  const loaded = storeFor(format).loadEncrypted(text);
  if (loaded.metadata === null) {
    throw new UserError("NO_METADATA", "the file has no sops metadata, so it is not encrypted with sops", {
      hint: noMetadataHint(text, format)
    });
  }
  const metadata = parseMetadata(loaded.metadata);
  const dataKey = await recoverDataKey(metadata, options.keySources, {
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  const key = dataKeyObject(dataKey);
  const { branches, mac } = decryptBranches(loaded.branches, metadata, key, options.mask);
  if (options.ignoreMac !== true) verifyMac(metadata, mac, key);
  return { branches, metadata };
}

export {
  decryptText
};
