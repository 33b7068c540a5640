import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  UNDECRYPTED_TEXT,
  isUndecryptedString,
  undecryptedValueFor
} from "./chunk-6NT2VJT7.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import {
  decryptText
} from "./chunk-KRTO2A2Y.js";
import {
  describePath,
  mapLeaves,
  readableText
} from "./chunk-S5KSNVEA.js";
import {
  SOPS_MARKERS,
  compileGoRegexp,
  detectSopsFormat,
  isEncryptedValue,
  parseEncryptedValue,
  parseMetadata,
  shouldBeEncrypted,
  storeFor
} from "./chunk-NHKNCDYL.js";
import {
  privateCacheDir
} from "./chunk-BAMWEJD2.js";
import {
  findRepositoryRootSync,
  readFileBounded,
  readRealFileBoundedSync,
  tryReadFileBoundedSync
} from "./chunk-E6UVNDUT.js";
import {
  DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
  DEFAULT_MAX_FILE_SIZE,
  PUBLIC_REMOTES,
  RemoteRefusal,
  VARIABLE_NAME,
  checkRemote,
  parseVariables,
  vetHost
} from "./chunk-XT4FYU66.js";
import {
  formatFromPath
} from "./chunk-KWHHRL7C.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  openPrivateRoot,
  privateRootParent
} from "./chunk-BPZOFAO5.js";
import {
  describeNetworkError
} from "./chunk-2ZU72MXY.js";
import {
  UserError,
  errorMessage,
  withContext
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/kustomize/graph.ts
var import_yaml = __toESM(require_dist(), 1);
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
var MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
var KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
var VALUE_FIELDS = [
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "replacements",
  "vars",
  "secretGenerator",
  "generators",
  "transformers",
  "validators",
  "helmCharts",
  "helmChartInflationGenerator",
  "configurations",
  "crds",
  "openapi"
];
function isEmptyField(value) {
  return value === void 0 || value === null || Array.isArray(value) && value.length === 0 || typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}
function isInline(entry) {
  return entry.includes("\n");
}
function toRel(root, abs) {
  return path.relative(root, abs).split(path.sep).join("/") || ".";
}
function inside(root, abs) {
  const rel = path.relative(root, abs);
  return rel === "" || !rel.startsWith("..") && !path.isAbsolute(rel);
}
function stringList(value) {
  if (!Array.isArray(value)) return [];
  return value.filter((v) => typeof v === "string");
}
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
function records(value) {
  return Array.isArray(value) ? value.map(record) : [];
}
function resolveEntry(state, dir, entry, kustomizationRel) {
  const abs = path.resolve(dir, entry.value);
  const where = `${kustomizationRel}: ${entry.where} "${entry.value}"`;
  if (!inside(state.root, abs)) {
    throw new UserError("PATH_ESCAPE", `${where} leaves the repository root ${state.root}`, {
      hint: "kustomize may only read files inside the repository; move the file in or build from a higher directory"
    });
  }
  if (inGitDir(state.root, abs)) throw gitDirRefusal(where);
  let real;
  try {
    real = realpathSync.native(abs);
  } catch (cause) {
    if (cause.code === "ENOENT") return void 0;
    throw new UserError("FILE_NOT_FOUND", `${where} cannot be read`, { cause });
  }
  if (!inside(state.realRoot, real)) {
    throw new UserError(
      "PATH_ESCAPE",
      `${where} is a symlink that leaves the repository root ${state.root}`,
      {
        hint: "replace the symlink with the file itself"
      }
    );
  }
  if (inGitDir(state.realRoot, real)) throw gitDirRefusal(where);
  const info = statSync(real);
  if (!info.isDirectory() && !info.isFile()) {
    throw new UserError("UNSUPPORTED", `${where} is not a regular file`);
  }
  return { abs, real, isDir: info.isDirectory() };
}
function inGitDir(root, abs) {
  return path.relative(root, abs).split(path.sep).some((segment) => segment.toLowerCase() === ".git");
}
function gitDirRefusal(where) {
  return new UserError("PATH_ESCAPE", `${where} is inside .git/, which is never read`, {
    hint: "kustomize may not read git metadata; copy what you need into a file in the repository"
  });
}
async function allowedRemote(state, entry, kustomizationRel, remoteOk) {
  if (entry.value.startsWith("./") || entry.value.startsWith("../")) return false;
  const where = `${kustomizationRel}: ${entry.where} "${entry.value}"`;
  let target;
  try {
    target = await checkRemote(entry.value, state.remotePolicy, state.resolveHost);
  } catch (error) {
    if (!(error instanceof RemoteRefusal)) throw error;
    throw new UserError("PATH_ESCAPE", `${where} is refused: ${error.message}`, {
      hint: "remote resources must be https or ssh on an allowed host (the allow-remote input: none, public or a host list)"
    });
  }
  if (target === void 0) return false;
  if (!remoteOk) {
    throw new UserError(
      "UNSUPPORTED",
      `${where} is a remote URL; kustomize reads this field only from local files`
    );
  }
  return true;
}
function addFile(state, abs, real, role, via) {
  const rel = toRel(state.root, abs);
  if (!state.files.has(rel)) state.files.set(rel, { rel, source: real, role, via });
}
function findKustomizationFile(dir) {
  const found = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    try {
      const file = path.join(dir, name);
      const link = lstatSync(file, { throwIfNoEntry: false });
      if (link !== void 0 && (link.isFile() || statSync(file).isFile())) found.push(name);
    } catch {
    }
  }
  if (found.length > 1) {
    throw new UserError("BAD_FORMAT", `${dir} holds more than one kustomization file (${found.join(", ")})`, {
      hint: "keep exactly one of kustomization.yaml, kustomization.yml or Kustomization"
    });
  }
  return found[0];
}
async function generateKustomization(dir, dirRel, root) {
  const resources = [];
  const walk = async (current) => {
    const entries = readdirSync(current, { withFileTypes: true }).sort(
      (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const abs = path.join(current, entry.name);
      const rel = path.relative(dir, abs).split(path.sep).join("/");
      if (entry.isDirectory()) {
        if (findKustomizationFile(abs) !== void 0) resources.push(rel);
        else await walk(abs);
        continue;
      }
      if (!/\.(ya?ml|json)$/.test(entry.name)) continue;
      const bounds = { maxBytes: MAX_MANIFEST_BYTES, root, name: rel };
      const text2 = (tryReadFileBoundedSync(abs, bounds) ?? await readFileBounded(abs, bounds)).toString(
        "utf8"
      );
      const docs = (0, import_yaml.parseAllDocuments)(text2, { logLevel: "error" });
      const list = Array.isArray(docs) ? docs : [docs];
      const isObject = list.some((doc) => {
        let value;
        try {
          value = record(doc.toJS());
        } catch (cause) {
          const fileRel = dirRel === "." ? rel : `${dirRel}/${rel}`;
          throw new UserError("BAD_FORMAT", `${fileRel}: the YAML could not be read as an object`, {
            cause,
            hint: "it uses more aliases than a manifest needs (an alias bomb?); remove the file or fix it"
          });
        }
        return typeof value["apiVersion"] === "string" && typeof value["kind"] === "string";
      });
      if (isObject) resources.push(rel);
    }
  };
  await walk(dir);
  return resources;
}
async function walkDirectory(state, dir, via, allowGenerate) {
  const real = realpathSync.native(dir);
  if (state.visited.has(real)) return;
  state.visited.add(real);
  const dirRel = toRel(state.root, dir);
  const fileName = findKustomizationFile(dir);
  if (fileName === void 0) {
    if (!allowGenerate) {
      throw new UserError("FILE_NOT_FOUND", `${via} is a directory with no kustomization file`, {
        hint: "add a kustomization.yaml there, or list its files instead of the directory"
      });
    }
    const resources = await generateKustomization(dir, dirRel, state.realRoot);
    const relFile = dirRel === "." ? "kustomization.yaml" : `${dirRel}/kustomization.yaml`;
    const content = [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      ...resources.map((r) => `  - ${JSON.stringify(r)}`),
      ""
    ].join("\n");
    state.generated.set(
      relFile,
      resources.length === 0 ? content.replace("resources:\n", "resources: []\n") : content
    );
    for (const resource of resources) {
      const abs = path.join(dir, resource);
      const resolved = resolveEntry(state, dir, { where: "resources", value: resource }, relFile);
      if (resolved === void 0) continue;
      if (resolved.isDir) await walkDirectory(state, abs, `${relFile}: resources "${resource}"`, false);
      else addFile(state, abs, resolved.real, { kind: "manifest" }, `${relFile}: resources`);
    }
    return;
  }
  const fileAbs = path.join(dir, fileName);
  const kustomizationRel = toRel(state.root, fileAbs);
  const fileReal = realpathSync.native(fileAbs);
  if (!inside(state.realRoot, fileReal)) {
    throw new UserError(
      "PATH_ESCAPE",
      `${kustomizationRel} is a symlink that leaves the repository root ${state.root}`
    );
  }
  addFile(state, fileAbs, fileReal, { kind: "kustomization" }, via);
  let doc;
  try {
    const bounds = { maxBytes: MAX_MANIFEST_BYTES, root: state.realRoot, name: kustomizationRel };
    const text2 = tryReadFileBoundedSync(fileReal, bounds) ?? await readFileBounded(fileReal, bounds);
    doc = record((0, import_yaml.parse)(text2.toString("utf8"), { logLevel: "error" }));
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError("BAD_FORMAT", `${kustomizationRel} is not valid YAML`, { cause });
  }
  await walkKustomization(state, dir, kustomizationRel, doc);
}
async function visitPath(state, dir, kustomizationRel, entry, role, options = {}) {
  if (await allowedRemote(state, entry, kustomizationRel, options.remoteOk === true)) {
    state.remote.push(entry.value);
    return;
  }
  const resolved = resolveEntry(state, dir, entry, kustomizationRel);
  if (resolved === void 0) {
    if (options.optional === true) return;
    throw new UserError(
      "FILE_NOT_FOUND",
      `${kustomizationRel}: ${entry.where} "${entry.value}" does not exist`
    );
  }
  if (resolved.isDir) {
    if (options.dirOk !== true) {
      throw new UserError(
        "BAD_FORMAT",
        `${kustomizationRel}: ${entry.where} "${entry.value}" is a directory, expected a file`
      );
    }
    await walkDirectory(state, resolved.abs, `${kustomizationRel}: ${entry.where} "${entry.value}"`, false);
    return;
  }
  addFile(state, resolved.abs, resolved.real, role, `${kustomizationRel}: ${entry.where}`);
}
async function visitWholeDir(state, dir, kustomizationRel, entry) {
  const resolved = resolveEntry(state, dir, entry, kustomizationRel);
  if (resolved === void 0 || !resolved.isDir) return;
  const walk = async (current) => {
    for (const child of readdirSync(current, { withFileTypes: true })) {
      if (child.name.toLowerCase() === ".git") continue;
      const abs = path.join(current, child.name);
      const sub = resolveEntry(state, current, { where: entry.where, value: child.name }, kustomizationRel);
      if (sub === void 0) continue;
      if (sub.isDir) await walk(abs);
      else addFile(state, abs, sub.real, { kind: "config" }, `${kustomizationRel}: ${entry.where}`);
    }
  };
  state.dirs.add(toRel(state.root, resolved.abs));
  await walk(resolved.abs);
}
function parseFileSource(source) {
  const eq = source.indexOf("=");
  if (eq < 0) return { key: path.posix.basename(source), file: source };
  return { key: source.slice(0, eq), file: source.slice(eq + 1) };
}
async function walkKustomization(state, dir, kustomizationRel, k) {
  if (VALUE_FIELDS.some((field) => !isEmptyField(k[field]))) state.rewritesValues = true;
  const manifest = { kind: "manifest" };
  const config = { kind: "config" };
  const visit2 = (where, value, role, options) => visitPath(state, dir, kustomizationRel, { where, value }, role, options);
  for (const field of ["resources", "bases", "components"]) {
    for (const value of stringList(k[field])) {
      await visit2(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  for (const field of ["secretGenerator", "configMapGenerator"]) {
    for (const generator of records(k[field])) {
      for (const source of stringList(generator["files"])) {
        const { key, file } = parseFileSource(source);
        await visit2(`${field} files`, file, { kind: "generator-file", key }, { remoteOk: true });
      }
      for (const env of [...stringList(generator["envs"]), ...stringList([generator["env"]])]) {
        await visit2(`${field} envs`, env, { kind: "env" });
      }
    }
  }
  for (const patch of records(k["patches"])) {
    if (typeof patch["path"] === "string") await visit2("patches", patch["path"], manifest);
  }
  for (const value of stringList(k["patchesStrategicMerge"])) {
    if (!isInline(value)) await visit2("patchesStrategicMerge", value, manifest);
  }
  for (const patch of records(k["patchesJson6902"])) {
    if (typeof patch["path"] === "string") await visit2("patchesJson6902", patch["path"], manifest);
  }
  for (const value of stringList(k["crds"])) await visit2("crds", value, config);
  const openapi = record(k["openapi"]);
  if (typeof openapi["path"] === "string") await visit2("openapi.path", openapi["path"], config);
  for (const value of stringList(k["configurations"])) await visit2("configurations", value, config);
  for (const replacement of records(k["replacements"])) {
    if (typeof replacement["path"] === "string") await visit2("replacements", replacement["path"], config);
  }
  for (const field of ["transformers", "generators", "validators"]) {
    for (const value of stringList(k[field])) {
      if (!isInline(value)) await visit2(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  const helmGlobals = record(k["helmGlobals"]);
  const chartHome = typeof helmGlobals["chartHome"] === "string" ? helmGlobals["chartHome"] : "charts";
  if (typeof helmGlobals["configHome"] === "string") {
    await visitWholeDir(state, dir, kustomizationRel, {
      where: "helmGlobals.configHome",
      value: helmGlobals["configHome"]
    });
  }
  const charts = records(k["helmCharts"]);
  if (charts.length > 0) {
    await visitWholeDir(state, dir, kustomizationRel, { where: "helmGlobals.chartHome", value: chartHome });
  }
  for (const chart of charts) {
    if (typeof chart["valuesFile"] === "string") {
      await visit2("helmCharts valuesFile", chart["valuesFile"], config, { remoteOk: true });
    }
    for (const value of stringList(chart["additionalValuesFiles"])) {
      await visit2("helmCharts additionalValuesFiles", value, config, { remoteOk: true });
    }
  }
}
async function walkGraph(target, options = {}) {
  const absTarget = path.resolve(target);
  let info;
  try {
    info = statSync(absTarget);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `build target ${target} does not exist`, { cause });
  }
  if (!info.isDirectory()) {
    throw new UserError("USAGE", `build target ${target} is not a directory`, {
      hint: "pass the directory that holds kustomization.yaml"
    });
  }
  const root = path.resolve(options.root ?? findRepositoryRootSync(absTarget));
  if (!inside(root, absTarget)) {
    throw new UserError("PATH_ESCAPE", `build target ${target} is outside the root ${root}`);
  }
  const state = {
    root,
    realRoot: realpathSync.native(root),
    files: /* @__PURE__ */ new Map(),
    dirs: /* @__PURE__ */ new Set(),
    generated: /* @__PURE__ */ new Map(),
    remote: [],
    visited: /* @__PURE__ */ new Set(),
    remotePolicy: options.remotePolicy ?? PUBLIC_REMOTES,
    resolveHost: options.resolveHost,
    rewritesValues: false
  };
  const realTarget = realpathSync.native(absTarget);
  if (!inside(state.realRoot, realTarget)) {
    throw new UserError("PATH_ESCAPE", `build target ${target} is a symlink that leaves the root ${root}`);
  }
  await walkDirectory(state, absTarget, `build target ${target}`, true);
  return {
    root,
    target: toRel(root, absTarget),
    files: state.files,
    dirs: state.dirs,
    generated: state.generated,
    remote: state.remote,
    rewritesValues: state.rewritesValues
  };
}
function formatForRole(file) {
  switch (file.role.kind) {
    case "kustomization":
      return void 0;
    case "manifest":
    case "config": {
      const format = formatFromPath(file.rel);
      return format === "yaml" || format === "json" ? format : void 0;
    }
    case "generator-file":
      return formatFromPath(file.role.key);
    case "env": {
      const format = formatFromPath(file.rel);
      return format === "binary" ? "dotenv" : format;
    }
  }
}

// src/kustomize/origin-annotations.ts
var import_yaml2 = __toESM(require_dist(), 1);
import path2 from "node:path";
var ORIGIN_ANNOTATION = "config.kubernetes.io/origin";
async function withOriginAnnotations(graph) {
  const inTarget = (rel2) => path2.posix.dirname(rel2) === graph.target;
  let rel = [...graph.generated.keys()].find(inTarget);
  let text2 = rel === void 0 ? void 0 : graph.generated.get(rel);
  if (rel === void 0) {
    const file = [...graph.files.values()].find((f) => f.role.kind === "kustomization" && inTarget(f.rel));
    if (file === void 0) return graph;
    rel = file.rel;
    text2 = (await readFileBounded(file.source, { maxBytes: MAX_MANIFEST_BYTES, name: file.rel })).toString(
      "utf8"
    );
  }
  const doc = (0, import_yaml2.parseDocument)(text2 ?? "");
  const content = doc.toJS();
  const existing = isRecord(content) ? content["buildMetadata"] : void 0;
  const values = Array.isArray(existing) ? existing.map(String) : [];
  if (!values.includes("originAnnotations")) doc.set("buildMetadata", [...values, "originAnnotations"]);
  const generated = new Map(graph.generated);
  generated.set(rel, doc.toString());
  return { ...graph, generated };
}
function originOf(object) {
  const metadata = object["metadata"];
  const annotations = isRecord(metadata) ? metadata["annotations"] : void 0;
  const text2 = isRecord(annotations) ? annotations[ORIGIN_ANNOTATION] : void 0;
  if (typeof text2 !== "string") return void 0;
  let parsed;
  try {
    parsed = (0, import_yaml2.parse)(text2);
  } catch {
    return void 0;
  }
  if (!isRecord(parsed)) return void 0;
  if (typeof parsed["path"] === "string") return { file: parsed["path"] };
  if (typeof parsed["configuredIn"] === "string") {
    const by = parsed["configuredBy"];
    const kind = isRecord(by) && typeof by["kind"] === "string" ? by["kind"] : void 0;
    return { file: parsed["configuredIn"], ...kind === void 0 ? {} : { generator: kind } };
  }
  return void 0;
}

// src/kustomize/placeholder.ts
var UndecryptedFiles = class {
  #files = /* @__PURE__ */ new Map();
  /**
   * True when the run has no key at all and no reason to try one (`lint --rendered`): every
   * SOPS file is staged with placeholders at once, instead of being parsed for a decrypt
   * that must fail and then parsed again for its placeholders.
   */
  keyless;
  constructor(options = {}) {
    this.keyless = options.keyless === true;
  }
  add(file, reason) {
    if (!this.#files.has(file)) this.#files.set(file, reason);
  }
  get size() {
    return this.#files.size;
  }
  /** Sorted by file. */
  list() {
    return [...this.#files].map(([file, reason]) => ({ file, reason })).sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  }
};
function isNoKeyError(error) {
  return error instanceof UserError && error.code === "NO_MATCHING_KEY";
}
function noKeyReason(error) {
  return (errorMessage(error).split("\n")[0] ?? "").slice(0, 300);
}
function str(value) {
  return { kind: "str", value };
}
function topString(branch, key) {
  const item = branch.items.find((i) => "key" in i && i.key === key);
  return item !== void 0 && "key" in item && item.value.kind === "str" ? item.value.value : void 0;
}
function placeholderBranches(text2, format) {
  const loaded = storeFor(format).loadEncrypted(text2);
  if (loaded.metadata === null) {
    throw new UserError("NO_METADATA", "the file has no sops metadata, so it is not encrypted with sops");
  }
  const metadata = parseMetadata(loaded.metadata);
  const mac = loaded.metadata.items.find((i) => "key" in i && i.key === "mac");
  if (mac !== void 0 && "key" in mac && mac.value.kind === "str" && mac.value.value !== "") {
    parseEncryptedValue(mac.value.value);
  }
  return loaded.branches.map((branch) => {
    const secret = topString(branch, "kind") === "Secret";
    const [out] = mapLeaves([branch], (leaf, path6, comments) => {
      const isComment = leaf.kind === "comment";
      if (!shouldBeEncrypted(metadata.selection, path6, comments, isComment)) return leaf;
      if (leaf.kind === "comment") {
        return isEncryptedValue(leaf.text) ? { kind: "comment", text: ` ${UNDECRYPTED_TEXT}` } : leaf;
      }
      if (leaf.kind !== "str") {
        throw new UserError(
          "BAD_ENC_VALUE",
          `value at ${describePath(path6)} should be encrypted but is a cleartext ${leaf.kind}`,
          { hint: "the file was edited by hand after encryption; re-encrypt it with sops" }
        );
      }
      try {
        parseEncryptedValue(leaf.value);
      } catch (error) {
        throw error instanceof UserError ? new UserError(error.code, `value at ${describePath(path6)}: ${error.message}`, {
          hint: error.hint
        }) : error;
      }
      const [field, key, ...deeper] = path6;
      if (secret && field === "data" && key !== void 0 && deeper.length === 0) {
        return str(Buffer.from(undecryptedValueFor(key), "utf8").toString("base64"));
      }
      return str(field === "stringData" && key !== void 0 ? undecryptedValueFor(key) : UNDECRYPTED_TEXT);
    });
    return out ?? branch;
  });
}
function checkPlaceholderIdentity(branches, where) {
  for (const branch of branches) {
    const metadata = branch.items.find((i) => "key" in i && i.key === "metadata");
    const name = metadata !== void 0 && "key" in metadata && metadata.value.kind === "map" ? topString(metadata.value, "name") : void 0;
    for (const value of [topString(branch, "apiVersion"), topString(branch, "kind"), name]) {
      if (value === UNDECRYPTED_TEXT) {
        throw new UserError(
          "NO_MATCHING_KEY",
          `${where}: no key could decrypt it, and its apiVersion, kind or metadata.name is encrypted too, so diff cannot show it undecrypted`,
          {
            hint: "give a key that opens it, or encrypt only data and stringData (encrypted_regex: ^(data|stringData)$ in .sops.yaml)"
          }
        );
      }
    }
  }
}

// src/kustomize/substitute.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";

// src/kustomize/document.ts
function emitPlain(branches, format) {
  if (format === "binary") {
    const first = branches[0];
    const data = first?.items.find((item) => "key" in item && item.key === "data");
    if (data !== void 0 && "key" in data) {
      if (data.value.kind === "bytes") return data.value.value;
      if (data.value.kind === "str") return Buffer.from(data.value.value, "utf8");
    }
  }
  return Buffer.from(storeFor(format).emitPlain(branches), "utf8");
}
async function decryptDocument(text2, inputFormat, outputFormat, options) {
  const { branches } = await decryptText(text2, inputFormat, {
    keySources: options.keySources,
    mask: (value) => options.registry.add(value),
    ...options.ignoreMac === true ? { ignoreMac: true } : {},
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  const out = emitPlain(branches, outputFormat);
  if (options.wholeIsValue === true) {
    options.registry.add(Buffer.from(out).toString("utf8"), { lines: false });
  }
  return out;
}
function placeholderDocument(text2, inputFormat, outputFormat, options) {
  const branches = placeholderBranches(text2, inputFormat);
  if (options.wholeValueKey !== void 0)
    return Buffer.from(undecryptedValueFor(options.wholeValueKey), "utf8");
  if (options.manifest === true) checkPlaceholderIdentity(branches, options.where);
  if (outputFormat === "binary") return Buffer.from(UNDECRYPTED_TEXT, "utf8");
  return emitPlain(branches, outputFormat);
}
function sopsFormats(text2, wanted) {
  if (text2.includes(SOPS_MARKERS[wanted])) return { input: wanted, output: wanted };
  if (wanted === "binary") {
    const detected = detectSopsFormat(text2);
    if (detected !== void 0) return { input: detected, output: detected };
  }
  return void 0;
}

// src/kustomize/substitute.ts
var SUBSTITUTE_ANNOTATION = "kustomize.toolkit.fluxcd.io/substitute";
function closingBrace(text2, open) {
  let depth = 0;
  for (let i = open; i < text2.length; i++) {
    if (text2[i] === "{") depth++;
    else if (text2[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
function evaluate(expression, options, where) {
  if (expression.startsWith("#")) {
    const name2 = expression.slice(1);
    if (VARIABLE_NAME.test(name2)) return String([...options.vars.get(name2) ?? ""].length);
  }
  const match = /^([_a-zA-Z][_a-zA-Z0-9]*)(.*)$/s.exec(expression);
  if (match === null) {
    throw new UserError("BAD_FORMAT", `${where}: "\${${expression}}" is not a variable reference`);
  }
  const name = match[1] ?? "";
  const rest = match[2] ?? "";
  const value = options.vars.get(name);
  const undefinedError = () => new UserError("USAGE", `${where}: variable ${name} is not set`, {
    hint: "pass it with --substitute NAME=VALUE or --substitute-from, give it a default (${NAME:=default}), or turn strict mode off"
  });
  const defaulted = (op, emptyCounts) => {
    if (!rest.startsWith(op)) return void 0;
    const fallback = substituteText(rest.slice(op.length), options, where);
    if (value === void 0 || emptyCounts && value === "") return fallback;
    return value;
  };
  const result = defaulted(":=", true) ?? defaulted(":-", true) ?? defaulted(":?", true) ?? defaulted(":+", true) ?? defaulted("=", false) ?? defaulted("-", false);
  if (result !== void 0) return result;
  if (value === void 0 && options.strict) throw undefinedError();
  const v = value ?? "";
  switch (rest) {
    case "":
      return v;
    case "^":
      return v.slice(0, 1).toUpperCase() + v.slice(1);
    case "^^":
      return v.toUpperCase();
    case ",":
      return v.slice(0, 1).toLowerCase() + v.slice(1);
    case ",,":
      return v.toLowerCase();
  }
  const argument = (from) => substituteText(rest.slice(from), options, where);
  if (rest.startsWith(":")) return substring(v, argument(1));
  if (rest.startsWith("##")) return trimPrefix(v, argument(2), true);
  if (rest.startsWith("#")) return trimPrefix(v, argument(1), false);
  if (rest.startsWith("%%")) return trimSuffix(v, argument(2), true);
  if (rest.startsWith("%")) return trimSuffix(v, argument(1), false);
  if (rest.startsWith("/")) return replace(v, rest, options, where);
  throw new UserError("UNSUPPORTED", `${where}: the operator in "\${${expression}}" is not supported`, {
    hint: "use ${var}, ${var:=default}, ${#var}, ${var:pos:len}, # ## % %% for patterns, / // /# /% to replace, or ^ ^^ , ,,"
  });
}
function chars(text2) {
  return [...text2];
}
function substring(value, spec) {
  const parts = spec.split(":");
  const integer = /^[+-]?\d+$/;
  const [posText = "", lenText] = parts;
  if (!integer.test(posText)) return value;
  const list = chars(value);
  let pos = Number(posText);
  if (pos < 0) pos = Math.max(0, list.length + pos);
  if (lenText === void 0) return list.slice(pos).join("");
  if (!integer.test(lenText)) return value;
  const length = Number(lenText);
  if (pos + length >= list.length) return list.slice(pos).join("");
  return list.slice(pos, Math.max(pos, pos + length)).join("");
}
function patternRegExp(pattern) {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return void 0;
      source += escapeRegExp(pattern[++i] ?? "");
    } else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) return void 0;
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      if (body === "") return void 0;
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^[]/g, "\\$&")}]`;
      i = close;
    } else source += escapeRegExp(c);
  }
  try {
    return compileGoRegexp(`(?s)^(?:${source})$`, "substitution pattern");
  } catch {
    return void 0;
  }
}
function escapeRegExp(text2) {
  return text2.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
function trimPrefix(value, pattern, longest) {
  const list = chars(value);
  const re = patternRegExp(pattern);
  if (re === void 0) return value;
  let match = -1;
  for (let end = list.length; end >= 1; end--) {
    if (re.test(list.slice(0, end).join(""))) {
      match = end;
      if (longest) break;
    }
  }
  return match < 0 ? value : list.slice(match).join("");
}
function trimSuffix(value, pattern, longest) {
  const reverse = (text2) => chars(text2).reverse().join("");
  return reverse(trimPrefix(reverse(value), reverse(pattern), longest));
}
function replace(value, rest, options, where) {
  const mode = rest.startsWith("//") ? "all" : rest.startsWith("/#") ? "prefix" : rest.startsWith("/%") ? "suffix" : "first";
  const body = rest.slice(mode === "first" ? 1 : 2);
  const slash = body.indexOf("/");
  const old = substituteText(slash < 0 ? body : body.slice(0, slash), options, where);
  const raw = slash < 0 ? "" : body.slice(slash + 1);
  const replacement = raw === "" ? void 0 : substituteText(raw, options, where);
  switch (mode) {
    case "all":
      return old === "" ? value : value.split(old).join(replacement ?? "");
    case "first":
      return old === "" ? value : value.replace(old, () => replacement ?? "");
    case "prefix":
      return replacement !== void 0 && value.startsWith(old) ? replacement + value.slice(old.length) : value;
    case "suffix":
      return replacement !== void 0 && value.endsWith(old) ? value.slice(0, value.length - old.length) + replacement : value;
  }
}
function substituteText(text2, options, where) {
  if (!text2.includes("$")) return text2;
  let out = "";
  let i = 0;
  while (i < text2.length) {
    const dollar = text2.indexOf("$", i);
    if (dollar < 0) {
      out += text2.slice(i);
      break;
    }
    out += text2.slice(i, dollar);
    if (text2.startsWith("$${", dollar)) {
      const close = closingBrace(text2, dollar + 2);
      const end = close < 0 ? text2.length : close + 1;
      out += text2.slice(dollar + 1, end);
      i = end;
      continue;
    }
    if (text2[dollar + 1] === "{") {
      const close = closingBrace(text2, dollar + 1);
      if (close < 0) {
        out += text2.slice(dollar);
        break;
      }
      out += evaluate(text2.slice(dollar + 2, close), options, where);
      i = close + 1;
      continue;
    }
    out += "$";
    i = dollar + 1;
  }
  return out;
}
function isSubstitutionDisabled(object) {
  const metadata = object?.metadata;
  for (const map of [metadata?.labels, metadata?.annotations]) {
    const value = map?.[SUBSTITUTE_ANNOTATION];
    if (typeof value === "string" && value.toLowerCase() === "disabled") return true;
  }
  return false;
}
function describe(object) {
  const o = object;
  const kind = typeof o?.kind === "string" ? o.kind : "object";
  const name = typeof o?.metadata?.name === "string" ? o.metadata.name : "?";
  const ns = typeof o?.metadata?.namespace === "string" ? `${o.metadata.namespace}/` : "";
  return `${kind} ${ns}${name}`;
}
function substituteDocument(doc, options) {
  const object = doc.toJS();
  if (object === null || isSubstitutionDisabled(object)) return false;
  const where = `substituting ${describe(object)}`;
  let changed = false;
  (0, import_yaml3.visit)(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string" || !node.value.includes("$")) return;
      if (options.isSecret?.(node.value) === true) return;
      const next = substituteText(node.value, options, where);
      if (next === node.value) return;
      changed = true;
      if (node.type === "PLAIN" || node.type === void 0) {
        let resolved = next;
        try {
          resolved = (0, import_yaml3.parse)(next);
        } catch {
          resolved = next;
        }
        node.value = resolved !== null && typeof resolved === "object" ? next : resolved;
      } else {
        node.value = next;
      }
    }
  });
  return changed;
}
async function decryptVariables(file, name, text2, format, options) {
  try {
    return await decryptDocument(text2, format, format, options);
  } catch (error) {
    if (options.undecrypted === void 0 || !isNoKeyError(error)) {
      throw withContext(`substitute-from ${name}`, error, file);
    }
    const out = placeholderDocument(text2, format, format, { where: `substitute-from ${name}` });
    options.undecrypted.add(name, noKeyReason(error));
    return out;
  }
}
async function readSubstituteFrom(file, options) {
  let text2;
  try {
    text2 = await readFile(file, "utf8");
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `substitute-from ${file} cannot be read`, { cause });
  }
  const format = detectSopsFormat(text2);
  if (format === void 0) return text2;
  const plain = await decryptVariables(file, options.name ?? file, text2, format, {
    keySources: options.keySources,
    registry: options.registry,
    undecrypted: options.undecrypted
  });
  return Buffer.from(plain).toString("utf8");
}
async function loadVariables(file, keySources, registry, diff = {}) {
  const text2 = await readSubstituteFrom(file, { keySources, registry, ...diff });
  if (/^\s*(apiVersion|kind)\s*:/m.test(text2)) {
    const vars = /* @__PURE__ */ new Map();
    for (const doc of (0, import_yaml3.parseAllDocuments)(text2)) {
      const object = doc.toJS();
      if (object === null) continue;
      const secret = object.kind === "Secret";
      if (!secret && object.kind !== "ConfigMap") {
        throw new UserError(
          "BAD_FORMAT",
          `substitute-from ${file} holds a ${String(object.kind)}; expected a ConfigMap or Secret`
        );
      }
      for (const [key, value] of Object.entries(object.data ?? {})) {
        const plain = secret ? Buffer.from(String(value), "base64").toString("utf8") : String(value);
        if (secret && !isUndecryptedString(plain)) registry.add(plain);
        vars.set(key, plain);
      }
      for (const [key, value] of Object.entries(object.stringData ?? {})) {
        if (secret && !isUndecryptedString(String(value))) registry.add(String(value));
        vars.set(key, String(value));
      }
    }
    return vars;
  }
  const entries = text2.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  return parseVariables(entries, `substitute-from ${file}`);
}

// src/kustomize/build.ts
var import_yaml5 = __toESM(require_dist(), 1);

// src/executable.ts
import { access, constants, stat } from "node:fs/promises";
import path3 from "node:path";
async function isExecutable(file, options = {}) {
  try {
    await access(file, constants.X_OK);
    return options.regularFile !== true || (await stat(file)).isFile();
  } catch {
    return false;
  }
}
async function findOnPath(name, env) {
  for (const dir of (env["PATH"] ?? "").split(path3.delimiter)) {
    if (dir === "") continue;
    const candidate = path3.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return void 0;
}
async function resolveExplicitTool(explicit, env) {
  const file = explicit.includes("/") ? path3.resolve(explicit) : await findOnPath(explicit, env);
  return file !== void 0 && await isExecutable(file) ? file : void 0;
}

// src/kustomize/egress-proxy.ts
import net from "node:net";
function parseAuthority(authority) {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  if (match === null) return void 0;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return void 0;
  return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
}
function refuse(socket, status, reason) {
  socket.end(`HTTP/1.1 ${status}\r
Content-Type: text/plain\r
Connection: close\r
\r
${reason}
`);
}
function connectAny(addresses, port) {
  return new Promise((resolve, reject) => {
    let index = 0;
    const attempt = () => {
      const address = addresses[index++];
      if (address === void 0) {
        reject(new Error("no address answered"));
        return;
      }
      const upstream = net.connect({ host: address, port });
      upstream.once("connect", () => {
        upstream.removeAllListeners("error");
        resolve(upstream);
      });
      upstream.once("error", attempt);
    };
    attempt();
  });
}
function handle(client, policy, resolve, refused) {
  let head = Buffer.alloc(0);
  client.on("error", () => client.destroy());
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      if (head.length > 16 * 1024) refuse(client, "431 Request Header Fields Too Large", "header too large");
      return;
    }
    client.off("data", onData);
    const [requestLine = ""] = head.subarray(0, end).toString("latin1").split("\r\n");
    const rest = head.subarray(end + 4);
    const [method, authority = ""] = requestLine.split(" ");
    if (method !== "CONNECT") {
      refused.push(`${requestLine.slice(0, 200)}: only https through CONNECT is allowed`);
      refuse(client, "403 Forbidden", "only https (CONNECT) is allowed");
      return;
    }
    const target = parseAuthority(authority);
    if (target === void 0) {
      refuse(client, "400 Bad Request", "bad CONNECT target");
      return;
    }
    void (async () => {
      let upstream;
      try {
        const addresses = await vetHost(target.host, policy, resolve);
        upstream = await connectAny(addresses, target.port);
      } catch (error) {
        refused.push(`${target.host}: ${errorMessage(error)}`);
        refuse(client, "403 Forbidden", errorMessage(error));
        return;
      }
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    })();
  };
  client.on("data", onData);
}
async function startEgressProxy(policy, resolve) {
  const refused = [];
  const sockets = /* @__PURE__ */ new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    handle(client, policy, resolve, refused);
  });
  await new Promise((ready, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ready());
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: () => new Promise((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    })
  };
}
function proxiedEnv(env, proxyUrl) {
  return {
    ...env,
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    HTTP_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    ALL_PROXY: proxyUrl,
    NO_PROXY: "",
    no_proxy: "",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.proxy",
    GIT_CONFIG_VALUE_0: proxyUrl
  };
}
async function withEgress(remote, policy, env, deps, fn) {
  if (remote.length === 0 || policy.kind === "none") return fn(env);
  const proxy = await startEgressProxy(policy, deps.resolveHost);
  try {
    return await fn(proxiedEnv(env, proxy.url));
  } finally {
    await proxy.close();
    for (const line of proxy.refused)
      deps.host.warning(`a remote fetch was refused by allow-remote: ${line}`);
  }
}

// src/kustomize/post-build.ts
var import_yaml4 = __toESM(require_dist(), 1);
var DECRYPT_ANNOTATION = "kustomize.toolkit.fluxcd.io/decrypt";
function isDecryptionDisabled(object) {
  const value = object.metadata?.annotations?.[DECRYPT_ANNOTATION];
  return typeof value === "string" && value.toLowerCase() === "disabled";
}
function describe2(object) {
  const kind = typeof object.kind === "string" ? object.kind : "object";
  const name = typeof object.metadata?.name === "string" ? object.metadata.name : "?";
  const ns = typeof object.metadata?.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${kind} ${ns}${name}`;
}
function formatForDataKey(key) {
  if (key === ".dockerconfigjson" || key.endsWith(".dockerconfigjson")) return "json";
  return formatFromPath(key);
}
function needsPostBuild(object) {
  if (object === null || typeof object !== "object") return false;
  const o = object;
  if (o.sops !== void 0) return true;
  if (isDecryptionDisabled(o)) return false;
  if (o.kind !== "Secret" || typeof o.data !== "object" || o.data === null) return false;
  for (const value of Object.values(o.data)) {
    if (typeof value !== "string") continue;
    if (detectSopsFormat(Buffer.from(value, "base64").toString("utf8")) !== void 0) return true;
  }
  return false;
}
function base64Cores(word) {
  const bytes = Buffer.from(word, "latin1");
  return [0, 1, 2].map(
    (offset) => Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString("base64").slice(Math.ceil(8 * offset / 6), Math.floor(8 * (offset + bytes.length) / 6))
  );
}
var ENCODED_MARKER_CORES = [...base64Cores("ENC["), ...base64Cores("sops")];
function mayNeedPostBuildText(text2) {
  if (text2.includes("sops") || text2.includes("\\")) return true;
  if (!text2.includes("Secret")) return false;
  const compact = text2.replace(/[^A-Za-z0-9+/_-]/g, "").replace(/-/g, "+").replace(/_/g, "/");
  return ENCODED_MARKER_CORES.some((core) => compact.includes(core));
}
async function decryptAfterBuild(docs, options) {
  let changed = false;
  for (const [index, doc] of docs.entries()) {
    const object = doc.toJS();
    if (object === null || typeof object !== "object") continue;
    const name = describe2(object);
    const disabled = isDecryptionDisabled(object);
    if (!disabled && object.sops !== void 0) {
      options.log.warning(
        `${name} came out of kustomize still encrypted (a remote base?); decrypted after the build, without its MAC check`
      );
      try {
        const out = await decryptDocument(JSON.stringify(object), "json", "json", {
          keySources: options.keySources,
          registry: options.registry,
          ignoreMac: true,
          ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
        });
        docs[index] = new import_yaml4.Document(JSON.parse(Buffer.from(out).toString("utf8")));
        changed = true;
      } catch (error) {
        if (options.undecrypted === void 0 || !isNoKeyError(error)) {
          throw withContext(`decrypting ${name} after the build`, error);
        }
        let out;
        try {
          out = placeholderDocument(JSON.stringify(object), "json", "json", { where: name, manifest: true });
        } catch (placeholderError) {
          throw withContext(`decrypting ${name} after the build`, placeholderError);
        }
        docs[index] = new import_yaml4.Document(JSON.parse(Buffer.from(out).toString("utf8")));
        options.undecrypted.add(`${name} (still encrypted after the build)`, noKeyReason(error));
        changed = true;
      }
      continue;
    }
    if (!disabled && object.kind === "Secret" && typeof object.data === "object" && object.data !== null) {
      for (const [key, value] of Object.entries(object.data)) {
        if (typeof value !== "string") continue;
        const text2 = Buffer.from(value, "base64").toString("utf8");
        const input = detectSopsFormat(text2);
        if (input === void 0) continue;
        try {
          const out = await decryptDocument(text2, input, formatForDataKey(key), {
            keySources: options.keySources,
            registry: options.registry,
            wholeIsValue: true,
            ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
          });
          const encoded = Buffer.from(out).toString("base64");
          options.registry.add(encoded, { lines: false });
          doc.setIn(["data", key], encoded);
          changed = true;
        } catch (error) {
          if (options.undecrypted === void 0 || !isNoKeyError(error)) {
            throw withContext(`decrypting ${name} data key ${key}`, error);
          }
          try {
            placeholderDocument(text2, input, formatForDataKey(key), { where: name, wholeValueKey: key });
          } catch (placeholderError) {
            throw withContext(`decrypting ${name} data key ${key}`, placeholderError);
          }
          doc.setIn(["data", key], Buffer.from(undecryptedValueFor(key), "utf8").toString("base64"));
          options.undecrypted.add(`${name} data key ${key}`, noKeyReason(error));
          changed = true;
        }
      }
    }
    if (object.apiVersion === "v1" && object.kind === "Secret" && object.sops !== void 0) {
      throw new UserError("BAD_FORMAT", `${name} still carries sops metadata after the build`, {
        hint: `remove the ${DECRYPT_ANNOTATION}: disabled annotation, or do not ship this Secret encrypted`
      });
    }
  }
  return changed;
}

// src/kustomize/stage.ts
import { writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path4 from "node:path";
var KEYLESS_REASON = "no key is used by this run";
async function stageFile(file, options) {
  const data = readRealFileBoundedSync(file.source, { maxBytes: MAX_MANIFEST_BYTES, name: file.rel });
  const format = formatForRole(file);
  if (format === void 0) return { out: data, decrypted: false };
  const text2 = readableText(data);
  const formats = sopsFormats(text2, format);
  if (formats === void 0) return { out: data, decrypted: false };
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (data.byteLength > maxFileSize) {
    throw new UserError(
      "TOO_LARGE",
      `${file.via} "${file.rel}": the encrypted file is ${data.byteLength} bytes; the limit is ${maxFileSize}`,
      {
        hint: "raise max-file-size if the file is really meant to be this large",
        location: { file: file.source }
      }
    );
  }
  let reason = KEYLESS_REASON;
  if (options.undecrypted?.keyless !== true) {
    try {
      const out2 = await decryptDocument(data, formats.input, formats.output, {
        ...options,
        wholeIsValue: file.role.kind === "generator-file"
      });
      return { out: out2, decrypted: true };
    } catch (error) {
      if (options.undecrypted === void 0 || !isNoKeyError(error)) {
        throw withContext(`${file.via}: decrypting ${file.rel}`, error, file.source);
      }
      reason = noKeyReason(error);
    }
  }
  let out;
  try {
    out = placeholderDocument(text2, formats.input, formats.output, {
      where: `${file.via}: ${file.rel}`,
      manifest: file.role.kind === "manifest",
      ...file.role.kind === "generator-file" ? { wholeValueKey: file.role.key } : {}
    });
  } catch (placeholderError) {
    throw withContext(`${file.via}: decrypting ${file.rel}`, placeholderError, file.source);
  }
  options.undecrypted.add(file.rel, reason);
  return { out, decrypted: false };
}
function writeStaged(dir, rel, content) {
  writeFileSync(path4.join(dir, ...rel.split("/")), content, { mode: 384 });
}
async function makeDirectories(dir, graph) {
  const wanted = /* @__PURE__ */ new Set();
  const want = (rel) => {
    for (let d = rel; d !== "" && d !== "." && !wanted.has(d); d = path4.posix.dirname(d)) wanted.add(d);
  };
  for (const file of graph.files.values()) want(path4.posix.dirname(file.rel));
  for (const rel of graph.generated.keys()) want(path4.posix.dirname(rel));
  for (const rel of graph.dirs) want(rel);
  const byDepth = [...wanted].sort((a, b) => a.split("/").length - b.split("/").length);
  for (const rel of byDepth) await mkdir(path4.join(dir, ...rel.split("/")), { mode: 448 });
}
async function stageGraph(graph, options) {
  const parent = options.parent ?? privateRootParent(process.env);
  const { dir, cleanup } = await openPrivateRoot(
    parent,
    "build",
    options.signals === void 0 ? process : options.signals
  );
  try {
    const decrypted = [];
    await makeDirectories(dir, graph);
    const files = [...graph.files.values()];
    const concurrency = options.concurrency ?? Math.max(2, availableParallelism() * 2);
    await mapLimit(files, concurrency, async (file) => {
      const staged = await stageFile(file, options);
      if (staged.decrypted) decrypted.push(file.rel);
      writeStaged(dir, file.rel, staged.out);
    });
    for (const [rel, content] of graph.generated) writeStaged(dir, rel, content);
    return {
      dir,
      target: path4.join(dir, ...graph.target.split("/")),
      decrypted: decrypted.sort(),
      cleanup
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// src/kustomize/build.ts
async function versionOf(exec, command, args) {
  try {
    const result = await exec.run(command, args, { timeoutMs: 3e4 });
    const text2 = Buffer.from(result.stdout).toString("utf8");
    return /v?\d+\.\d+\.\d+[^\s"]*/.exec(text2)?.[0] ?? "unknown version";
  } catch {
    return "unknown version";
  }
}
async function resolveKustomize(explicit, deps) {
  if (explicit !== void 0) {
    const command = await resolveExplicitTool(explicit, deps.env);
    if (command === void 0) {
      throw new UserError("FILE_NOT_FOUND", `kustomize-path ${explicit} is not an executable file`);
    }
    const version = await versionOf(deps.exec, command, ["version"]);
    return { command, prefix: ["build"], description: `kustomize ${version} (${command})` };
  }
  const kustomize = await findOnPath("kustomize", deps.env);
  if (kustomize !== void 0) {
    const version = await versionOf(deps.exec, kustomize, ["version"]);
    return { command: kustomize, prefix: ["build"], description: `kustomize ${version} (${kustomize})` };
  }
  const kubectl = await findOnPath("kubectl", deps.env);
  if (kubectl !== void 0) {
    const version = await versionOf(deps.exec, kubectl, ["version", "--client"]);
    return {
      command: kubectl,
      prefix: ["kustomize"],
      description: `kubectl kustomize, kubectl ${version} (${kubectl})`
    };
  }
  throw new UserError("FILE_NOT_FOUND", "neither kustomize nor kubectl was found on PATH", {
    hint: "install kustomize, pass --kustomize /path/to/kustomize (the kustomize-path input), or ask for a release with kustomize-version"
  });
}
var KUSTOMIZE_GOGC = "200";
function kustomizeEnv(env) {
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(SOPS_|VAULT_TOKEN$|AWS_SECRET_ACCESS_KEY$|AWS_SESSION_TOKEN$|INPUT_)/.test(name)) continue;
    out[name] = value;
  }
  if (out["GOGC"] === void 0) out["GOGC"] = KUSTOMIZE_GOGC;
  return out;
}
function splitDocuments(output) {
  return output.split(/^---[ \t]*\r?$\n?/m).filter((text2) => /^[^#\s]/m.test(text2));
}
function mayNeedPostBuild(documents) {
  for (const text2 of documents) {
    if (!mayNeedPostBuildText(text2)) continue;
    const doc = (0, import_yaml5.parseDocument)(text2);
    if (doc.errors.length > 0 || needsPostBuild(doc.toJS())) return true;
  }
  return false;
}
function parseOutput(output, target) {
  const docs = (0, import_yaml5.parseAllDocuments)(output).filter((doc) => doc.contents !== null);
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new UserError("KUSTOMIZE_FAILED", `kustomize printed YAML that does not parse for ${target}`);
  }
  return docs;
}
function renderDocuments(docs) {
  return docs.map((doc) => doc.toString({ lineWidth: 0 })).join("---\n");
}
var LOAD_RESTRICTED = /is not in or below/;
var KUSTOMIZE_WARNING = /^# Warning: /;
function kustomizeFailure(what, result, where) {
  const stderr = where.registry.redact(result.stderr).split(where.staged).join(where.root).trim();
  const all = stderr.split("\n").filter((line) => line.trim() !== "");
  const lines = [
    ...all.filter((line) => !KUSTOMIZE_WARNING.test(line)),
    ...all.filter((line) => KUSTOMIZE_WARNING.test(line))
  ];
  const unique = [...new Set(lines.map((line) => line.replace(/^Error: /, "")))];
  const first = unique[0] ?? `exit code ${String(result.exitCode)}`;
  return new UserError("KUSTOMIZE_FAILED", `${what}: ${first}`, {
    ...unique.length > 1 ? { report: unique.slice(1).join("\n") } : {},
    ...LOAD_RESTRICTED.test(first) ? {
      hint: "the file is outside the kustomization directory; pass --load-restrictor LoadRestrictionsNone (Flux builds with it) or move the file into the directory"
    } : {}
  });
}
async function buildTarget(options, deps) {
  const walked = options.graph ?? await walkGraph(options.target, {
    ...options.root === void 0 ? {} : { root: options.root },
    ...options.remotePolicy === void 0 ? {} : { remotePolicy: options.remotePolicy },
    ...deps.resolveHost === void 0 ? {} : { resolveHost: deps.resolveHost }
  });
  const graph = options.originAnnotations === true ? await withOriginAnnotations(walked) : walked;
  for (const remote of graph.remote)
    deps.host.info(`${options.target}: remote resource ${remote} is fetched by kustomize`);
  const staged = await stageGraph(graph, {
    keySources: deps.keySources,
    registry: deps.registry,
    ...options.maxFileSize === void 0 ? {} : { maxFileSize: options.maxFileSize },
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder },
    ...deps.stagingParent === void 0 ? {} : { parent: deps.stagingParent },
    ...deps.signals === void 0 ? {} : { signals: deps.signals },
    ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted }
  });
  let output;
  try {
    const args = [
      ...deps.tool.prefix,
      staged.target,
      ...options.enableHelm === true ? ["--enable-helm"] : [],
      ...options.loadRestrictor === void 0 ? [] : ["--load-restrictor", options.loadRestrictor]
    ];
    const result = await withEgress(
      graph.remote,
      options.remotePolicy ?? PUBLIC_REMOTES,
      kustomizeEnv(deps.env),
      deps,
      (env) => deps.exec.run(deps.tool.command, args, { cwd: staged.target, env })
    );
    if (result.exitCode !== 0) {
      throw kustomizeFailure(`kustomize build ${options.target} failed`, result, {
        registry: deps.registry,
        staged: staged.dir,
        root: graph.root
      });
    }
    output = Buffer.from(result.stdout).toString("utf8");
  } finally {
    await staged.cleanup();
  }
  const documents = splitDocuments(output);
  if (options.substitute === void 0 && !mayNeedPostBuild(documents)) {
    let objects;
    return {
      yaml: output,
      get objects() {
        objects ??= parseOutput(output, options.target).map((doc) => doc.toJS());
        return objects;
      },
      objectCount: documents.length,
      tool: deps.tool.description,
      decrypted: staged.decrypted
    };
  }
  const docs = parseOutput(output, options.target);
  let changed = await decryptAfterBuild(docs, {
    keySources: deps.keySources,
    registry: deps.registry,
    log: deps.host,
    ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted },
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  if (options.substitute !== void 0) {
    for (const doc of docs) {
      if (substituteDocument(doc, {
        vars: options.substitute.vars,
        strict: options.substitute.strict,
        isSecret: (text2) => deps.registry.touches(text2)
      })) {
        changed = true;
      }
    }
  }
  return {
    // Unchanged output is kept byte for byte as kustomize printed it.
    yaml: changed ? renderDocuments(docs) : output,
    objects: docs.map((doc) => doc.toJS()),
    objectCount: docs.length,
    tool: deps.tool.description,
    decrypted: staged.decrypted
  };
}

// src/kustomize/install.ts
import { createHash } from "node:crypto";
import { mkdir as mkdir2, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { arch as osArch, platform as osPlatform } from "node:os";
import path5 from "node:path";
import { gunzipSync } from "node:zlib";

// src/kustomize/release-download.ts
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var MAX_REDIRECTS = 5;
async function readCapped(response, url, maxBytes) {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new UserError("TOO_LARGE", `${url} is ${declared} bytes; the limit is ${maxBytes}`);
  }
  if (response.body === null) return new Uint8Array();
  const chunks = [];
  let total = 0;
  const reader = response.body.getReader();
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new UserError("TOO_LARGE", `${url} is more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
async function downloadAsset(url, options) {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const origin = URL.canParse(current) ? new URL(current).origin : void 0;
    if (origin === void 0 || !options.origins.includes(origin)) {
      throw new UserError(
        "DOWNLOAD_FAILED",
        `refusing to download ${current}: only ${options.origins.join(", ")}`,
        {
          hint: hop === 0 ? void 0 : `${url} redirected there`
        }
      );
    }
    let response;
    try {
      response = await options.fetch(current, { redirect: "manual", signal });
    } catch (cause) {
      throw new UserError("DOWNLOAD_FAILED", `${current}: ${describeNetworkError(cause, new URL(current))}`, {
        cause
      });
    }
    if (REDIRECTS.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (location === null || hop >= MAX_REDIRECTS) {
        throw new UserError("DOWNLOAD_FAILED", `${url}: too many or empty redirects`);
      }
      current = new URL(location, current).href;
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return void 0;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UserError("DOWNLOAD_FAILED", `${current} answered HTTP ${response.status}`);
    }
    try {
      return await readCapped(response, current, options.maxBytes);
    } catch (cause) {
      if (cause instanceof UserError) throw cause;
      throw new UserError("DOWNLOAD_FAILED", `${current}: ${describeNetworkError(cause, new URL(current))}`, {
        cause
      });
    }
  }
}

// src/tar-reader.ts
var BLOCK = 512;
function text(block, start, length) {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString("utf8");
}
function numeric(block, start, length) {
  const field = block.subarray(start, start + length);
  if (((field[0] ?? 0) & 128) !== 0) {
    let value = (field[0] ?? 0) & 127;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new Error(`a header field is not octal: "${digits}"`);
  return digits === "" ? 0 : parseInt(digits, 8);
}
function checksumMatches(block) {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i] ?? 0;
  return numeric(block, 148, 8) === sum;
}
function paxRecords(data) {
  const out = /* @__PURE__ */ new Map();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(32, at);
    if (space === -1) break;
    const length = Number(Buffer.from(data.subarray(at, space)).toString("ascii"));
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > data.length) {
      throw new Error("a pax header record is malformed");
    }
    const record2 = Buffer.from(data.subarray(space + 1, at + length - 1)).toString("utf8");
    const eq = record2.indexOf("=");
    if (eq > 0) out.set(record2.slice(0, eq), record2.slice(eq + 1));
    at += length;
  }
  return out;
}
function normalize(name) {
  return name.replace(/^(\.\/)+/, "");
}
function visitTarFiles(tar, visit2) {
  let at = 0;
  let next = {};
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) return;
    if (!checksumMatches(header)) throw new Error(`the tar header at byte ${at} has a wrong checksum`);
    const type = String.fromCharCode(header[156] ?? 0);
    const metadata = type === "x" || type === "L" || type === "g";
    const size = metadata ? numeric(header, 124, 12) : next.size ?? numeric(header, 124, 12);
    const dataStart = at + BLOCK;
    if (dataStart + size > tar.length) throw new Error(`the tar entry at byte ${at} is cut short`);
    const data = tar.subarray(dataStart, dataStart + size);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      const records2 = paxRecords(data);
      const paxPath = records2.get("path");
      const paxSize = records2.get("size");
      if (paxPath !== void 0) next.path = paxPath;
      if (paxSize !== void 0) {
        next.size = Number(paxSize);
        if (!/^\d+$/.test(paxSize) || !Number.isSafeInteger(next.size))
          throw new Error("a pax size is not a number");
      }
      continue;
    }
    if (type === "L") {
      next.path = text(data, 0, data.length);
      continue;
    }
    if (type === "g") continue;
    const magic = text(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? text(header, 345, 155) : "";
    const entryName = next.path ?? (prefix === "" ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    next = {};
    if ((type === "0" || type === "\0" || type === "7") && visit2(normalize(entryName), data)) return;
  }
  throw new Error("the tar archive ends without its end-of-archive blocks");
}
function readTarEntry(tar, name) {
  let found;
  visitTarFiles(tar, (entry, data) => {
    if (entry !== name) return false;
    found = data;
    return true;
  });
  return found;
}

// src/kustomize/install.ts
var GITHUB_ORIGINS = [
  "https://github.com",
  "https://objects.githubusercontent.com",
  "https://release-assets.githubusercontent.com"
];
var MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
var MAX_BINARY_BYTES = 512 * 1024 * 1024;
var MAX_CHECKSUMS_BYTES = 1024 * 1024;
var DOWNLOAD_TIMEOUT_MS = 5 * 6e4;
var RELEASE_OS = { linux: "linux", darwin: "darwin" };
var RELEASE_ARCH = {
  x64: "amd64",
  arm64: "arm64",
  ppc64: "ppc64le",
  s390x: "s390x"
};
function releaseAssetName(version, platform, arch) {
  const os = RELEASE_OS[platform];
  const cpu = RELEASE_ARCH[arch];
  if (os === void 0 || cpu === void 0) {
    throw new UserError("UNSUPPORTED", `kustomize-version cannot install kustomize on ${platform}/${arch}`, {
      hint: "install kustomize yourself and pass its path as kustomize-path"
    });
  }
  return `kustomize_v${version}_${os}_${cpu}.tar.gz`;
}
function parseChecksums(text2) {
  const out = /* @__PURE__ */ new Map();
  for (const line of text2.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line);
    if (match?.[1] !== void 0 && match[2] !== void 0) out.set(match[2], match[1].toLowerCase());
  }
  return out;
}
function cacheRoot(release, env) {
  if (release.toolCache !== void 0) return path5.join(release.toolCache, "kustomize");
  const uid = typeof process.getuid === "function" ? process.getuid() : void 0;
  const dir = uid === void 0 ? void 0 : privateCacheDir(env, uid, "kustomize-sops-deploy-tools");
  if (dir === void 0) {
    throw new UserError(
      "UNSUPPORTED",
      "kustomize-version needs a cache folder that only this user can write",
      {
        hint: "point XDG_CACHE_HOME at a folder of yours that no one else can write"
      }
    );
  }
  return path5.join(dir, "kustomize");
}
async function downloadVerified(release, asset, fetch2) {
  const base = `${release.downloadUrl.replace(/\/+$/, "")}/kustomize%2Fv${release.version}`;
  const origins = release.downloadUrl === DEFAULT_KUSTOMIZE_DOWNLOAD_URL ? GITHUB_ORIGINS : [new URL(base).origin];
  const get = async (file, maxBytes) => {
    const url = `${base}/${file}`;
    let body;
    try {
      body = await downloadAsset(url, { origins, maxBytes, fetch: fetch2, timeoutMs: DOWNLOAD_TIMEOUT_MS });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(error.code, `downloading kustomize v${release.version}: ${error.message}`, {
        cause: error,
        hint: error.hint ?? "kustomize-version needs to reach the release; or install kustomize and pass kustomize-path"
      });
    }
    if (body === void 0) {
      throw new UserError(
        "DOWNLOAD_FAILED",
        `kustomize v${release.version} has no ${file} (HTTP 404 from ${url})`,
        {
          hint: "check kustomize-version against https://github.com/kubernetes-sigs/kustomize/releases"
        }
      );
    }
    return body;
  };
  const checksums = parseChecksums(
    Buffer.from(await get("checksums.txt", MAX_CHECKSUMS_BYTES)).toString("utf8")
  );
  const expected = checksums.get(asset);
  if (expected === void 0) {
    throw new UserError(
      "CHECKSUM_MISMATCH",
      `kustomize v${release.version}: checksums.txt lists no ${asset}`
    );
  }
  const archive = await get(asset, MAX_ARCHIVE_BYTES);
  const actual = createHash("sha256").update(archive).digest("hex");
  if (actual !== expected) {
    throw new UserError(
      "CHECKSUM_MISMATCH",
      `kustomize v${release.version}: ${asset} has sha256 ${actual}, but the release's checksums.txt says ${expected}; not using it`,
      { hint: "the download was altered or cut short; try again, and report it if it persists" }
    );
  }
  return archive;
}
function unpackBinary(archive, what) {
  let binary;
  try {
    binary = readTarEntry(gunzipSync(archive, { maxOutputLength: MAX_BINARY_BYTES }), "kustomize");
  } catch (cause) {
    throw new UserError("BAD_FORMAT", `${what} is not a readable .tar.gz: ${errorMessage(cause)}`, { cause });
  }
  if (binary === void 0) throw new UserError("BAD_FORMAT", `${what} holds no kustomize file`);
  return binary;
}
async function installKustomize(release, deps) {
  const platform = deps.platform ?? osPlatform();
  const arch = deps.arch ?? osArch();
  const asset = releaseAssetName(release.version, platform, arch);
  const versionDir = path5.join(cacheRoot(release, deps.env), release.version);
  const dir = path5.join(versionDir, arch);
  const binary = path5.join(dir, "kustomize");
  if (await isExecutable(binary, { regularFile: true })) {
    deps.log.debug(`kustomize v${release.version} is in the tool cache: ${binary}`);
    return binary;
  }
  deps.log.info(
    `kustomize v${release.version}: downloading ${asset} from ${new URL(release.downloadUrl).origin}`
  );
  const archive = await downloadVerified(release, asset, deps.fetch ?? fetch);
  const content = unpackBinary(archive, asset);
  await mkdir2(versionDir, { recursive: true });
  const staging = await mkdtemp(path5.join(versionDir, `.${arch}-`));
  try {
    await writeFile(path5.join(staging, "kustomize"), content, { mode: 493 });
    try {
      await rename(staging, dir);
    } catch (error) {
      const code = error.code;
      if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error;
      if (!await isExecutable(binary, { regularFile: true })) {
        throw new UserError("FILE_NOT_FOUND", `the tool cache folder ${dir} holds no executable kustomize`, {
          hint: `remove ${dir} and run again`
        });
      }
    }
    await writeFile(`${dir}.complete`, "");
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}

// src/commands/kustomize-tool.ts
async function prepareKustomize(config, deps) {
  const explicit = config.kustomizeRelease === void 0 ? config.kustomizePath : await installKustomize(config.kustomizeRelease, { log: deps.host, env: config.env });
  const tool = await resolveKustomize(explicit, { exec: deps.exec, env: config.env });
  deps.host.info(`building with ${tool.description}`);
  deps.host.appendSummary(`Built with ${tool.description}.
`);
  return tool;
}

export {
  findOnPath,
  resolveExplicitTool,
  KUSTOMIZATION_FILE_NAMES,
  walkGraph,
  formatForRole,
  originOf,
  withEgress,
  UndecryptedFiles,
  decryptAfterBuild,
  stageGraph,
  substituteDocument,
  readSubstituteFrom,
  loadVariables,
  kustomizeEnv,
  splitDocuments,
  kustomizeFailure,
  buildTarget,
  visitTarFiles,
  prepareKustomize
};
