import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  gitAuthFor,
  pullRequestFromEnv
} from "./chunk-4IZBWTPB.js";
import {
  LINT_FORMATS
} from "./chunk-2P46L3DV.js";
import {
  DEFAULT_CONCURRENCY
} from "./chunk-RQJPFRTZ.js";
import {
  parseFluxSource
} from "./chunk-XUYS57RK.js";
import {
  DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
  DEFAULT_MAX_FILE_SIZE,
  parseKustomizeVersion,
  parseRemotePolicy,
  parseVariables
} from "./chunk-XT4FYU66.js";
import {
  decryptCommand,
  keyFlags,
  lines,
  optional,
  parseBoolean,
  parseIndent,
  parseKeys
} from "./chunk-LAT2WY6T.js";
import {
  parseFormat
} from "./chunk-KWHHRL7C.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  privateRootParent,
  sweepStalePrivateRoots
} from "./chunk-BPZOFAO5.js";
import {
  SecretRegistry
} from "./chunk-3VWYDLH3.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/commands/open-kube-client.ts
async function openKubeClient(inputs) {
  const { createKubeClient } = await import("./client-A5FHPV2A.js");
  return createKubeClient({
    kubeconfig: inputs.kubeconfig,
    kubeconfigContent: inputs.kubeconfigContent,
    context: inputs.context,
    env: inputs.env,
    maxSockets: inputs.concurrency * 2
  });
}

// src/config/action.ts
function parseActionSettings(read, env) {
  const tag = lines(read("comment-tag")).join(", ");
  return {
    comment: optional(read("comment")) === void 0 ? void 0 : parseBoolean(read, "comment"),
    commentTag: tag === "" ? void 0 : tag,
    githubToken: optional(read("github-token")),
    failOnChanges: parseBoolean(read, "fail-on-changes"),
    requireDecryption: parseBoolean(read, "require-decryption"),
    pullRequest: pullRequestFromEnv(env),
    apiUrl: optional(env["GITHUB_API_URL"] ?? ""),
    tempDir: env["RUNNER_TEMP"]
  };
}

