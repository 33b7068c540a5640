import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  isComment,
  parseFormat
} from "./chunk-KWHHRL7C.js";
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

// src/sops/extract.ts
function parseExtractPath(text) {
  const out = [];
  const part = /\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+))\]/y;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (match === null) {
      throw new UserError(
        "USAGE",
        `--extract ${JSON.stringify(text)} is not a path like ["data"]["password"]`,
        {
          hint: 'quote map keys ["key"] and leave list indices bare [0]'
        }
      );
    }
    if (match[1] !== void 0) out.push(match[1].replace(/\\(.)/g, "$1"));
    else if (match[2] !== void 0) out.push(match[2]);
    else out.push(Number(match[3]));
    at = part.lastIndex;
  }
  if (out.length === 0) throw new UserError("USAGE", "--extract is empty");
  return out;
}
function extractValue(branch, path) {
  let current = branch;
  for (const component of path) {
    if (typeof component === "string") {
      if (current.kind !== "map")
        throw new UserError("USAGE", `--extract: ["${component}"] is not a map key here`);
      const found = current.items.find(
        (item) => !isComment(item) && item.key === component
      )?.value;
      if (found === void 0)
        throw new UserError("USAGE", `--extract: component ["${component}"] not found`);
      current = found;
    } else {
      if (current.kind !== "list")
        throw new UserError("USAGE", `--extract: [${component}] is an index, but this is not a list`);
      const items = current.items.filter((item) => item.kind !== "comment");
      const found = items[component];
      if (found === void 0) throw new UserError("USAGE", `--extract: [${component}] is out of bounds`);
      current = found;
    }
  }
  return current;
}

// src/config/inputs.ts
function lines(value) {
  return value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
}
function optional(value) {
  const trimmed = value.trim();
  return trimmed === "" ? void 0 : trimmed;
}
function parseBoolean(read, name) {
  const value = read(name).trim();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new UserError("USAGE", `${name} is "${value}"; expected true or false`);
}
function parseIndent(read) {
  const text = read("indent").trim();
  if (text === "") return void 0;
  if (!/^-?\d+$/.test(text) || Number(text) < -1 || Number(text) > 64) {
    throw new UserError("USAGE", `indent is "${text}"; expected a whole number from -1 to 64`, {
      hint: "spaces per level of YAML or JSON output; -1 (JSON only) indents with tabs"
    });
  }
  return Number(text);
}

