import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  creationRulePath
} from "./chunk-TATDJ7LO.js";
import {
  SELECTION_KINDS,
  YAML_STORE_PARSE_OPTIONS,
  branchesOfDocuments,
  compileGoRegexp,
  formatGoTime,
  parseEncryptedValue,
  parseJsonDocument,
  parseMetadata,
  shouldBeEncrypted,
  withGoLineBreaks
} from "./chunk-NHKNCDYL.js";
import {
  finding,
  isRuleId
} from "./chunk-TMWNBOC7.js";
import {
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

// src/lint/template.ts
var PIECE = String.raw`(?:\$\{[^{}]*\}|\{\{(?:[^}]|\}(?!\}))*\}\}|\$[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))`;
var TEMPLATE = new RegExp(String.raw`^\s*(?:${PIECE}\s*)+$`);
var OP_REFERENCE = String.raw`op://[^/\n]+/[^/\n]+(?:/[^/\n]+)?/[^/\s]+`;
var REFERENCE = new RegExp(
  String.raw`^\s*(?:${OP_REFERENCE}|\{\{ *${OP_REFERENCE} *\}\}|ref\+[a-z0-9]+://[^\s]+)\s*$`
);
function isTemplate(value) {
  return TEMPLATE.test(value) || REFERENCE.test(value);
}
function isReferenceTag(raw) {
  return /^!(?:env_var|secret|include|env|ENV)\s+\S+\s*(?:#.*)?$/.test(raw.trim());
}

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
  const ignore = list.map((entry2, i) => {
    const fields = entry2 ?? {};
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
  for (const entry2 of config.ignore) {
    if ((entry2.rule === "*" || entry2.rule === finding2.rule) && entry2.glob.matches(relative)) {
      return entry2.reason;
    }
  }
  return void 0;
}
function suppressed(finding2, reason) {
  return { ...finding2, reason };
}

// src/lint/check-manifest.ts
var import_yaml5 = __toESM(require_dist(), 1);

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

// src/lint/sops-config.ts
var import_yaml2 = __toESM(require_dist(), 1);
function describeRuleMatch(rule) {
  return rule.pathRegex === void 0 ? "a catch-all rule" : `path_regex ${JSON.stringify(rule.pathRegex)}`;
}
function parseSopsConfig(text2, file) {
  const lines = new import_yaml2.LineCounter();
  const doc = (0, import_yaml2.parseDocument)(text2, { prettyErrors: false, lineCounter: lines });
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
      const rule = (0, import_yaml2.isSeq)(rules2) ? rules2.get(i, true) : void 0;
      const node = (0, import_yaml2.isMap)(rule) ? rule.get(field, true) : void 0;
      const offset = node?.range?.[0] ?? 0;
      const { line, col } = lines.linePos(offset);
      problems.push({ line, column: col, message: errorMessage(error) });
    }
  };
  const list = raw?.creation_rules;
  if (list === void 0 || list === null) return { file, rules: [], brokenRules, problems };
  if (!Array.isArray(list)) throw new UserError("BAD_FORMAT", `${file}: creation_rules should be a list`);
  const rules = list.map((entry2, i) => {
    const fields = entry2 ?? {};
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

// src/lint/source-tree.ts
var import_yaml3 = __toESM(require_dist(), 1);
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
  const target = (0, import_yaml3.isAlias)(node) ? node.resolve(doc) : node;
  if ((0, import_yaml3.isMap)(target)) {
    const items = [];
    for (const pair of target.items) {
      const key = (0, import_yaml3.isScalar)(pair.key) ? String(pair.key.value) : String(pair.key);
      items.push({ key, value: treeOf(pair.value, doc, depth + 1) });
    }
    return { kind: "map", items };
  }
  if ((0, import_yaml3.isSeq)(target)) return { kind: "list", items: target.items.map((item) => treeOf(item, doc, depth + 1)) };
  if ((0, import_yaml3.isScalar)(target)) {
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
  } else {
    text2 = withGoLineBreaks(text2);
  }
  const lines = new import_yaml3.LineCounter();
  const options = format === "yaml" ? { ...YAML_STORE_PARSE_OPTIONS, lineCounter: lines } : { lineCounter: lines, prettyErrors: false, uniqueKeys: false };
  const docs = (0, import_yaml3.parseAllDocuments)(text2, options);
  if (!Array.isArray(docs)) return { documents: [], lines, text: text2 };
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0)
      return { offset: error.pos[0], reason: error.code.toLowerCase().replaceAll("_", " ") };
  }
  let trees;
  try {
    trees = format === "json" ? [strict ?? parseJsonDocument(text2)] : branchesOfDocuments(text2, docs, lines);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const typed = format === "yaml" ? (0, import_yaml3.parseAllDocuments)(text2, { prettyErrors: false, uniqueKeys: false }) : docs;
    return { text: text2, lines, documents: fallbackDocuments(Array.isArray(typed) ? typed : []) };
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
  if (!(0, import_yaml3.isMap)(node)) return void 0;
  for (const pair of node.items) {
    if ((0, import_yaml3.isPair)(pair) && (0, import_yaml3.isScalar)(pair.key) && String(pair.key.value) === key) {
      return { node: pair.value ?? null, offset: startOf(pair.key, startOf(node, 0)) };
    }
  }
  return void 0;
}
function walkLeaves(tree, ast, offset, visit, path3 = [], outer = [], skipTopLevel) {
  if (tree.kind === "map") {
    const pairs = (0, import_yaml3.isMap)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (!("key" in item)) {
        level.push(item.text);
        continue;
      }
      const pair = pairs[j++];
      if (path3.length === 0 && item.key === skipTopLevel) {
        level = [];
        continue;
      }
      const keyOffset = pair === void 0 ? offset : startOf(pair.key, offset);
      const valueAst = pair === void 0 ? null : pair.value ?? null;
      walkLeaves(item.value, valueAst, keyOffset, visit, [...path3, item.key], [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "list") {
    const items = (0, import_yaml3.isSeq)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (item.kind === "comment") {
        level.push(item.text);
        continue;
      }
      const node = items[j++];
      walkLeaves(item, node ?? null, startOf(node, offset), visit, path3, [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "null" || tree.kind === "comment") return;
  visit({ value: tree, path: path3, comments: outer, offset });
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
  const lineText = text2.slice(start, end).replace(/\r$/, "");
  const rel = Math.min(offset - start, lineText.length);
  const prefix = lineText.slice(0, rel);
  const rest = lineText.slice(rel);
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(?=\s|$)/.exec(rest);
  if (key !== null) {
    const after = rest.slice(key[0].length).trim();
    return `${prefix}${key[0]}${after === "" || after === "{" || after === "[" || after === "|" || after === ">" ? after === "" ? "" : ` ${after}` : " ***"}`;
  }
  return rest.trim() === "" ? prefix : `${prefix}***`;
}

// src/lint/secret-like.ts
var SENSITIVE_END = /(?:password|passwd|passphrase|secret|token|apikey|accesskey|privatekey|credentials?)$/;
var SENSITIVE_HINT = /pass|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;
function isSensitiveKey(key) {
  const normalized = key.toLowerCase().replace(/[_.\-\s]/g, "");
  if (normalized.startsWith("existing")) return false;
  return SENSITIVE_END.test(normalized);
}
var OBJECT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;
function isLiteralSecret(value, key = "") {
  if (value.trim().length < 4 || isTemplate(value)) return false;
  return !(/secret$/i.test(key) && OBJECT_NAME.test(value));
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
    if (!isSensitiveKey(match[1]) || !isLiteralSecret(value, match[1])) return;
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
function entry(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  if (!map.items.some((item) => !isComment(item) && item.key === "<<")) return void 0;
  return mergedItems(map).find((item) => item.key === key)?.value;
}
function isSecretObject(tree) {
  const kind = text(entry(tree, "kind"));
  const apiVersion = text(entry(tree, "apiVersion"));
  return kind === "Secret" && (apiVersion === void 0 || apiVersion.toLowerCase() === "v1");
}
function isListObject(tree) {
  const kind = text(entry(tree, "kind"));
  return kind !== void 0 && kind.endsWith("List") && entry(tree, "items")?.kind === "list";
}
function text(value) {
  return value?.kind === "str" ? value.value : void 0;
}
function holdsValue(value) {
  if (value.kind === "null" || value.kind === "comment" || value.kind === "bool") return false;
  if (value.kind === "str") return value.value !== "" && !isTemplate(value.value);
  return value.kind !== "map" && value.kind !== "list";
}
function objectName(tree) {
  const kind = text(entry(tree, "kind"));
  if (kind === void 0) return "the document";
  const meta = entry(tree, "metadata");
  const name = text(entry(meta, "name"));
  const namespace = text(entry(meta, "namespace"));
  if (name === void 0) return kind;
  return `${kind} ${namespace === void 0 ? "" : `${namespace}/`}${name}`;
}
function waiversOf(tree) {
  const value = text(entry(entry(entry(tree, "metadata"), "annotations"), IGNORE_ANNOTATION));
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
    const fileMetadata = first === void 0 ? void 0 : entry(first.tree, "sops");
    let fileSelection;
    if (first !== void 0 && fileMetadata !== void 0) {
      fileSelection = this.checkBlock(first, fileMetadata);
    }
    for (const doc of docs) {
      this.waivers = waiversOf(doc.tree);
      const own = entry(doc.tree, "sops");
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
    const kind = text(entry(tree, "kind"));
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
  /** `key: !env_var NAME` and the like: the raw text after the key's colon (the store drops tags). */
  isTaggedReference(leaf) {
    const text2 = this.input.text;
    const end = text2.indexOf("\n", leaf.offset);
    const line = text2.slice(leaf.offset, end === -1 ? void 0 : end);
    const colon = line.indexOf(":");
    return colon !== -1 && isReferenceTag(line.slice(colon + 1));
  }
  checkCreationRule(doc, kind) {
    const tree = doc.tree;
    const apiVersion = text(entry(tree, "apiVersion"));
    const rule = this.input.creationRule;
    const otherObject = kind !== void 0 && apiVersion !== void 0 && kind !== "Secret";
    if (rule === void 0 || otherObject) return false;
    let first;
    this.walk(doc, (leaf) => {
      if (first === void 0 && holdsValue(leaf.value) && !this.isTaggedReference(leaf) && shouldBeEncrypted(rule.selection, leaf.path, leaf.comments, false)) {
        first = leaf;
      }
    });
    if (first === void 0) return false;
    const regex = describeRuleMatch(rule);
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
      if (key === void 0 || value.kind !== "str" || !isSensitiveKey(key) || !isLiteralSecret(value.value, key)) {
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
      const map = entry(object.tree, field);
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
  const items = entry(tree, "items");
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

// src/lint/walk-files.ts
import { readdir, stat } from "node:fs/promises";
import path2 from "node:path";
var SKIPPED_DIRS = /* @__PURE__ */ new Set([".git", "node_modules"]);
function skipped(relative) {
  return relative.split(/[\\/]/).some((segment) => SKIPPED_DIRS.has(segment));
}
async function gitFiles(root, exec) {
  let result;
  try {
    result = await exec.run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      timeoutMs: 6e4
    });
  } catch {
    return void 0;
  }
  if (result.exitCode !== 0) return void 0;
  const names = Buffer.from(result.stdout).toString("utf8").split("\0");
  return names.filter((name) => name !== "" && !skipped(name)).map((name) => path2.join(root, name));
}
async function walkDirectory(root) {
  const out = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== void 0; dir = pending.pop()) {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry2 of entries) {
      if (entry2.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry2.name)) pending.push(path2.join(dir, entry2.name));
      } else if (entry2.isFile()) {
        out.push(path2.join(dir, entry2.name));
      }
    }
  }
  return out.sort();
}
async function listFiles(target, exec) {
  let info;
  try {
    info = await stat(target);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `${target}: no such file or directory`, { cause });
  }
  if (info.isFile()) return [path2.resolve(target)];
  const root = path2.resolve(target);
  return await gitFiles(root, exec) ?? await walkDirectory(root);
}

export {
  isTemplate,
  isReferenceTag,
  checkMetadata,
  encProblem,
  describeRuleMatch,
  parseSopsConfig,
  matchCreationRule,
  parseSource,
  isParseFailure,
  astChild,
  positionOf,
  parseIgnoreAnnotation,
  parseLintConfig,
  waiverReason,
  suppressed,
  SENSITIVE_HINT,
  isValuesFile,
  isBroadPathRegex,
  checkEnvText,
  IGNORE_ANNOTATION,
  entry,
  isSecretObject,
  checkManifest,
  listFiles
};
