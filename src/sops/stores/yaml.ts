/**
 * The YAML store, matching sops 3.13.3 (`stores/yaml/store.go` on go-yaml v3).
 *
 * Parsing uses eemeli `yaml` for syntax (failsafe schema, so every scalar stays text) and
 * then applies go-yaml's scalar typing (`yaml-resolve.ts`). Comments are placed the way
 * go-yaml attaches them to nodes and sops then flattens them into the tree: a comment on
 * its own line goes before the next entry of the block it is aligned with, or at the end of
 * a block that the next entry closes; a comment after a scalar on the same line is inline.
 * Writing is a port of go-yaml's encoder (`yaml-emit.ts`).
 */
import {
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Parser,
  type Document,
  type Node as YamlAstNode,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { SopsFormatError } from '../../errors.ts';
import type { Branch, Comment, LoadedFile, MapItem, Store, TreeMap, TreeValue } from '../tree.ts';
import { emitYamlBranches } from './yaml-emit.ts';
import { resolvePlainScalar, resolveTaggedScalar } from './yaml-resolve.ts';
import { parseSimpleYaml } from './yaml-simple.ts';

export { resolvePlainScalar } from './yaml-resolve.ts';

/** Expanded nodes allowed per file, aliases counted every time they are inlined. */
export const MAX_YAML_NODES = 1_000_000;
/** Nesting allowed, in collections (alias expansion included). */
export const MAX_YAML_DEPTH = 1_000;

type AstNode = YamlAstNode;
type Collection = YAMLMap | YAMLSeq;

interface Container {
  readonly node: Collection;
  readonly kind: 'map' | 'seq';
  readonly flow: boolean;
  /** A block sequence written at the same column as its parent map's keys. */
  readonly indentless: boolean;
  readonly indent: number;
  readonly parent: Entry | null;
  readonly entries: Entry[];
  /** Comments placed before entry i (key = i), or at the end (key = entries.length). */
  readonly comments: Map<number, PlacedComment[]>;
}

interface Entry {
  readonly container: Container;
  readonly index: number;
  /** Offset of the key (maps) or the `-` indicator (block sequences). */
  readonly start: number;
  readonly pair: Pair | null;
  readonly item: AstNode | null;
}

interface PlacedComment {
  readonly offset: number;
  readonly comment: Comment;
}

/** A scalar, alias or flow collection, with the entry it is the value of. */
interface ValueSpan {
  readonly start: number;
  readonly end: number;
  readonly node: AstNode;
  readonly entry: Entry | null;
  readonly role: 'value' | 'key';
}

interface DocumentModel {
  readonly doc: Document.Parsed;
  readonly containers: Map<Collection, Container>;
  readonly entries: Entry[];
  readonly spans: ValueSpan[];
  /** Comments of a document with no entries at all. */
  readonly loose: PlacedComment[];
}

interface CommentToken {
  readonly offset: number;
  readonly source: string;
}

function syntaxError(lines: LineCounter, offset: number, what: string): SopsFormatError {
  const pos = lines.linePos(offset);
  return new SopsFormatError(`invalid YAML at line ${pos.line}, column ${pos.col}: ${what}`, {
    line: pos.line,
    column: pos.col,
  });
}

/** Every comment token of the CST, each with the index of the document it belongs to. */
function collectComments(text: string): { docIndex: number; token: CommentToken }[] {
  const found: { docIndex: number; token: CommentToken }[] = [];
  // Every YAML comment starts with '#'; most encrypted manifests have none, so skip the
  // second parse (it is a third of the load time for a small Secret).
  if (!text.includes('#')) return found;
  let docIndex = 0;
  let pendingTopLevel: CommentToken[] = [];
  const visit = (value: unknown, into: CommentToken[]): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, into);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const token = value as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      into.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const child of Object.values(value)) {
      if (typeof child === 'object') visit(child, into);
    }
  };
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document') {
      const inside: CommentToken[] = [];
      visit(token, inside);
      for (const t of [...pendingTopLevel, ...inside]) found.push({ docIndex, token: t });
      pendingTopLevel = [];
      docIndex++;
    } else if (token.type === 'comment') {
      pendingTopLevel.push({ offset: token.offset, source: token.source });
    } else {
      // Comments after `...` or the last document belong to the document before them.
      const inside: CommentToken[] = [];
      visit(token, inside);
      pendingTopLevel.push(...inside);
    }
  }
  for (const t of pendingTopLevel) found.push({ docIndex: Math.max(docIndex - 1, 0), token: t });
  return found;
}