// src/config/kube.ts
var import_yaml = __toESM(require_dist(), 1);
var kubeFlags = {
  manifests: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  "field-manager": { type: "string" },
  concurrency: { type: "string" },
  force: { type: "boolean" },
  prune: { type: "boolean" },
  applyset: { type: "string" },
  "applyset-namespace": { type: "string" }
};
var CREDENTIAL_FIELDS = /* @__PURE__ */ new Set([
  "token",
  "password",
  "client-key-data",
  "client-certificate-data",
  "id-token",
  "refresh-token",
  "client-secret",
  "access-token"
]);
function isKubeconfigContent(value) {
  const text = value.trim();
  if (text === "") return false;
  return text.includes("\n") || text.startsWith("{") || /^apiVersion:/.test(text);
}
function kubeconfigCredentials(text) {
  const found = [];
  const walk = (node) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === "string" && CREDENTIAL_FIELDS.has(key)) found.push(value);
        else walk(value);
      }
    }
  };
  try {
    walk((0, import_yaml.parse)(text));
  } catch {
  }
  return found;
}
var NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function parseCount(read, name, fallback, max) {
  const raw = optional(read(name));
  if (raw === void 0) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UserError("USAGE", `${name} is "${raw}"; expected a whole number from 1 to ${max}`);
  }
  return value;
}
function parseDuration(read, name, fallbackMs) {
  const raw = optional(read(name));
  if (raw === void 0) return fallbackMs;
  if (/^\d+$/.test(raw)) return Number(raw) * 1e3;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw);
  if (match === null || raw === "")
    throw new UserError("USAGE", `${name} is "${raw}"; expected a duration like 90s, 5m or 1h`);
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1e3;
}
function parseKubeInputs(read, env, command) {
  const manifests = optional(read("manifests"));
  const paths = lines(read("path"));
  if (manifests === void 0 && paths.length === 0) {
    throw new UserError("USAGE", `${command} needs a PATH to build, or --manifests FILE (rendered YAML)`);
  }
  if (manifests !== void 0 && paths.length > 0) {
    throw new UserError("USAGE", `${command} takes a PATH or --manifests, not both`);
  }
  const fieldManager = optional(read("field-manager")) ?? "kustomize-sops-deploy";
  if (fieldManager.length > 128) throw new UserError("USAGE", "field-manager is longer than 128 characters");
  const applysetName = optional(read("applyset"));
  const applysetNamespace = optional(read("applyset-namespace")) ?? "default";
  for (const [name, value] of [
    ["applyset", applysetName],
    ["applyset-namespace", applysetNamespace]
  ]) {
    if (value !== void 0 && !NAME.test(value))
      throw new UserError("USAGE", `${name} is "${value}"; expected a lowercase DNS name`);
  }
  const prune = parseBoolean(read, "prune");
  if (prune && applysetName === void 0) {
    throw new UserError("USAGE", "prune needs applyset: the name of the ApplySet parent Secret", {
      hint: "pass --applyset NAME [--applyset-namespace NS]"
    });
  }
  const kubeconfig = optional(read("kubeconfig"));
  const content = kubeconfig !== void 0 && isKubeconfigContent(kubeconfig);
  return {
    manifests,
    kubeconfig: content ? void 0 : kubeconfig,
    // The raw input, not trimmed: the client parses it as the user wrote it.
    kubeconfigContent: content ? read("kubeconfig") : void 0,
    context: optional(read("context")),
    fieldManager,
    concurrency: parseCount(read, "concurrency", DEFAULT_CONCURRENCY, 64),
    force: parseBoolean(read, "force"),
    prune,
    applySet: applysetName === void 0 ? void 0 : { name: applysetName, namespace: applysetNamespace },
    env
  };
}

