/**
 * A shortcut for the YAML that sops itself writes for most manifests: one document, a block
 * mapping at column 0, nested block mappings and sequences, single-line plain and simply
 * quoted scalars, and literal block scalars (the age stanza). The general path (yaml.ts: the
 * `yaml` package, a model of comments and positions, then go-yaml's typing) costs most of a
 * small file's decryption; this reads such a file line by line into the same tree.
 *
 * Anything outside that narrow shape (comments, tabs, CR, non-ASCII, blank lines, flow
 * collections, anchors, tags, escapes, folded or indented-indicator block scalars,
 * multi-line plain scalars, several documents, duplicate keys, odd indentation...) makes it
 * answer `undefined`, and the general path reads the file as before, errors included. What
 * it accepts, it reads exactly as the general path does: scalars are typed by the same
 * resolvePlainScalar, and a differential test compares the two on generated documents.
 */
import type { Branch, MapItem, TreeMap, TreeValue } from '../tree.ts';
import { resolvePlainScalar } from './yaml-resolve.ts';

/** Printable ASCII and LF only, no `#` (comments) and no tab. */
const SIMPLE_TEXT = /^[\x20-\x22\x24-\x7e\n]*$/;
/** A plain key and what follows its colon. */
const ENTRY = /^([^\s:]+):(?: +(\S.*))?$/;
/** Characters a plain scalar may not start with (YAML indicators), in block context. */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`<=~';
/** Deep enough for any manifest; deeper documents take the general path. */
const MAX_DEPTH = 64;

class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** A single-line plain scalar the general path reads as the same text. */
function plainText(text: string): string {
  if (text === '' || INDICATORS.includes(text[0] ?? '-') || text.endsWith(':') || text.includes(': ')) {
    return unsupported();
  }
  return text;
}

class Reader {
  #at = 0;
  readonly #lines: readonly string[];

  constructor(lines: readonly string[]) {
    this.#lines = lines;
  }

  get done(): boolean {
    return this.#at >= this.#lines.length;
  }

  /** The indentation of the next line, -1 at the end. */
  nextIndent(): number {
    const line = this.#lines[this.#at];
    return line === undefined ? -1 : indentOf(line);
  }

  nextIsItem(indent: number): boolean {
    const line = this.#lines[this.#at];
    return line !== undefined && indentOf(line) === indent && line.startsWith('- ', indent);
  }

  /** A block mapping whose keys sit at `indent`; `first` is its first entry when it began after `- `. */
  map(indent: number, depth: number, first?: string): TreeMap {
    if (depth > MAX_DEPTH) unsupported();
    const items: MapItem[] = [];
    const keys = new Set<string>();
    let content = first;
    for (;;) {
      if (content === undefined) {
        const line = this.#lines[this.#at];
        if (line === undefined) break;
        const lineIndent = indentOf(line);
        if (lineIndent < indent) break;
        if (lineIndent > indent) unsupported();
        content = line.slice(indent);
        if (content.startsWith('- ')) break; // an indentless sequence's end is the caller's
        this.#at++;
      }
      const match = ENTRY.exec(content);
      if (match === null) return unsupported();
      const key = resolvePlainScalar(plainText(match[1] ?? ''));
      if (key.kind !== 'str' || keys.has(key.value)) return unsupported();
      keys.add(key.value);
      items.push({ key: key.value, value: this.value(match[2], indent, depth) });
      content = undefined;
    }
    return { kind: 'map', items };
  }

  /** The value of an entry whose key sits at `indent`; `rest` is what follows `key: `. */
  value(rest: string | undefined, indent: number, depth: number): TreeValue {
    if (rest === undefined) {
      const next = this.nextIndent();
      if (this.nextIsItem(indent) || (next > indent && this.nextIsItem(next))) {
        return this.list(Math.max(next, indent), depth + 1);
      }
      if (next > indent) return this.map(next, depth + 1);
      return { kind: 'null' };
    }
    if (rest === '|' || rest === '|-') return this.literal(indent, rest === '|');
    // A scalar on the key's line: a more indented next line would continue it.
    if (this.nextIndent() > indent) unsupported();
    return scalar(rest);
  }

  /** A block sequence whose `-` indicators sit at `indent`. */
  list(indent: number, depth: number): TreeValue {
    if (depth > MAX_DEPTH) unsupported();
    const items: TreeValue[] = [];
    while (this.nextIsItem(indent)) {
      const line = this.#lines[this.#at++] ?? '';
      const content = line.slice(indent + 2);
      const itemIndent = indent + 2;
      if (content.startsWith(' ')) unsupported();
      if (ENTRY.test(content)) {
        items.push(this.map(itemIndent, depth + 1, content));
      } else {
        if (this.nextIndent() > indent) unsupported();
        items.push(scalar(content));
      }
    }
    return { kind: 'list', items };
  }

  /** A literal block scalar (`|` or `|-`) of an entry whose key sits at `indent`. */
  literal(indent: number, clip: boolean): TreeValue {
    const blockIndent = this.nextIndent();
    if (blockIndent <= indent) unsupported();
    const parts: string[] = [];
    while (!this.done) {
      const line = this.#lines[this.#at] ?? '';
      const lineIndent = indentOf(line);
      if (lineIndent <= indent) break;
      if (lineIndent < blockIndent) unsupported();
      parts.push(line.slice(blockIndent));
      this.#at++;
    }
    const text = parts.join('\n');
    return { kind: 'str', value: clip ? `${text}\n` : text };
  }
}

/** A scalar written on one line: plain, or quoted without escapes. */
function scalar(text: string): TreeValue {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith(quote) || inner.includes(quote) || inner.includes('\\')) {
      return unsupported();
    }
    return { kind: 'str', value: inner };
  }
  return resolvePlainScalar(plainText(text));
}

/**
 * The branches of `text` when it has the simple shape above, else undefined (the caller
 * then parses it the general way).
 */
export function parseSimpleYaml(text: string): Branch[] | undefined {
  if (!text.endsWith('\n') || text.endsWith('\n\n') || !SIMPLE_TEXT.test(text)) return undefined;
  const lines = text.slice(0, -1).split('\n');
  for (const line of lines) {
    // Blank lines, trailing blanks and document markers or directives: the general path.
    if (line.trim() === '' || line.endsWith(' ') || line.startsWith('---') || line.startsWith('...')) {
      return undefined;
    }
  }
  if (indentOf(lines[0] ?? '') !== 0 || lines[0]?.startsWith('- ') === true) return undefined;
  try {
    const reader = new Reader(lines);
    const branch = reader.map(0, 0);
    return reader.done ? [branch] : undefined;
  } catch {
    // Anything the shortcut cannot vouch for (Unsupported), or a value the typing refuses
    // (an integer beyond int64): the general path reads the file and reports it.
    return undefined;
  }
}
