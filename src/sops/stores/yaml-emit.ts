/**
 * A port of the parts of go-yaml v3 (`go.yaml.in/yaml/v3` v3.0.4, as vendored by sops 3.13.3)
 * that `sops -d` runs to write YAML: sops's `appendTreeBranch`/`appendSequence` (tree to
 * `yaml.Node`), `Node.Encode` (the style each scalar gets), `encoder.node` (nodes to events)
 * and the libyaml-derived emitter (`emitterc.go`). Output must be byte-identical to sops, so
 * the emitter is translated function by function, working on UTF-8 bytes as Go does, and
 * keeps Go's names where that helps comparing it with the original.
 *
 * Left out because sops never produces them: anchors and aliases, %TAG/%YAML directives,
 * canonical mode, flow collections with content, folded scalars, and non-UTF-8 encodings.
 */
import { formatFloatG } from '../go-number.ts';
import type { Branch, TreeList, TreeMap, TreeValue } from '../tree.ts';
import { resolvedTagOf } from './yaml-resolve.ts';

// ---------------------------------------------------------------------------------------
// yaml.Node, reduced to what sops builds.

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface YamlNode {
  kind: 'map' | 'seq' | 'scalar';
  /** Short tag (`!!str`), or '' when the node carries none. */
  tag: string;
  /** Whether the tag was explicit in the text go-yaml re-parsed (`TaggedStyle`). */
  tagged: boolean;
  /** Style go-yaml's re-parse recorded; null is "no style" (plain). */
  style: ScalarStyle | null;
  value: string;
  head: string;
  line: string;
  foot: string;
  content: YamlNode[];
}

function newNode(kind: YamlNode['kind']): YamlNode {
  return { kind, tag: '', tagged: false, style: null, value: '', head: '', line: '', foot: '', content: [] };
}

const utf8 = new TextEncoder();

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** go-yaml's `encodeBase64`: standard base64 in 70-column lines when longer than one line. */
function encodeBase64(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lineLen = 70;
  const lines = Math.floor(b64.length / lineLen) + 1;
  if (lines <= 1) return b64;
  let out = '';
  for (let i = 0; i < b64.length; i += lineLen) out += `${b64.slice(i, i + lineLen)}\n`;
  return out;
}

function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0] ?? '';
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

const OLD_BOOLS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'off',
  'Off',
  'OFF',
]);

/**
 * `Node.Encode(v)` for a scalar: go-yaml marshals `v` into a throwaway document, then
 * parses that text back into a node. The node keeps the style the first emitter chose
 * (plain, quoted or literal), which the real encoder then starts from.
 */
function encodeScalar(value: TreeValue): YamlNode {
  const node = newNode('scalar');
  let text: string;
  let requested: ScalarStyle = 'plain';
  let explicitTag = '';
  switch (value.kind) {
    case 'str':
    case 'bytes': {
      const bytes = value.kind === 'str' ? utf8.encode(value.value) : value.value;
      if (value.kind === 'bytes' && !isValidUtf8(bytes)) {
        // `stringv`: invalid UTF-8 cannot be written as text, so it becomes !!binary.
        explicitTag = '!!binary';
        text = encodeBase64(bytes);
      } else {
        text = value.kind === 'str' ? value.value : new TextDecoder().decode(bytes);
      }
      const canUsePlain =
        explicitTag !== '' ||
        (resolvedTagOf(text) === 'str' && !(isBase60Float(text) || OLD_BOOLS.has(text)));
      if (text.includes('\n')) requested = 'literal';
      else if (canUsePlain) requested = 'plain';
      else requested = 'double';
      break;
    }
    case 'int':
      text = value.value.toString();
      break;
    case 'float': {
      const g = formatFloatG(value.value);
      text = g === '+Inf' ? '.inf' : g === '-Inf' ? '-.inf' : g === 'NaN' ? '.nan' : g;
      break;
    }
    case 'bool':
      text = value.value ? 'true' : 'false';
      break;
    case 'time':
      text = value.value;
      break;
    case 'null':
    case 'comment':
    case 'map':
    case 'list':
      text = 'null';
      break;
  }
  const chosen = selectScalarStyle(requested, analyzeScalar(utf8.encode(text)), {
    flowLevel: 0,
    simpleKey: false,
    noTag: explicitTag === '',
    implicit: explicitTag === '',
    quotedImplicit: explicitTag === '',
  });
  node.value = text;
  if (explicitTag !== '') {
    node.tag = explicitTag;
    node.tagged = true;
  } else if (chosen === 'plain') {
    node.tag = text === '<<' ? '!!merge' : `!!${tagOfResolved(text)}`;
  } else {
    node.tag = '!!str';
  }
  node.style = chosen === 'plain' ? null : chosen;
  return node;
}

function tagOfResolved(text: string): string {
  return resolvedTagOf(text);
}

// ---------------------------------------------------------------------------------------
// sops: stores/yaml/store.go, tree to nodes.

