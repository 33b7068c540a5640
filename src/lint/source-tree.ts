/**
 * A YAML or JSON file as lint sees it: the sops engine's tree (the same typing and comment
 * placement that decryption uses, so selection rules agree with sops) walked side by side
 * with the `yaml` library's AST, which knows where every key is.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as AstNode,
} from 'yaml';
import { UserError } from '../errors.ts';
import type { CommentStack } from '../sops/selection.ts';
import { parseJsonDocument } from '../sops/stores/json.ts';
import { branchesOfDocuments, withGoLineBreaks, YAML_STORE_PARSE_OPTIONS } from '../sops/stores/yaml.ts';
import type { Branch, MapItem, TreeValue } from '../sops/tree.ts';

/** One document: its tree and its AST root. */
export interface SourceDocument {
  readonly index: number;
  /** The document as a map; empty when its root is a sequence (see `root`). */
  readonly tree: Branch;
  readonly ast: AstNode | null;
  /** A top-level sequence (a JSON6902 patch file), which sops cannot store but lint checks. */
  readonly root?: TreeValue;
}

export interface ParsedSource {
  readonly text: string;
  readonly lines: LineCounter;
  readonly documents: readonly SourceDocument[];
}

/** Why a file could not be read as a tree, and where (never quoting the source). */
export interface ParseFailure {
  readonly offset: number;
  readonly reason: string;
}

/** A leaf with its key path (map keys only, as sops builds it) and where it sits. */
export interface PositionedLeaf {
  readonly value: TreeValue;
  readonly path: readonly string[];
  readonly comments: CommentStack;
  /** Offset of the leaf's key (or of the list item when it has none). */
  readonly offset: number;
}

/**
 * JSON with comments (`.vscode/settings.json`, tsconfig): comments and trailing commas become
 * spaces, so every offset, and so every line and column, stays where it was.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = text.indexOf('\n', i);
      if (j === -1) j = text.length;
      out += ' '.repeat(j - i);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      let j = text.indexOf('*/', i + 2);
      j = j === -1 ? text.length : j + 2;
      out += text.slice(i, j).replace(/[^\n]/g, ' ');
      i = j;
    } else if (c === ',' && /^\s*[}\]]/.test(text.slice(i + 1, i + 200))) {
      out += ' ';
      i++;
    } else {
      out += c ?? '';
      i++;
    }
  }
  return out;
}

/** True when `text` parses as strict JSON in the sops store. */
function strictJson(text: string): Branch | undefined {
  try {
    return parseJsonDocument(text);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/**
 * The tree of a document that the sops store refuses (a top-level sequence, integer keys, JSON
 * with comments), built from the `yaml` library's AST instead: lint still checks what it can.
 */
function treeOf(node: unknown, doc: Document.Parsed, depth = 0): TreeValue {
  if (depth > 1000) return { kind: 'null' };
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    const items: MapItem[] = [];
    for (const pair of target.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      items.push({ key, value: treeOf(pair.value, doc, depth + 1) });
    }
    return { kind: 'map', items };
  }
  if (isSeq(target)) return { kind: 'list', items: target.items.map((item) => treeOf(item, doc, depth + 1)) };
  if (isScalar(target)) {
    const v = target.value;
    if (typeof v === 'string') return { kind: 'str', value: v };
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (typeof v === 'number')
      return Number.isInteger(v) ? { kind: 'int', value: BigInt(v) } : { kind: 'float', value: v };
    if (typeof v === 'bigint') return { kind: 'int', value: v };
    if (v === null || v === undefined) return { kind: 'null' };
    return { kind: 'str', value: v instanceof Date ? v.toISOString() : JSON.stringify(v) };
  }
  return { kind: 'null' };
}

function fallbackDocuments(docs: readonly Document.Parsed[]): SourceDocument[] {
  return docs.map((doc, index) => {
    const root = treeOf(doc.contents, doc);
    if (root.kind === 'map') return { index, tree: root, ast: doc.contents };
    return { index, tree: { kind: 'map', items: [] }, ast: doc.contents, root };
  });
}

/**
 * Parses YAML (every document) or JSON (comments allowed); returns a failure instead of
 * throwing on bad syntax.
 */
export function parseSource(input: string, format: 'yaml' | 'json'): ParsedSource | ParseFailure {
  let text = input;
  let strict: Branch | undefined;
  if (format === 'json') {
    strict = strictJson(text);
    if (strict === undefined) text = stripJsonComments(text);
  } else {
    text = withGoLineBreaks(text);
  }
  const lines = new LineCounter();
  // YAML is parsed once, as the sops store parses it, for both the tree and the positions.
  const options =
    format === 'yaml'
      ? { ...YAML_STORE_PARSE_OPTIONS, lineCounter: lines }
      : { lineCounter: lines, prettyErrors: false, uniqueKeys: false };
  const docs = parseAllDocuments(text, options);
  if (!Array.isArray(docs)) return { documents: [], lines, text };
  for (const doc of docs) {
    const error = doc.errors[0];
    // The library's message may quote source text, that is, values: keep only its code.
    if (error !== undefined)
      return { offset: error.pos[0], reason: error.code.toLowerCase().replaceAll('_', ' ') };
  }
  let trees: readonly Branch[];
  try {
    trees = format === 'json' ? [strict ?? parseJsonDocument(text)] : branchesOfDocuments(text, docs, lines);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // A shape sops cannot store (a top-level sequence, say): the library's own typing of it.
    const typed =
      format === 'yaml' ? parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false }) : docs;
    return { text, lines, documents: fallbackDocuments(Array.isArray(typed) ? typed : []) };
  }
  const documents = trees.map((tree, index) => ({ index, tree, ast: docs[index]?.contents ?? null }));
  return { text, lines, documents };
}

