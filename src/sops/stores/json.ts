/**
 * The JSON store (sops `stores/json/store.go`).
 *
 * sops reads JSON token by token with Go's `json.Decoder` (`UseNumber`), so key order and
 * duplicate keys survive, and writes it back with its own encoder followed by `json.Indent`
 * (tab indentation, `": "`, Go's HTML-safe string escaping, a trailing newline).
 */
import { SopsFormatError } from '../../errors.ts';
import { formatFloatJson, formatIntGo } from '../go-number.ts';
import type { Branch, LoadedFile, MapItem, Store, TreeMap, TreeValue } from '../tree.ts';
import { extractNestedMetadata } from './flatten.ts';

/**
 * Nesting limit for parsing. Go has none short of its stack, but a JS stack is far smaller,
 * and no real sops file comes close.
 */
export const MAX_JSON_DEPTH = 1000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class JsonParser {
  private pos = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Line and column (1-based, in UTF-16 units) of an offset, for error messages. */
  private where(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  }

  // Never quotes the offending text: it may be part of a secret.
  private fail(what: string, offset = this.pos): never {
    if (offset >= this.text.length) {
      throw new SopsFormatError(`invalid JSON: unexpected end of input (${what})`);
    }
    const at = this.where(offset);
    throw new SopsFormatError(
      `invalid JSON at line ${String(at.line)}, column ${String(at.column)}: ${what}`,
      at,
    );
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  /**
   * Parses the top-level object. As in sops, whatever follows the closing brace is never
   * read, so trailing text is ignored.
   */
  parseDocument(): TreeMap {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('the document is empty');
    const c = this.text[this.pos];
    if (c !== '{') {
      if (c === '[') {
        throw new SopsFormatError(
          'sops only supports JSON files with a top-level object, not an array; wrap it in an object, e.g. {"data": [...]}',
        );
      }
      this.parseValue(1);
      throw new SopsFormatError('sops only supports JSON files with a top-level object (starting with "{")');
    }
    this.pos++;
    return this.parseObjectBody(1);
  }

  private parseValue(depth: number): TreeValue {
    this.skipSpace();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        this.pos++;
        return this.parseObjectBody(depth + 1);
      case '[':
        this.pos++;
        return this.parseArrayBody(depth + 1);
      case '"':
        return { kind: 'str', value: this.parseString() };
      case 't':
        this.literal('true');
        return { kind: 'bool', value: true };
      case 'f':
        this.literal('false');
        return { kind: 'bool', value: false };
      case 'n':
        this.literal('null');
        return { kind: 'null' };
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail('expected a value');
    }
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_JSON_DEPTH) {
      this.fail(`nesting is deeper than ${String(MAX_JSON_DEPTH)} levels`, this.pos - 1);
    }
  }

  private parseObjectBody(depth: number): TreeMap {
    this.checkDepth(depth);
    const items: MapItem[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'map', items };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a string object key');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('expected ":" after an object key');
      this.pos++;
      const value = this.parseValue(depth);
      items.push({ key, value });
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
      } else if (next === '}') {
        this.pos++;
        return { kind: 'map', items };
      } else {
        this.fail('expected "," or "}" after an object value');
      }
    }
  }

  private parseArrayBody(depth: number): TreeValue {
    this.checkDepth(depth);
    const items: TreeValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'list', items };
    }
    for (;;) {
      items.push(this.parseValue(depth));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
      } else if (next === ']') {
        this.pos++;
        return { kind: 'list', items };
      } else {
        this.fail('expected "," or "]" after an array element');
      }
    }
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
  }

  private hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : -1;
  }

  /**
   * Go's `unquote`: a lone or mismatched surrogate escape becomes U+FFFD, and so does a lone
   * surrogate in the text itself (what Go sees as invalid UTF-8).
   */
  private parseString(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += this.text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = this.text.charCodeAt(this.pos + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          this.pos += 2;
          continue;
        }
        out += this.text.slice(chunkStart, this.pos) + '\ufffd';
        this.pos++;
        chunkStart = this.pos;
        continue;
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(chunkStart, this.pos);
      const escape = this.text[this.pos + 1];
      this.pos += 2;
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const unit = this.hex4(this.pos);
          if (unit < 0) this.fail('invalid \\u escape', this.pos - 2);
          this.pos += 4;
          if (unit >= 0xd800 && unit <= 0xdfff) {
            const low = this.text.startsWith('\\u', this.pos) ? this.hex4(this.pos + 2) : -1;
            if (unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
              out += String.fromCharCode(unit, low);
              this.pos += 6;
            } else {
              out += '\ufffd';
            }
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.fail('invalid escape in a string', this.pos - 2);
      }
      chunkStart = this.pos;
    }
  }

  /**
   * A number that `json.Number.Int64` accepts is an `int`; anything else is a float64, and one
   * beyond float64 is a load error, as `json.Number.Float64` makes it in sops.
   */
  private parseNumber(): TreeValue {
    const match = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (found === null) return this.fail('invalid number');
    const raw = found[0];
    const after = this.text[this.pos + raw.length];
    // Go's scanner rejects a number that runs straight into more number-like characters.
    if (after !== undefined && /[0-9.eE+-]/.test(after)) this.fail('invalid number', this.pos + raw.length);
    const start = this.pos;
    this.pos += raw.length;
    if (found[1] === undefined && found[2] === undefined) {
      const value = BigInt(raw);
      if (value >= INT64_MIN && value <= INT64_MAX) return { kind: 'int', value, raw };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) this.fail('number is out of the float64 range', start);
    return { kind: 'float', value, raw };
  }
}