// src/config/decryption-secret.ts
var import_yaml = __toESM(require_dist(), 1);
var BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
function entries(map, encoded, where) {
  if (map === void 0 || map === null) return [];
  if (!isRecord(map))
    throw new UserError("USAGE", `decryption-secret: ${where} is not a map of key names to values`);
  return Object.entries(map).map(([name, value]) => {
    if (typeof value !== "string")
      throw new UserError("USAGE", `decryption-secret: ${where}.${name} is not a string`);
    if (!encoded) return [name, value];
    if (!BASE64.test(value))
      throw new UserError(
        "USAGE",
        `decryption-secret: ${where}.${name} is not base64, as Secret data must be`
      );
    return [name, Buffer.from(value, "base64").toString("utf8")];
  });
}
function parseEntry(name, value, mask) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(value.replace(/^\uFEFF/, ""));
  } catch {
    throw new UserError("USAGE", `decryption-secret: ${name} is not YAML or JSON`);
  }
  if (!isRecord(doc)) throw new UserError("USAGE", `decryption-secret: ${name} is not a map of fields`);
  for (const field of Object.values(doc)) if (typeof field === "string") mask(field);
  return doc;
}
function stringField(doc, name) {
  const value = doc[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : void 0;
}
function parseAwsEntry(value, mask) {
  const doc = parseEntry("sops.aws-kms", value, mask);
  const accessKeyId = stringField(doc, "aws_access_key_id");
  const secretAccessKey = stringField(doc, "aws_secret_access_key");
  const sessionToken = stringField(doc, "aws_session_token");
  if (accessKeyId === void 0 || secretAccessKey === void 0) {
    throw new UserError(
      "USAGE",
      "decryption-secret: sops.aws-kms needs aws_access_key_id and aws_secret_access_key",
      {
        hint: "write it as an AWS credentials file: aws_access_key_id: AKIA..., aws_secret_access_key: ..."
      }
    );
  }
  return { accessKeyId, secretAccessKey, ...sessionToken === void 0 ? {} : { sessionToken } };
}
function parseAzureEntry(value, mask) {
  const doc = parseEntry("sops.azure-kv", value, mask);
  const tenantId = stringField(doc, "tenantId");
  const clientId = stringField(doc, "clientId");
  const clientSecret = stringField(doc, "clientSecret");
  const certificate = stringField(doc, "clientCertificate");
  const certificatePassword = stringField(doc, "clientCertificatePassword");
  const authorityHost = stringField(doc, "authorityHost");
  const authority = authorityHost === void 0 ? {} : { authorityHost };
  if (tenantId !== void 0 && clientId !== void 0) {
    if (clientSecret !== void 0)
      return { kind: "client-secret", tenantId, clientId, clientSecret, ...authority };
    if (certificate !== void 0) {
      return {
        kind: "client-certificate",
        tenantId,
        clientId,
        certificate,
        ...certificatePassword === void 0 ? {} : { certificatePassword },
        sendChain: doc["clientCertificateSendChain"] === true || doc["clientCertificateSendChain"] === "true",
        ...authority
      };
    }
  }
  const appId = stringField(doc, "appId");
  const tenant = stringField(doc, "tenant");
  const password = stringField(doc, "password");
  if (appId !== void 0 && tenant !== void 0 && password !== void 0) {
    return { kind: "client-secret", tenantId: tenant, clientId: appId, clientSecret: password, ...authority };
  }
  if (clientId !== void 0) return { kind: "managed-identity", clientId };
  throw new UserError(
    "USAGE",
    "decryption-secret: sops.azure-kv needs a 'clientId' field, 'tenantId', 'clientId' and 'clientSecret', 'tenantId', 'clientId' and 'clientCertificate', or the 'appId', 'password' and 'tenant' of `az ad sp create-for-rbac`"
  );
}
var GCP_TYPES = ["service_account", "authorized_user", "external_account"];
function parseGcpEntry(value, mask) {
  let doc;
  try {
    doc = JSON.parse(value);
  } catch {
    throw new UserError("USAGE", "decryption-secret: sops.gcp-kms is not a Google credentials JSON");
  }
  if (!isRecord(doc))
    throw new UserError("USAGE", "decryption-secret: sops.gcp-kms is not a Google credentials JSON");
  for (const field of ["private_key", "private_key_id", "client_secret", "refresh_token"]) {
    const part = doc[field];
    if (typeof part === "string" && part !== "") mask(part);
  }
  const type = doc["type"];
  if (typeof type !== "string" || !GCP_TYPES.includes(type)) {
    throw new UserError(
      "USAGE",
      `decryption-secret: sops.gcp-kms has type ${JSON.stringify(typeof type === "string" ? type : "")}; expected ${GCP_TYPES.join(", ")}`
    );
  }
  return { json: value };
}
function parseDecryptionSecret(text, mask) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(text);
  } catch {
    throw new UserError(
      "USAGE",
      "decryption-secret is not YAML or JSON: expected a Secret manifest or its data map"
    );
  }
  if (!isRecord(doc))
    throw new UserError("USAGE", "decryption-secret: expected a Secret manifest or its data map");
  const raw = [];
  const collect = (map) => {
    if (isRecord(map)) for (const [k, v] of Object.entries(map)) raw.push([k, v]);
  };
  const isManifest = doc["kind"] === "Secret" || "data" in doc || "stringData" in doc;
  if (isManifest) {
    collect(doc["data"]);
    collect(doc["stringData"]);
  } else collect(doc);
  for (const [, value] of raw) if (typeof value === "string") mask(value);
  const values = isManifest ? [...entries(doc["data"], true, "data"), ...entries(doc["stringData"], false, "stringData")] : entries(doc, true, "the data map");
  for (const [, value] of values) mask(value);
  const ageKeys = [];
  const pgpKeys = [];
  let vaultToken;
  const cloud = {};
  for (const [name, value] of values) {
    if (name.endsWith(".agekey")) ageKeys.push(value);
    else if (name.endsWith(".asc")) pgpKeys.push(value);
    else if (name === "sops.vault-token") vaultToken = value.trim();
    else if (name === "sops.aws-kms") cloud.aws = parseAwsEntry(value, mask);
    else if (name === "sops.azure-kv") cloud.azure = parseAzureEntry(value, mask);
    else if (name === "sops.gcp-kms") cloud.gcp = parseGcpEntry(value, mask);
  }
  const hasCloud = Object.keys(cloud).length > 0;
  if (ageKeys.length === 0 && pgpKeys.length === 0 && vaultToken === void 0 && !hasCloud) {
    throw new UserError(
      "USAGE",
      "decryption-secret has no *.agekey, *.asc, sops.vault-token, sops.aws-kms, sops.azure-kv or sops.gcp-kms entry",
      { hint: "pass the Flux decryption Secret manifest, or its data map" }
    );
  }
  return { ageKeys, pgpKeys, vaultToken, cloud };
}
function describeDecryptionSecret(keys) {
  const cloud = [
    keys.cloud.aws === void 0 ? "" : ", AWS keys",
    keys.cloud.azure === void 0 ? "" : `, Azure ${keys.cloud.azure.kind}`,
    keys.cloud.gcp === void 0 ? "" : ", GCP credentials"
  ].join("");
  return `decryption-secret: ${keys.ageKeys.length} age, ${keys.pgpKeys.length} OpenPGP${keys.vaultToken === void 0 ? "" : ", a Vault token"}${cloud}`;
}