// src/config/build.ts
import path from "node:path";
var buildFlags = {
  ...keyFlags,
  output: { type: "string" },
  "kustomize-path": { type: "string" },
  kustomize: { type: "string" },
  "kustomize-version": { type: "string" },
  "enable-helm": { type: "boolean" },
  "load-restrictor": { type: "string" },
  "max-file-size": { type: "string" },
  substitute: { type: "string", multiple: true },
  "substitute-from": { type: "string", multiple: true },
  "substitute-strict": { type: "boolean" },
  root: { type: "string" },
  flux: { type: "boolean" },
  "flux-source": { type: "string", multiple: true },
  "flux-kustomization": { type: "string", multiple: true },
  "helm-path": { type: "string" },
  "kube-version": { type: "string" },
  "api-versions": { type: "string", multiple: true },
  "allow-remote": { type: "string" }
};
var LOAD_RESTRICTORS = ["LoadRestrictionsRootOnly", "LoadRestrictionsNone"];
function parseBuildConfig(read, env, shell) {
  const paths = lines(read("path"));
  if (paths.length === 0)
    throw new UserError("USAGE", "build needs a PATH: the directory with kustomization.yaml");
  const maxText = optional(read("max-file-size"));
  const maxFileSize = maxText === void 0 ? DEFAULT_MAX_FILE_SIZE : Number(maxText);
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new UserError("USAGE", `max-file-size is "${maxText ?? ""}"; expected a positive number of bytes`);
  }
  const loadRestrictor = optional(read("load-restrictor"));
  if (loadRestrictor !== void 0 && !LOAD_RESTRICTORS.includes(loadRestrictor)) {
    throw new UserError(
      "USAGE",
      `load-restrictor is "${loadRestrictor}"; expected ${LOAD_RESTRICTORS.join(" or ")}`
    );
  }
  return {
    command: "build",
    paths,
    output: optional(read("output")),
    ...parseKustomizeChoice(read, env, shell),
    enableHelm: parseBoolean(read, "enable-helm"),
    loadRestrictor,
    maxFileSize,
    substitute: parseVariables(lines(read("substitute")), "substitute"),
    substituteFrom: lines(read("substitute-from")),
    substituteStrict: parseBoolean(read, "substitute-strict"),
    root: optional(read("root")),
    remotePolicy: parseRemotePolicy(read("allow-remote")),
    keys: parseKeys(read, env, shell),
    env,
    stdoutIsLog: shell.stdoutIsLog,
    ...parseFluxInputs(read),
    helmPath: optional(read("helm-path")),
    kubeVersion: parseKubeVersion(optional(read("kube-version"))),
    apiVersions: parseApiVersions(lines(read("api-versions")))
  };
}
function parseKustomizeChoice(read, env, shell) {
  const kustomizePath = optional(read("kustomize-path")) ?? optional(read("kustomize"));
  const version = optional(read("kustomize-version"));
  if (version === void 0) return { kustomizePath, kustomizeRelease: void 0 };
  if (kustomizePath !== void 0) {
    throw new UserError("USAGE", "kustomize-path and kustomize-version cannot both be set", {
      hint: "kustomize-version installs that release; kustomize-path uses a binary you installed"
    });
  }
  const action = shell.action === true;
  const override = action ? void 0 : optional(env["KSD_KUSTOMIZE_DOWNLOAD_URL"] ?? "");
  if (override !== void 0 && (!/^https?:\/\//.test(override) || !URL.canParse(override))) {
    throw new UserError("USAGE", `KSD_KUSTOMIZE_DOWNLOAD_URL is "${override}"; expected an http(s) URL`);
  }
  const toolCache = action ? optional(env["RUNNER_TOOL_CACHE"] ?? "") : void 0;
  return {
    kustomizePath: void 0,
    kustomizeRelease: {
      version: parseKustomizeVersion(version),
      downloadUrl: override ?? DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
      toolCache: toolCache !== void 0 && path.isAbsolute(toolCache) ? toolCache : void 0
    }
  };
}
function parseApiVersions(values) {
  for (const value of values) {
    if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:\/[a-z0-9]+)?(?:\/[A-Za-z0-9]+)?$/.test(value)) {
      throw new UserError(
        "USAGE",
        `api-versions has "${value}"; expected group/version or group/version/Kind, e.g. monitoring.coreos.com/v1`
      );
    }
  }
  return [...values];
}
function parseKubeVersion(value) {
  if (value === void 0) return void 0;
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(value)) {
    throw new UserError(
      "USAGE",
      `kube-version is "${value}"; expected a Kubernetes version such as 1.31 or v1.31.2`
    );
  }
  return value;
}
function parseFluxInputs(read) {
  const flux = parseBoolean(read, "flux");
  const sources = /* @__PURE__ */ new Map();
  for (const entry of lines(read("flux-source"))) {
    const parsed = parseFluxSource(entry);
    if (parsed === void 0) {
      throw new UserError("USAGE", `flux-source is "${entry}"; expected KIND/NAMESPACE/NAME=DIR`, {
        hint: "e.g. --flux-source GitRepository/apps/dev-team=../dev-team"
      });
    }
    sources.set(parsed.key, path.resolve(parsed.dir));
  }
  const kustomizations = lines(read("flux-kustomization"));
  if (!flux && (sources.size > 0 || kustomizations.length > 0)) {
    throw new UserError("USAGE", "flux-source and flux-kustomization apply only with flux", {
      hint: "add --flux (the flux: true input)"
    });
  }
  return { flux, fluxSources: sources, fluxKustomizations: kustomizations };
}

