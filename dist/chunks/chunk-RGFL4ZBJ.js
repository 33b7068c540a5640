import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  SENSITIVE_HINT,
  astChild,
  checkEnvText,
  checkManifest,
  checkMetadata,
  describeRuleMatch,
  encProblem,
  entry,
  isBroadPathRegex,
  isParseFailure,
  isReferenceTag,
  isSecretObject,
  isTemplate,
  isValuesFile,
  listFiles,
  matchCreationRule,
  parseSopsConfig,
  parseSource,
  positionOf,
  suppressed,
  waiverReason
} from "./chunk-RZOWOVJ5.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import {
  shouldBeEncrypted,
  storeFor
} from "./chunk-NHKNCDYL.js";
import {
  findRepositoryRoot,
  readFileBounded,
  resolveInside,
  tryReadFileBoundedSync
} from "./chunk-E6UVNDUT.js";
import {
  finding
} from "./chunk-TMWNBOC7.js";
import {
  formatFromPath,
  isComment
} from "./chunk-KWHHRL7C.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  UserError,
  errorMessage
} from "./chunk-ZSIIWODD.js";
import {
  __toESM
} from "./chunk-LQH3RA76.js";

// src/lint/lint.ts
import { closeSync, openSync, readSync } from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path3 from "node:path";