// src/config/keys.ts
var REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
var ROLE_ARN_RE = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
function parseSessionDuration(value) {
  const text = value.trim();
  if (text === "") return void 0;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 900 || seconds > 43200) {
    throw new UserError(
      "USAGE",
      `aws-session-duration is "${text}"; expected whole seconds from 900 to 43200`
    );
  }
  return seconds;
}
var keyFlags = {
  "age-key-file": { type: "string", multiple: true },
  "pgp-key-file": { type: "string", multiple: true },
  "decryption-order": { type: "string" },
  "vault-allowed-addresses": { type: "string", multiple: true },
  "aws-allowed-accounts": { type: "string", multiple: true },
  "aws-allowed-keys": { type: "string", multiple: true },
  "aws-allowed-roles": { type: "string", multiple: true },
  "aws-role-arn": { type: "string" },
  "aws-region": { type: "string" },
  "aws-session-duration": { type: "string" },
  "gcp-workload-identity-provider": { type: "string" },
  "gcp-service-account": { type: "string" },
  "gcp-allowed-keys": { type: "string", multiple: true },
  "azure-client-id": { type: "string" },
  "azure-tenant-id": { type: "string" },
  "azure-allowed-vaults": { type: "string", multiple: true },
  "vault-role": { type: "string" },
  "vault-auth-path": { type: "string" },
  "vault-audience": { type: "string" },
  "vault-namespace": { type: "string" }
};
function joinedKeys(input, fromSecret) {
  const texts = [input, ...fromSecret].filter((k) => k.trim() !== "");
  return texts.length === 0 ? [] : [texts.join("\n")];
}
function readDecryptionSecret(read, shell) {
  const text = read("decryption-secret");
  if (text.trim() === "") return void 0;
  const keys = parseDecryptionSecret(text, (value) => shell.mask?.(value));
  shell.info?.(describeDecryptionSecret(keys));
  return keys;
}
function parseKeys(read, env, shell = { stdoutIsLog: false }) {
  const secret = readDecryptionSecret(read, shell);
  const order = optional(read("decryption-order") || (env["SOPS_DECRYPTION_ORDER"] ?? ""));
  const awsRoleArn = optional(read("aws-role-arn"));
  if (awsRoleArn !== void 0 && !ROLE_ARN_RE.test(awsRoleArn)) {
    throw new UserError(
      "USAGE",
      `aws-role-arn is "${awsRoleArn}"; expected arn:aws:iam::<account>:role/<name>`
    );
  }
  const awsRegion = optional(read("aws-region"));
  if (awsRegion !== void 0 && !REGION_RE.test(awsRegion)) {
    throw new UserError("USAGE", `aws-region is "${awsRegion}"; expected a region such as us-east-1`);
  }
  const vaultAuthPath = optional(read("vault-auth-path")) ?? "jwt";
  return {
    ageKeyFiles: lines(read("age-key-file")),
    ageKeys: joinedKeys(read("age-key"), secret?.ageKeys ?? []),
    pgpKeyFiles: lines(read("pgp-key-file")),
    pgpKeys: joinedKeys(read("pgp-key"), secret?.pgpKeys ?? []),
    pgpPassphrase: read("pgp-passphrase") === "" ? void 0 : read("pgp-passphrase"),
    decryptionOrder: order === void 0 ? void 0 : order.split(",").map((s) => s.trim()),
    vaultAllowedAddresses: lines(read("vault-allowed-addresses")),
    awsAllowedAccounts: lines(read("aws-allowed-accounts")),
    awsAllowedKeys: lines(read("aws-allowed-keys")),
    awsAllowedRoles: lines(read("aws-allowed-roles")),
    awsRoleArn,
    awsRegion,
    awsSessionDuration: parseSessionDuration(read("aws-session-duration")),
    gcpWorkloadIdentityProvider: optional(read("gcp-workload-identity-provider")),
    gcpServiceAccount: optional(read("gcp-service-account")),
    gcpAllowedKeys: lines(read("gcp-allowed-keys")),
    azureClientId: optional(read("azure-client-id")),
    azureTenantId: optional(read("azure-tenant-id")),
    azureAllowedVaults: lines(read("azure-allowed-vaults")),
    vaultRole: optional(read("vault-role")),
    // Mount paths have no leading or trailing slash in Vault's API paths.
    vaultAuthPath: vaultAuthPath.replace(/^\/+|\/+$/g, ""),
    vaultAudience: optional(read("vault-audience")),
    vaultNamespace: optional(read("vault-namespace")),
    // The input wins over the Secret's `sops.vault-token`.
    vaultToken: optional(read("vault-token")) ?? secret?.vaultToken,
    staticCredentials: secret?.cloud ?? {},
    env
  };
}