// src/commands/build.ts
var buildCommand = {
  name: "build",
  summary: "decrypt in a private root with every MAC verified, then kustomize build",
  usage: `build PATH... [--output FILE] [--kustomize PATH | --kustomize-version V] [--enable-helm] [--load-restrictor R]
        [--substitute K=V]... [--substitute-from FILE]... [--substitute-strict] [--max-file-size BYTES]
        [--allow-remote none|public|HOST,...] [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--flux [--flux-source KIND/NAMESPACE/NAME=DIR]... [--flux-kustomization NAME]...
          [--helm-path PATH] [--kube-version V]]`,
  flags: buildFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseBuildConfig,
  paths: (config) => config.paths,
  privateRoots: (config) => privateRootParent(config.env),
  async run(config, deps) {
    const { runBuild } = await import("./build-run-UQCALGWF.js");
    await deps.host.group("build", () => runBuild(config, deps));
    return 0;
  }
};

// src/config/apply.ts
var applyFlags = {
  ...buildFlags,
  ...kubeFlags,
  wait: { type: "boolean" },
  timeout: { type: "string" }
};
function parseApplyConfig(read, env, shell = { stdoutIsLog: false }) {
  const kube = parseKubeInputs(read, env, "apply");
  return {
    command: "apply",
    kube,
    wait: parseBoolean(read, "wait"),
    timeoutMs: parseDuration(read, "timeout", 5 * 6e4),
    build: kube.manifests === void 0 ? parseBuildConfig(read, env, { ...shell, stdoutIsLog: false }) : void 0
  };
}

// src/commands/apply.ts
var applyCommand = {
  name: "apply",
  summary: "server-side apply the manifests in stages, prune the ApplySet, and wait for health",
  usage: `apply PATH... | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--wait] [--timeout 5m]
        [--flux [--flux-source KIND/NAMESPACE/NAME=DIR]... [--flux-kustomization NAME]...
          [--helm-path PATH] [--kube-version V]]`,
  flags: applyFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseApplyConfig,
  paths: (config) => config.build?.paths ?? [],
  privateRoots: (config) => config.build === void 0 ? void 0 : privateRootParent(config.build.env),
  async run(config, deps) {
    const { runApply } = await import("./apply-run-4TP3RMRT.js");
    return runApply(config, deps);
  }
};