// src/lint/check-flat-file.ts
var MATCH_ALL = /* @__PURE__ */ new Set([".*", "^.*$", ".+", "^.+$", ".*$", "^.*"]);
function lineOfKey(lines, format, section, key) {
  if (format === "dotenv") return lines.find((l) => l.text.startsWith(`${key}=`)) ?? { number: 1, text: "" };
  let inSection = section === void 0;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed.startsWith("[")) inSection = trimmed === `[${section ?? ""}]`;
    else if (inSection && new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`).test(trimmed))
      return line;
  }
  return { number: 1, text: "" };
}
function redact(line) {
  const eq = line.text.indexOf("=");
  return eq === -1 ? line.text : `${line.text.slice(0, eq + 1)}***`;
}
function leaves(branches, format) {
  const out = [];
  for (const branch of branches) {
    for (const item of branch.items) {
      if (isComment(item)) continue;
      if (format === "ini" && item.value.kind === "map") {
        for (const inner of item.value.items) {
          if (isComment(inner) || inner.value.kind !== "str") continue;
          out.push({
            path: [item.key, inner.key],
            section: item.key,
            key: inner.key,
            value: inner.value.value
          });
        }
      } else if (item.value.kind === "str") {
        out.push({ path: [item.key], section: void 0, key: item.key, value: item.value.value });
      }
    }
  }
  return out;
}
function unquoted(value) {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}
function checkFlatFile(input) {
  const out = [];
  const lines = input.text.split("\n").map((text, i) => ({ number: i + 1, text: text.replace(/\r$/, "") }));
  const add = (rule2, line, message, snippet = redact(line)) => {
    const column = format === "ini" ? line.text.length - line.text.trimStart().length + 1 : 1;
    out.push({
      finding: finding(rule2, { file: input.file, line: line.number, column }, message, snippet),
      waivers: []
    });
  };
  const format = input.format;
  const store = storeFor(format);
  let loaded;
  try {
    loaded = store.loadEncrypted(input.text);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    loaded = void 0;
  }
  if (loaded?.metadata != null) {
    const { metadata, problems } = checkMetadata(loaded.metadata);
    const sopsLine = format === "dotenv" ? lines.find((l) => l.text.startsWith("sops_")) ?? lines[0] : lines.find((l) => /^\s*(\[sops\]|"sops"\s*:)/.test(l.text)) ?? lines[0];
    for (const problem of problems)
      add("sops-structure", sopsLine ?? { number: 1, text: "" }, problem.message, "");
    if (metadata !== void 0 && format !== "binary") {
      checkLeaves(metadata.selection, true);
    }
    return out;
  }
  const rule = input.creationRule;
  if (rule === void 0) return out;
  if (format === "binary") {
    if (rule.pathRegex === void 0 || MATCH_ALL.has(rule.pathRegex) || input.text.trim() === "") return out;
    add(
      "creation-rule-unencrypted",
      { number: 1, text: "" },
      `.sops.yaml creation rule ${rule.number} (path_regex ${JSON.stringify(rule.pathRegex)}) matches this file, but it is not encrypted`,
      ""
    );
    return out;
  }
  checkLeaves(rule.selection, false);
  return out;
  function checkLeaves(selection, encryptedFile) {
    let branches;
    try {
      branches = encryptedFile ? loaded?.branches ?? [] : store.loadPlain(input.text);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return;
    }
    for (const leaf of leaves(branches, format)) {
      const line = lineOfKey(lines, format, leaf.section, leaf.key);
      if (leaf.value.startsWith("ENC[")) {
        const problem = encProblem(leaf.value);
        if (problem !== void 0)
          add("sops-structure", line, `key ${JSON.stringify(leaf.path.join("."))}: ${problem}`);
        continue;
      }
      if (leaf.value === "" || !shouldBeEncrypted(selection, leaf.path, [], false)) continue;
      if (encryptedFile) {
        add(
          "unencrypted-value",
          line,
          `key ${JSON.stringify(leaf.path.join("."))} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`
        );
      } else if (!isTemplate(unquoted(leaf.value)) && rule !== void 0) {
        const regex = describeRuleMatch(rule);
        add(
          "creation-rule-unencrypted",
          line,
          `.sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${JSON.stringify(leaf.path.join("."))} would be)`
        );
        return;
      }
    }
  }
}

// src/lint/check-kustomization.ts
var import_yaml = __toESM(require_dist(), 1);
import path from "node:path";
var KUSTOMIZATION_NAMES = /* @__PURE__ */ new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);
function entry2(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return void 0;
}
function strings(value) {
  if (value?.kind === "str") return [value.value];
  if (value?.kind !== "list") return [];
  return value.items.map((item) => item.kind === "str" ? item.value : "");
}
function listItemOffsets(node, fallback) {
  if (!(0, import_yaml.isSeq)(node)) return [];
  return node.items.map((item) => item?.range?.[0] ?? fallback);
}
function isSopsEncrypted(text, file) {
  try {
    return storeFor(formatFromPath(file)).loadEncrypted(text).metadata !== null;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}
function lineText(source, offset) {
  const { line } = source.lines.linePos(offset);
  const start = source.lines.lineStarts[line - 1] ?? 0;
  const end = source.text.indexOf("\n", start);
  return { start, text: source.text.slice(start, end === -1 ? source.text.length : end).replace(/\r$/, "") };
}
var MAX_SOURCE_BYTES = 4 * 1024 * 1024;
async function checkKustomization(file, absolute, text, root) {
  const source = parseSource(text, "yaml");
  if (isParseFailure(source)) return [];
  const out = [];
  const dir = path.dirname(absolute);
  for (const doc of source.documents) {
    const generators = entry2(doc.tree, "secretGenerator");
    if (generators?.kind !== "list") continue;
    const generatorAst = astChild(doc.ast, "secretGenerator");
    const generatorNodes = (0, import_yaml.isSeq)(generatorAst?.node) ? generatorAst.node.items : [];
    const gens = generators.items.filter((item) => item.kind !== "comment");
    for (const [i, gen] of gens.entries()) {
      const genAst = generatorNodes[i] ?? null;
      const fallback = generatorAst?.offset ?? 0;
      const name = (entry2(gen, "name")?.kind === "str" ? entry2(gen, "name").value : void 0) ?? `#${i + 1}`;
      const report = (offset, message, snippet) => {
        out.push({
          finding: finding(
            "generator-plaintext",
            { file, ...positionOf(source, offset) },
            `secretGenerator ${JSON.stringify(name)}: ${message}`,
            snippet
          ),
          waivers: []
        });
      };
      const literalsAst = astChild(genAst, "literals");
      const literalOffsets = listItemOffsets(literalsAst?.node ?? null, literalsAst?.offset ?? fallback);
      strings(entry2(gen, "literals")).forEach((literal, j) => {
        const eq = literal.indexOf("=");
        const key = eq === -1 ? literal : literal.slice(0, eq);
        const value = eq === -1 ? "" : literal.slice(eq + 1);
        if (value === "" || isTemplate(value)) return;
        const offset = literalOffsets[j] ?? literalsAst?.offset ?? fallback;
        const line = lineText(source, offset);
        const rel = line.text.indexOf("=", offset - line.start);
        const snippet = rel === -1 ? line.text : `${line.text.slice(0, rel + 1)}***`;
        report(offset, `literal ${JSON.stringify(key)} has a plaintext value in the kustomization`, snippet);
      });
      for (const field of ["envs", "env", "files"]) {
        const fieldAst = astChild(genAst, field);
        const offsets = listItemOffsets(fieldAst?.node ?? null, fieldAst?.offset ?? fallback);
        const sources = strings(entry2(gen, field));
        for (const [j, raw] of sources.entries()) {
          const relative = field === "files" && raw.includes("=") ? raw.slice(raw.indexOf("=") + 1) : raw;
          if (relative === "" || isTemplate(relative)) continue;
          const target = path.resolve(dir, relative);
          let content;
          try {
            content = (await readFileBounded(target, {
              maxBytes: MAX_SOURCE_BYTES,
              root: root ?? await findRepositoryRoot(dir),
              name: relative
            })).toString("utf8");
          } catch (error) {
            if (!(error instanceof UserError)) throw error;
            if (error.code === "PATH_ESCAPE") {
              const offset2 = offsets[j] ?? fieldAst?.offset ?? fallback;
              report(
                offset2,
                `${field} source ${JSON.stringify(relative)} is outside the repository`,
                lineText(source, offset2).text
              );
            }
            continue;
          }
          if (content.trim() === "" || isSopsEncrypted(content, target)) continue;
          const offset = offsets[j] ?? fieldAst?.offset ?? fallback;
          report(
            offset,
            `${field} source ${JSON.stringify(relative)} is a plaintext file`,
            lineText(source, offset).text
          );
        }
      }
    }
  }
  return out;
}

