import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  emitEncrypted,
  indentsFor,
  loadSopsConfig
} from "./chunk-2URCPURD.js";
import {
  azureRecipient,
  kmsRecipient,
  matchRuleForFile,
  parseAgeRecipients,
  vaultRecipient,
  wrapForAge
} from "./chunk-TATDJ7LO.js";
import {
  createKeySources
} from "./chunk-UO57C7GF.js";
import {
  MacHasher,
  aadForPath,
  decodeSopsText,
  decryptBranches,
  describeMasterKey,
  mapLeaves,
  splitSecret,
  verifyMac
} from "./chunk-S5KSNVEA.js";
import {
  SOPS_METADATA_KEY,
  SOPS_PREFIX,
  dataKeyObject,
  detectSopsFormat,
  encryptValue,
  extractNestedMetadata,
  formatGoTime,
  loadBinaryPlainBytes,
  parseJsonDocument,
  parseMetadata,
  shouldBeEncrypted,
  storeFor
} from "./chunk-NHKNCDYL.js";
import {
  findGitRoot,
  readFileBounded
} from "./chunk-E6UVNDUT.js";
import {
  MAX_INPUT_BYTES
} from "./chunk-LAT2WY6T.js";
import {
  formatFromPath
} from "./chunk-KWHHRL7C.js";
import {
  replaceFile,
  writePublicFile
} from "./chunk-BPZOFAO5.js";
import {
  SopsFormatError,
  UserError,
  errorMessage,
  withContext
} from "./chunk-ZSIIWODD.js";

// src/commands/encrypt-run.ts
import { readFile } from "node:fs/promises";
import path from "node:path";

// src/sops/encrypt-file.ts
import { randomBytes } from "node:crypto";

// src/sops/encrypt.ts
function encryptBranches(branches, settings, dataKey) {
  const hasher = new MacHasher(settings.macOnlyEncrypted);
  const key = dataKeyObject(dataKey);
  const out = mapLeaves(branches, (leaf, path2, comments) => {
    const encrypted = shouldBeEncrypted(settings.selection, path2, comments, leaf.kind === "comment");
    if (!settings.macOnlyEncrypted || encrypted) hasher.add(leaf);
    if (!encrypted) return leaf;
    const value = encryptValue(leaf, key, aadForPath(path2));
    return leaf.kind === "comment" ? { kind: "comment", text: value } : { kind: "str", value };
  });
  const mac = encryptValue(
    { kind: "str", value: hasher.digest() },
    key,
    formatGoTime(settings.lastModified, "seconds")
  );
  return { branches: out, mac };
}

// src/sops/verify-encrypted.ts
function leafBytes(value) {
  if (value.kind === "str") return Buffer.from(value.value, "utf8");
  if (value.kind === "bytes") return Buffer.from(value.value);
  return void 0;
}
function sameValue(a, b) {
  const bytesA = leafBytes(a);
  const bytesB = leafBytes(b);
  if (bytesA !== void 0 || bytesB !== void 0) {
    return bytesA !== void 0 && bytesB !== void 0 && bytesA.equals(bytesB);
  }
  switch (a.kind) {
    case "map":
      return b.kind === "map" && sameItems(a.items, b.items);
    case "list":
      return b.kind === "list" && a.items.length === b.items.length && a.items.every((x, i) => sameValue(x, b.items[i] ?? x));
    case "comment":
      return b.kind === "comment" && a.text === b.text;
    case "null":
      return b.kind === "null";
    case "float":
      return b.kind === "float" && Object.is(a.value, b.value);
    case "int":
    case "bool":
    case "time":
      return b.kind === a.kind && a.value === b.value;
    default:
      return false;
  }
}
function sameItems(a, b) {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    if (y === void 0) return false;
    if ("key" in x) return "key" in y && x.key === y.key && sameValue(x.value, y.value);
    return !("key" in y) && x.text === y.text;
  });
}
function withoutComments(value) {
  if (value.kind === "map") {
    return {
      ...value,
      items: value.items.filter((i) => "key" in i).map((i) => "key" in i ? { ...i, value: withoutComments(i.value) } : i)
    };
  }
  if (value.kind === "list") {
    return { ...value, items: value.items.filter((i) => i.kind !== "comment").map(withoutComments) };
  }
  return value;
}
function verifyEncrypted(written, format, dataKey, plain) {
  const text = typeof written === "string" ? written : decodeSopsText(written, format);
  const loaded = storeFor(format).loadEncrypted(text);
  if (loaded.metadata === null) {
    throw new UserError("DECRYPT_FAILED", "the encrypted output has no sops metadata when read back");
  }
  const metadata = parseMetadata(loaded.metadata);
  const key = dataKeyObject(dataKey);
  const { branches, mac } = decryptBranches(loaded.branches, metadata, key);
  verifyMac(metadata, mac, key);
  const kept = format === "yaml" ? plain : plain.slice(0, 1);
  const expected = format === "json" || format === "binary" ? kept.map(withoutComments) : kept;
  const same = branches.length === expected.length && branches.every((b, i) => sameValue(b, expected[i] ?? b));
  if (!same) {
    throw new UserError(
      "DECRYPT_FAILED",
      "the encrypted output does not decrypt back to the input, so it was not written",
      {
        hint: "please report this with the shape of the file (not its values); sops -e can encrypt it meanwhile"
      }
    );
  }
}