// src/config/encrypt.ts
var SELECTION_FLAGS = [
  ["encrypted-regex", "encrypted_regex"],
  ["unencrypted-regex", "unencrypted_regex"],
  ["encrypted-suffix", "encrypted_suffix"],
  ["unencrypted-suffix", "unencrypted_suffix"],
  ["encrypted-comment-regex", "encrypted_comment_regex"],
  ["unencrypted-comment-regex", "unencrypted_comment_regex"]
];
var encryptFlags = {
  ...keyFlags,
  "input-type": { type: "string" },
  "output-type": { type: "string" },
  output: { type: "string" },
  "in-place": { type: "boolean", short: "i" },
  "filename-override": { type: "string" },
  indent: { type: "string" },
  config: { type: "string" },
  age: { type: "string", multiple: true },
  pgp: { type: "string", multiple: true },
  "hc-vault-transit": { type: "string", multiple: true },
  kms: { type: "string", multiple: true },
  "gcp-kms": { type: "string", multiple: true },
  "azure-kv": { type: "string", multiple: true },
  "encryption-context": { type: "string" },
  "shamir-secret-sharing-threshold": { type: "string" },
  "encrypted-regex": { type: "string" },
  "unencrypted-regex": { type: "string" },
  "encrypted-suffix": { type: "string" },
  "unencrypted-suffix": { type: "string" },
  "encrypted-comment-regex": { type: "string" },
  "unencrypted-comment-regex": { type: "string" },
  "mac-only-encrypted": { type: "boolean" }
};
function keyValues(read, name) {
  return lines(read(name)).flatMap(
    (line) => line.split(",").map((s) => s.trim()).filter((s) => s !== "")
  );
}
function parseEncryptionContext(text) {
  const context = {};
  if (text === "") return context;
  for (const pair of text.split(",")) {
    const parts = pair.split(":");
    if (parts.length !== 2) {
      throw new UserError("USAGE", `encryption-context "${text}" is not key:value pairs separated by commas`);
    }
    context[parts[0] ?? ""] = parts[1] ?? "";
  }
  return context;
}
function parseThreshold(text) {
  if (text === "") return void 0;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 255) {
    throw new UserError(
      "USAGE",
      `shamir-secret-sharing-threshold is "${text}"; expected a whole number from 1 to 255`
    );
  }
  return Number(text);
}
function parseEncryptConfig(read, env, shell) {
  const file = read("file").trim();
  if (file === "") throw new UserError("USAGE", "encrypt needs a FILE (or - for stdin)");
  const output = optional(read("output"));
  const inPlace = parseBoolean(read, "in-place");
  if (inPlace && output !== void 0) {
    throw new UserError("USAGE", "in-place and output cannot be used together", {
      hint: "in-place replaces FILE; output writes somewhere else"
    });
  }
  const filenameOverride = optional(read("filename-override"));
  if (file === "-" && inPlace) {
    throw new UserError("USAGE", "in-place needs a file, not stdin", {
      hint: "give the path of the file to encrypt in place, or use output"
    });
  }
  if (file === "-" && filenameOverride === void 0) {
    throw new UserError("USAGE", "reading stdin needs --filename-override", {
      hint: "the name the .sops.yaml creation rules are matched against and the format is guessed from, as in sops"
    });
  }
  const selected = SELECTION_FLAGS.flatMap(([flag, kind]) => {
    const value = read(flag);
    return value === "" ? [] : [{ kind, value }];
  });
  if (selected.length > 1) {
    throw new UserError("USAGE", `cannot use more than one of ${selected.map((s) => s.kind).join(", ")}`, {
      hint: "sops stores one selection option per file"
    });
  }
  const inputType = optional(read("input-type"));
  const outputType = optional(read("output-type"));
  return {
    command: "encrypt",
    file,
    filenameOverride,
    indent: parseIndent(read),
    inputType: inputType === void 0 ? void 0 : parseFormat(inputType, "--input-type"),
    outputType: outputType === void 0 ? void 0 : parseFormat(outputType, "--output-type"),
    output,
    inPlace,
    sopsConfig: optional(read("config")) ?? optional(env["SOPS_CONFIG"] ?? ""),
    age: keyValues(read, "age"),
    pgp: keyValues(read, "pgp"),
    hcVaultTransit: keyValues(read, "hc-vault-transit"),
    kms: keyValues(read, "kms"),
    gcpKms: keyValues(read, "gcp-kms"),
    azureKv: keyValues(read, "azure-kv"),
    encryptionContext: parseEncryptionContext(read("encryption-context").trim()),
    shamirThreshold: parseThreshold(read("shamir-secret-sharing-threshold").trim()),
    selection: selected[0],
    macOnlyEncrypted: parseBoolean(read, "mac-only-encrypted"),
    keys: parseKeys(read, env, shell)
  };
}

// src/commands/encrypt.ts
var encryptCommand = {
  name: "encrypt",
  summary: "encrypt a file as sops -e does, by the .sops.yaml creation rules or --age/--pgp",
  usage: `encrypt FILE | - --filename-override NAME [--in-place | --output FILE] [--config .sops.yaml]
        [--input-type T] [--output-type T] [--indent N]
        [--age RECIPIENT]... [--pgp FINGERPRINT]... [--kms ARN]... [--encryption-context K:V,...]
        [--gcp-kms ID]... [--azure-kv URL]... [--hc-vault-transit URL]... [--shamir-secret-sharing-threshold N]
        [--encrypted-regex RE | --unencrypted-regex RE | --encrypted-suffix S | --unencrypted-suffix S
         | --encrypted-comment-regex RE | --unencrypted-comment-regex RE] [--mac-only-encrypted]
        [--pgp-key-file FILE]...`,
  flags: encryptFlags,
  positionals: [{ name: "file" }],
  parse: parseEncryptConfig,
  paths: (config) => config.file === "-" ? [] : [config.file],
  async run(config, deps) {
    const { runEncrypt } = await import("./encrypt-run-H4VL4Q6U.js");
    await runEncrypt(config, deps);
    return 0;
  }
};