function joinComments(comments: readonly string[]): string {
  return `#${comments.join('\n#')}`;
}

function addCommentsHead(node: YamlNode, comments: string[]): string[] {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.head = node.head.length > 0 ? `${comment}\n${node.head}` : comment;
  }
  return [];
}

function addCommentsFoot(node: YamlNode, comments: string[]): string[] {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.foot = node.foot.length > 0 ? `${node.foot}\n${comment}` : comment;
  }
  return [];
}

function addCommentsLine(node: YamlNode, comments: string[]): string[] {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.line = node.line.length > 0 ? `${node.line}\n${comment}` : comment;
  }
  return [];
}

function treeValueToNode(value: TreeValue): YamlNode {
  if (value.kind === 'map') {
    const mapping = newNode('map');
    appendTreeBranch(value, mapping);
    return mapping;
  }
  if (value.kind === 'list') {
    const sequence = newNode('seq');
    appendSequence(value, sequence);
    return sequence;
  }
  return encodeScalar(value);
}

function appendSequence(list: TreeList, sequence: YamlNode): void {
  let headComments: string[] = [];
  let inlineComments: string[] = [];
  let beginning = true;
  for (const item of list.items) {
    if (item.kind === 'comment') {
      if (item.inline === true) inlineComments.push(item.text);
      else headComments.push(item.text);
      continue;
    }
    if (beginning) {
      headComments = addCommentsHead(sequence, headComments);
      beginning = false;
    }
    const itemNode = treeValueToNode(item);
    headComments = addCommentsHead(itemNode, headComments);
    inlineComments = addCommentsLine(itemNode, inlineComments);
    sequence.content.push(itemNode);
  }
  const rest = [...headComments, ...inlineComments];
  if (rest.length > 0) {
    const last = sequence.content[sequence.content.length - 1];
    if (beginning || last === undefined) addCommentsHead(sequence, rest);
    else addCommentsFoot(last, rest);
  }
}

function appendTreeBranch(branch: TreeMap, mapping: YamlNode): void {
  let headComments: string[] = [];
  let inlineComments: string[] = [];
  let beginning = true;
  for (const item of branch.items) {
    if ('kind' in item) {
      if (item.inline === true) inlineComments.push(item.text);
      else headComments.push(item.text);
      continue;
    }
    if (beginning) {
      headComments = addCommentsHead(mapping, headComments);
      beginning = false;
    }
    const keyNode = encodeScalar({ kind: 'str', value: item.key });
    headComments = addCommentsHead(keyNode, headComments);
    const valueNode = treeValueToNode(item.value);
    inlineComments = addCommentsLine(valueNode, inlineComments);
    mapping.content.push(keyNode, valueNode);
  }
  const rest = [...headComments, ...inlineComments];
  if (rest.length > 0) {
    const lastKey = mapping.content[mapping.content.length - 2];
    if (beginning || lastKey === undefined) addCommentsHead(mapping, rest);
    else addCommentsFoot(lastKey, rest);
  }
}

// ---------------------------------------------------------------------------------------
// encode.go: nodes to events.

type EventType =
  | 'STREAM_START'
  | 'STREAM_END'
  | 'DOCUMENT_START'
  | 'DOCUMENT_END'
  | 'MAPPING_START'
  | 'MAPPING_END'
  | 'SEQUENCE_START'
  | 'SEQUENCE_END'
  | 'SCALAR';