// src/config/decrypt.ts
var decryptFlags = {
  ...keyFlags,
  "input-type": { type: "string" },
  "output-type": { type: "string" },
  output: { type: "string" },
  "in-place": { type: "boolean" },
  extract: { type: "string" },
  "ignore-mac": { type: "boolean" },
  indent: { type: "string" },
  config: { type: "string" }
};
function parseDecryptConfig(read, env, shell) {
  const file = read("file").trim();
  if (file === "") throw new UserError("USAGE", "decrypt needs a FILE (or - for stdin)");
  const inputType = optional(read("input-type"));
  const outputType = optional(read("output-type"));
  const extract = optional(read("extract"));
  if (file === "-" && inputType === void 0) {
    throw new UserError("USAGE", "reading stdin needs --input-type", {
      hint: "pass --input-type yaml, json, dotenv, ini or binary"
    });
  }
  const output = optional(read("output"));
  const inPlace = parseBoolean(read, "in-place");
  if (inPlace && output !== void 0) {
    throw new UserError("USAGE", "in-place and output cannot be used together", {
      hint: "in-place writes the plaintext over the file itself; drop one of them"
    });
  }
  if (inPlace && file === "-") {
    throw new UserError("USAGE", "in-place needs a file, not stdin", {
      hint: "give the path of the file to decrypt in place"
    });
  }
  if (output === void 0 && !inPlace && shell.stdoutIsLog) {
    throw new UserError(
      "USAGE",
      "decrypt needs the output input in the Action, so plaintext never reaches the job log",
      {
        hint: "set output: to a file path, e.g. ${{ runner.temp }}/secret.yaml, or in-place: true"
      }
    );
  }
  return {
    command: "decrypt",
    file,
    inputType: inputType === void 0 ? void 0 : parseFormat(inputType, "--input-type"),
    outputType: outputType === void 0 ? void 0 : parseFormat(outputType, "--output-type"),
    output,
    inPlace,
    extract: extract === void 0 ? void 0 : parseExtractPath(extract),
    ignoreMac: parseBoolean(read, "ignore-mac"),
    keys: parseKeys(read, env, shell),
    indent: parseIndent(read),
    sopsConfig: optional(read("config")) ?? optional(env["SOPS_CONFIG"] ?? "")
  };
}

// src/commands/decrypt.ts
var MAX_INPUT_BYTES = 64 * 1024 * 1024;
var decryptCommand = {
  name: "decrypt",
  summary: "decrypt a sops file, byte-identical to sops -d",
  usage: `decrypt FILE [--input-type T] [--output-type T] [--output FILE | --in-place] [--extract '["a"]["b"]'] [--ignore-mac]
        [--indent N] [--config .sops.yaml] [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--vault-allowed-addresses URL]... [--aws-allowed-accounts ID]... [--aws-allowed-keys ARN]...
        [--aws-allowed-roles ARN]...`,
  flags: decryptFlags,
  positionals: [{ name: "file" }],
  parse: parseDecryptConfig,
  paths: (config) => config.file === "-" ? [] : [config.file],
  async run(config, deps) {
    const { runDecrypt } = await import("./decrypt-run-K6J5TJUZ.js");
    await runDecrypt(config, deps);
    return 0;
  }
};

export {
  lines,
  optional,
  parseBoolean,
  parseIndent,
  keyFlags,
  parseKeys,
  extractValue,
  MAX_INPUT_BYTES,
  decryptCommand
};