// src/config/diff.ts
var diffFlags = {
  ...buildFlags,
  ...kubeFlags,
  against: { type: "string" },
  "require-decryption": { type: "boolean" }
};
var GIT_REF = /^[^-\s\\:?*[][^\s\\:?*[]*$/u;
function parseAgainst(read) {
  const raw = optional(read("against"));
  if (raw === void 0 || raw === "cluster") return void 0;
  if (!GIT_REF.test(raw) || /[\u0000-\u001f\u007f]/u.test(raw) || raw.length > 256) {
    throw new UserError("USAGE", `against is "${raw}"; expected cluster or a git ref such as main or HEAD~1`);
  }
  return raw;
}
function parseDiffConfig(read, env, shell = { stdoutIsLog: false }) {
  const kube = parseKubeInputs(read, env, "diff");
  const against = parseAgainst(read);
  if (against !== void 0 && kube.manifests !== void 0) {
    throw new UserError("USAGE", "against needs a PATH to build at the ref, not --manifests");
  }
  return {
    command: "diff",
    kube,
    // Built in memory for the diff: the manifests never go to stdout or a file.
    build: kube.manifests === void 0 ? parseBuildConfig(read, env, { ...shell, stdoutIsLog: false }) : void 0,
    against,
    requireDecryption: parseBoolean(read, "require-decryption"),
    fetchAuth: against === void 0 ? void 0 : gitAuthFor(read("github-token"), env)
  };
}

// src/commands/diff.ts
var diffCommand = {
  name: "diff",
  summary: "show what apply would change in the cluster (Secrets compared decrypted, shown masked)",
  usage: `diff PATH... [--against REF] | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--require-decryption]`,
  flags: diffFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseDiffConfig,
  paths: (config) => config.build?.paths ?? [],
  privateRoots: (config) => config.build === void 0 ? void 0 : privateRootParent(config.build.env),
  async run(config, deps) {
    const { runDiff } = await import("./diff-run-H2RLGHJS.js");
    return runDiff(config, deps);
  }
};

// src/config/lint.ts
var FAIL_ON = ["error", "warning"];
var lintFlags = {
  format: { type: "string" },
  config: { type: "string" },
  "sarif-file": { type: "string" },
  "fail-on": { type: "string" },
  rendered: { type: "boolean" },
  "kustomize-path": { type: "string" },
  "kustomize-version": { type: "string" },
  fix: { type: "boolean" },
  age: { type: "string", multiple: true },
  pgp: { type: "string", multiple: true },
  "pgp-key-file": { type: "string", multiple: true }
};
function parseFix(read, env, shell) {
  const age = keyValues(read, "age");
  const pgp = keyValues(read, "pgp");
  if (!parseBoolean(read, "fix")) {
    if (age.length > 0 || pgp.length > 0) {
      throw new UserError("USAGE", "lint takes age and pgp recipients only with fix", {
        hint: "add --fix (input fix: true) to encrypt the flagged Secret files for them"
      });
    }
    return void 0;
  }
  return {
    command: "encrypt",
    filenameOverride: void 0,
    indent: void 0,
    inputType: void 0,
    outputType: void 0,
    output: void 0,
    inPlace: true,
    sopsConfig: void 0,
    age,
    pgp,
    hcVaultTransit: [],
    kms: [],
    gcpKms: [],
    azureKv: [],
    encryptionContext: {},
    shamirThreshold: void 0,
    selection: void 0,
    macOnlyEncrypted: false,
    keys: parseKeys(read, env, shell)
  };
}
function parseRendered(read, env, shell) {
  const value = read("rendered").trim();
  if (value === "" || value === "false") return void 0;
  if (value !== "true" && value !== "auto") {
    throw new UserError("USAGE", `rendered is "${value}"; expected true, false or auto`, {
      hint: "auto (the Action default) checks the rendering when a kustomize is available"
    });
  }
  return { ...parseKustomizeChoice(read, env, shell), env, ifAvailable: value === "auto" };
}
function parseLintConfig(read, env, shell) {
  const format = optional(read("format")) ?? (shell.stdoutIsLog ? "github" : "text");
  if (!LINT_FORMATS.includes(format)) {
    throw new UserError("USAGE", `format is "${format}"; expected one of ${LINT_FORMATS.join(", ")}`);
  }
  const failOn = optional(read("fail-on")) ?? "error";
  if (!FAIL_ON.includes(failOn)) {
    throw new UserError("USAGE", `fail-on is "${failOn}"; expected error or warning`, {
      hint: "error fails on errors only; warning fails on any finding"
    });
  }
  const paths = lines(read("path"));
  return {
    command: "lint",
    paths: paths.length === 0 ? ["."] : paths,
    format,
    config: optional(read("config")),
    sarifFile: optional(read("sarif-file")),
    failOn,
    rendered: parseRendered(read, env, shell),
    fix: parseFix(read, env, shell)
  };
}

// src/commands/lint.ts
function failsGate(result, failOn) {
  return result.findings.some((f) => failOn === "warning" || f.severity === "error");
}
var lintCommand = {
  name: "lint",
  summary: "fail when a plaintext secret would merge (no keys needed)",
  usage: "lint [PATH...] [--format text|json|sarif|github] [--config FILE] [--sarif-file FILE] [--fail-on error|warning]\n        [--rendered [--kustomize-path F | --kustomize-version V]]",
  flags: lintFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseLintConfig,
  paths: (config) => config.paths,
  async run(config, deps) {
    const { runLint } = await import("./lint-run-4VYWDP6H.js");
    const result = await runLint(config, deps);
    await deps.reporter.report("lint", result);
    return failsGate(result, config.failOn) ? 1 : 0;
  }
};

// src/commands/index.ts
var commands = [
  decryptCommand,
  encryptCommand,
  lintCommand,
  buildCommand,
  diffCommand,
  applyCommand
];
function widen(command) {
  return command;
}
var byName = new Map(commands.map((c) => [c.name, widen(c)]));
function findCommand(name) {
  return byName.get(name);
}
function parseConfig(read, env, shell = { stdoutIsLog: false }) {
  const name = read("command").trim();
  const command = findCommand(name);
  if (command === void 0) {
    throw new UserError("USAGE", name === "" ? "no command given" : `unknown command "${name}"`, {
      hint: `use one of: ${commands.map((c) => c.name).join(", ")}`
    });
  }
  return { ...command.parse(read, env, shell), action: parseActionSettings(read, env) };
}
function repositoryPaths(config) {
  const command = findCommand(config.command);
  return command === void 0 ? [] : command.paths(config);
}
function configSecrets(config) {
  const token = config.action.githubToken;
  const content = config.command === "diff" || config.command === "apply" ? config.kube.kubeconfigContent : void 0;
  return [
    ...token === void 0 ? [] : [token],
    ...content === void 0 ? [] : kubeconfigCredentials(content)
  ];
}

// src/host/node-exec.ts
var nodeExec = {
  run(command, args, options = {}) {
    return new Promise((resolve, reject) => {
      const { spawn } = process.getBuiltinModule("node:child_process");
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env === void 0 ? process.env : { ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
        timeout: options.timeoutMs
      });
      const out = [];
      const err = [];
      child.stdout.on("data", (chunk) => out.push(chunk));
      child.stderr.on("data", (chunk) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        resolve({
          exitCode: code ?? (signal === null ? 1 : 128),
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString("utf8")
        });
      });
      child.stdin.on("error", () => void 0);
      child.stdin.end(options.input ?? "");
    });
  }
};