function firstTokenOffset(srcToken: unknown, fallback: number): number {
  const item = srcToken as { start?: { type: string; offset: number }[] } | undefined;
  for (const t of item?.start ?? []) {
    if (t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') return t.offset;
  }
  return fallback;
}

function columnOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart;
}

/** Builds the container/entry model of one document (no alias expansion: source positions only). */
function modelDocument(text: string, doc: Document.Parsed): DocumentModel {
  const model: DocumentModel = { doc, containers: new Map(), entries: [], spans: [], loose: [] };
  const addSpan = (node: AstNode | null, entry: Entry | null, role: ValueSpan['role']): void => {
    if (node === null || node.range == null) return;
    if (isScalar(node) || isAlias(node) || ((isMap(node) || isSeq(node)) && node.flow === true)) {
      model.spans.push({ start: node.range[0], end: node.range[1], node, entry, role });
    }
  };
  const walk = (node: unknown, parent: Entry | null, depth: number): void => {
    if (depth > MAX_YAML_DEPTH) {
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`);
    }
    if (!isMap(node) && !isSeq(node)) return;
    const range = node.range ?? [0, 0, 0];
    const flow = node.flow === true;
    const src = node.srcToken as { items?: unknown[] } | undefined;
    const cstItems = !flow && Array.isArray(src?.items) ? src.items : [];
    const starts = node.items.map((item, i) => {
      const astStart = isPair(item)
        ? ((item.key as AstNode | null)?.range?.[0] ?? range[0])
        : ((item as AstNode | null)?.range?.[0] ?? range[0]);
      return firstTokenOffset(cstItems[i], astStart);
    });
    const indent = columnOf(text, starts[0] ?? range[0]);
    const parentContainer = parent?.container;
    const indentless =
      isSeq(node) &&
      !flow &&
      parentContainer?.kind === 'map' &&
      !parentContainer.flow &&
      indent === parentContainer.indent;
    const container: Container = {
      node,
      kind: isMap(node) ? 'map' : 'seq',
      flow,
      indentless,
      indent,
      parent,
      entries: [],
      comments: new Map(),
    };
    model.containers.set(node, container);
    node.items.forEach((item, index) => {
      const entry: Entry = {
        container,
        index,
        start: starts[index] ?? range[0],
        pair: isPair(item) ? item : null,
        item: isPair(item) ? null : (item as AstNode | null),
      };
      container.entries.push(entry);
      model.entries.push(entry);
      if (entry.pair !== null) {
        addSpan(entry.pair.key as AstNode | null, entry, 'key');
        addSpan(entry.pair.value as AstNode | null, entry, 'value');
        walk(entry.pair.key, entry, depth + 1);
        walk(entry.pair.value, entry, depth + 1);
      } else {
        addSpan(entry.item, entry, 'value');
        walk(entry.item, entry, depth + 1);
      }
    });
  };
  addSpan(doc.contents, null, 'value');
  walk(doc.contents, null, 0);
  model.entries.sort((a, b) => a.start - b.start);
  return model;
}

function place(container: Container, position: number, placed: PlacedComment): void {
  const list = container.comments.get(position);
  if (list === undefined) container.comments.set(position, [placed]);
  else list.push(placed);
}

function ancestors(entry: Entry | null): Container[] {
  const chain: Container[] = [];
  for (let c = entry?.container; c !== undefined; c = c.parent?.container) chain.push(c);
  return chain;
}

/** Where go-yaml (through sops) puts a comment that has a line of its own. */
function placeOwnLine(model: DocumentModel, offset: number, column: number, comment: Comment): void {
  let previous: Entry | null = null;
  let next: Entry | null = null;
  for (const entry of model.entries) {
    if (entry.start < offset) previous = entry;
    else {
      next = entry;
      break;
    }
  }
  const placed = { offset, comment };
  if (previous === null && next === null) {
    model.loose.push(placed);
    return;
  }
  const open = new Set(ancestors(next));
  // Blocks that end before the next entry: the comment is a foot comment of the deepest one
  // it is indented into. An indentless sequence ends with its parent map's entry instead.
  const closing = ancestors(previous).filter((c) => !open.has(c) && !(next !== null && c.indentless));
  const target = closing.find((c) => c.indent <= column);
  if (target !== undefined) {
    place(target, target.entries.length, placed);
    return;
  }
  if (next !== null) {
    place(next.container, next.index, placed);
    return;
  }
  const outermost = closing[closing.length - 1];
  if (outermost !== undefined) place(outermost, outermost.entries.length, placed);
  else model.loose.push(placed);
}

/** Where a comment that follows something on its line goes. */
function placeTrailing(
  model: DocumentModel,
  text: string,
  offset: number,
  column: number,
  source: string,
): void {
  let p = offset - 1;
  while (p >= 0 && (text[p] === ' ' || text[p] === '\t')) p--;
  const body = source.slice(1);
  let span: ValueSpan | null = null;
  for (const s of model.spans) {
    if (
      s.start <= p &&
      p < Math.max(s.end, s.start + 1) &&
      (span === null || s.end - s.start <= span.end - span.start)
    ) {
      span = s;
    }
  }
  if (span !== null) {
    const entry = span.entry;
    const collection = isMap(span.node) || isSeq(span.node) ? model.containers.get(span.node) : undefined;
    if (entry === null) {
      placeOwnLine(model, offset, column, { kind: 'comment', text: body });
      return;
    }
    if (span.role === 'key') {
      place(entry.container, entry.index, { offset, comment: { kind: 'comment', text: body } });
      return;
    }
    if (collection !== undefined && entry.container.kind === 'map') {
      // A flow collection's own line comment: sops lists it first inside that collection.
      place(collection, 0, { offset, comment: { kind: 'comment', text: body } });
      return;
    }
    place(entry.container, entry.index, { offset, comment: { kind: 'comment', text: body, inline: true } });
    return;
  }
  // After `key:` or `- ` with the value on later lines (or no value): a comment on the key or
  // the entry, which sops keeps as a separate, non-inline comment before the entry.
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let owner: Entry | null = null;
  for (const entry of model.entries) {
    if (entry.start >= lineStart && entry.start < offset && (owner === null || entry.start > owner.start))
      owner = entry;
  }
  if (owner !== null) {
    place(owner.container, owner.index, { offset, comment: { kind: 'comment', text: body } });
    return;
  }
  placeOwnLine(model, offset, column, { kind: 'comment', text: body });
}

function placeComments(model: DocumentModel, text: string, comments: readonly CommentToken[]): void {
  for (const { offset, source } of comments) {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const column = offset - lineStart;
    const before = text.slice(lineStart, offset);
    // go-yaml keeps a comment up to the line break; sops drops the leading '#'.
    const trimmed = source.replace(/\r$/, '');
    if (/^[ \t]*$/.test(before))
      placeOwnLine(model, offset, column, { kind: 'comment', text: trimmed.slice(1) });
    else placeTrailing(model, text, offset, column, trimmed);
  }
}

class TreeBuilder {
  private nodes = 0;
  private readonly aliases = new Map<AstNode, AstNode>();
  private readonly model: DocumentModel;
  private readonly lines: LineCounter;

  constructor(model: DocumentModel, lines: LineCounter) {
    this.model = model;
    this.lines = lines;
  }

  private count(): void {
    this.nodes++;
    if (this.nodes > MAX_YAML_NODES) {
      throw new SopsFormatError(
        `YAML expands to more than ${MAX_YAML_NODES} nodes (an alias bomb?); sops files never need that many`,
      );
    }
  }

  private comments(container: Container | undefined, position: number): Comment[] {
    const list = container?.comments.get(position) ?? [];
    return [...list].sort((a, b) => a.offset - b.offset).map((p) => p.comment);
  }

  value(node: unknown, depth: number): TreeValue {
    this.count();
    if (depth > MAX_YAML_DEPTH)
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`);
    if (node === null || node === undefined) return { kind: 'null' };
    if (isAlias(node)) {
      // The library's resolve() scans the document each time; an alias bomb calls it a lot.
      let target = this.aliases.get(node);
      if (target === undefined) {
        target = node.resolve(this.model.doc);
        if (target !== undefined) this.aliases.set(node, target);
      }
      if (target === undefined) {
        throw syntaxError(this.lines, node.range?.[0] ?? 0, `unknown anchor '${node.source}' referenced`);
      }
      // sops inlines the anchored node; every copy is a full subtree of its own.
      return this.value(target, depth + 1);
    }
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) return this.map(node, depth);
    if (isSeq(node)) return this.list(node, depth);
    return { kind: 'null' };
  }

  private scalar(node: AstNode & { type?: string; value: unknown; tag?: string }): TreeValue {
    // Tags the yaml library knows (binary, timestamp, int) replace the value with a parsed
    // one even under the failsafe schema; go-yaml types the source text itself.
    let text = typeof node.value === 'string' ? node.value : '';
    const source = node.srcToken;
    if (typeof node.value !== 'string' && source !== undefined) {
      const resolved = CST.resolveAsScalar(source as CST.FlowScalar | CST.BlockScalar) as {
        value: string;
      } | null;
      text = resolved?.value ?? text;
    }
    const rawTag = node.tag;
    const tag = rawTag?.startsWith('tag:yaml.org,2002:') === true ? `!!${rawTag.slice(18)}` : rawTag;
    if (tag !== undefined && tag !== '!') return resolveTaggedScalar(tag, text);
    if (node.type === 'PLAIN' || node.type === undefined) return resolvePlainScalar(text);
    return { kind: 'str', value: text };
  }

  key(node: unknown): string {
    const value = node === null || node === undefined ? ({ kind: 'null' } as const) : this.value(node, 0);
    if (value.kind === 'str') return value.value;
    throw new SopsFormatError(`a mapping key is of type ${value.kind}, but sops only supports string keys`, {
      hint: 'quote the key',
    });
  }

  map(node: YAMLMap, depth: number): TreeMap {
    const container = this.model.containers.get(node);
    const items: MapItem[] = [];
    node.items.forEach((pair, i) => {
      items.push(...this.comments(container, i));
      items.push({ key: this.key(pair.key), value: this.value(pair.value, depth + 1) });
    });
    items.push(...this.comments(container, node.items.length));
    return { kind: 'map', items };
  }

  private list(node: YAMLSeq, depth: number): TreeValue {
    const container = this.model.containers.get(node);
    const items: TreeValue[] = [];
    node.items.forEach((item, i) => {
      items.push(...this.comments(container, i));
      items.push(this.value(item, depth + 1));
    });
    items.push(...this.comments(container, node.items.length));
    return { kind: 'list', items };
  }

  /** One document as a branch, as sops's `yamlDocumentNodeToTreeBranch` makes it. */
  branch(): Branch {
    const contents = this.model.doc.contents as unknown;
    const loose = [...this.model.loose].sort((a, b) => a.offset - b.offset).map((p) => p.comment);
    if (contents === null || contents === undefined) return { kind: 'map', items: loose };
    if (isMap(contents)) {
      const map = this.map(contents, 0);
      return { kind: 'map', items: [...loose, ...map.items] };
    }
    if (isSeq(contents)) throw new SopsFormatError('YAML documents that are sequences are not supported');
    if (isScalar(contents) && this.scalar(contents).kind === 'null') return { kind: 'map', items: loose };
    throw new SopsFormatError('YAML documents that are values are not supported');
  }
}