/** Parses a JSON document the way sops's JSON store does (see `JsonParser.parseDocument`). */
export function parseJsonDocument(text: string): Branch {
  return new JsonParser(text).parseDocument();
}

const HEX = '0123456789abcdef';

/** Go `json.Marshal` of a string: HTML-safe escaping, `\u2028`/`\u2029`, `\b` and `\f`. */
export function encodeJsonString(value: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22:
          escaped = '\\"';
          break;
        case 0x5c:
          escaped = '\\\\';
          break;
        case 0x08:
          escaped = '\\b';
          break;
        case 0x0c:
          escaped = '\\f';
          break;
        case 0x0a:
          escaped = '\\n';
          break;
        case 0x0d:
          escaped = '\\r';
          break;
        case 0x09:
          escaped = '\\t';
          break;
        default:
          escaped = `\\u00${HEX.charAt(c >> 4)}${HEX.charAt(c & 0xf)}`;
      }
    } else if (c === 0x2028 || c === 0x2029) {
      escaped = `\\u202${HEX.charAt(c & 0xf)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      // A lone surrogate is invalid UTF-8 to Go, which writes the escaped replacement rune.
      escaped = '\\ufffd';
    }
    if (escaped !== undefined) {
      out += value.slice(start, i) + escaped;
      start = i + 1;
    }
  }
  return out + value.slice(start) + '"';
}

/** Length of the valid UTF-8 sequence at `i`, or 0 where Go's `utf8.DecodeRune` sees an error. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * A decrypted `str` that is not UTF-8 reaches the tree as `bytes`. Go's `json.Marshal` writes
 * such a string with each invalid byte as the escape `\ufffd` and everything else as usual.
 */
function encodeJsonBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let out = '"';
  let start = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > start) out += encodeJsonString(decoder.decode(bytes.subarray(start, end))).slice(1, -1);
  };
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    out += '\\ufffd';
    i++;
    start = i;
  }
  flush(bytes.length);
  return out + '"';
}

function encodeScalar(value: TreeValue): string {
  switch (value.kind) {
    case 'str':
      return encodeJsonString(value.value);
    case 'int':
      return formatIntGo(value.value);
    case 'float':
      return formatFloatJson(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'time':
      // Go's time.MarshalJSON is the same RFC 3339 text as MarshalText, quoted.
      return `"${value.value}"`;
    case 'bytes':
      return encodeJsonBytes(value.value);
    default:
      throw new Error(`not a scalar: ${value.kind}`);
  }
}

/**
 * sops's `encodeTree`/`encodeArray` followed by `json.Indent(out, in, "", indent)`, done in
 * one pass: every element on its own line, `{}`/`[]` when empty, comments skipped.
 */
function encodeIndented(value: TreeValue, indent: string, depth: number, out: string[]): void {
  if (value.kind === 'map' || value.kind === 'list') {
    const [open, close] = value.kind === 'map' ? ['{', '}'] : ['[', ']'];
    const inner = '\n' + indent.repeat(depth + 1);
    let empty = true;
    out.push(open);
    if (value.kind === 'map') {
      for (const item of value.items) {
        if (!('key' in item)) continue;
        out.push(empty ? inner : ',' + inner, encodeJsonString(item.key), ': ');
        encodeIndented(item.value, indent, depth + 1, out);
        empty = false;
      }
    } else {
      for (const item of value.items) {
        if (item.kind === 'comment') continue;
        out.push(empty ? inner : ',' + inner);
        encodeIndented(item, indent, depth + 1, out);
        empty = false;
      }
    }
    if (!empty) out.push('\n' + indent.repeat(depth));
    out.push(close);
    return;
  }
  out.push(encodeScalar(value));
}

/**
 * Emits one branch as sops's JSON store does. `indent` is sops's `--indent` / `stores.json.indent`:
 * -1 (the default) is a tab, N ≥ 0 is N spaces.
 */
export function emitJsonBranch(branch: Branch, indent = -1): string {
  if (indent < -1) throw new SopsFormatError('JSON indentation below -1 is not accepted');
  const out: string[] = [];
  encodeIndented(branch, indent === -1 ? '\t' : ' '.repeat(indent), 0, out);
  out.push('\n');
  return out.join('');
}

/**
 * One value as sops's JSON `EmitValue` writes it: indented like a document, but with no
 * trailing newline. This is what `--extract` prints for a list or a non-string scalar.
 */
export function emitJsonValue(value: TreeValue, indent = -1): string {
  const out: string[] = [];
  encodeIndented(value, indent === -1 ? '\t' : ' '.repeat(indent), 0, out);
  return out.join('');
}

/**
 * Go's `json.Marshal` of a raw sops tree value, which is what the INI store's `EmitValue`
 * prints for `--extract`: compact, with maps as sops's `[{"Key":…,"Value":…}]` items and
 * comments as `{"Value":…}`.
 */
export function emitGoJsonValue(value: TreeValue): string {
  switch (value.kind) {
    case 'map':
      return `[${value.items
        .map((item) =>
          'key' in item
            ? `{"Key":${encodeJsonString(item.key)},"Value":${emitGoJsonValue(item.value)}}`
            : `{"Key":{"Value":${encodeJsonString(item.text)}},"Value":null}`,
        )
        .join(',')}]`;
    case 'list':
      return `[${value.items.map(emitGoJsonValue).join(',')}]`;
    case 'comment':
      return `{"Value":${encodeJsonString(value.text)}}`;
    default:
      return encodeScalar(value);
  }
}

/** The JSON store. */
export const jsonStore: Store = {
  format: 'json',
  loadEncrypted(text: string): LoadedFile {
    return extractNestedMetadata([parseJsonDocument(text)]);
  },
  loadPlain(text: string): readonly Branch[] {
    return [parseJsonDocument(text)];
  },
  /** Only the first branch is written, as sops does for multi-document YAML input. */
  emitPlain(branches: readonly Branch[]): string {
    const [first] = branches;
    if (first === undefined) throw new SopsFormatError('there is no document to write as JSON');
    return emitJsonBranch(first);
  },
};