// src/host/spawner-exec.ts
var HELPER = `
const { spawn } = require('node:child_process');
const running = new Set();
process.on('disconnect', () => { for (const c of running) c.kill('SIGTERM'); process.exit(0); });
process.on('message', (m) => {
  let child;
  try {
    child = spawn(m.command, m.args, { cwd: m.cwd, env: m.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: m.timeoutMs });
  } catch (error) {
    process.send({ id: m.id, error: { code: error.code, message: String(error.message) } });
    return;
  }
  running.add(child);
  const out = [];
  const err = [];
  let failed;
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.on('error', (error) => { failed = { code: error.code, message: String(error.message) }; });
  child.on('close', (code, signal) => {
    running.delete(child);
    if (failed !== undefined) process.send({ id: m.id, error: failed });
    else process.send({ id: m.id, exitCode: code ?? (signal === null ? 1 : 128), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(m.input ?? '');
});
`;
function createSpawnerExec() {
  let helper;
  let nextId = 0;
  const pending = /* @__PURE__ */ new Map();
  const hold = () => {
    if (pending.size > 0) helper?.ref();
    else helper?.unref();
    const channel = helper?.channel;
    if (pending.size > 0) channel?.ref?.();
    else channel?.unref?.();
  };
  const failAll = (reason) => {
    for (const { reject } of pending.values()) reject(new Error(reason));
    pending.clear();
    helper = void 0;
  };
  const start = () => {
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(process.execPath, ["-e", HELPER], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
      env: {}
    });
    child.on("message", (message) => {
      const waiting = pending.get(message.id);
      if (waiting === void 0) return;
      pending.delete(message.id);
      if (message.error !== void 0) {
        const error = new Error(message.error.message);
        if (message.error.code !== void 0) error.code = message.error.code;
        waiting.reject(error);
      } else {
        waiting.resolve({
          exitCode: message.exitCode ?? 1,
          stdout: Buffer.from(message.stdout ?? new Uint8Array(0)),
          stderr: message.stderr ?? ""
        });
      }
      hold();
    });
    child.on("exit", () => failAll("the process helper exited"));
    child.on("error", (error) => failAll(`the process helper failed: ${error.message}`));
    return child;
  };
  return {
    run(command, args, options = {}) {
      helper ??= start();
      const id = nextId++;
      const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      hold();
      helper.send({
        id,
        command,
        args: [...args],
        cwd: options.cwd,
        env: options.env === void 0 ? process.env : { ...options.env },
        input: options.input,
        timeoutMs: options.timeoutMs
      });
      return result;
    },
    close() {
      const child = helper;
      helper = void 0;
      child?.ref();
      child?.disconnect();
    }
  };
}