/** go-yaml's duplicate-key check, which sops runs on the first document only. */
function checkUniqueKeys(node: unknown, lines: LineCounter, depth = 0): void {
  if (depth > MAX_YAML_DEPTH) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as AstNode | null;
      if (isScalar(key) && typeof key.value === 'string') {
        if (seen.has(key.value)) {
          throw syntaxError(
            lines,
            key.range?.[0] ?? 0,
            'a mapping key is already defined earlier in the same mapping',
          );
        }
        seen.add(key.value);
      }
      checkUniqueKeys(pair.value, lines, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) checkUniqueKeys(item, lines, depth + 1);
  }
}

/**
 * The options the store parses with: failsafe (every scalar a string; yaml-resolve.ts types
 * them as go-yaml does) and source tokens kept, for the comments and the scalar styles.
 */
export const YAML_STORE_PARSE_OPTIONS = {
  schema: 'failsafe',
  keepSourceTokens: true,
  uniqueKeys: false,
  prettyErrors: false,
} as const;

/**
 * go-yaml breaks lines at a lone CR as at LF and CRLF; eemeli yaml breaks only at LF. The swap
 * keeps every offset, so line numbers in errors stay right.
 */
export function withGoLineBreaks(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

/**
 * The branches of documents already parsed from `text` (withGoLineBreaks applied) with
 * YAML_STORE_PARSE_OPTIONS and no errors: what `loadPlain` gives for the text. Lint parses a
 * file once and uses both the branches and the documents' positions.
 */
export function branchesOfDocuments(
  text: string,
  docs: readonly Document.Parsed[],
  lines: LineCounter,
): Branch[] {
  // go-yaml reports EOF for input with no document at all (e.g. only comments).
  if (docs.length === 0) {
    if (text.length > 0)
      throw new SopsFormatError('the YAML file has no document (it is empty or only comments)');
    return [];
  }
  const comments = collectComments(text);
  const first = docs[0];
  if (first !== undefined) checkUniqueKeys(first.contents, lines);
  return docs.map((doc, index) => {
    const model = modelDocument(text, doc);
    placeComments(
      model,
      text,
      comments.filter((c) => c.docIndex === index).map((c) => c.token),
    );
    return new TreeBuilder(model, lines).branch();
  });
}

function parseBranches(source: string): Branch[] {
  // The YAML sops writes for most manifests, read line by line (yaml-simple.ts).
  return parseSimpleYaml(source) ?? parseBranchesGenerally(source);
}

/** Any YAML, with the `yaml` package (exported for yaml-simple.ts's differential test). */
export function parseBranchesGenerally(source: string): Branch[] {
  const text = withGoLineBreaks(source);
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    const parsed: unknown = parseAllDocuments(text, { ...YAML_STORE_PARSE_OPTIONS, lineCounter: lines });
    // An empty stream comes back as a non-array EmptyStream.
    docs = Array.isArray(parsed) ? (parsed as Document.Parsed[]) : [];
  } catch (cause) {
    if (cause instanceof RangeError) {
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`, { cause });
    }
    throw cause;
  }
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        throw syntaxError(
          lines,
          error.pos[0],
          `nesting or size beyond the parser's limits (more than ${MAX_YAML_DEPTH} levels deep?)`,
        );
      }
      // The code, not the library's message: messages may quote source text, that is, values.
      const what = error.code.toLowerCase().replaceAll('_', ' ');
      throw syntaxError(lines, error.pos[0], what);
    }
  }
  return branchesOfDocuments(text, docs, lines);
}

function isSopsKey(item: MapItem): item is { key: string; value: TreeValue } {
  return !('kind' in item) && item.key === 'sops';
}

/** The YAML store (sops `stores/yaml`). */
export const yamlStore: Store = {
  format: 'yaml',
  loadPlain(text: string): readonly Branch[] {
    return parseBranches(text);
  },
  loadEncrypted(text: string): LoadedFile {
    const branches = parseBranches(text);
    let metadata: TreeMap | null = null;
    const stripped = branches.map((branch, index) => {
      const items: MapItem[] = [];
      for (const item of branch.items) {
        if (!isSopsKey(item)) {
          items.push(item);
          continue;
        }
        // Only the first document's block counts; later copies are dropped (stores.ExtractMetadata).
        if (index === 0) {
          if (metadata !== null) throw new SopsFormatError('the file has more than one sops metadata entry');
          if (item.value.kind !== 'map')
            throw new SopsFormatError('the sops metadata entry is not a mapping');
          metadata = item.value;
        }
      }
      return { kind: 'map', items } satisfies Branch;
    });
    return { branches: stripped, metadata };
  },
  emitPlain(branches: readonly Branch[]): string {
    return emitYamlBranches(branches);
  },
};
