import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  creationRulePath
} from "./chunk-KBGQ66X3.js";
import {
  isTemplate,
  listFiles
} from "./chunk-MINXH3HI.js";
import {
  SELECTION_KINDS,
  compileGoRegexp,
  formatGoTime,
  parseEncryptedValue,
  parseJsonDocument,
  parseMetadata,
  shouldBeEncrypted,
  storeFor,
  yamlStore
} from "./chunk-KKUXYRDY.js";
import {
  findRepositoryRoot,
  readFileBounded,
  resolveInside
} from "./chunk-ER2H63QJ.js";
import {
  finding,
  isRuleId
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

// src/lint/suppress.ts
var import_yaml = __toESM(require_dist(), 1);
import path from "node:path";

// src/lint/path-glob.ts
var MAX_ALTERNATIVES = 256;
var GlobError = class extends Error {
};
function compilePathGlob(glob) {
  const alternatives = expandBraces(glob);
  const compiled = alternatives.map(
    (alternative) => alternative.split("/").filter((segment, i, all) => segment !== "" || i === 0 || i === all.length - 1).map(compileSegment)
  );
  return {
    matches(relative) {
      const parts = relative.split("/");
      return compiled.some((segments) => matchSegments(segments, parts));
    }
  };
}
function matchSegments(segments, parts) {
  let reachable = parts.map((_, j) => j === 0).concat(parts.length === 0);
  for (const [index, segment] of segments.entries()) {
    const next = reachable.map(() => false);
    for (let j = 0; j <= parts.length; j++) {
      if (!reachable[j]) continue;
      if (segment.globstar) {
        if (index < segments.length - 1) next[j] = true;
        for (let k = j; k < parts.length && !hidden(parts[k] ?? ""); k++) next[k + 1] = true;
      } else if (j < parts.length) {
        const part = parts[j] ?? "";
        const special = part === "." || part === "..";
        const allowed = special ? segment.source === part : segment.dot || !hidden(part);
        if (allowed && segment.re.test(part)) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[parts.length] === true;
}
function hidden(part) {
  return part.startsWith(".");
}
function compileSegment(segment) {
  if (segment === "**") return { globstar: true };
  const dot = segment.startsWith(".") || segment.startsWith("\\.");
  return {
    globstar: false,
    dot,
    source: segment,
    re: compileGoRegexp(`^${segmentToRe2(segment)}$`, "glob segment")
  };
}
function segmentToRe2(segment) {
  let out = "";
  let i = 0;
  while (i < segment.length) {
    const c = segment.charAt(i);
    const extglob = /^[@?+*!]\(/.test(segment.slice(i, i + 2));
    if (extglob) {
      const close = closingParen(segment, i + 1);
      if (close < 0) throw new GlobError(`unclosed ${segment.slice(i, i + 2)}`);
      if (c === "!") throw new GlobError("negated extglobs !(...) are not supported");
      const body = splitTopLevel(segment.slice(i + 2, close)).map((alt) => segmentToRe2(alt)).join("|");
      out += `(?:${body})${c === "@" ? "" : c}`;
      i = close + 1;
    } else if (c === "\\") {
      const next = String.fromCodePoint(segment.codePointAt(i + 1) ?? 92);
      out += quote(next);
      i += 1 + (i + 1 < segment.length ? next.length : 0);
    } else if (c === "*") {
      while (segment.charAt(i) === "*") i++;
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const cls = bracket(segment, i);
      if (cls === void 0) {
        out += "\\[";
        i++;
      } else {
        out += cls.re;
        i = cls.end;
      }
    } else {
      const ch = String.fromCodePoint(segment.codePointAt(i) ?? 0);
      out += quote(ch);
      i += ch.length;
    }
  }
  return out;
}
function splitTopLevel(body) {
  const parts = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}
function closingParen(text2, open) {
  let depth = 0;
  for (let i = open; i < text2.length; i++) {
    const c = text2.charAt(i);
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}
function bracket(segment, start) {
  let i = start + 1;
  let negate = false;
  if (segment.charAt(i) === "!" || segment.charAt(i) === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < segment.length) {
    const c = segment.charAt(i);
    if (c === "]" && !first) return { re: negate ? `[^/${body}]` : `[${body}]`, end: i + 1 };
    first = false;
    const posix = c === "[" ? /^\[:[a-z]+:\]/.exec(segment.slice(i)) : null;
    if (posix !== null) {
      body += posix[0];
      i += posix[0].length;
    } else if (c === "\\" && i + 1 < segment.length) {
      body += quoteInClass(segment.charAt(i + 1));
      i += 2;
    } else {
      body += c === "-" ? "-" : quoteInClass(c);
      i++;
    }
  }
  return void 0;
}
function quote(ch) {
  return /[\\.+*?()|[\]{}^$]/.test(ch) ? `\\${ch}` : ch;
}
function quoteInClass(ch) {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}
function expandBraces(glob) {
  const open = findBrace(glob);
  if (open === void 0) return [glob];
  const { start, end, parts } = open;
  const prefix = glob.slice(0, start);
  const suffix = glob.slice(end + 1);
  const out = [];
  for (const part of parts) {
    for (const expanded of expandBraces(prefix + part + suffix)) {
      out.push(expanded);
      if (out.length > MAX_ALTERNATIVES) {
        throw new GlobError(`braces expand to more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return out;
}
function findBrace(glob) {
  for (let start = 0; start < glob.length; start++) {
    const c = glob.charAt(start);
    if (c === "\\") {
      start++;
      continue;
    }
    if (c !== "{") continue;
    const parts = [];
    let depth = 0;
    let from = start + 1;
    for (let i = start; i < glob.length; i++) {
      const d = glob.charAt(i);
      if (d === "\\") i++;
      else if (d === "{") depth++;
      else if (d === "," && depth === 1) {
        parts.push(glob.slice(from, i));
        from = i + 1;
      } else if (d === "}" && --depth === 0) {
        if (parts.length === 0) {
          if (/^\{-?\d+\.\.-?\d+(\.\.\d+)?\}$|^\{[a-zA-Z]\.\.[a-zA-Z]\}$/.test(glob.slice(start, i + 1))) {
            throw new GlobError("ranges such as {1..3} are not supported; list the values, {1,2,3}");
          }
          break;
        }
        parts.push(glob.slice(from, i));
        return { start, end: i, parts };
      }
    }
  }
  return void 0;
}

// src/lint/suppress.ts
var NO_REASON = "(no reason given)";
function parseIgnoreAnnotation(value) {
  const match = /^\s*([A-Za-z*][\w*,\s-]*?)\s*(?::\s*([\s\S]*))?$/.exec(value);
  if (match?.[1] === void 0) return [];
  const reason = match[2]?.trim() || NO_REASON;
  const names = match[1].split(",").map((n) => n.trim());
  if (names.includes("*")) return [{ rules: "*", reason }];
  const rules = names.filter(isRuleId);
  return rules.length === 0 ? [] : [{ rules, reason }];
}
function parseLintConfig(text2, file) {
  let raw;
  try {
    raw = (0, import_yaml.parse)(text2, { prettyErrors: false });
  } catch (cause) {
    throw new UserError("USAGE", `${file}: not valid YAML`, { cause });
  }
  const list = raw?.ignore ?? [];
  if (!Array.isArray(list)) throw new UserError("USAGE", `${file}: ignore should be a list`);
  const ignore = list.map((entry4, i) => {
    const fields = entry4 ?? {};
    const rule = fields["rule"] ?? "*";
    const glob = fields["path"] ?? "**";
    const reason = fields["reason"];
    const where = `${file}: ignore[${i}]`;
    if (typeof rule !== "string" || rule !== "*" && !isRuleId(rule)) {
      throw new UserError("USAGE", `${where}: rule is not a lint rule id`, {
        hint: "use one of the ids printed with each finding, or *"
      });
    }
    if (typeof glob !== "string") throw new UserError("USAGE", `${where}: path should be a glob string`);
    if (typeof reason !== "string" || reason.trim() === "") {
      throw new UserError("USAGE", `${where}: needs a reason`, { hint: "say why the finding is acceptable" });
    }
    let compiled;
    try {
      compiled = compilePathGlob(glob);
    } catch (cause) {
      throw new UserError(
        "USAGE",
        `${where}: path ${JSON.stringify(glob)} is not a usable glob: ${errorMessage(cause)}`,
        {
          cause,
          hint: "use *, **, ?, [...] and {a,b}"
        }
      );
    }
    return { rule, path: glob, glob: compiled, reason: reason.trim() };
  });
  return { baseDir: path.dirname(file), ignore };
}
function waiverReason(finding2, absolute, waivers, config) {
  for (const waiver of waivers) {
    if (waiver.rules === "*" || waiver.rules.includes(finding2.rule)) return waiver.reason;
  }
  if (config === void 0) return void 0;
  const relative = path.relative(config.baseDir, absolute).split(path.sep).join("/");
  for (const entry4 of config.ignore) {
    if ((entry4.rule === "*" || entry4.rule === finding2.rule) && entry4.glob.matches(relative)) {
      return entry4.reason;
    }
  }
  return void 0;
}
function suppressed(finding2, reason) {
  return { ...finding2, reason };
}

// src/lint/lint.ts
import { closeSync, openSync, readSync } from "node:fs";
import { lstat } from "node:fs/promises";
import path4 from "node:path";

// src/lint/sops-checks.ts
var KNOWN_TYPES = /* @__PURE__ */ new Set(["str", "int", "float", "bool", "time", "bytes", "comment"]);
function fieldText(raw, field) {
  for (const item of raw.items) {
    if (!isComment(item) && item.key === field) {
      const value = item.value;
      return value.kind === "str" || value.kind === "time" ? value.value : void 0;
    }
  }
  return void 0;
}
function checkMetadata(raw) {
  const problems = [];
  let metadata;
  try {
    metadata = parseMetadata(raw);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push({ field: void 0, message: error.message });
    return { metadata, problems };
  }
  if (metadata.mac === "") {
    problems.push({
      field: "mac",
      message: "sops metadata: mac is missing or empty, so the file cannot be verified"
    });
  } else {
    const macProblem = encProblem(metadata.mac);
    if (macProblem !== void 0)
      problems.push({ field: "mac", message: `sops metadata: mac: ${macProblem}` });
  }
  try {
    formatGoTime(fieldText(raw, "lastmodified") ?? metadata.lastModified, "seconds");
  } catch {
    problems.push({
      field: "lastmodified",
      message: "sops metadata: lastmodified is not an RFC 3339 timestamp, so the MAC cannot be checked"
    });
  }
  return { metadata, problems };
}
function encProblem(value) {
  try {
    const parsed = parseEncryptedValue(value);
    if (!KNOWN_TYPES.has(parsed.type)) return "the ENC[...] value has an unknown type";
    return void 0;
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

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
  const lines = input.text.split("\n").map((text2, i) => ({ number: i + 1, text: text2.replace(/\r$/, "") }));
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
        const regex = rule.pathRegex === void 0 ? "a catch-all rule" : `path_regex ${JSON.stringify(rule.pathRegex)}`;
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
var import_yaml4 = __toESM(require_dist(), 1);
import path2 from "node:path";

// src/lint/source-tree.ts
var import_yaml2 = __toESM(require_dist(), 1);
function stripJsonComments(text2) {
  let out = "";
  let i = 0;
  while (i < text2.length) {
    const c = text2[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text2.length && text2[j] !== '"' && text2[j] !== "\n") j += text2[j] === "\\" ? 2 : 1;
      out += text2.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text2[i + 1] === "/") {
      let j = text2.indexOf("\n", i);
      if (j === -1) j = text2.length;
      out += " ".repeat(j - i);
      i = j;
    } else if (c === "/" && text2[i + 1] === "*") {
      let j = text2.indexOf("*/", i + 2);
      j = j === -1 ? text2.length : j + 2;
      out += text2.slice(i, j).replace(/[^\n]/g, " ");
      i = j;
    } else if (c === "," && /^\s*[}\]]/.test(text2.slice(i + 1, i + 200))) {
      out += " ";
      i++;
    } else {
      out += c ?? "";
      i++;
    }
  }
  return out;
}
function strictJson(text2) {
  try {
    return parseJsonDocument(text2);
  } catch (error) {
    if (error instanceof UserError) return void 0;
    throw error;
  }
}
function treeOf(node, doc, depth = 0) {
  if (depth > 1e3) return { kind: "null" };
  const target = (0, import_yaml2.isAlias)(node) ? node.resolve(doc) : node;
  if ((0, import_yaml2.isMap)(target)) {
    const items = [];
    for (const pair of target.items) {
      const key = (0, import_yaml2.isScalar)(pair.key) ? String(pair.key.value) : String(pair.key);
      items.push({ key, value: treeOf(pair.value, doc, depth + 1) });
    }
    return { kind: "map", items };
  }
  if ((0, import_yaml2.isSeq)(target)) return { kind: "list", items: target.items.map((item) => treeOf(item, doc, depth + 1)) };
  if ((0, import_yaml2.isScalar)(target)) {
    const v = target.value;
    if (typeof v === "string") return { kind: "str", value: v };
    if (typeof v === "boolean") return { kind: "bool", value: v };
    if (typeof v === "number")
      return Number.isInteger(v) ? { kind: "int", value: BigInt(v) } : { kind: "float", value: v };
    if (typeof v === "bigint") return { kind: "int", value: v };
    if (v === null || v === void 0) return { kind: "null" };
    return { kind: "str", value: v instanceof Date ? v.toISOString() : JSON.stringify(v) };
  }
  return { kind: "null" };
}
function fallbackDocuments(docs) {
  return docs.map((doc, index) => {
    const root = treeOf(doc.contents, doc);
    if (root.kind === "map") return { index, tree: root, ast: doc.contents };
    return { index, tree: { kind: "map", items: [] }, ast: doc.contents, root };
  });
}
function parseSource(input, format) {
  let text2 = input;
  let strict;
  if (format === "json") {
    strict = strictJson(text2);
    if (strict === void 0) text2 = stripJsonComments(text2);
  }
  const lines = new import_yaml2.LineCounter();
  const docs = (0, import_yaml2.parseAllDocuments)(text2, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) return { documents: [], lines, text: text2 };
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0)
      return { offset: error.pos[0], reason: error.code.toLowerCase().replaceAll("_", " ") };
  }
  let trees;
  try {
    trees = format === "json" ? [strict ?? parseJsonDocument(text2)] : yamlStore.loadPlain(text2);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { text: text2, lines, documents: fallbackDocuments(docs) };
  }
  const documents = trees.map((tree, index) => ({ index, tree, ast: docs[index]?.contents ?? null }));
  return { text: text2, lines, documents };
}
function isParseFailure(value) {
  return "reason" in value;
}
function startOf(node, fallback) {
  const range = node?.range;
  return range?.[0] ?? fallback;
}
function astChild(node, key) {
  if (!(0, import_yaml2.isMap)(node)) return void 0;
  for (const pair of node.items) {
    if ((0, import_yaml2.isPair)(pair) && (0, import_yaml2.isScalar)(pair.key) && String(pair.key.value) === key) {
      return { node: pair.value ?? null, offset: startOf(pair.key, startOf(node, 0)) };
    }
  }
  return void 0;
}
function walkLeaves(tree, ast, offset, visit, path5 = [], outer = [], skipTopLevel) {
  if (tree.kind === "map") {
    const pairs = (0, import_yaml2.isMap)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (!("key" in item)) {
        level.push(item.text);
        continue;
      }
      const pair = pairs[j++];
      if (path5.length === 0 && item.key === skipTopLevel) {
        level = [];
        continue;
      }
      const keyOffset = pair === void 0 ? offset : startOf(pair.key, offset);
      const valueAst = pair === void 0 ? null : pair.value ?? null;
      walkLeaves(item.value, valueAst, keyOffset, visit, [...path5, item.key], [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "list") {
    const items = (0, import_yaml2.isSeq)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (item.kind === "comment") {
        level.push(item.text);
        continue;
      }
      const node = items[j++];
      walkLeaves(item, node ?? null, startOf(node, offset), visit, path5, [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "null" || tree.kind === "comment") return;
  visit({ value: tree, path: path5, comments: outer, offset });
}
function positionOf(source, offset) {
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
function redactedLine(text2, lines, offset) {
  const { line } = lines.linePos(offset);
  const start = lines.lineStarts[line - 1] ?? 0;
  let end = text2.indexOf("\n", start);
  if (end === -1) end = text2.length;
  const lineText2 = text2.slice(start, end).replace(/\r$/, "");
  const rel = Math.min(offset - start, lineText2.length);
  const prefix = lineText2.slice(0, rel);
  const rest = lineText2.slice(rel);
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(?=\s|$)/.exec(rest);
  if (key !== null) {
    const after = rest.slice(key[0].length).trim();
    return `${prefix}${key[0]}${after === "" || after === "{" || after === "[" || after === "|" || after === ">" ? after === "" ? "" : ` ${after}` : " ***"}`;
  }
  return rest.trim() === "" ? prefix : `${prefix}***`;
}

// src/lint/check-kustomization.ts
var KUSTOMIZATION_NAMES = /* @__PURE__ */ new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);
function entry(map, key) {
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
  if (!(0, import_yaml4.isSeq)(node)) return [];
  return node.items.map((item) => item?.range?.[0] ?? fallback);
}
function isSopsEncrypted(text2, file) {
  try {
    return storeFor(formatFromPath(file)).loadEncrypted(text2).metadata !== null;
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
async function checkKustomization(file, absolute, text2, root) {
  const source = parseSource(text2, "yaml");
  if (isParseFailure(source)) return [];
  const out = [];
  const dir = path2.dirname(absolute);
  for (const doc of source.documents) {
    const generators = entry(doc.tree, "secretGenerator");
    if (generators?.kind !== "list") continue;
    const generatorAst = astChild(doc.ast, "secretGenerator");
    const generatorNodes = (0, import_yaml4.isSeq)(generatorAst?.node) ? generatorAst.node.items : [];
    const gens = generators.items.filter((item) => item.kind !== "comment");
    for (const [i, gen] of gens.entries()) {
      const genAst = generatorNodes[i] ?? null;
      const fallback = generatorAst?.offset ?? 0;
      const name = (entry(gen, "name")?.kind === "str" ? entry(gen, "name").value : void 0) ?? `#${i + 1}`;
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
      strings(entry(gen, "literals")).forEach((literal, j) => {
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
        const sources = strings(entry(gen, field));
        for (const [j, raw] of sources.entries()) {
          const relative = field === "files" && raw.includes("=") ? raw.slice(raw.indexOf("=") + 1) : raw;
          if (relative === "" || isTemplate(relative)) continue;
          const target = path2.resolve(dir, relative);
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

// src/lint/check-manifest.ts
var import_yaml5 = __toESM(require_dist(), 1);

// src/lint/secret-like.ts
var SENSITIVE_END = /(?:password|passwd|passphrase|secret|token|apikey|accesskey|privatekey|credentials?)$/;
var SENSITIVE_HINT = /pass|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;
function isSensitiveKey(key) {
  const normalized = key.toLowerCase().replace(/[_.\-\s]/g, "");
  if (normalized.startsWith("existing")) return false;
  return SENSITIVE_END.test(normalized);
}
function isLiteralSecret(value) {
  return value.trim() !== "" && !isTemplate(value);
}
function isValuesFile(base) {
  return /^values(?:[.-][^/]*)?\.ya?ml$/.test(base);
}
var BROAD = /^\^?(?:\.\*|\.\+)?(?:\\\.\(?[A-Za-z0-9|?]+\)?)?\$?$/;
function isBroadPathRegex(pathRegex) {
  return pathRegex === void 0 || BROAD.test(pathRegex);
}
function checkEnvText(file, text2) {
  const out = [];
  text2.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(line);
    if (match?.[1] === void 0 || match[2] === void 0) return;
    const value = match[2].trim().replace(/^(["'])(.*)\1$/, "$2");
    if (!isSensitiveKey(match[1]) || !isLiteralSecret(value)) return;
    const eq = line.indexOf("=");
    out.push(
      finding(
        "secret-like-value",
        { file, line: i + 1, column: line.length - line.trimStart().length + 1 },
        `key ${JSON.stringify(match[1])} is named like a secret and has a literal value in an unencrypted .env file`,
        `${line.slice(0, eq + 1)}***`
      )
    );
  });
  return out;
}

// src/lint/check-manifest.ts
var IGNORE_ANNOTATION = "kustomize-sops-deploy/lint-ignore";
function mergedItems(map, depth = 0) {
  const own = [];
  const merged = [];
  for (const item of map.items) {
    if (isComment(item)) continue;
    if (item.key !== "<<" || depth > 20) {
      own.push(item);
      continue;
    }
    const sources = item.value.kind === "list" ? item.value.items : [item.value];
    for (const source of sources) if (source.kind === "map") merged.push(...mergedItems(source, depth + 1));
  }
  const seen = new Set(own.map((item) => item.key));
  for (const item of merged) {
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    own.push(item);
  }
  return own;
}
function entry2(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  if (!map.items.some((item) => !isComment(item) && item.key === "<<")) return void 0;
  return mergedItems(map).find((item) => item.key === key)?.value;
}
function isSecretObject(tree) {
  const kind = text(entry2(tree, "kind"));
  const apiVersion = text(entry2(tree, "apiVersion"));
  return kind === "Secret" && (apiVersion === void 0 || apiVersion.toLowerCase() === "v1");
}
function isListObject(tree) {
  const kind = text(entry2(tree, "kind"));
  return kind !== void 0 && kind.endsWith("List") && entry2(tree, "items")?.kind === "list";
}
function text(value) {
  return value?.kind === "str" ? value.value : void 0;
}
function holdsValue(value) {
  if (value.kind === "null" || value.kind === "comment") return false;
  if (value.kind === "str") return value.value !== "" && !isTemplate(value.value);
  return value.kind !== "map" && value.kind !== "list";
}
function objectName(tree) {
  const kind = text(entry2(tree, "kind"));
  if (kind === void 0) return "the document";
  const meta = entry2(tree, "metadata");
  const name = text(entry2(meta, "name"));
  const namespace = text(entry2(meta, "namespace"));
  if (name === void 0) return kind;
  return `${kind} ${namespace === void 0 ? "" : `${namespace}/`}${name}`;
}
function waiversOf(tree) {
  const value = text(entry2(entry2(entry2(tree, "metadata"), "annotations"), IGNORE_ANNOTATION));
  return value === void 0 ? [] : parseIgnoreAnnotation(value);
}
function quoteKeys(keys) {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
  return keys.length > 5 ? `${shown.join(", ")} and ${keys.length - 5} more` : shown.join(", ");
}
var ManifestChecker = class {
  out = [];
  waivers = [];
  input;
  source;
  constructor(input, source) {
    this.input = input;
    this.source = source;
  }
  add(rule, offset, message) {
    const at = { file: this.input.file, ...positionOf(this.source, offset) };
    this.out.push({
      finding: finding(rule, at, message, redactedLine(this.source.text, this.source.lines, offset)),
      waivers: this.waivers
    });
  }
  run() {
    const docs = this.source.documents;
    const first = docs[0];
    const fileMetadata = first === void 0 ? void 0 : entry2(first.tree, "sops");
    let fileSelection;
    if (first !== void 0 && fileMetadata !== void 0) {
      fileSelection = this.checkBlock(first, fileMetadata);
    }
    for (const doc of docs) {
      this.waivers = waiversOf(doc.tree);
      const own = entry2(doc.tree, "sops");
      if (fileMetadata !== void 0) {
        if (fileSelection !== void 0) this.checkEncrypted(doc, fileSelection);
      } else if (own !== void 0) {
        const selection = this.checkBlock(doc, own);
        if (selection !== void 0) this.checkEncrypted(doc, selection);
      } else {
        this.checkPlain(doc);
      }
    }
  }
  /** Rule `sops-structure` on a metadata block; returns the selection when it is known. */
  checkBlock(doc, raw) {
    this.waivers = waiversOf(doc.tree);
    const block = astChild(doc.ast, "sops");
    const at = block?.offset ?? 0;
    if (raw.kind !== "map") {
      this.add("sops-structure", at, "the sops metadata entry is not a mapping");
      return void 0;
    }
    const { metadata, problems } = checkMetadata(raw);
    for (const problem of problems) {
      const fieldAt = problem.field === void 0 ? void 0 : astChild(block?.node ?? null, problem.field);
      this.add("sops-structure", fieldAt?.offset ?? at, `${objectName(doc.tree)}: ${problem.message}`);
    }
    return metadata?.selection;
  }
  /**
   * Rule `unencrypted-value`, and malformed ENC values. Then the Secrets in the document: a
   * value the metadata does not cover (a decoy `encrypted_regex: ^nothing$`) is plaintext at
   * rest, whatever the metadata says, so it is `plaintext-secret`.
   */
  checkEncrypted(doc, selection) {
    const name = objectName(doc.tree);
    const reported = /* @__PURE__ */ new Set();
    this.walk(doc, (leaf) => {
      const encrypted = shouldBeEncrypted(selection, leaf.path, leaf.comments, false);
      const value = leaf.value;
      if (value.kind === "str" && value.value.startsWith("ENC[")) {
        const problem = encProblem(value.value);
        if (problem !== void 0)
          this.add("sops-structure", leaf.offset, `${name}: key ${keyPath(leaf)}: ${problem}`);
        return;
      }
      if (!encrypted) return;
      if (value.kind === "str" && value.value === "") return;
      reported.add(leaf.offset);
      this.add(
        "unencrypted-value",
        leaf.offset,
        `${name}: key ${keyPath(leaf)} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`
      );
    });
    for (const object of secretObjects(doc.tree, doc.ast)) {
      this.checkSecret(object, "uncovered", reported);
    }
  }
  checkPlain(doc) {
    const tree = doc.tree;
    const kind = text(entry2(tree, "kind"));
    let reported = false;
    for (const object of secretObjects(tree, doc.ast)) {
      if (this.checkSecret(object, "plain", /* @__PURE__ */ new Set())) reported = true;
    }
    if (!reported) reported = this.checkStrayEnc(doc);
    const rule = this.input.creationRule;
    if (kind === "ConfigMap" && rule !== void 0 && !isBroadPathRegex(rule.pathRegex)) {
      this.checkConfigMapUnderRule(doc, rule);
    }
    if (!reported) reported = this.checkCreationRule(doc, kind);
    if (!reported) this.checkSecretLike(doc, kind);
  }
  /** Rule `creation-rule-unencrypted` on a document; returns whether it reported. */
  checkCreationRule(doc, kind) {
    const tree = doc.tree;
    const apiVersion = text(entry2(tree, "apiVersion"));
    const rule = this.input.creationRule;
    const otherObject = kind !== void 0 && apiVersion !== void 0 && kind !== "Secret";
    if (rule === void 0 || otherObject) return false;
    let first;
    this.walk(doc, (leaf) => {
      if (first === void 0 && holdsValue(leaf.value) && shouldBeEncrypted(rule.selection, leaf.path, leaf.comments, false)) {
        first = leaf;
      }
    });
    if (first === void 0) return false;
    const regex = rule.pathRegex === void 0 ? "a catch-all rule" : `path_regex ${JSON.stringify(rule.pathRegex)}`;
    this.add(
      "creation-rule-unencrypted",
      first.offset,
      `${objectName(tree)}: .sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${keyPath(first)} would be)`
    );
    return true;
  }
  /**
   * Rule `secret-like-value`: a HelmRelease's `spec.values`, a ConfigMap's `data` or a whole
   * values file; each key named like a secret with a literal value is a warning.
   */
  checkSecretLike(doc, kind) {
    let prefix;
    if (kind === "HelmRelease") prefix = ["spec", "values"];
    else if (kind === "ConfigMap") prefix = ["data"];
    else if (this.input.valuesFile === true && kind === void 0) prefix = [];
    if (prefix === void 0) return;
    const where = kind === void 0 ? "the values file" : objectName(doc.tree);
    let count = 0;
    this.walk(doc, (leaf) => {
      if (count >= 20 || !prefix.every((part, i) => leaf.path[i] === part)) return;
      const key = leaf.path.at(-1);
      const value = leaf.value;
      if (key === void 0 || value.kind !== "str" || !isSensitiveKey(key) || !isLiteralSecret(value.value)) {
        return;
      }
      count++;
      this.add(
        "secret-like-value",
        leaf.offset,
        `${where}: key ${keyPath(leaf)} is named like a secret and has a literal value`
      );
    });
  }
  /** Rule `creation-rule-configmap`: a rule that names this path says its values are secret. */
  checkConfigMapUnderRule(doc, rule) {
    let first;
    this.walk(doc, (leaf) => {
      if (first === void 0 && leaf.path[0] === "data" && holdsValue(leaf.value)) first = leaf;
    });
    if (first === void 0) return;
    this.add(
      "creation-rule-configmap",
      first.offset,
      `${objectName(doc.tree)}: .sops.yaml creation rule ${rule.number} (path_regex ${JSON.stringify(rule.pathRegex ?? "")}) covers this file, but a ConfigMap is never encrypted`
    );
  }
  /** `ENC[...]` values in a document with no sops metadata: they can never be decrypted. */
  checkStrayEnc(doc) {
    let first;
    this.walk(doc, (leaf) => {
      if (first === void 0 && leaf.value.kind === "str" && leaf.value.value.startsWith("ENC["))
        first = leaf;
    });
    if (first === void 0) return false;
    this.add(
      "sops-structure",
      first.offset,
      `${objectName(doc.tree)}: key ${keyPath(first)} holds an ENC[...] value, but the file has no sops metadata, so it cannot be decrypted`
    );
    return true;
  }
  /**
   * Rule `plaintext-secret` on one Secret object; returns whether it reported. `plain`: the file
   * has no sops metadata, and `ENC[...]` values mean the metadata is missing. `uncovered`: the
   * file has metadata, and a plaintext value it left alone is reported unless `skip` (offsets
   * already reported as `unencrypted-value`) has it.
   */
  checkSecret(object, mode, skip) {
    let reported = false;
    for (const field of ["data", "stringData"]) {
      const map = entry2(object.tree, field);
      if (map?.kind !== "map") continue;
      const fieldAst = astChild(object.ast, field);
      const offsetOf = (key) => astChild(fieldAst?.node ?? null, key)?.offset ?? fieldAst?.offset ?? object.offset;
      const items = mergedItems(map);
      const enc = items.filter((i) => i.value.kind === "str" && i.value.value.startsWith("ENC["));
      const keys = items.filter((i) => holdsValue(i.value) && !enc.includes(i) && !skip.has(offsetOf(i.key))).map((i) => i.key);
      const firstEnc = enc[0];
      if (mode === "plain" && firstEnc !== void 0) {
        this.add(
          "sops-structure",
          offsetOf(firstEnc.key),
          `${objectName(object.tree)} has ENC[...] values in ${field} but no sops metadata, so it cannot be decrypted`
        );
        reported = true;
      }
      const firstKey = keys[0];
      if (firstKey === void 0) continue;
      const why = mode === "plain" ? "and no sops metadata" : "that the file's sops metadata does not encrypt";
      this.add(
        "plaintext-secret",
        offsetOf(firstKey),
        `${objectName(object.tree)} has plaintext ${field} (${keys.length === 1 ? "key" : "keys"} ${quoteKeys(keys)}) ${why}`
      );
      reported = true;
    }
    return reported;
  }
  walk(doc, visit) {
    const rootOffset = doc.ast?.range?.[0] ?? 0;
    walkLeaves(doc.root ?? doc.tree, doc.ast, rootOffset, visit, [], [], "sops");
  }
};
function secretObjects(tree, ast, depth = 0) {
  const offset = ast?.range?.[0] ?? 0;
  if (isSecretObject(tree)) return [{ tree, ast, offset }];
  if (depth > 10 || !isListObject(tree)) return [];
  const items = entry2(tree, "items");
  if (items?.kind !== "list") return [];
  const itemsAst = astChild(ast, "items")?.node ?? null;
  const nodes = (0, import_yaml5.isSeq)(itemsAst) ? itemsAst.items : [];
  const values = items.items.filter((item) => item.kind !== "comment");
  return values.flatMap(
    (item, i) => secretObjects(item, nodes[i] ?? null, depth + 1)
  );
}
function keyPath(leaf) {
  return JSON.stringify(leaf.path.join("."));
}
function checkManifest(input) {
  const source = parseSource(input.text, input.format);
  if (isParseFailure(source)) {
    const lines = input.text.slice(0, source.offset).split("\n");
    const at = { file: input.file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
    return [
      {
        finding: finding(
          "unparseable-file",
          at,
          `the file does not parse as ${input.format.toUpperCase()} (${source.reason}); it was not checked`
        ),
        waivers: []
      }
    ];
  }
  const checker = new ManifestChecker(input, source);
  checker.run();
  return checker.out;
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
function checkText(file, text2, inObject = false) {
  const out = [];
  COMBINED.lastIndex = 0;
  for (const match of text2.matchAll(COMBINED)) {
    if (out.length >= MAX_PER_FILE) break;
    const groups = match.slice(1);
    const shape = SHAPES[groups.findIndex((group) => group !== void 0)];
    const lineStart = text2.lastIndexOf("\n", match.index - 1) + 1;
    let lineEnd = text2.indexOf("\n", match.index);
    if (lineEnd === -1) lineEnd = text2.length;
    const line = text2.slice(0, match.index).split("\n").length;
    const snippet = (text2.slice(lineStart, match.index) + "***" + text2.slice(match.index + match[0].length, lineEnd)).replace(/\r$/, "");
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
var import_yaml6 = __toESM(require_dist(), 1);
import path3 from "node:path";
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
function listedSources(absolute, text2) {
  const source = parseSource(text2, "yaml");
  if (isParseFailure(source)) return [];
  const dir = path3.dirname(absolute);
  const out = [];
  const add = (ref) => {
    if (ref === void 0 || ref === "" || ref.includes("\n") || isRemote(ref)) return;
    out.push(path3.resolve(dir, ref));
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
    const nodes = (0, import_yaml6.isSeq)(fieldAst?.node) ? fieldAst.node.items : [];
    listItems(entry3(tree, field)).forEach((item, i) => {
      const node = nodes[i] ?? null;
      const fallback = fieldAst?.offset ?? 0;
      if (field === "patchesStrategicMerge") {
        const text3 = str(item);
        if (text3?.includes("\n") === true) out.push({ text: text3, node, fallback });
        return;
      }
      const text2 = str(entry3(item, "patch"));
      if (text2 !== void 0) out.push({ text: text2, node: astChild(node, "patch")?.node ?? null, fallback });
    });
  }
  return out;
}
function checkInlinePatches(file, text2) {
  const source = parseSource(text2, "yaml");
  if (isParseFailure(source)) return [];
  const out = [];
  for (const doc of source.documents) {
    for (const patch of inlinePatches(doc.tree, doc.ast)) {
      const node = patch.node;
      const start = node?.range?.[0] ?? patch.fallback;
      const at = positionOf(source, start);
      const block = (0, import_yaml6.isScalar)(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
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

// src/lint/sops-config.ts
var import_yaml7 = __toESM(require_dist(), 1);
function parseSopsConfig(text2, file) {
  const lines = new import_yaml7.LineCounter();
  const doc = (0, import_yaml7.parseDocument)(text2, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new UserError("BAD_FORMAT", `${file}: not valid YAML`, { cause: doc.errors[0] });
  }
  const raw = doc.toJS();
  const brokenRules = /* @__PURE__ */ new Set();
  const problems = [];
  const checkRegex = (pattern, i, field) => {
    try {
      compileGoRegexp(pattern, `creation rule ${i + 1} ${field}`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      brokenRules.add(i + 1);
      const rules2 = doc.get("creation_rules", true);
      const rule = (0, import_yaml7.isSeq)(rules2) ? rules2.get(i, true) : void 0;
      const node = (0, import_yaml7.isMap)(rule) ? rule.get(field, true) : void 0;
      const offset = node?.range?.[0] ?? 0;
      const { line, col } = lines.linePos(offset);
      problems.push({ line, column: col, message: errorMessage(error) });
    }
  };
  const list = raw?.creation_rules;
  if (list === void 0 || list === null) return { file, rules: [], brokenRules, problems };
  if (!Array.isArray(list)) throw new UserError("BAD_FORMAT", `${file}: creation_rules should be a list`);
  const rules = list.map((entry4, i) => {
    const fields = entry4 ?? {};
    const regex = fields["path_regex"];
    const selected = SELECTION_KINDS.flatMap((kind) => {
      const value = fields[kind];
      return typeof value === "string" && value !== "" ? [{ kind, value }] : [];
    });
    if (selected.length > 1) {
      throw new UserError(
        "BAD_FORMAT",
        `${file}: creation rule ${i + 1} sets more than one of ${selected.map((s) => s.kind).join(", ")}`
      );
    }
    const pathRegex = typeof regex === "string" && regex !== "" ? regex : void 0;
    if (pathRegex !== void 0) checkRegex(pathRegex, i, "path_regex");
    const only = selected[0];
    if (only?.kind.endsWith("_regex") === true) checkRegex(only.value, i, only.kind);
    return {
      number: i + 1,
      pathRegex,
      selection: selected[0] ?? { kind: "unencrypted_suffix", value: "_unencrypted" }
    };
  });
  return { file, rules, brokenRules, problems };
}
function matchCreationRule(config, absolutePath) {
  const candidate = creationRulePath(config.file, absolutePath);
  const rule = config.rules.find((r) => r.pathRegex === void 0 || pathMatches(r.pathRegex, candidate));
  return rule === void 0 || config.brokenRules.has(rule.number) ? void 0 : rule;
}
function pathMatches(pattern, candidate) {
  try {
    return compileGoRegexp(pattern, "path_regex").test(candidate);
  } catch {
    return false;
  }
}

// src/lint/lint.ts
var MAX_LINT_BYTES = 4 * 1024 * 1024;
var MANIFEST_HINT = /Secret|sops|ENC\[|\\/;
var OBJECT_API = /^\s*"?apiVersion"?\s*:/m;
var OBJECT_KIND = /^\s*"?kind"?\s*:/m;
var SECRET_LIKE_KINDS = /HelmRelease|ConfigMap/;
var ENCRYPTED_HINT = /^sops:|"sops"\s*:|^sops_mac=|^\[sops\]/m;
function onlyKubernetesObjects(text2) {
  return text2.split(/^---[^\n]*$/m).filter((doc) => /^[^#\s]/m.test(doc)).every((doc) => /^apiVersion:[ \t]*\S/m.test(doc) && /^kind:[ \t]*\S/m.test(doc));
}
var SopsConfigFinder = class {
  byDir = /* @__PURE__ */ new Map();
  problems = [];
  cwd;
  constructor(cwd) {
    this.cwd = cwd;
  }
  /** The nearest `.sops.yaml` from `dir` up to the repository `root` (never above it). */
  async find(dir, root) {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const candidate = path4.join(dir, ".sops.yaml");
    let found;
    if (await exists(candidate)) {
      found = await this.parse(candidate, root);
    } else {
      const parent = path4.dirname(dir);
      const above = path4.relative(root, parent).startsWith("..");
      found = parent === dir || above ? void 0 : await this.find(parent, root);
    }
    this.byDir.set(dir, found);
    return found;
  }
  async parse(file, root) {
    const display = path4.relative(this.cwd, file).split(path4.sep).join("/");
    const add = (line, column, message) => {
      this.problems.push({
        absolute: file,
        finding: finding("sops-config", { file: display, line, column }, message)
      });
    };
    try {
      const name = path4.basename(file);
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
    data = await readFileBounded(file, { maxBytes: MAX_LINT_BYTES, root, name: "the file" });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const code = error.cause?.code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return { kind: "skip" };
    if (error.code === "TOO_LARGE") {
      const real = await resolveInside(file, root);
      const head = decode(readHead(real, 65536));
      const size = (await lstat(real)).size;
      return head === void 0 ? { kind: "skip" } : { kind: "too-large", size, head };
    }
    return { kind: "unreadable", why: errorMessage(error).replace(/^the file /, "it ") };
  }
  const text2 = decode(data);
  return text2 === void 0 ? { kind: "skip" } : { kind: "text", text: text2 };
}
function formatOf(absolute, listed) {
  const format = formatFromPath(absolute);
  if (!listed || format === "yaml" || format === "json") return format;
  return absolute.toLowerCase().endsWith(".json") ? "json" : "yaml";
}
async function exists(file) {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
async function lintFile(absolute, display, text2, configs, root, listed) {
  const base = path4.basename(absolute);
  if (base === ".sops.yaml" || base === ".ksd-lint.yaml") return [];
  const out = [];
  const encrypted = ENCRYPTED_HINT.test(text2);
  if (!encrypted) {
    const inObject = listed || OBJECT_API.test(text2) && OBJECT_KIND.test(text2);
    out.push(...checkText(display, text2, inObject).map((f) => ({ finding: f, waivers: [] })));
  }
  if (KUSTOMIZATION_NAMES.has(base)) {
    out.push(...await checkKustomization(display, absolute, text2, root));
    out.push(...checkInlinePatches(display, text2));
    return out;
  }
  const format = formatOf(absolute, listed);
  const config = await configs.find(path4.dirname(absolute), root);
  const creationRule = config === void 0 ? void 0 : matchCreationRule(config, absolute);
  if (format === "yaml" || format === "json") {
    const valuesFile = isValuesFile(base);
    const relevant = listed || MANIFEST_HINT.test(text2) || SENSITIVE_HINT.test(text2) && (valuesFile || SECRET_LIKE_KINDS.test(text2));
    const ruled = creationRule !== void 0 && (!isBroadPathRegex(creationRule.pathRegex) || !(format === "yaml" && onlyKubernetesObjects(text2)));
    if (relevant || ruled) {
      out.push(...checkManifest({ file: display, text: text2, format, creationRule, valuesFile }));
    }
  } else if (encrypted || creationRule !== void 0) {
    out.push(...checkFlatFile({ file: display, text: text2, format, creationRule }));
  }
  if (format === "dotenv" && !encrypted) {
    out.push(...checkEnvText(display, text2).map((f) => ({ finding: f, waivers: [] })));
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
    if (!KUSTOMIZATION_NAMES.has(path4.basename(file))) continue;
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
function compare(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
async function lintPaths(options) {
  const files = /* @__PURE__ */ new Map();
  for (const target of options.paths) {
    const absolute = path4.resolve(options.cwd, target);
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
  const displayOf = (absolute) => path4.relative(options.cwd, absolute).split(path4.sep).join("/");
  const record = ({ finding: f, waivers }, absolute) => {
    const reason = waiverReason(f, absolute, waivers, options.config);
    if (reason === void 0) findings.push(f);
    else waived.push(suppressed(f, reason));
  };
  for (const [absolute, root] of [...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const display = displayOf(absolute);
    const read = await readText(absolute, root);
    if (read.kind === "skip") continue;
    filesChecked++;
    if (read.kind === "unreadable") {
      record(unchecked(display, `not checked: ${read.why}`, "error"), absolute);
      continue;
    }
    if (read.kind === "too-large") {
      const mib = Math.floor(MAX_LINT_BYTES / (1024 * 1024));
      const severity = listed.has(absolute) || MANIFEST_HEAD.test(read.head) ? "error" : "warning";
      record(unchecked(display, `not checked: over ${mib} MiB (${read.size} bytes)`, severity), absolute);
      continue;
    }
    let located;
    try {
      located = await lintFile(absolute, display, read.text, configs, root, listed.has(absolute));
    } catch (error) {
      located = [unchecked(display, `not checked: ${errorMessage(error)}`, "error")];
    }
    for (const one of located) record(one, absolute);
  }
  for (const { absolute, finding: finding2 } of configs.problems) {
    const reason = waiverReason(finding2, absolute, [], options.config);
    if (reason === void 0) findings.push(finding2);
    else waived.push(suppressed(finding2, reason));
  }
  return { findings: findings.sort(compare), suppressed: waived.sort(compare), filesChecked };
}

// src/lint/fix-plan.ts
var DEFAULT_FIX_SELECTION = { kind: "encrypted_regex", value: "^(data|stringData)$" };
var ENCRYPT_RULES = /* @__PURE__ */ new Set(["plaintext-secret", "creation-rule-unencrypted"]);
var GENERATOR_ADVICE = "a secretGenerator literal cannot be encrypted in place: put the value in an env file, encrypt that file with `encrypt --in-place FILE`, and list it under the generator\u2019s envs instead";
var ENCRYPTED_ADVICE = "the file is encrypted already, and re-encrypting it needs its data key: edit it with `sops FILE` so the value is encrypted";
var CONFIGMAP_ADVICE = "a ConfigMap is read in plaintext by whatever mounts it, so it is not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and reference that instead";
var HELM_ADVICE = "HelmRelease values are not encrypted in place: move the value into a Secret (lint --fix encrypts Secret files) and pass it with the HelmRelease\u2019s valuesFrom";
function kindOf(doc) {
  const kind = entry2(doc.tree, "kind");
  return kind?.kind === "str" ? kind.value : void 0;
}
function isEmpty(doc) {
  return doc.root === void 0 && doc.tree.items.every(isComment);
}
function shapeOf(file, text2) {
  const format = formatFromPath(file);
  if (format !== "yaml" && format !== "json") {
    return {
      kind: "not-fixable",
      kinds: [],
      why: `lint --fix encrypts YAML and JSON manifests only, and sops would store this file as ${format}: give it a .yaml name, then run lint --fix again`
    };
  }
  if (text2 === void 0) return { kind: "not-fixable", kinds: [], why: "the file could not be read" };
  const source = parseSource(text2, format);
  if (isParseFailure(source)) {
    return { kind: "not-fixable", kinds: [], why: "the file does not parse, so it is not encrypted" };
  }
  const docs = source.documents.filter((doc) => !isEmpty(doc));
  const kinds = [...new Set(docs.map((doc) => kindOf(doc) ?? "a document without a kind"))];
  if (docs.some((doc) => entry2(doc.tree, "sops") !== void 0)) {
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
      why: "the Secrets are items of a List: put each Secret in a file of its own, then run lint --fix again"
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
  const text2 = format === "yaml" || format === "json" ? textOf(file) : void 0;
  if (text2 === void 0) return [];
  const source = parseSource(text2, format === "json" ? "json" : "yaml");
  if (isParseFailure(source)) return [];
  return source.documents.flatMap((doc) => kindOf(doc) ?? []);
}
function withAdvice(findings, advice) {
  const key = (f) => `${f.file}\0${f.rule}\0${String(f.line)}\0${String(f.column)}`;
  const byKey = new Map(advice.map((a) => [key(a.finding), a.advice]));
  return findings.map((f) => {
    const text2 = byKey.get(key(f));
    return text2 === void 0 ? f : { ...f, hint: text2 };
  });
}

export {
  parseLintConfig,
  MAX_LINT_BYTES,
  lintPaths,
  DEFAULT_FIX_SELECTION,
  planFixes,
  withAdvice
};
