/**
 * The INI store (sops `stores/ini/store.go`), with the parts of go-ini (`gopkg.in/ini.v1`
 * v1.67.3) that sops drives: `LoadSources` with `AllowNonUniqueSections`, and `WriteTo` with
 * the package defaults (aligned `key = value`, a blank line between sections).
 *
 * Each section is a top-level entry whose value is a map; the implicit `DEFAULT` section
 * always comes first. go-ini attaches the comment lines above a key (and an inline comment
 * after its value) to that key, and sops places that comment right after the key in the
 * tree, and back onto the preceding key when writing, so comments round-trip.
 */
import { Buffer } from 'node:buffer';

import { SopsFormatError, UserError } from '../../errors.ts';
import { valToString } from '../go-number.ts';
import type { Branch, LoadedFile, MapItem, Store, TreeValue } from '../tree.ts';
import { extractNestedMetadata, unflattenMetadata } from './flatten.ts';

const DEFAULT_SECTION = 'DEFAULT';
const KEY_VALUE_DELIMITERS = '=:';

/** Go's `unicode.IsSpace`, which go-ini uses for every trim (JS `\s` differs at U+0085/U+FEFF). */
function isGoSpace(code: number): boolean {
  switch (code) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return code >= 0x2000 && code <= 0x200a;
  }
}

function trimLeft(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

/** Go `strings.TrimSpace`. */
function trimSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--;
  return trimLeft(s.slice(0, end));
}

function indexOfAny(s: string, chars: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    if (chars.includes(s.charAt(i))) return i;
  }
  return -1;
}

/** Go `strings.TrimLeft(s, cutset)`. */
function trimLeftChars(s: string, cutset: string): string {
  let i = 0;
  while (i < s.length && cutset.includes(s.charAt(i))) i++;
  return s.slice(i);
}