// src/sops/encrypt-file.ts
var SOPS_VERSION = "3.13.3";
var DATA_KEY_BYTES = 32;
var DEFAULT_SELECTION = { kind: "unencrypted_suffix", value: "_unencrypted" };
function rfc3339Seconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
function alreadyEncrypted() {
  return new UserError("ALREADY_ENCRYPTED", "the file is already encrypted: it has sops metadata", {
    hint: `sops keeps its metadata in a top-level "${SOPS_METADATA_KEY}" entry (dotenv: "${SOPS_PREFIX}" keys); decrypt the file first, or rename that entry if it is your data`
  });
}
function checkEncryptable(branches, format, text) {
  const first = branches[0];
  if (first === void 0) {
    throw new SopsFormatError("the file is empty: it must contain at least one document");
  }
  if (format === "binary") {
    if (text === void 0 || detectSopsFormat(text) !== "json") return;
    let metadata;
    try {
      metadata = extractNestedMetadata([parseJsonDocument(text)]).metadata;
    } catch {
      return;
    }
    if (metadata !== null) throw alreadyEncrypted();
    return;
  }
  const found = first.items.some(
    (item) => "key" in item && (format === "dotenv" ? item.key.startsWith(SOPS_PREFIX) : item.key === SOPS_METADATA_KEY)
  );
  if (found) throw alreadyEncrypted();
}
function loadPlainFile(input, format) {
  if (format === "binary") {
    const branches = loadBinaryPlainBytes(input);
    return { branches, text: Buffer.from(input).toString("utf8") };
  }
  const text = decodeSopsText(input, format);
  return { branches: storeFor(format).loadPlain(text), text };
}
function maskSelected(branches, selection, mask) {
  mapLeaves(branches, (leaf, path2, comments) => {
    if (shouldBeEncrypted(selection, path2, comments, leaf.kind === "comment")) {
      const text = leaf.kind === "str" ? leaf.value : leaf.kind === "comment" ? leaf.text : leaf.kind === "bytes" ? Buffer.from(leaf.value).toString("utf8") : void 0;
      if (text !== void 0 && text.trim() !== "") mask(text);
    }
    return leaf;
  });
}
function withEnc(key, enc, createdAt) {
  if (key.type === "age") return { ...key, enc };
  return { ...key, enc, createdAt };
}
async function wrapAll(plan, dataKey, wrap, createdAt) {
  const groups = plan.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UserError("USAGE", "no master keys to encrypt for", {
      hint: "add a creation rule with keys to .sops.yaml, or pass --age or --pgp"
    });
  }
  const emptyGroup = groups.findIndex((g) => g.length === 0);
  if (emptyGroup !== -1) {
    throw new UserError("USAGE", `key group ${emptyGroup + 1} has no keys`, {
      hint: "every key group of the creation rule needs at least one key"
    });
  }
  let threshold = plan.shamirThreshold;
  let parts = [dataKey];
  if (groups.length > 1) {
    if (threshold === 0) threshold = groups.length;
    if (threshold < 2 || threshold > groups.length) {
      throw new UserError(
        "USAGE",
        `shamir_threshold ${threshold} does not fit ${groups.length} key groups: it must be from 2 to ${groups.length}`
      );
    }
    parts = splitSecret(dataKey, groups.length, threshold);
  }
  const out = [];
  for (const [index, group] of groups.entries()) {
    const part = parts[index] ?? dataKey;
    const wrapped = [];
    for (const key of group) {
      let enc;
      try {
        enc = await wrap(key, part);
      } catch (error) {
        const where = groups.length > 1 ? `key group ${index + 1}, ` : "";
        throw new UserError(
          error instanceof UserError ? error.code : "KEY_SOURCE",
          `cannot encrypt the data key for ${where}${describeMasterKey({ ...key, enc: "" })}: ${errorMessage(error)}`,
          {
            cause: error,
            ...error instanceof UserError && error.hint !== void 0 ? { hint: error.hint } : {}
          }
        );
      }
      wrapped.push(withEnc(key, enc, createdAt));
    }
    out.push(wrapped);
  }
  return { groups: out, threshold };
}
async function encryptFileBytes(input, format, plan, options) {
  const outputFormat = options.outputFormat ?? format;
  const { branches, text } = loadPlainFile(input, format);
  checkEncryptable(branches, outputFormat, text);
  const inputSelection = format === "binary" ? void 0 : plan.selection ?? DEFAULT_SELECTION;
  if (options.mask !== void 0) maskSelected(branches, inputSelection ?? DEFAULT_SELECTION, options.mask);
  const now = rfc3339Seconds((options.now ?? (() => /* @__PURE__ */ new Date()))());
  const dataKey = new Uint8Array(randomBytes(DATA_KEY_BYTES));
  try {
    const { groups, threshold } = await wrapAll(plan, dataKey, options.wrap, now);
    const selection = inputSelection;
    const macOnlyEncrypted = format === "binary" ? false : plan.macOnlyEncrypted;
    const encrypted = encryptBranches(
      branches,
      { selection: selection ?? DEFAULT_SELECTION, macOnlyEncrypted, lastModified: now },
      dataKey
    );
    const out = emitEncrypted(
      outputFormat,
      encrypted.branches,
      {
        keyGroups: groups,
        shamirThreshold: groups.length > 1 ? threshold : plan.shamirThreshold,
        lastModified: now,
        mac: encrypted.mac,
        selection,
        macOnlyEncrypted,
        version: SOPS_VERSION
      },
      options.indents
    );
    verifyEncrypted(out, outputFormat, dataKey, branches);
    await options.release(out, (written) => {
      verifyEncrypted(written, outputFormat, dataKey, branches);
    });
  } finally {
    dataKey.fill(0);
  }
}