// src/run.ts
import path2 from "node:path";
var EXIT_ERROR = 2;
function reportError(host, error, secrets) {
  const redact = (text) => secrets === void 0 ? text : secrets.redact(text);
  if (error instanceof UserError) {
    host.error(redact(error.message), error.location);
    if (error.report !== void 0) host.info(redact(error.report));
    if (error.hint !== void 0) host.info(`hint: ${redact(error.hint)}`);
    return;
  }
  host.error(
    redact(
      `internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}`
    )
  );
}
async function run(config, deps) {
  const secrets = new SecretRegistry((value) => deps.host.setSecret(value));
  try {
    const command = findCommand(config.command);
    if (command === void 0) throw new Error(`no command ${config.command}`);
    const parent = command.privateRoots?.(config);
    if (parent !== void 0) {
      for (const name of await sweepStalePrivateRoots(parent)) {
        deps.host.info(`removed ${path2.join(parent, name)}: a private root left by a process that is gone`);
      }
    }
    return await command.run(config, { ...deps, secrets });
  } catch (error) {
    reportError(deps.host, error, secrets);
    return EXIT_ERROR;
  }
}

export {
  openKubeClient,
  commands,
  findCommand,
  parseConfig,
  repositoryPaths,
  configSecrets,
  nodeExec,
  createSpawnerExec,
  EXIT_ERROR,
  reportError,
  run
};