// src/lint/check-text.ts
var SHAPES = [
  { name: "a private key block", pattern: "-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----" },
  { name: "an age secret key", pattern: "AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]{50,}" },
  { name: "an AWS access key id", pattern: "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" },
  { name: "a GitHub token", pattern: "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})" },
  { name: "a Slack token", pattern: "\\bxox[abprs]-[A-Za-z0-9-]{10,}" },
  { name: "a Google API key", pattern: "\\bAIza[0-9A-Za-z_-]{35}\\b" },
  { name: "a Stripe live key", pattern: "\\b[rs]k_live_[0-9A-Za-z]{24,}" },
  {
    name: "a Slack webhook URL",
    pattern: "https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9_/]{20,}"
  },
  {
    name: "an Azure storage connection string",
    pattern: "AccountKey=[A-Za-z0-9+/]{40,}={0,2}"
  },
  {
    // Also inside a JSON string (a key file pasted into a quoted value), quotes escaped.
    name: "a GCP service-account key",
    pattern: '\\\\?"type\\\\?"\\s*:\\s*\\\\?"service_account\\\\?"'
  },
  {
    // A lone secret access key is 40 base64 characters; alone it is any hash, so the key name
    // must say what it is (as gitleaks and trufflehog decide).
    name: "an AWS secret access key",
    pattern: `(?:[Aa][Ww][Ss]|[Ss][Ee][Cc][Rr][Ee][Tt]_?[Aa][Cc][Cc][Ee][Ss][Ss])[A-Za-z_.-]{0,30}["']?\\s*[:=]\\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])`
  }
];
var COMBINED = new RegExp(SHAPES.map((s) => `(${s.pattern})`).join("|"), "g");
var MAX_PER_FILE = 20;
function checkText(file, text, inObject = false) {
  const out = [];
  COMBINED.lastIndex = 0;
  for (const match of text.matchAll(COMBINED)) {
    if (out.length >= MAX_PER_FILE) break;
    const groups = match.slice(1);
    const shape = SHAPES[groups.findIndex((group) => group !== void 0)];
    const lineStart = text.lastIndexOf("\n", match.index - 1) + 1;
    let lineEnd = text.indexOf("\n", match.index);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(0, match.index).split("\n").length;
    const snippet = (text.slice(lineStart, match.index) + "***" + text.slice(match.index + match[0].length, lineEnd)).replace(/\r$/, "");
    out.push(
      finding(
        inObject ? "token-in-manifest" : "private-key-material",
        { file, line, column: match.index - lineStart + 1 },
        `the file contains ${shape?.name ?? "key material"} and is not encrypted`,
        // A PEM header line holds no secret itself, but token lines do: mask the match either way.
        snippet
      )
    );
  }
  return out;
}