// src/commands/encrypt-run.ts
var CLOUD_TYPES = ["kms", "hc_vault", "gcp_kms", "azure_kv"];
var UNSUPPORTED_TYPES = ["hckms"];
function flagRecipients(config) {
  return [
    ...config.kms.map((arn) => kmsRecipient(arn, void 0, { ...config.encryptionContext })),
    ...config.azureKv.map((url) => azureRecipient(url, "--azure-kv")),
    ...config.gcpKms.map((id) => ({ type: "gcp_kms", resourceId: id.replaceAll(" ", "") })),
    ...config.pgp.map((fp) => ({ type: "pgp", fp: fp.replaceAll(" ", "") })),
    ...config.hcVaultTransit.map((uri) => vaultRecipient(uri, "--hc-vault-transit")),
    ...parseAgeRecipients(config.age.join(","), "--age").map((recipient) => ({
      type: "age",
      recipient
    }))
  ];
}
async function planEncryption(config, absolutePath, cwd, options = {}) {
  const sopsConfig = await loadSopsConfig(config.sopsConfig, cwd, options.configSearch);
  const rule = sopsConfig === void 0 ? void 0 : matchRuleForFile(sopsConfig, absolutePath, config.encryptionContext);
  const flags = flagRecipients(config);
  if (flags.length === 0 && rule === void 0) {
    throw new UserError(
      "USAGE",
      "no keys to encrypt for: no .sops.yaml creation rule, and no --age or --pgp",
      {
        hint: "add a .sops.yaml with creation_rules (sops looks from the current folder up), pass --config, or pass --age/--pgp"
      }
    );
  }
  return {
    sopsConfig,
    plan: {
      keyGroups: flags.length > 0 ? [flags] : rule?.keyGroups ?? [],
      shamirThreshold: config.shamirThreshold ?? rule?.shamirThreshold ?? 0,
      selection: config.selection ?? rule?.selection ?? options.defaultSelection,
      macOnlyEncrypted: config.macOnlyEncrypted || rule?.macOnlyEncrypted === true
    },
    with: { rule, sopsConfig: sopsConfig?.file, flagKeys: flags }
  };
}
function checkSupported(plan) {
  for (const group of plan.keyGroups) {
    for (const key of group) {
      if (UNSUPPORTED_TYPES.includes(key.type)) {
        throw new UserError("UNSUPPORTED", `encrypt cannot wrap a data key for ${key.type} keys yet`, {
          hint: "encrypt this file with sops, or use age, pgp, kms, gcp_kms, azure_keyvault or hc_vault keys in its creation rule"
        });
      }
    }
  }
}
async function createWrap(config, plan, deps) {
  const types = new Set(plan.keyGroups.flatMap((g) => g.map((k) => k.type)));
  let pgp;
  if (types.has("pgp")) {
    const { createPgpWrapper } = await import("./pgp-encrypt-KLXZDWEL.js");
    pgp = createPgpWrapper({ keyFiles: config.keys.pgpKeyFiles, exec: deps.exec, env: config.keys.env });
  }
  let sources = [];
  if (CLOUD_TYPES.some((t) => types.has(t))) {
    sources = await createKeySources(config.keys, { host: deps.host, exec: deps.exec });
  }
  const pin = (key) => sources.find((s) => s.name === key.type)?.pin?.(key) ?? Promise.resolve(key);
  const keyGroups = await Promise.all(plan.keyGroups.map((group) => Promise.all(group.map(pin))));
  const wrap = async (key, plaintext) => {
    if (key.type === "age") return wrapForAge(key.recipient, plaintext);
    if (key.type === "pgp" && pgp !== void 0) return pgp(key.fp, plaintext);
    const source = sources.find((s) => s.name === key.type && s.encrypt !== void 0);
    if (source?.encrypt === void 0) {
      throw new UserError("UNSUPPORTED", `encrypt cannot wrap a data key for ${key.type} keys yet`);
    }
    return source.encrypt(key, plaintext);
  };
  return { wrap, plan: { ...plan, keyGroups } };
}
async function readPlainInput(file) {
  const root = await findGitRoot(file);
  try {
    return await readFileBounded(file, {
      maxBytes: MAX_INPUT_BYTES,
      name: "the file",
      ...root === void 0 ? {} : { root }
    });
  } catch (error) {
    if (error instanceof UserError && error.cause?.code === "ENOENT") {
      throw new UserError("FILE_NOT_FOUND", "no such file", { cause: error.cause });
    }
    throw error;
  }
}
async function runEncrypt(config, deps, cwd = process.cwd(), options = {}) {
  const stdin = config.file === "-";
  try {
    const file = path.resolve(cwd, config.file);
    const name = config.filenameOverride ?? config.file;
    const input = stdin ? await deps.readStdin(MAX_INPUT_BYTES) : await readPlainInput(file);
    const inputFormat = config.inputType ?? formatFromPath(name);
    const outputFormat = config.outputType ?? inputFormat;
    const planned = await planEncryption(config, path.resolve(cwd, name), cwd, options);
    const { plan, sopsConfig, with: encryptedWith } = planned;
    checkSupported(plan);
    const { wrap, plan: pinned } = await createWrap(config, plan, deps);
    const indents = indentsFor(config.indent, sopsConfig);
    await encryptFileBytes(input, inputFormat, pinned, {
      wrap,
      outputFormat,
      mask: (value) => deps.host.setSecret(value),
      ...indents === void 0 ? {} : { indents },
      release: async (text, verify) => {
        if (config.inPlace) {
          await replaceFile(file, text, {
            verify: async (temp) => {
              verify(await readFile(temp));
            }
          });
        } else if (config.output !== void 0) {
          await writePublicFile(path.resolve(cwd, config.output), text, {
            verify: async (temp) => {
              verify(await readFile(temp));
            }
          });
        } else {
          deps.host.writeStdout(Buffer.from(text, "utf8"));
        }
      }
    });
    return encryptedWith;
  } catch (error) {
    throw withContext(`encrypting ${stdin ? "stdin" : config.file}`, error, stdin ? void 0 : config.file);
  }
}

export {
  planEncryption,
  runEncrypt
};