interface YamlEvent {
  type: EventType;
  implicit: boolean;
  quotedImplicit: boolean;
  /** Long tag, or empty. */
  tag: string;
  value: Uint8Array;
  style: ScalarStyle | 'block' | 'flow';
  head: Uint8Array;
  line: Uint8Array;
  foot: Uint8Array;
  tail: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function event(type: EventType, fields: Partial<YamlEvent> = {}): YamlEvent {
  return {
    type,
    implicit: true,
    quotedImplicit: true,
    tag: '',
    value: EMPTY,
    style: 'block',
    head: EMPTY,
    line: EMPTY,
    foot: EMPTY,
    tail: EMPTY,
    ...fields,
  };
}

const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

function longTag(tag: string): string {
  return tag.startsWith('!!') ? LONG_TAG_PREFIX + tag.slice(2) : tag;
}

/** `encoder.node`: the event stream for one node (no anchors: sops never sets them). */
function nodeEvents(node: YamlNode, tail: string, out: YamlEvent[]): void {
  let tag = node.tag;
  if (tag !== '' && !node.tagged) {
    if (node.kind === 'scalar') {
      if (tag === '!!str' && node.style !== null && node.style !== 'plain') {
        tag = '';
      } else {
        const rtag = `!!${resolvedTagOf(node.value)}`;
        if (rtag === tag) tag = '';
        else if (tag === '!!str') tag = '';
      }
    } else if ((node.kind === 'map' && tag === '!!map') || (node.kind === 'seq' && tag === '!!seq')) {
      tag = '';
    }
  }
  switch (node.kind) {
    case 'seq':
      out.push(
        event('SEQUENCE_START', { tag: longTag(tag), implicit: tag === '', head: utf8.encode(node.head) }),
      );
      for (const child of node.content) nodeEvents(child, '', out);
      out.push(event('SEQUENCE_END', { line: utf8.encode(node.line), foot: utf8.encode(node.foot) }));
      return;
    case 'map': {
      out.push(
        event('MAPPING_START', {
          tag: longTag(tag),
          implicit: tag === '',
          tail: utf8.encode(tail),
          head: utf8.encode(node.head),
        }),
      );
      // Each key's foot comment is emitted as the next key's tail, after the whole value.
      let pending = '';
      for (let i = 0; i + 1 < node.content.length; i += 2) {
        let key = node.content[i] as YamlNode;
        const value = node.content[i + 1] as YamlNode;
        const foot = key.foot;
        if (foot !== '') key = { ...key, foot: '' };
        nodeEvents(key, pending, out);
        pending = foot;
        nodeEvents(value, '', out);
      }
      out.push(
        event('MAPPING_END', {
          tail: utf8.encode(pending),
          line: utf8.encode(node.line),
          foot: utf8.encode(node.foot),
        }),
      );
      return;
    }
    case 'scalar': {
      let style: ScalarStyle = node.style ?? 'plain';
      if (node.style === null && node.value.includes('\n')) style = 'literal';
      const implicit = tag === '';
      out.push(
        event('SCALAR', {
          value: utf8.encode(node.value),
          tag: implicit ? '' : longTag(tag),
          implicit,
          quotedImplicit: implicit,
          style,
          head: utf8.encode(node.head),
          line: utf8.encode(node.line),
          foot: utf8.encode(node.foot),
          tail: utf8.encode(tail),
        }),
      );
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// emitterc.go

type EmitState =
  | 'STREAM_START'
  | 'FIRST_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'FLOW_SEQUENCE_FIRST_ITEM'
  | 'FLOW_SEQUENCE_TRAIL_ITEM'
  | 'FLOW_SEQUENCE_ITEM'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_TRAIL_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_SIMPLE_VALUE'
  | 'FLOW_MAPPING_VALUE'
  | 'BLOCK_SEQUENCE_FIRST_ITEM'
  | 'BLOCK_SEQUENCE_ITEM'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_SIMPLE_VALUE'
  | 'BLOCK_MAPPING_VALUE'
  | 'END';

interface ScalarAnalysis {
  value: Uint8Array;
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** Byte width of the UTF-8 sequence that starts with `b` (go-yaml's `width`). */
function width(b: number): number {
  if ((b & 0x80) === 0x00) return 1;
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 0;
}

const at = (b: Uint8Array, i: number): number => b[i] ?? 0;

function isPrintable(b: Uint8Array, i: number): boolean {
  const c = at(b, i);
  const c1 = at(b, i + 1);
  const c2 = at(b, i + 2);
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c === 0xc2 && c1 >= 0xa0) ||
    (c > 0xc2 && c < 0xed) ||
    (c === 0xed && c1 < 0xa0) ||
    c === 0xee ||
    (c === 0xef && !(c1 === 0xbb && c2 === 0xbf) && !(c1 === 0xbf && (c2 === 0xbe || c2 === 0xbf)))
  );
}

const isSpace = (b: Uint8Array, i: number): boolean => at(b, i) === 0x20;
const isBlank = (b: Uint8Array, i: number): boolean => at(b, i) === 0x20 || at(b, i) === 0x09;
function isBreak(b: Uint8Array, i: number): boolean {
  const c = at(b, i);
  return (
    c === 0x0d ||
    c === 0x0a ||
    (c === 0xc2 && at(b, i + 1) === 0x85) ||
    (c === 0xe2 && at(b, i + 1) === 0x80 && (at(b, i + 2) === 0xa8 || at(b, i + 2) === 0xa9))
  );
}
/** Past the end counts as the NUL terminator libyaml relies on. */
const isBlankz = (b: Uint8Array, i: number): boolean =>
  i >= b.length || at(b, i) === 0 || isBlank(b, i) || isBreak(b, i);
/** go-yaml checks the start of the whole value here, not position i (a libyaml quirk kept). */
const isBom = (b: Uint8Array): boolean => at(b, 0) === 0xef && at(b, 1) === 0xbb && at(b, 2) === 0xbf;
const isAlpha = (b: Uint8Array, i: number): boolean => {
  const c = at(b, i);
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x2d
  );
};

/** `yaml_emitter_analyze_scalar` (the emitter is always in unicode mode here). */
function analyzeScalar(value: Uint8Array): ScalarAnalysis {
  if (value.length === 0) {
    return {
      value,
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (
    value.length >= 3 &&
    ((at(value, 0) === 0x2d && at(value, 1) === 0x2d && at(value, 2) === 0x2d) ||
      (at(value, 0) === 0x2e && at(value, 1) === 0x2e && at(value, 2) === 0x2e))
  ) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0, w = 0; i < value.length; i += w) {
    w = width(at(value, i)) || 1;
    const followedByWhitespace = i + w >= value.length || isBlank(value, i + w);
    const c = String.fromCharCode(at(value, i));
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === '?' || c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === '-') {
        if (followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    } else {
      if (',?[]{}'.includes(c)) {
        flowIndicators = true;
      } else if (c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === '#') {
        if (precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    }
    if (at(value, i) === 0x09) tabCharacters = true;
    else if (!isPrintable(value, i)) specialCharacters = true;
    if (isSpace(value, i)) {
      if (i === 0) leadingSpace = true;
      if (i + w === value.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(value, i)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === value.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(value, i);
  }
  const a: ScalarAnalysis = {
    value,
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || tabCharacters || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

interface StyleContext {
  flowLevel: number;
  simpleKey: boolean;
  noTag: boolean;
  implicit: boolean;
  quotedImplicit: boolean;
}

/** `yaml_emitter_select_scalar_style`, minus canonical mode. */
function selectScalarStyle(requested: ScalarStyle, a: ScalarAnalysis, ctx: StyleContext): ScalarStyle {
  let style = requested;
  if (ctx.simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if ((ctx.flowLevel > 0 && !a.flowPlainAllowed) || (ctx.flowLevel === 0 && !a.blockPlainAllowed)) {
      style = 'single';
    }
    if (a.value.length === 0 && (ctx.flowLevel > 0 || ctx.simpleKey)) style = 'single';
    if (ctx.noTag && !ctx.implicit) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (
    (style === 'literal' || style === 'folded') &&
    (!a.blockAllowed || ctx.flowLevel > 0 || ctx.simpleKey)
  ) {
    style = 'double';
  }
  return style;
}

const BEST_WIDTH = 2 ** 31 - 1;

class Emitter {
  private readonly out: number[] = [];
  private readonly bestIndent: number;
  private state: EmitState = 'STREAM_START';
  private states: EmitState[] = [];
  private events: YamlEvent[] = [];
  private head = 0;
  private indents: number[] = [];
  private indent = -1;
  private flowLevel = 0;
  private simpleKeyContext = false;
  private line = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private footIndent = -1;
  private tagHandle: Uint8Array = EMPTY;
  private tagSuffix: Uint8Array = EMPTY;
  private scalar: ScalarAnalysis = analyzeScalar(EMPTY);
  private scalarStyle: ScalarStyle = 'plain';
  private headComment: Uint8Array = EMPTY;
  private lineComment: Uint8Array = EMPTY;
  private footComment: Uint8Array = EMPTY;
  private tailComment: Uint8Array = EMPTY;
  private keyLineComment: Uint8Array = EMPTY;

  constructor(bestIndent: number) {
    this.bestIndent = bestIndent < 2 || bestIndent > 9 ? 2 : bestIndent;
  }

  run(events: YamlEvent[]): string {
    this.events = events;
    for (this.head = 0; this.head < events.length; this.head++) {
      const ev = events[this.head] as YamlEvent;
      this.analyzeEvent(ev);
      this.stateMachine(ev);
    }
    return new TextDecoder().decode(Uint8Array.from(this.out));
  }

  private fail(problem: string): never {
    throw new Error(`yaml emitter: ${problem}`);
  }

  // --- low-level writers ---

  private put(value: number): void {
    this.out.push(value);
    this.column++;
  }

  private putBreak(): void {
    this.out.push(0x0a);
    this.column = 0;
    this.line++;
    this.indention = true;
  }

  /** Writes one UTF-8 character and advances `i` past it; returns the new index. */
  private write(s: Uint8Array, i: number): number {
    const w = width(at(s, i)) || 1;
    for (let k = 0; k < w; k++) this.out.push(at(s, i + k));
    this.column++;
    return i + w;
  }

  private writeAll(s: Uint8Array): void {
    for (let i = 0; i < s.length;) i = this.write(s, i);
  }

  private writeBreak(s: Uint8Array, i: number): number {
    if (at(s, i) === 0x0a) {
      this.putBreak();
      return i + 1;
    }
    const next = this.write(s, i);
    this.column = 0;
    this.line++;
    this.indention = true;
    return next;
  }

  // --- events ---

  private analyzeEvent(ev: YamlEvent): void {
    this.tagHandle = EMPTY;
    this.tagSuffix = EMPTY;
    this.scalar = analyzeScalar(EMPTY);
    if (ev.head.length > 0) this.headComment = ev.head;
    if (ev.line.length > 0) this.lineComment = ev.line;
    if (ev.foot.length > 0) this.footComment = ev.foot;
    if (ev.tail.length > 0) this.tailComment = ev.tail;
    if (ev.type === 'SCALAR') {
      if (ev.tag.length > 0 && !ev.implicit && !ev.quotedImplicit) this.analyzeTag(ev.tag);
      this.scalar = analyzeScalar(ev.value);
    } else if (
      (ev.type === 'SEQUENCE_START' || ev.type === 'MAPPING_START') &&
      ev.tag.length > 0 &&
      !ev.implicit
    ) {
      this.analyzeTag(ev.tag);
    }
  }

  private analyzeTag(tag: string): void {
    // The default directives: "!" -> "!", "!!" -> "tag:yaml.org,2002:".
    if (tag.startsWith('!')) {
      this.tagHandle = utf8.encode('!');
      this.tagSuffix = utf8.encode(tag.slice(1));
    } else if (tag.startsWith(LONG_TAG_PREFIX)) {
      this.tagHandle = utf8.encode('!!');
      this.tagSuffix = utf8.encode(tag.slice(LONG_TAG_PREFIX.length));
    } else {
      this.tagSuffix = utf8.encode(tag);
    }
  }

  private popState(): void {
    this.state = this.states.pop() ?? this.fail('state stack underflow');
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? this.fail('indent stack underflow');
  }

  private stateMachine(ev: YamlEvent): void {
    switch (this.state) {
      case 'STREAM_START':
        this.emitStreamStart(ev);
        return;
      case 'FIRST_DOCUMENT_START':
        this.emitDocumentStart(ev, true);
        return;
      case 'DOCUMENT_START':
        this.emitDocumentStart(ev, false);
        return;
      case 'DOCUMENT_CONTENT':
        this.emitDocumentContent(ev);
        return;
      case 'DOCUMENT_END':
        this.emitDocumentEnd(ev);
        return;
      case 'FLOW_SEQUENCE_FIRST_ITEM':
        this.emitFlowSequenceItem(ev, true, false);
        return;
      case 'FLOW_SEQUENCE_TRAIL_ITEM':
        this.emitFlowSequenceItem(ev, false, true);
        return;
      case 'FLOW_SEQUENCE_ITEM':
        this.emitFlowSequenceItem(ev, false, false);
        return;
      case 'FLOW_MAPPING_FIRST_KEY':
        this.emitFlowMappingKey(ev, true, false);
        return;
      case 'FLOW_MAPPING_TRAIL_KEY':
        this.emitFlowMappingKey(ev, false, true);
        return;
      case 'FLOW_MAPPING_KEY':
        this.emitFlowMappingKey(ev, false, false);
        return;
      case 'FLOW_MAPPING_SIMPLE_VALUE':
      case 'FLOW_MAPPING_VALUE':
        // sops never writes a flow mapping with content.
        this.fail('unexpected flow mapping value');
        return;
      case 'BLOCK_SEQUENCE_FIRST_ITEM':
        this.emitBlockSequenceItem(ev, true);
        return;
      case 'BLOCK_SEQUENCE_ITEM':
        this.emitBlockSequenceItem(ev, false);
        return;
      case 'BLOCK_MAPPING_FIRST_KEY':
        this.emitBlockMappingKey(ev, true);
        return;
      case 'BLOCK_MAPPING_KEY':
        this.emitBlockMappingKey(ev, false);
        return;
      case 'BLOCK_MAPPING_SIMPLE_VALUE':
        this.emitBlockMappingValue(ev, true);
        return;
      case 'BLOCK_MAPPING_VALUE':
        this.emitBlockMappingValue(ev, false);
        return;
      case 'END':
        this.fail('expected nothing after STREAM-END');
    }
  }

  private emitStreamStart(ev: YamlEvent): void {
    if (ev.type !== 'STREAM_START') this.fail('expected STREAM-START');
    this.indent = -1;
    this.line = 0;
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
    this.footIndent = -1;
    this.state = 'FIRST_DOCUMENT_START';
  }

  private emitDocumentStart(ev: YamlEvent, first: boolean): void {
    if (ev.type === 'DOCUMENT_START') {
      const implicit = ev.implicit && first;
      if (!implicit) {
        this.writeIndent();
        this.writeIndicator('---', true, false, false);
        this.writeIndent();
      }
      if (this.headComment.length > 0) {
        this.processHeadComment();
        this.putBreak();
      }
      this.state = 'DOCUMENT_CONTENT';
      return;
    }
    if (ev.type === 'STREAM_END') {
      // encoder.finish clears open_ended before STREAM-END, so no "..." is written.
      this.state = 'END';
      return;
    }
    this.fail('expected DOCUMENT-START or STREAM-END');
  }

  private emitDocumentContent(ev: YamlEvent): void {
    this.states.push('DOCUMENT_END');
    this.processHeadComment();
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitDocumentEnd(ev: YamlEvent): void {
    if (ev.type !== 'DOCUMENT_END') this.fail('expected DOCUMENT-END');
    this.footIndent = 0;
    this.processFootComment();
    this.footIndent = -1;
    this.writeIndent();
    if (!ev.implicit) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    this.state = 'DOCUMENT_START';
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (!indentless) {
      if (this.states[this.states.length - 1] === 'BLOCK_SEQUENCE_ITEM') {
        this.indent += 2;
      } else {
        this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent);
      }
    }
  }

  private emitFlowSequenceItem(ev: YamlEvent, first: boolean, trail: boolean): void {
    if (first) {
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'SEQUENCE_END') {
      this.flowLevel--;
      this.popIndent();
      if (this.column === 0) this.writeIndent();
      this.writeIndicator(']', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    if (!first && !trail) this.writeIndicator(',', false, false, false);
    this.fail('unexpected flow sequence item');
  }

  private emitFlowMappingKey(ev: YamlEvent, first: boolean, trail: boolean): void {
    if (first) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'MAPPING_END') {
      if (
        this.headComment.length + this.footComment.length + this.tailComment.length > 0 &&
        !first &&
        !trail
      ) {
        this.writeIndicator(',', false, false, false);
      }
      this.processHeadComment();
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator('}', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    this.fail('unexpected flow mapping key');
  }

  private emitBlockSequenceItem(ev: YamlEvent, first: boolean): void {
    if (first) this.increaseIndent(false, false);
    if (ev.type === 'SEQUENCE_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.processHeadComment();
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push('BLOCK_SEQUENCE_ITEM');
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitBlockMappingKey(ev: YamlEvent, first: boolean): void {
    if (first) this.increaseIndent(false, false);
    this.processHeadComment();
    if (ev.type === 'MAPPING_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.lineComment.length > 0) {
      this.keyLineComment = this.lineComment;
      this.lineComment = EMPTY;
    }
    if (this.checkSimpleKey()) {
      this.states.push('BLOCK_MAPPING_SIMPLE_VALUE');
      this.emitNode(ev, true);
      return;
    }
    this.writeIndicator('?', true, false, true);
    this.states.push('BLOCK_MAPPING_VALUE');
    this.emitNode(ev, false);
  }

  private emitBlockMappingValue(ev: YamlEvent, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(':', true, false, true);
    }
    if (this.keyLineComment.length > 0) {
      if (ev.type === 'SCALAR') {
        if (this.lineComment.length === 0) {
          this.lineComment = this.keyLineComment;
          this.keyLineComment = EMPTY;
        }
      } else if (ev.style !== 'flow' && (ev.type === 'MAPPING_START' || ev.type === 'SEQUENCE_START')) {
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
        this.processLineComment(false);
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
      }
    }
    this.states.push('BLOCK_MAPPING_KEY');
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  /** `yaml_emitter_emit_node`; only the simple-key context matters for what sops writes. */
  private emitNode(ev: YamlEvent, simpleKey: boolean): void {
    this.simpleKeyContext = simpleKey;
    switch (ev.type) {
      case 'SCALAR':
        this.emitScalar(ev);
        return;
      case 'SEQUENCE_START':
        this.processTag();
        this.state =
          this.flowLevel > 0 || ev.style === 'flow' || this.checkEmpty('SEQUENCE_START', 'SEQUENCE_END')
            ? 'FLOW_SEQUENCE_FIRST_ITEM'
            : 'BLOCK_SEQUENCE_FIRST_ITEM';
        return;
      case 'MAPPING_START':
        this.processTag();
        this.state =
          this.flowLevel > 0 || ev.style === 'flow' || this.checkEmpty('MAPPING_START', 'MAPPING_END')
            ? 'FLOW_MAPPING_FIRST_KEY'
            : 'BLOCK_MAPPING_FIRST_KEY';
        return;
      default:
        this.fail(`expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS, but got ${ev.type}`);
    }
  }

  private emitScalar(ev: YamlEvent): void {
    this.scalarStyle = selectScalarStyle(ev.style as ScalarStyle, this.scalar, {
      flowLevel: this.flowLevel,
      simpleKey: this.simpleKeyContext,
      noTag: this.tagHandle.length === 0 && this.tagSuffix.length === 0,
      implicit: ev.implicit,
      quotedImplicit: ev.quotedImplicit,
    });
    this.processTag();
    this.increaseIndent(true, false);
    this.processScalar();
    this.popIndent();
    this.popState();
  }

  private checkEmpty(start: EventType, end: EventType): boolean {
    return this.events[this.head]?.type === start && this.events[this.head + 1]?.type === end;
  }

  private checkSimpleKey(): boolean {
    const ev = this.events[this.head];
    let length = 0;
    switch (ev?.type) {
      case 'SCALAR':
        if (this.scalar.multiline) return false;
        length += this.tagHandle.length + this.tagSuffix.length + this.scalar.value.length;
        break;
      case 'SEQUENCE_START':
        if (!this.checkEmpty('SEQUENCE_START', 'SEQUENCE_END')) return false;
        length += this.tagHandle.length + this.tagSuffix.length;
        break;
      case 'MAPPING_START':
        if (!this.checkEmpty('MAPPING_START', 'MAPPING_END')) return false;
        length += this.tagHandle.length + this.tagSuffix.length;
        break;
      default:
        return false;
    }
    return length <= 128;
  }

  private processTag(): void {
    if (this.tagHandle.length === 0 && this.tagSuffix.length === 0) return;
    if (this.tagHandle.length > 0) {
      this.writeTagHandle(this.tagHandle);
      if (this.tagSuffix.length > 0) this.writeTagContent(this.tagSuffix, false);
    } else {
      this.writeIndicator('!<', true, false, false);
      this.writeTagContent(this.tagSuffix, false);
      this.writeIndicator('>', false, false, false);
    }
  }

  private processScalar(): void {
    const value = this.scalar.value;
    switch (this.scalarStyle) {
      case 'plain':
        this.writePlainScalar(value, !this.simpleKeyContext);
        return;
      case 'single':
        this.writeSingleQuotedScalar(value, !this.simpleKeyContext);
        return;
      case 'double':
        this.writeDoubleQuotedScalar(value, !this.simpleKeyContext);
        return;
      case 'literal':
        this.writeLiteralScalar(value);
        return;
      case 'folded':
        this.fail('folded scalars are never written by sops');
    }
  }

  // --- comments ---

  private processHeadComment(): void {
    if (this.tailComment.length > 0) {
      this.writeIndent();
      this.writeComment(this.tailComment);
      this.tailComment = EMPTY;
      this.footIndent = Math.max(this.indent, 0);
    }
    if (this.headComment.length === 0) return;
    this.writeIndent();
    this.writeComment(this.headComment);
    this.headComment = EMPTY;
  }

  private processLineComment(linebreak: boolean): void {
    if (this.lineComment.length === 0) {
      // go-yaml issue #755: a block scalar header needs its line break even without a comment.
      if (linebreak) this.putBreak();
      return;
    }
    if (!this.whitespace) this.put(0x20);
    this.writeComment(this.lineComment);
    this.lineComment = EMPTY;
  }

  private processFootComment(): void {
    if (this.footComment.length === 0) return;
    this.writeIndent();
    this.writeComment(this.footComment);
    this.footComment = EMPTY;
    this.footIndent = Math.max(this.indent, 0);
  }

  // --- writers ---

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    if (this.footIndent === indent) this.putBreak();
    while (this.column < indent) this.put(0x20);
    this.whitespace = true;
    this.footIndent = -1;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(0x20);
    this.writeAll(utf8.encode(indicator));
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writeTagHandle(value: Uint8Array): void {
    if (!this.whitespace) this.put(0x20);
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }

  private writeTagContent(value: Uint8Array, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(0x20);
    for (let i = 0; i < value.length;) {
      const c = String.fromCharCode(at(value, i));
      if (";/?:@&=+$,_.~*'()[]".includes(c) || isAlpha(value, i)) {
        i = this.write(value, i);
        continue;
      }
      const w = width(at(value, i)) || 1;
      for (let k = 0; k < w; k++) {
        const octet = at(value, i);
        i++;
        this.put(0x25);
        this.put(hexDigit(octet >> 4));
        this.put(hexDigit(octet & 0x0f));
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writePlainScalar(value: Uint8Array, allowBreaks: boolean): void {
    if (value.length > 0 && !this.whitespace) this.put(0x20);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length;) {
      if (isSpace(value, i)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(value, i + 1)) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && at(value, i) === 0x0a) this.putBreak();
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (value.length > 0) this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuotedScalar(value: Uint8Array, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length;) {
      if (isSpace(value, i)) {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < value.length - 1 &&
          !isSpace(value, i + 1)
        ) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && at(value, i) === 0x0a) this.putBreak();
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (at(value, i) === 0x27) this.put(0x27);
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuotedScalar(value: Uint8Array, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < value.length;) {
      const c = at(value, i);
      if (!isPrintable(value, i) || isBom(value) || isBreak(value, i) || c === 0x22 || c === 0x5c) {
        let w = width(c) || 1;
        let v = w === 1 ? c & 0x7f : w === 2 ? c & 0x1f : w === 3 ? c & 0x0f : c & 0x07;
        for (let k = 1; k < w; k++) v = (v << 6) + (at(value, i + k) & 0x3f);
        i += w;
        this.put(0x5c);
        const simple = SIMPLE_ESCAPES.get(v);
        if (simple !== undefined) {
          this.put(simple.charCodeAt(0));
        } else {
          if (v <= 0xff) {
            this.put(0x78);
            w = 2;
          } else if (v <= 0xffff) {
            this.put(0x75);
            w = 4;
          } else {
            this.put(0x55);
            w = 8;
          }
          for (let k = (w - 1) * 4; k >= 0; k -= 4) this.put(hexDigit((v >> k) & 0x0f));
        }
        spaces = false;
      } else if (isSpace(value, i)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (isSpace(value, i + 1)) this.put(0x5c);
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else {
        i = this.write(value, i);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(value: Uint8Array): void {
    if (isSpace(value, 0) || isBreak(value, 0)) {
      this.writeIndicator(String(this.bestIndent), false, false, false);
    }
    let chomp = '';
    if (value.length === 0) {
      chomp = '-';
    } else {
      let i = value.length - 1;
      while ((at(value, i) & 0xc0) === 0x80) i--;
      if (!isBreak(value, i)) {
        chomp = '-';
      } else if (i === 0) {
        chomp = '+';
      } else {
        i--;
        while ((at(value, i) & 0xc0) === 0x80) i--;
        if (isBreak(value, i)) {
          chomp = '+';
        }
      }
    }
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
  }

  private writeLiteralScalar(value: Uint8Array): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.processLineComment(true);
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < value.length;) {
      if (isBreak(value, i)) {
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeComment(comment: Uint8Array): void {
    let breaks = false;
    let pound = false;
    for (let i = 0; i < comment.length;) {
      if (isBreak(comment, i)) {
        i = this.writeBreak(comment, i);
        breaks = true;
        pound = false;
      } else {
        if (breaks) this.writeIndent();
        if (!pound) {
          if (at(comment, i) !== 0x23) {
            this.put(0x23);
            this.put(0x20);
          }
          pound = true;
        }
        i = this.write(comment, i);
        this.indention = false;
        breaks = false;
      }
    }
    if (!breaks) this.putBreak();
    this.whitespace = true;
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function hexDigit(d: number): number {
  return d < 10 ? 0x30 + d : 0x41 + d - 10;
}

/** Printable ASCII without blanks: a plain scalar of these is never broken across lines. */
const UNBROKEN = /^[\x21-\x7e]+$/;
/** go-yaml writes a longer key as a complex key (`? key`); far below that is safe. */
const MAX_SIMPLE_KEY = 100;

/** Whether the encoder writes `value` as a plain string on one line (its own decision). */
function plainOnOneLine(value: string): boolean {
  if (!UNBROKEN.test(value)) return false;
  const node = encodeScalar({ kind: 'str', value });
  return node.style === null && node.tag === '!!str';
}

/**
 * The shortcut for the common plaintext (a Secret or ConfigMap): block mappings of strings
 * that are written plain on one line, nothing else (no comments, lists, empty mappings or
 * other scalars), written directly as `key: value` lines. False when the mapping is not that
 * simple; the caller then runs the encoder (what it writes for such a mapping is the same,
 * which a differential test checks).
 */
function emitSimpleMap(map: TreeMap, column: number, indent: number, lines: string[]): boolean {
  if (map.items.length === 0) return false;
  const pad = ' '.repeat(column);
  for (const item of map.items) {
    if ('kind' in item || item.key.length > MAX_SIMPLE_KEY || !plainOnOneLine(item.key)) return false;
    const value = item.value;
    if (value.kind === 'str') {
      if (!plainOnOneLine(value.value)) return false;
      lines.push(`${pad}${item.key}: ${value.value}\n`);
    } else if (value.kind === 'map') {
      lines.push(`${pad}${item.key}:\n`);
      if (!emitSimpleMap(value, column + indent, indent, lines)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Writes branches as `sops -d` does (`EmitPlainFile`): one document per branch, `---`
 * between documents, block style with `indent` spaces (sops's default is 4).
 */
export function emitYamlBranches(branches: readonly Branch[], indent = 4): string {
  if (branches.length === 0) return '';
  const only = branches.length === 1 ? branches[0] : undefined;
  if (only !== undefined) {
    const lines: string[] = [];
    if (emitSimpleMap(only, 0, indent, lines)) return lines.join('');
  }
  return emitYamlBranchesGenerally(branches, indent);
}

/** emitYamlBranches without the shortcut (exported for the shortcut's differential test). */
export function emitYamlBranchesGenerally(branches: readonly Branch[], indent = 4): string {
  if (branches.length === 0) return '';
  const events: YamlEvent[] = [event('STREAM_START')];
  for (const branch of branches) {
    const mapping = newNode('map');
    appendTreeBranch(branch, mapping);
    events.push(event('DOCUMENT_START'));
    nodeEvents(mapping, '', events);
    events.push(event('DOCUMENT_END'));
  }
  events.push(event('STREAM_END'));
  return new Emitter(indent).run(events);
}

/**
 * One value as sops's YAML `EmitValue` writes it (`yaml.Marshal` of the node): what
 * `--extract` prints for a list or a non-string scalar.
 */
export function emitYamlValue(value: TreeValue, indent = 4): string {
  const events: YamlEvent[] = [event('STREAM_START'), event('DOCUMENT_START')];
  nodeEvents(treeValueToNode(value), '', events);
  events.push(event('DOCUMENT_END'), event('STREAM_END'));
  return new Emitter(indent).run(events);
}