// src/lint/kustomization-sources.ts
var import_yaml2 = __toESM(require_dist(), 1);
import path2 from "node:path";
function entry3(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return void 0;
}
function listItems(value) {
  return value?.kind === "list" ? value.items.filter((item) => item.kind !== "comment") : [];
}
function str(value) {
  return value?.kind === "str" ? value.value : void 0;
}
function isRemote(ref) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(ref);
}
function listedSources(absolute, text) {
  const source = parseSource(text, "yaml");
  if (isParseFailure(source)) return [];
  const dir = path2.dirname(absolute);
  const out = [];
  const add = (ref) => {
    if (ref === void 0 || ref === "" || ref.includes("\n") || isRemote(ref)) return;
    out.push(path2.resolve(dir, ref));
  };
  for (const doc of source.documents) {
    for (const field of ["resources", "crds", "patchesStrategicMerge", "bases"]) {
      for (const item of listItems(entry3(doc.tree, field))) add(str(item));
    }
    for (const field of ["patches", "patchesJson6902"]) {
      for (const item of listItems(entry3(doc.tree, field))) add(str(entry3(item, "path")));
    }
  }
  return out;
}
function inlinePatches(tree, ast) {
  const out = [];
  for (const field of ["patches", "patchesJson6902", "patchesStrategicMerge"]) {
    const fieldAst = astChild(ast, field);
    const nodes = (0, import_yaml2.isSeq)(fieldAst?.node) ? fieldAst.node.items : [];
    listItems(entry3(tree, field)).forEach((item, i) => {
      const node = nodes[i] ?? null;
      const fallback = fieldAst?.offset ?? 0;
      if (field === "patchesStrategicMerge") {
        const text2 = str(item);
        if (text2?.includes("\n") === true) out.push({ text: text2, node, fallback });
        return;
      }
      const text = str(entry3(item, "patch"));
      if (text !== void 0) out.push({ text, node: astChild(node, "patch")?.node ?? null, fallback });
    });
  }
  return out;
}
function checkInlinePatches(file, text) {
  const source = parseSource(text, "yaml");
  if (isParseFailure(source)) return [];
  const out = [];
  for (const doc of source.documents) {
    for (const patch of inlinePatches(doc.tree, doc.ast)) {
      const node = patch.node;
      const start = node?.range?.[0] ?? patch.fallback;
      const at = positionOf(source, start);
      const block = (0, import_yaml2.isScalar)(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
      const indent = block ? /^( *)\S/m.exec(source.text.slice(source.text.indexOf("\n", start) + 1))?.[1]?.length ?? 0 : 0;
      for (const found of checkManifest({
        file,
        text: patch.text,
        format: "yaml",
        creationRule: void 0
      })) {
        const f = found.finding;
        const moved = block ? { line: at.line + f.line, column: f.column + indent } : { line: at.line, column: at.column };
        out.push({
          finding: { ...f, ...moved, message: `inline patch: ${f.message}` },
          waivers: found.waivers
        });
      }
    }
  }
  return out;
}

// src/lint/check-template-file.ts
function isYamlTemplateName(base) {
  return /\.ya?ml\.[A-Za-z0-9_-]+$/i.test(base);
}
var BOOLEAN = /^(?:true|false)$/;
var KEY_LINE = /^(\s*)(?:-\s+)?(["']?)([^\s"':#][^"':#]*?)\2\s*:(?:\s+(.*))?$/;
function bareValue(raw) {
  const text = raw.trim();
  const quoted = /^(["'])(.*)\1(?:\s+#.*)?$/.exec(text);
  if (quoted !== null) return quoted[2] ?? "";
  return text.replace(/\s+#.*$/, "");
}
function checkTemplateLines(file, text, rule) {
  const selection = rule.selection;
  const stack = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    const match = KEY_LINE.exec(line);
    if (match === null) continue;
    const indent = (match[1] ?? "").length;
    const key = match[3] ?? "";
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const value = bareValue(match[4] ?? "");
    const path4 = [...stack.map((s) => s.key), key];
    if (value === "" || value === "|" || value === ">" || /^[|>][-+]?$/.test(value)) {
      stack.push({ indent, key });
      continue;
    }
    if (value.startsWith("ENC[") || BOOLEAN.test(value) || isReferenceTag(value) || !shouldBeEncrypted(selection, path4, [], false) || isTemplate(value)) {
      continue;
    }
    const regex = describeRuleMatch(rule);
    const column = indent + 1;
    return [
      {
        finding: finding(
          "creation-rule-unencrypted",
          { file, line: index + 1, column },
          `.sops.yaml creation rule ${rule.number} (${regex}) matches this template, and its key ${JSON.stringify(path4.join("."))} holds a literal value that the rule would encrypt`,
          `${line.slice(0, line.indexOf(":") + 1)} ***`
        ),
        waivers: []
      }
    ];
  }
  return [];
}

// src/lint/lint.ts
var MAX_LINT_BYTES = 4 * 1024 * 1024;
var MANIFEST_HINT = /Secret|sops|ENC\[|\\/;
var OBJECT_API = /^\s*"?apiVersion"?\s*:/m;
var OBJECT_KIND = /^\s*"?kind"?\s*:/m;
var SECRET_LIKE_KINDS = /HelmRelease|ConfigMap/;
var ENCRYPTED_HINT = /^sops:|"sops"\s*:|^sops_mac=|^\[sops\]/m;
function onlyKubernetesObjects(text) {
  return text.split(/^---[^\n]*$/m).filter((doc) => /^[^#\s]/m.test(doc)).every((doc) => /^apiVersion:[ \t]*\S/m.test(doc) && /^kind:[ \t]*\S/m.test(doc));
}
var SopsConfigFinder = class {
  // Promises, so files checked concurrently under one folder share one search and one parse.
  byDir = /* @__PURE__ */ new Map();
  problems = [];
  cwd;
  constructor(cwd) {
    this.cwd = cwd;
  }
  /** The nearest `.sops.yaml` from `dir` up to the repository `root` (never above it). */
  find(dir, root) {
    let found = this.byDir.get(dir);
    if (found === void 0) {
      found = this.search(dir, root);
      this.byDir.set(dir, found);
    }
    return found;
  }
  async search(dir, root) {
    const candidate = path3.join(dir, ".sops.yaml");
    let found;
    if (await exists(candidate)) {
      found = await this.parse(candidate, root);
    } else {
      const parent = path3.dirname(dir);
      const above = path3.relative(root, parent).startsWith("..");
      found = parent === dir || above ? void 0 : await this.find(parent, root);
    }
    return found;
  }
  async parse(file, root) {
    const display = path3.relative(this.cwd, file).split(path3.sep).join("/");
    const add = (line, column, message) => {
      this.problems.push({
        absolute: file,
        finding: finding("sops-config", { file: display, line, column }, message)
      });
    };
    try {
      const name = path3.basename(file);
      const data = await readFileBounded(file, { maxBytes: MAX_LINT_BYTES, root, name });
      const config = parseSopsConfig(data.toString("utf8"), file);
      for (const problem of config.problems) add(problem.line, problem.column, problem.message);
      return config;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      add(
        1,
        1,
        errorMessage(error).replace(`${file}: `, "").replace(/^\.sops\.yaml /, "the file ")
      );
      return void 0;
    }
  }
};
function decode(data) {
  if (data[0] === 255 && data[1] === 254) return new TextDecoder("utf-16le").decode(data.subarray(2));
  if (data[0] === 254 && data[1] === 255) return new TextDecoder("utf-16be").decode(data.subarray(2));
  const body = data[0] === 239 && data[1] === 187 && data[2] === 191 ? data.subarray(3) : data;
  if (body.subarray(0, 8192).includes(0)) return void 0;
  return body.toString("utf8");
}
function readHead(file, bytes) {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
async function readText(file, root) {
  let data;
  try {
    const options = { maxBytes: MAX_LINT_BYTES, root, name: "the file" };
    data = tryReadFileBoundedSync(file, options) ?? await readFileBounded(file, options);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const code = error.cause?.code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return { kind: "skip" };
    if (await isLinkToFolderInside(file, root)) return { kind: "skip" };
    if (error.code === "TOO_LARGE") {
      const real = await resolveInside(file, root);
      const head = decode(readHead(real, 65536));
      const size = (await lstat(real)).size;
      return head === void 0 ? { kind: "skip" } : { kind: "too-large", size, head };
    }
    return { kind: "unreadable", why: errorMessage(error).replace(/^the file /, "it ") };
  }
  const text = decode(data);
  return text === void 0 ? { kind: "skip" } : { kind: "text", text };
}
function formatOf(absolute, listed) {
  const format = formatFromPath(absolute);
  if (!listed || format === "yaml" || format === "json") return format;
  return absolute.toLowerCase().endsWith(".json") ? "json" : "yaml";
}
async function isLinkToFolderInside(file, root) {
  try {
    return (await lstat(file)).isSymbolicLink() && (await stat(await resolveInside(file, root))).isDirectory();
  } catch {
    return false;
  }
}
async function exists(file) {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
async function lintFile(absolute, display, text, configs, root, listed) {
  const base = path3.basename(absolute);
  if (base === ".sops.yaml" || base === ".ksd-lint.yaml") return [];
  const out = [];
  const encrypted = ENCRYPTED_HINT.test(text);
  if (!encrypted) {
    const inObject = listed || OBJECT_API.test(text) && OBJECT_KIND.test(text);
    out.push(...checkText(display, text, inObject).map((f) => ({ finding: f, waivers: [] })));
  }
  if (KUSTOMIZATION_NAMES.has(base)) {
    out.push(...await checkKustomization(display, absolute, text, root));
    out.push(...checkInlinePatches(display, text));
    return out;
  }
  const format = formatOf(absolute, listed);
  const config = await configs.find(path3.dirname(absolute), root);
  const creationRule = config === void 0 ? void 0 : matchCreationRule(config, absolute);
  if (format === "yaml" || format === "json") {
    const valuesFile = isValuesFile(base);
    const relevant = listed || MANIFEST_HINT.test(text) || SENSITIVE_HINT.test(text) && (valuesFile || SECRET_LIKE_KINDS.test(text));
    const ruled = creationRule !== void 0 && (!isBroadPathRegex(creationRule.pathRegex) || !(format === "yaml" && onlyKubernetesObjects(text)));
    if (relevant || ruled) {
      out.push(...checkManifest({ file: display, text, format, creationRule, valuesFile }));
    }
  } else if (!encrypted && creationRule !== void 0 && isYamlTemplateName(base)) {
    const asYaml = checkManifest({ file: display, text, format: "yaml", creationRule, valuesFile: false });
    const unparseable = asYaml.length === 1 && asYaml[0]?.finding.rule === "unparseable-file";
    out.push(...unparseable ? checkTemplateLines(display, text, creationRule) : asYaml);
  } else if (encrypted || creationRule !== void 0) {
    out.push(...checkFlatFile({ file: display, text, format, creationRule }));
  }
  if (format === "dotenv" && !encrypted) {
    out.push(...checkEnvText(display, text).map((f) => ({ finding: f, waivers: [] })));
  }
  return out;
}
function unchecked(file, message, severity) {
  return {
    finding: { ...finding("unchecked-file", { file, line: 1, column: 1 }, message), severity },
    waivers: []
  };
}
var MANIFEST_HEAD = /\bkind\b|apiVersion|sops|PRIVATE KEY|stringData/;
async function kustomizationSources(files) {
  const listed = /* @__PURE__ */ new Set();
  for (const [file, root] of files) {
    if (!KUSTOMIZATION_NAMES.has(path3.basename(file))) continue;
    const read = await readText(file, root);
    if (read.kind !== "text") continue;
    for (const source of listedSources(file, read.text)) {
      try {
        const real = await resolveInside(source, root);
        if ((await lstat(real)).isFile()) listed.add(source);
      } catch {
      }
    }
  }
  return listed;
}
var FILES_IN_FLIGHT = 16;
async function checkFile(absolute, display, root, configs, listed) {
  const read = await readText(absolute, root);
  if (read.kind === "skip") return void 0;
  if (read.kind === "unreadable") return [unchecked(display, `not checked: ${read.why}`, "error")];
  if (read.kind === "too-large") {
    const mib = Math.floor(MAX_LINT_BYTES / (1024 * 1024));
    const severity = listed || MANIFEST_HEAD.test(read.head) ? "error" : "warning";
    return [unchecked(display, `not checked: over ${mib} MiB (${read.size} bytes)`, severity)];
  }
  try {
    return await lintFile(absolute, display, read.text, configs, root, listed);
  } catch (error) {
    return [unchecked(display, `not checked: ${errorMessage(error)}`, "error")];
  }
}
function compareFindings(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
async function lintPaths(options) {
  const files = /* @__PURE__ */ new Map();
  for (const target of options.paths) {
    const absolute = path3.resolve(options.cwd, target);
    const root = await findRepositoryRoot(absolute);
    for (const file of await listFiles(absolute, options.exec)) if (!files.has(file)) files.set(file, root);
  }
  const listed = await kustomizationSources(files);
  for (const file of listed) {
    if (!files.has(file)) files.set(file, await findRepositoryRoot(file));
  }
  const configs = new SopsConfigFinder(options.cwd);
  const findings = [];
  const waived = [];
  let filesChecked = 0;
  const displayOf = (absolute) => path3.relative(options.cwd, absolute).split(path3.sep).join("/");
  const record = ({ finding: f, waivers }, absolute) => {
    const reason = waiverReason(f, absolute, waivers, options.config);
    if (reason === void 0) findings.push(f);
    else waived.push(suppressed(f, reason));
  };
  const sorted = [...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  const checked = await mapLimit(
    sorted,
    FILES_IN_FLIGHT,
    ([absolute, root]) => checkFile(absolute, displayOf(absolute), root, configs, listed.has(absolute))
  );
  sorted.forEach(([absolute], i) => {
    const located = checked[i];
    if (located === void 0) return;
    filesChecked++;
    for (const one of located) record(one, absolute);
  });
  for (const { absolute, finding: finding2 } of configs.problems) {
    const reason = waiverReason(finding2, absolute, [], options.config);
    if (reason === void 0) findings.push(finding2);
    else waived.push(suppressed(finding2, reason));
  }
  return { findings: findings.sort(compareFindings), suppressed: waived.sort(compareFindings), filesChecked };
}

// src/lint/fix-plan.ts
var DEFAULT_FIX_SELECTION = { kind: "encrypted_regex", value: "^(data|stringData)$" };
var ENCRYPT_RULES = /* @__PURE__ */ new Set(["plaintext-secret", "creation-rule-unencrypted"]);
var GENERATOR_ADVICE = "a secretGenerator literal cannot be encrypted in place: put the value in an env file, encrypt that file with `encrypt --in-place FILE`, and list it under the generator\u2019s envs instead";
var ENCRYPTED_ADVICE = "the file is encrypted already, and re-encrypting it needs its data key: edit it with `sops FILE` so the value is encrypted";
var CONFIGMAP_ADVICE = "a ConfigMap is read in plaintext by whatever mounts it, so it is not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and reference that instead";
var HELM_ADVICE = "HelmRelease values are not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and pass it with the HelmRelease\u2019s valuesFrom";
function kindOf(doc) {
  const kind = entry(doc.tree, "kind");
  return kind?.kind === "str" ? kind.value : void 0;
}
function isEmpty(doc) {
  return doc.root === void 0 && doc.tree.items.every(isComment);
}
function shapeOf(file, text) {
  const format = formatFromPath(file);
  if (format !== "yaml" && format !== "json") {
    return {
      kind: "not-fixable",
      kinds: [],
      why: `lint --fix encrypts YAML and JSON manifests only, and sops would store this file as ${format}: give it a .yaml name, then run lint --fix again`
    };
  }
  if (text === void 0) return { kind: "not-fixable", kinds: [], why: "the file could not be read" };
  const source = parseSource(text, format);
  if (isParseFailure(source)) {
    return { kind: "not-fixable", kinds: [], why: "the file does not parse, so it is not encrypted" };
  }
  const docs = source.documents.filter((doc) => !isEmpty(doc));
  const kinds = [...new Set(docs.map((doc) => kindOf(doc) ?? "a document without a kind"))];
  if (docs.some((doc) => entry(doc.tree, "sops") !== void 0)) {
    return { kind: "not-fixable", kinds, why: ENCRYPTED_ADVICE };
  }
  const secrets = docs.filter((doc) => doc.root === void 0 && isSecretObject(doc.tree));
  if (docs.length > 0 && secrets.length === docs.length) return { kind: "secrets" };
  const others = kinds.filter((kind) => kind !== "Secret");
  if (secrets.length > 0) {
    return {
      kind: "not-fixable",
      kinds,
      why: `the file also holds ${others.join(", ")}, whose values encrypting the file would hide too: move the Secret into a file of its own, then run lint --fix again`
    };
  }
  if (kinds.some((kind) => kind.endsWith("List"))) {
    return {
      kind: "not-fixable",
      kinds,
      why: "the Secrets are items of a List, and an encrypted List loses its sops metadata when kustomize flattens it (Flux could not decrypt the items): put each Secret in a file of its own, then run lint --fix again"
    };
  }
  return {
    kind: "not-fixable",
    kinds,
    why: "it holds no Secret, and lint --fix encrypts Secret files only: if it is meant to be secret, encrypt it with `encrypt --in-place FILE`; otherwise narrow the creation rule\u2019s path_regex"
  };
}
function adviceFor(finding2, shape) {
  switch (finding2.rule) {
    case "plaintext-secret":
    case "creation-rule-unencrypted":
      return shape.why;
    case "generator-plaintext":
      return GENERATOR_ADVICE;
    case "unencrypted-value":
      return ENCRYPTED_ADVICE;
    case "token-in-manifest":
    case "secret-like-value":
    case "creation-rule-configmap":
    case "private-key-material":
      if (shape.kinds.includes("HelmRelease")) return HELM_ADVICE;
      if (shape.kinds.includes("ConfigMap")) return CONFIGMAP_ADVICE;
      return `lint --fix does not change this file: ${finding2.hint}`;
    default:
      return `lint --fix does not change this: ${finding2.hint}`;
  }
}
function planFixes(findings, textOf) {
  const byFile = /* @__PURE__ */ new Map();
  for (const f of findings) byFile.set(f.file, [...byFile.get(f.file) ?? [], f]);
  const encrypt = [];
  const advice = [];
  for (const [file, fileFindings] of byFile) {
    const wantsEncryption = fileFindings.some((f) => ENCRYPT_RULES.has(f.rule));
    const shape = wantsEncryption ? shapeOf(file, textOf(file)) : { kind: "not-fixable", kinds: kindsIn(file, textOf), why: "" };
    if (shape.kind === "secrets") {
      encrypt.push(file);
      continue;
    }
    for (const f of fileFindings) advice.push({ finding: f, advice: adviceFor(f, shape) });
  }
  return { encrypt: encrypt.sort(), advice };
}
function kindsIn(file, textOf) {
  const format = formatFromPath(file);
  const text = format === "yaml" || format === "json" ? textOf(file) : void 0;
  if (text === void 0) return [];
  const source = parseSource(text, format === "json" ? "json" : "yaml");
  if (isParseFailure(source)) return [];
  return source.documents.flatMap((doc) => kindOf(doc) ?? []);
}
function withAdvice(findings, advice) {
  const key = (f) => `${f.file}\0${f.rule}\0${String(f.line)}\0${String(f.column)}`;
  const byKey = new Map(advice.map((a) => [key(a.finding), a.advice]));
  return findings.map((f) => {
    const text = byKey.get(key(f));
    return text === void 0 ? f : { ...f, hint: text };
  });
}

export {
  MAX_LINT_BYTES,
  compareFindings,
  lintPaths,
  DEFAULT_FIX_SELECTION,
  planFixes,
  withAdvice
};