/** True when `parseSource` could not read the file. */
export function isParseFailure(value: ParsedSource | ParseFailure): value is ParseFailure {
  return 'reason' in value;
}

function startOf(node: unknown, fallback: number): number {
  const range = (node as { range?: readonly number[] } | null | undefined)?.range;
  return range?.[0] ?? fallback;
}

/** The AST value under map key `key` of `node`, and the offset of that key. */
export function astChild(
  node: AstNode | null,
  key: string,
): { node: AstNode | null; offset: number } | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) {
      return { node: (pair.value as AstNode | null) ?? null, offset: startOf(pair.key, startOf(node, 0)) };
    }
  }
  return undefined;
}

/**
 * Calls `visit` for every scalar leaf in sops's walk order (walk.ts), with the comment stack
 * sops would see. Trees and ASTs list the same entries in the same order, except that the
 * tree interleaves comments; a shape that does not line up (aliases, merge keys) falls back
 * to the parent's position rather than guessing.
 */
export function walkLeaves(
  tree: TreeValue,
  ast: AstNode | null,
  offset: number,
  visit: (leaf: PositionedLeaf) => void,
  path: readonly string[] = [],
  outer: CommentStack = [],
  skipTopLevel?: string,
): void {
  if (tree.kind === 'map') {
    const pairs = isMap(ast) ? ast.items : [];
    let j = 0;
    let level: string[] = [];
    for (const item of tree.items) {
      if (!('key' in item)) {
        level.push(item.text);
        continue;
      }
      const pair = pairs[j++];
      if (path.length === 0 && item.key === skipTopLevel) {
        level = [];
        continue;
      }
      const keyOffset = pair === undefined ? offset : startOf(pair.key, offset);
      const valueAst = pair === undefined ? null : ((pair.value as AstNode | null) ?? null);
      walkLeaves(item.value, valueAst, keyOffset, visit, [...path, item.key], [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === 'list') {
    const items = isSeq(ast) ? ast.items : [];
    let j = 0;
    let level: string[] = [];
    for (const item of tree.items) {
      if (item.kind === 'comment') {
        level.push(item.text);
        continue;
      }
      const node = items[j++] as AstNode | undefined;
      walkLeaves(item, node ?? null, startOf(node, offset), visit, path, [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === 'null' || tree.kind === 'comment') return;
  visit({ value: tree, path, comments: outer, offset });
}

/** 1-based line and column of an offset. */
export function positionOf(source: ParsedSource, offset: number): { line: number; column: number } {
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/**
 * The source line at `offset` with its value replaced by `***`: caret snippets show where a
 * finding is without printing the secret that caused it.
 */
export function redactedLine(text: string, lines: LineCounter, offset: number): string {
  const { line } = lines.linePos(offset);
  const start = lines.lineStarts[line - 1] ?? 0;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  const lineText = text.slice(start, end).replace(/\r$/, '');
  const rel = Math.min(offset - start, lineText.length);
  const prefix = lineText.slice(0, rel);
  const rest = lineText.slice(rel);
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(?=\s|$)/.exec(rest);
  if (key !== null) {
    const after = rest.slice(key[0].length).trim();
    return `${prefix}${key[0]}${after === '' || after === '{' || after === '[' || after === '|' || after === '>' ? (after === '' ? '' : ` ${after}`) : ' ***'}`;
  }
  return rest.trim() === '' ? prefix : `${prefix}***`;
}