/** Go `strings.TrimRight(s, cutset)`. */
function trimRightChars(s: string, cutset: string): string {
  let end = s.length;
  while (end > 0 && cutset.includes(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}

interface IniKey {
  readonly name: string;
  value: string;
  comment: string;
}

interface IniSection {
  readonly name: string;
  comment: string;
  readonly keys: IniKey[];
  readonly byName: Map<string, IniKey>;
}

function newSection(name: string): IniSection {
  return { name, comment: '', keys: [], byName: new Map() };
}

/** go-ini `Section.NewKey`: a repeated key keeps its first position and takes the new value. */
function newKey(section: IniSection, name: string, value: string): IniKey {
  if (name.length === 0) throw new SopsFormatError('an INI key name is empty');
  const existing = section.byName.get(name);
  if (existing !== undefined) {
    existing.value = value;
    return existing;
  }
  const key: IniKey = { name, value, comment: '' };
  section.keys.push(key);
  section.byName.set(name, key);
  return key;
}

/** A port of go-ini's `parser` and `File.parse` for the options sops uses. */
class IniParser {
  private readonly text: string;
  private pos = 0;
  private line = 0;
  private isEOF = false;
  private comment = '';

  constructor(text: string) {
    // go-ini skips a UTF-8 byte order mark.
    this.text = text.startsWith('\ufeff') ? text.slice(1) : text;
  }

  private fail(what: string): never {
    throw new SopsFormatError(`invalid INI at line ${String(this.line)}: ${what}`, { line: this.line });
  }

  /** `bufio.Reader.ReadBytes('\n')`: the line with its newline; sets isEOF at the end. */
  private readUntilNewline(): string {
    this.line++;
    const end = this.text.indexOf('\n', this.pos);
    if (end === -1) {
      const rest = this.text.slice(this.pos);
      this.pos = this.text.length;
      this.isEOF = true;
      return rest;
    }
    const data = this.text.slice(this.pos, end + 1);
    this.pos = end + 1;
    return data;
  }

  parse(): IniSection[] {
    const sections: IniSection[] = [newSection(DEFAULT_SECTION)];
    let section = sections[0] as IniSection;
    let counter = 1;
    while (!this.isEOF) {
      const line = trimLeft(this.readUntilNewline());
      if (line.length === 0) continue;
      if (line.startsWith('#') || line.startsWith(';')) {
        // Kept with its newline so that consecutive comment lines join into one comment.
        this.comment += line;
        continue;
      }
      if (line.startsWith('[')) {
        const closeIdx = line.lastIndexOf(']');
        if (closeIdx === -1) this.fail('unclosed section header');
        const name = line.slice(1, closeIdx);
        if (name.length === 0) this.fail('empty section name');
        section = newSection(name);
        sections.push(section);
        const inline = indexOfAny(line, '#;', closeIdx + 1);
        if (inline !== -1) this.comment += line.slice(inline);
        section.comment = trimSpace(this.comment);
        this.comment = '';
        counter = 1;
        continue;
      }
      const { name, offset } = this.readKeyName(line);
      let keyName = name;
      if (keyName === '-') {
        keyName = `#${String(counter)}`;
        counter++;
      }
      const value = this.readValue(line.slice(offset));
      if (keyName.length === 0) this.fail('empty key name');
      const key = newKey(section, keyName, value);
      key.comment = trimSpace(this.comment);
      this.comment = '';
    }
    return sections;
  }

  private readKeyName(line: string): { name: string; offset: number } {
    let keyQuote = '';
    if (line.startsWith('"')) keyQuote = line.length > 6 && line.startsWith('"""') ? '"""' : '"';
    else if (line.startsWith('`')) keyQuote = '`';
    if (keyQuote.length > 0) {
      const startIdx = keyQuote.length;
      const pos = line.indexOf(keyQuote, startIdx);
      if (pos === -1) this.fail('missing closing key quote');
      const i = indexOfAny(line, KEY_VALUE_DELIMITERS, pos + startIdx);
      if (i < 0) this.fail('key-value delimiter not found');
      return { name: trimSpace(line.slice(startIdx, pos)), offset: i + 1 };
    }
    const endIdx = indexOfAny(line, KEY_VALUE_DELIMITERS);
    if (endIdx < 0) this.fail('key-value delimiter not found');
    if (endIdx === 0) this.fail('empty key name');
    return { name: trimSpace(line.slice(0, endIdx)), offset: endIdx + 1 };
  }

  private readValue(input: string): string {
    let line = trimLeft(input);
    if (line.length === 0) return '';

    let valQuote = '';
    if (line.length > 3 && line.startsWith('"""')) valQuote = '"""';
    else if (line.startsWith('`')) valQuote = '`';

    if (valQuote.length > 0) {
      const startIdx = valQuote.length;
      const pos = line.slice(startIdx).lastIndexOf(valQuote);
      if (pos === -1) return this.readMultilines(line.slice(startIdx), valQuote);
      return line.slice(startIdx, pos + startIdx);
    }

    line = trimSpace(line);
    if (line.endsWith('\\')) return this.readContinuationLines(line.slice(0, -1));

    const i = indexOfAny(line, '#;');
    if (i > -1) {
      this.comment += line.slice(i);
      line = trimSpace(line.slice(0, i));
    }
    if (hasSurroundedQuote(line, "'") || hasSurroundedQuote(line, '"')) {
      line = line.slice(1, -1);
    }
    return line;
  }

  private readMultilines(first: string, valQuote: string): string {
    let val = first;
    for (;;) {
      const next = this.readUntilNewline();
      const pos = next.lastIndexOf(valQuote);
      if (pos > -1) {
        const restOfLine = trimRightChars(next.slice(pos + valQuote.length), '\r\n');
        if (trimSpace(restOfLine).endsWith('\\')) {
          val += next;
          continue;
        }
        val += next.slice(0, pos);
        const inline = indexOfAny(next, '#;', pos);
        if (inline !== -1) this.comment += trimSpace(next.slice(inline));
        return val;
      }
      val += next;
      if (this.isEOF) this.fail('missing closing value quote');
    }
  }

  private readContinuationLines(first: string): string {
    let val = first;
    for (;;) {
      const next = trimSpace(this.readUntilNewline());
      if (next.length === 0) return val;
      val += next;
      if (!val.endsWith('\\')) return val;
      val = val.slice(0, -1);
    }
  }
}

/** go-ini `hasSurroundedQuote`: the quote only at both ends. */
function hasSurroundedQuote(s: string, quote: string): boolean {
  return s.length >= 2 && s.startsWith(quote) && s.endsWith(quote) && s.indexOf(quote, 1) === s.length - 1;
}

/** sops `stripCommentChar`: drops the leading run of `;`/`#` and spaces of the first line. */
function stripCommentChar(comment: string): string {
  if (comment.startsWith(';')) return trimLeftChars(comment, '; ');
  if (comment.startsWith('#')) return trimLeftChars(comment, '# ');
  return comment;
}

function parseIni(text: string): Branch {
  const sections = new IniParser(text).parse();
  const items: MapItem[] = sections.map((section) => {
    const entries: MapItem[] = [];
    if (section.comment !== '') entries.push({ kind: 'comment', text: stripCommentChar(section.comment) });
    for (const key of section.keys) {
      entries.push({ key: key.name, value: { kind: 'str', value: key.value } });
      if (key.comment !== '') entries.push({ kind: 'comment', text: stripCommentChar(key.comment) });
    }
    return { key: section.name, value: { kind: 'map', items: entries } };
  });
  return { kind: 'map', items };
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** go-ini writes each comment line with its own marker; an empty line would crash go-ini. */
function commentLines(comment: string, trimPlain: boolean): string {
  let out = '';
  for (const line of comment.split('\n')) {
    if (line.length === 0) {
      throw new UserError('UNSUPPORTED', 'cannot write an INI comment that contains an empty line');
    }
    const first = line.charAt(0);
    if (first !== '#' && first !== ';') out += `; ${trimPlain ? trimSpace(line) : line}\n`;
    else out += `${first} ${trimSpace(line.slice(1))}\n`;
  }
  return out;
}

/** go-ini's key quoting on write. */
function quoteKeyName(name: string): string {
  if (name.includes('"') || indexOfAny(name, KEY_VALUE_DELIMITERS) !== -1) return '`' + name + '`';
  if (name.includes('`')) return '"""' + name + '"""';
  return name;
}

/** go-ini's value quoting on write. */
function quoteValue(value: string): string {
  if (value.includes('\n') || value.includes('`')) return '"""' + value + '"""';
  if (value.includes('#') || value.includes(';')) return '`' + value + '`';
  if (trimSpace(value).length !== value.length) return `"${value}"`;
  return value;
}

/** sops `encodeTree`: builds go-ini sections from the tree, then go-ini's `writeToBuffer`. */
function emitIni(branches: readonly Branch[]): string {
  const sections: IniSection[] = [];
  for (const branch of branches) {
    for (const item of branch.items) {
      if (!('key' in item)) continue;
      if (item.key.length === 0)
        throw new UserError('UNSUPPORTED', 'cannot write an INI section with an empty name');
      const section = newSection(item.key);
      sections.push(section);
      const value: TreeValue = item.value;
      if (value.kind !== 'map') {
        throw new UserError(
          'UNSUPPORTED',
          `cannot write ${JSON.stringify(item.key)} as an INI section: every top-level value must be a map`,
        );
      }
      let rest = value.items;
      const firstItem = rest[0];
      if (firstItem !== undefined && !('key' in firstItem)) {
        section.comment = firstItem.text;
        rest = rest.slice(1);
      }
      let lastKey: IniKey | undefined;
      for (const entry of rest) {
        if (!('key' in entry)) {
          if (lastKey !== undefined) lastKey.comment = entry.text;
          continue;
        }
        if (entry.key.length === 0)
          throw new UserError('UNSUPPORTED', 'cannot write an INI key with an empty name');
        lastKey = newKey(section, entry.key, valToString(entry.value));
      }
    }
  }

  let out = '';
  const lastIndex = sections.length - 1;
  for (const [i, section] of sections.entries()) {
    if (section.comment.length > 0) out += commentLines(section.comment, false);
    if (i > 0 || section.name.toUpperCase() !== DEFAULT_SECTION) {
      out += `[${section.name}]\n`;
    } else if (section.keys.length === 0) {
      // go-ini writes nothing at all, not even the blank line, for an empty leading DEFAULT.
      continue;
    }
    let alignLength = 0;
    for (const key of section.keys) {
      let length = byteLength(key.name);
      if (key.name.includes('"') || indexOfAny(key.name, KEY_VALUE_DELIMITERS) !== -1) length += 2;
      else if (key.name.includes('`')) length += 6;
      alignLength = Math.max(alignLength, length);
    }
    for (const key of section.keys) {
      if (key.comment.length > 0) out += commentLines(key.comment, true);
      const name = quoteKeyName(key.name);
      out += name + ' '.repeat(alignLength - byteLength(name)) + ' = ' + quoteValue(key.value) + '\n';
    }
    if (i !== lastIndex) out += '\n';
  }
  return out;
}

/** The INI store. */
export const iniStore: Store = {
  format: 'ini',
  loadEncrypted(text: string): LoadedFile {
    const { branches, metadata } = extractNestedMetadata([parseIni(text)]);
    if (metadata === null) return { branches, metadata };
    // sops writes newlines in metadata as a literal "\n" (3.13.0 and 3.13.1 used go-ini's
    // """ quoting instead, which the parser already turned into real newlines).
    const unescaped = metadata.items.map((item): MapItem => {
      if (!('key' in item) || item.value.kind !== 'str') return item;
      return { key: item.key, value: { kind: 'str', value: item.value.value.replaceAll('\\n', '\n') } };
    });
    return { branches, metadata: unflattenMetadata(unescaped) };
  },
  loadPlain(text: string): readonly Branch[] {
    return [parseIni(text)];
  },
  /** Writes every branch's sections in order, as sops does. */
  emitPlain(branches: readonly Branch[]): string {
    return emitIni(branches);
  },
};
