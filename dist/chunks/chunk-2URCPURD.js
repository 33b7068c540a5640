import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  findSopsConfig,
  parseSopsConfigFile
} from "./chunk-TATDJ7LO.js";
import {
  SOPS_METADATA_KEY,
  SOPS_PREFIX,
  dotenvStore,
  emitJsonBranch,
  emitYamlBranches,
  flattenMetadata,
  iniStore
} from "./chunk-NHKNCDYL.js";
import {
  SopsFormatError,
  UserError
} from "./chunk-ZSIIWODD.js";

// src/sops/emit-encrypted.ts
var str = (value) => ({ kind: "str", value });
function sortedMap(entries) {
  const items = entries.filter((e) => e[1] !== void 0).map(([key, value]) => ({ key, value }));
  items.sort((a, b) => ("key" in a ? a.key : "") < ("key" in b ? b.key : "") ? -1 : 1);
  return { kind: "map", items };
}
function stanza(key) {
  const created = str("createdAt" in key ? key.createdAt ?? "" : "");
  switch (key.type) {
    case "age":
      return sortedMap([
        ["enc", str(key.enc)],
        ["recipient", str(key.recipient)]
      ]);
    case "pgp":
      return sortedMap([
        ["created_at", created],
        ["enc", str(key.enc)],
        ["fp", str(key.fp)]
      ]);
    case "kms": {
      const context = Object.entries(key.context);
      return sortedMap([
        ["arn", str(key.arn)],
        ["role", key.role === void 0 || key.role === "" ? void 0 : str(key.role)],
        ["context", context.length === 0 ? void 0 : sortedMap(context.map(([k, v]) => [k, str(v)]))],
        ["created_at", created],
        ["enc", str(key.enc)],
        // Not omitempty in sops: always written, empty when no profile was named.
        ["aws_profile", str(key.awsProfile ?? "")]
      ]);
    }
    case "gcp_kms":
      return sortedMap([
        ["resource_id", str(key.resourceId)],
        ["created_at", created],
        ["enc", str(key.enc)]
      ]);
    case "azure_kv":
      return sortedMap([
        ["vault_url", str(key.vaultUrl)],
        ["name", str(key.name)],
        ["version", str(key.version)],
        ["created_at", created],
        ["enc", str(key.enc)]
      ]);
    case "hc_vault":
      return sortedMap([
        ["vault_address", str(key.vaultAddress)],
        ["engine_path", str(key.enginePath)],
        ["key_name", str(key.keyName)],
        ["created_at", created],
        ["enc", str(key.enc)]
      ]);
    case "hckms":
      return sortedMap([
        ["key_id", str(key.keyId)],
        ["created_at", created],
        ["enc", str(key.enc)]
      ]);
  }
}
var STANZA_TYPES = ["age", "azure_kv", "gcp_kms", "hc_vault", "hckms", "kms", "pgp"];
function groupEntries(group, always) {
  return STANZA_TYPES.map((type) => {
    const keys = group.filter((k) => k.type === type);
    if (keys.length === 0 && !always.includes(type)) return [type, void 0];
    return [type, { kind: "list", items: keys.map(stanza) }];
  });
}
function metadataTree(metadata) {
  const groups = metadata.keyGroups;
  const selection = metadata.selection;
  return sortedMap([
    ...groups.length === 1 ? groupEntries(groups[0] ?? [], []) : [
      [
        "key_groups",
        {
          kind: "list",
          // In a group sops always writes `age` and `hc_vault` (no omitempty on those fields).
          items: groups.map((g) => sortedMap(groupEntries(g, ["age", "hc_vault"])))
        }
      ]
    ],
    ["lastmodified", str(metadata.lastModified)],
    ["mac", str(metadata.mac)],
    ...selection === void 0 ? [] : [[selection.kind, str(selection.value)]],
    ["mac_only_encrypted", metadata.macOnlyEncrypted ? { kind: "bool", value: true } : void 0],
    [
      "shamir_threshold",
      metadata.shamirThreshold === 0 ? void 0 : { kind: "int", value: BigInt(metadata.shamirThreshold) }
    ],
    ["version", str(metadata.version)]
  ]);
}
function checkReserved(branches, format) {
  for (const branch of branches) {
    for (const item of branch.items) {
      if (!("key" in item)) continue;
      const reserved = format === "dotenv" ? item.key.startsWith(SOPS_PREFIX) : item.key === SOPS_METADATA_KEY;
      if (reserved) {
        throw new SopsFormatError(
          format === "dotenv" ? `the key ${JSON.stringify(item.key)} starts with the prefix "${SOPS_PREFIX}", which sops reserves for its metadata` : `the key "${SOPS_METADATA_KEY}" is reserved for sops metadata`,
          { hint: "rename that key" }
        );
      }
    }
  }
}
function yamlIndent(indent) {
  if (indent !== void 0 && indent < 0)
    throw new SopsFormatError("YAML negative indentation is not accepted");
  return indent === void 0 || indent === 0 ? 4 : indent;
}
function emitEncrypted(format, branches, metadata, indents = {}) {
  checkReserved(branches, format);
  const tree = metadataTree(metadata);
  const withNested = (branch) => ({
    kind: "map",
    items: [...branch.items, { key: SOPS_METADATA_KEY, value: tree }]
  });
  const first = branches[0];
  if (first === void 0) throw new SopsFormatError("there is no document to encrypt");
  switch (format) {
    case "yaml":
      return emitYamlBranches(branches.map(withNested), yamlIndent(indents.yaml));
    case "json":
      return emitJsonBranch(withNested(first), indents.json ?? -1);
    case "binary":
      return emitJsonBranch(withNested(first), indents.jsonBinary ?? -1);
    case "dotenv":
      return dotenvStore.emitPlain([
        { kind: "map", items: [...first.items, ...flattenMetadata(tree, SOPS_PREFIX)] }
      ]);
    case "ini": {
      const flat = flattenMetadata(tree, "").map((item) => {
        if (!("key" in item) || item.value.kind !== "str") return item;
        return { key: item.key, value: str(item.value.value.replaceAll("\n", "\\n")) };
      });
      const section = { key: SOPS_METADATA_KEY, value: { kind: "map", items: flat } };
      return iniStore.emitPlain(branches.map((b) => ({ kind: "map", items: [...b.items, section] })));
    }
  }
}

// src/commands/sops-config-file.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
function locateSopsConfig(given, cwd, search) {
  if (given !== void 0) return path.resolve(cwd, given);
  if (search === void 0) return findSopsConfig(cwd);
  const found = findSopsConfig(search.from);
  return found === void 0 || path.relative(search.root, found).startsWith("..") ? void 0 : found;
}
async function loadSopsConfig(given, cwd, search) {
  const file = locateSopsConfig(given, cwd, search);
  if (file === void 0) return void 0;
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `cannot read the sops config ${file}`, { cause });
  }
  return parseSopsConfigFile(text, file);
}
function indentsFor(indent, sopsConfig) {
  if (indent === void 0) return sopsConfig?.indents;
  return { yaml: indent, json: indent, jsonBinary: indent };
}

export {
  yamlIndent,
  emitEncrypted,
  loadSopsConfig,
  indentsFor
};
