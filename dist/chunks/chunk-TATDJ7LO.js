import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  SELECTION_KINDS,
  compileGoRegexp,
  decodeBech32
} from "./chunk-NHKNCDYL.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/keys/age-encrypt.ts
function recipientKind(recipient) {
  if (recipient.startsWith("age1pq1")) return "hybrid";
  if (/^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+={0,2}( |$)/.test(recipient)) return "ssh";
  if (/^age1[a-z0-9]+1/.test(recipient)) return "plugin";
  if (recipient.startsWith("age1")) return decodeBech32(recipient)?.data.length === 32 ? "x25519" : "invalid";
  return "invalid";
}
function parseAgeRecipients(text, where) {
  const recipients = text.split(",").map((r) => r.trim()).filter((r) => r !== "");
  for (const recipient of recipients) checkAgeRecipient(recipient, where);
  return recipients;
}
function checkAgeRecipient(recipient, where) {
  switch (recipientKind(recipient)) {
    case "x25519":
    case "hybrid":
    case "ssh":
      return;
    case "plugin":
      throw new UserError("UNSUPPORTED", `${where}: age plugin recipients are not supported`, {
        hint: "use an age1\u2026 X25519 recipient, or encrypt this file with sops"
      });
    case "invalid":
      throw new UserError("USAGE", `${where}: ${JSON.stringify(recipient)} is not an age recipient`, {
        hint: "an age recipient looks like age1\u2026 (the public key age-keygen prints) or ssh-ed25519 AAAA\u2026"
      });
  }
}
async function wrapForAge(recipient, plaintext) {
  checkAgeRecipient(recipient, "age");
  const { Encrypter, armor } = await import("./age-library-JAOD53MU.js");
  const encrypter = new Encrypter();
  if (recipientKind(recipient) === "ssh") {
    const { parseSshRecipient } = await import("./age-ssh-recipient-ZVQSVVH3.js");
    const ssh = parseSshRecipient(recipient);
    if (ssh === null) {
      throw new UserError(
        "USAGE",
        `age: ${JSON.stringify(recipient.slice(0, 40))}\u2026 is not an ssh public key`
      );
    }
    encrypter.addRecipient(ssh);
  } else {
    encrypter.addRecipient(recipient);
  }
  return armor.encode(await encrypter.encrypt(plaintext));
}

// src/sops/creation-rule.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import path from "node:path";
var MAX_DEPTH = 100;
var SOPS_CONFIG_NAME = ".sops.yaml";
function findSopsConfig(startDir) {
  let dir = path.resolve(startDir);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const candidate = path.join(dir, SOPS_CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return void 0;
    dir = parent;
  }
  return void 0;
}
function bad(file, what) {
  return new UserError("BAD_FORMAT", `${file}: ${what}`, { location: { file } });
}
function indentOf(stores, name, file) {
  const store = isRecord(stores) ? stores[name] : void 0;
  const indent = isRecord(store) ? store["indent"] : void 0;
  if (indent === void 0 || indent === null) return void 0;
  if (typeof indent !== "number" || !Number.isInteger(indent))
    throw bad(file, `stores.${name}.indent should be a whole number`);
  return indent;
}
function parseSopsConfigFile(text, file) {
  const doc = (0, import_yaml.parseDocument)(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw bad(file, "not valid YAML");
  const raw = doc.toJS();
  const rules = isRecord(raw) ? raw["creation_rules"] : void 0;
  if (rules !== void 0 && rules !== null && !Array.isArray(rules))
    throw bad(file, "creation_rules should be a list");
  const stores = isRecord(raw) ? raw["stores"] : void 0;
  const yaml = indentOf(stores, "yaml", file);
  const json = indentOf(stores, "json", file);
  const jsonBinary = indentOf(stores, "json_binary", file);
  return {
    file,
    rules: Array.isArray(rules) ? rules.map((r) => isRecord(r) ? r : {}) : void 0,
    indents: {
      ...yaml === void 0 ? {} : { yaml },
      ...json === void 0 ? {} : { json },
      ...jsonBinary === void 0 ? {} : { jsonBinary }
    }
  };
}
function creationRulePath(configFile, absolutePath) {
  const dir = path.dirname(path.resolve(configFile)) + path.sep;
  return absolutePath.startsWith(dir) ? absolutePath.slice(dir.length) : absolutePath;
}
function keyList(value, field, where) {
  if (value === void 0 || value === null) return [];
  if (typeof value === "string") {
    return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (typeof item !== "string")
        throw new UserError("BAD_FORMAT", `${where}: ${field} should list strings`);
      return item;
    });
  }
  throw new UserError("BAD_FORMAT", `${where}: ${field} should be a string or a list of strings`);
}
function kmsRecipient(text, profile, context) {
  const arn = text.replaceAll(" ", "");
  const roleIndex = arn.indexOf("+arn:");
  return {
    type: "kms",
    arn: roleIndex > 0 ? arn.slice(0, roleIndex) : arn,
    ...roleIndex > 0 ? { role: arn.slice(roleIndex + 1) } : {},
    context,
    ...profile === void 0 || profile === "" ? {} : { awsProfile: profile }
  };
}
function vaultRecipient(uri, where) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    throw new UserError("BAD_FORMAT", `${where}: ${JSON.stringify(uri)} is not a Vault transit key URL`, {
      hint: "write it like https://vault.example.com:8200/v1/transit/keys/keyName"
    });
  }
  const fullPath = url.pathname;
  if (/\/[^/]+\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(fullPath) || !/\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(fullPath)) {
    throw new UserError("BAD_FORMAT", `${where}: ${JSON.stringify(uri)} is not a Vault transit key URL`, {
      hint: "write it like https://vault.example.com:8200/v1/transit/keys/keyName"
    });
  }
  const dirs = fullPath.replace(/^\/+|\/+$/g, "").split("/");
  return {
    type: "hc_vault",
    vaultAddress: `${url.protocol}//${url.host}`,
    enginePath: dirs.slice(1, -2).join("/"),
    keyName: dirs[dirs.length - 1] ?? ""
  };
}
function azureRecipient(url, where) {
  const match = /^(https:\/\/[^/]+)\/keys\/([^/]+)(\/[^/]*)?$/.exec(url.trim());
  if (match === null)
    throw new UserError("BAD_FORMAT", `${where}: ${JSON.stringify(url)} is not an Azure Key Vault key URL`);
  return {
    type: "azure_kv",
    vaultUrl: match[1] ?? "",
    name: match[2] ?? "",
    version: (match[3] ?? "").slice(1)
  };
}
function pgpRecipients(list) {
  return list.map((fp) => ({ type: "pgp", fp: fp.replaceAll(" ", "") }));
}
function groupRecipients(group, where, depth = 0) {
  if (!isRecord(group)) throw new UserError("BAD_FORMAT", `${where} should be a map`);
  if (depth > 20) throw new UserError("BAD_FORMAT", `${where}: merge nests too deeply`);
  const mergeList = group["merge"];
  const out = [];
  if (Array.isArray(mergeList)) {
    mergeList.forEach((sub, i) => out.push(...groupRecipients(sub, `${where}.merge[${i}]`, depth + 1)));
  }
  out.push(
    ...parseAgeRecipients(keyList(group["age"], "age", where).join(","), `${where}.age`).map(
      (recipient) => ({ type: "age", recipient })
    )
  );
  out.push(...pgpRecipients(keyList(group["pgp"], "pgp", where)));
  const kms = group["kms"];
  if (Array.isArray(kms)) {
    for (const entry of kms) {
      if (!isRecord(entry) || typeof entry["arn"] !== "string")
        throw new UserError("BAD_FORMAT", `${where}.kms: each entry needs an arn`);
      const context = {};
      if (isRecord(entry["context"]))
        for (const [k, v] of Object.entries(entry["context"])) context[k] = String(v);
      const role = typeof entry["role"] === "string" && entry["role"] !== "" ? entry["role"] : void 0;
      const profile = typeof entry["aws_profile"] === "string" ? entry["aws_profile"] : void 0;
      out.push({
        type: "kms",
        arn: entry["arn"],
        context,
        ...role === void 0 ? {} : { role },
        ...profile === void 0 || profile === "" ? {} : { awsProfile: profile }
      });
    }
  }
  const gcp = group["gcp_kms"];
  if (Array.isArray(gcp)) {
    for (const entry of gcp) {
      if (!isRecord(entry) || typeof entry["resource_id"] !== "string")
        throw new UserError("BAD_FORMAT", `${where}.gcp_kms: each entry needs a resource_id`);
      out.push({ type: "gcp_kms", resourceId: entry["resource_id"] });
    }
  }
  const hckms = group["hckms"];
  if (Array.isArray(hckms)) {
    for (const entry of hckms) {
      if (!isRecord(entry) || typeof entry["key_id"] !== "string")
        throw new UserError("BAD_FORMAT", `${where}.hckms: each entry needs a key_id`);
      out.push({ type: "hckms", keyId: entry["key_id"] });
    }
  }
  const azure = group["azure_keyvault"];
  if (Array.isArray(azure)) {
    for (const entry of azure) {
      if (!isRecord(entry))
        throw new UserError("BAD_FORMAT", `${where}.azure_keyvault: each entry should be a map`);
      const text = (field) => typeof entry[field] === "string" ? entry[field] : "";
      out.push({ type: "azure_kv", vaultUrl: text("vaultUrl"), name: text("key"), version: text("version") });
    }
  }
  for (const uri of keyList(group["hc_vault"], "hc_vault", where))
    out.push(vaultRecipient(uri, `${where}.hc_vault`));
  return dedupe(out);
}
function dedupe(group) {
  const seen = /* @__PURE__ */ new Set();
  return group.filter((key) => {
    const id = JSON.stringify(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
function flatRecipients(rule, where, kmsContext) {
  const profile = typeof rule["aws_profile"] === "string" ? rule["aws_profile"] : void 0;
  return [
    ...parseAgeRecipients(keyList(rule["age"], "age", where).join(","), `${where} age`).map(
      (recipient) => ({ type: "age", recipient })
    ),
    ...pgpRecipients(keyList(rule["pgp"], "pgp", where)),
    ...keyList(rule["kms"], "kms", where).map((arn) => kmsRecipient(arn, profile, { ...kmsContext })),
    ...keyList(rule["gcp_kms"], "gcp_kms", where).map((id) => ({
      type: "gcp_kms",
      resourceId: id.replaceAll(" ", "")
    })),
    ...keyList(rule["hckms"], "hckms", where).map((id) => ({ type: "hckms", keyId: id })),
    ...keyList(rule["azure_keyvault"], "azure_keyvault", where).map(
      (url) => azureRecipient(url, `${where} azure_keyvault`)
    ),
    ...keyList(rule["hc_vault_transit_uri"], "hc_vault_transit_uri", where).map(
      (uri) => vaultRecipient(uri, `${where} hc_vault_transit_uri`)
    )
  ];
}
function planOf(rule, number, file, kmsContext) {
  const where = `${file}: creation rule ${number}`;
  const selected = SELECTION_KINDS.flatMap((kind) => {
    const value = rule[kind];
    return typeof value === "string" && value !== "" ? [{ kind, value }] : [];
  });
  if (selected.length > 1) {
    throw new UserError(
      "BAD_FORMAT",
      `${where} sets more than one of ${selected.map((s) => s.kind).join(", ")}`
    );
  }
  const selection = selected[0];
  if (selection?.kind.endsWith("_regex") === true)
    compileGoRegexp(selection.value, `${where} ${selection.kind}`);
  const threshold = rule["shamir_threshold"] ?? 0;
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 0) {
    throw new UserError("BAD_FORMAT", `${where}: shamir_threshold should be a whole number`);
  }
  const groups = rule["key_groups"];
  const keyGroups = Array.isArray(groups) && groups.length > 0 ? groups.map((g, i) => groupRecipients(g, `${where} key_groups[${i}]`)) : [dedupe(flatRecipients(rule, where, kmsContext))];
  return {
    number,
    keyGroups,
    shamirThreshold: threshold,
    selection,
    macOnlyEncrypted: rule["mac_only_encrypted"] === true
  };
}
function matchRuleForFile(config, absolutePath, kmsContext = {}) {
  if (config.rules === void 0) return void 0;
  const candidate = creationRulePath(config.file, absolutePath);
  for (const [i, rule] of config.rules.entries()) {
    const regex = rule["path_regex"];
    const pattern = typeof regex === "string" ? regex : "";
    if (pattern === "" || compileGoRegexp(pattern, `${config.file}: creation rule ${i + 1} path_regex`).test(candidate)) {
      return planOf(rule, i + 1, config.file, kmsContext);
    }
  }
  throw new UserError("USAGE", `${config.file}: no creation rule matches ${candidate}`, {
    hint: "add a rule whose path_regex matches this file (or a last rule without path_regex), or pass --age or --pgp",
    location: { file: config.file }
  });
}

export {
  parseAgeRecipients,
  wrapForAge,
  findSopsConfig,
  parseSopsConfigFile,
  creationRulePath,
  kmsRecipient,
  vaultRecipient,
  azureRecipient,
  matchRuleForFile
};
