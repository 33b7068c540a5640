/**
 * A SOPS file's bytes as text, the way sops's readers see them (sops 3.13.3):
 * - YAML (go-yaml v3's reader): a UTF-16 file with a byte-order mark is decoded; anything
 *   else must be valid UTF-8 without control characters, or the file is refused.
 * - JSON and the binary format's JSON envelope (Go's encoding/json): invalid UTF-8 inside a
 *   string becomes U+FFFD, so a lenient decode is exact. A byte-order mark, UTF-8 or UTF-16,
 *   is an error in Go too; here it gets a message that names it.
 * - dotenv and INI: sops keeps the bytes of a key or comment as they are, even when they are
 *   not UTF-8. A JavaScript string cannot hold such bytes, so the file is refused rather than
 *   silently rewritten with U+FFFD. A UTF-16 file fails in sops as well.
 * Every refusal is a SopsFormatError naming the line and column of the first bad byte, never
 * the text around it.
 */
import { SopsFormatError } from '../errors.ts';
import type { Format } from './tree.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The UTF-16 byte order announced by a leading byte-order mark, if there is one. */
function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** ASCII text stored as UTF-16 without a byte-order mark: a NUL in every other byte. */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length - (bytes.length % 2), 64);
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  return (even === n / 2 && odd === 0) || (odd === n / 2 && even === 0);
}

/** The offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let cp = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid, in Go as in WHATWG.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += length;
  }
  return -1;
}

/** The 1-based line and column (in characters) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = lenientUtf8.decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

/** The line and column of a character index in decoded text. */
function positionInText(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** go-yaml's reader refuses any character outside YAML's printable set. */
function checkYamlPrintable(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    if (c > 0xffff) {
      i++;
      continue;
    }
    const printable =
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x20 && c <= 0x7e) ||
      c === 0x85 ||
      (c >= 0xa0 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd);
    if (!printable) {
      const { line, column } = positionInText(text, i);
      const name = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new SopsFormatError(`line ${line}, column ${column} holds the control character ${name}`, {
        hint: 'YAML does not allow it and sops refuses the file too; remove it, or write it as an escape in a double-quoted string',
        line,
        column,
      });
    }
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) {
    throw new SopsFormatError('the UTF-16 file ends in the middle of a character', {
      hint: 'the file is truncated; restore it from version control',
    });
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (cause) {
    throw new SopsFormatError('the UTF-16 file has an unpaired surrogate', {
      cause,
      hint: 'sops refuses it too; convert the file to UTF-8',
    });
  }
}

function refuseInvalidUtf8(bytes: Uint8Array, hint: string): string {
  // The native strict decoder checks what firstInvalidUtf8 checks, far faster than a byte loop
  // that has not been compiled yet; the loop runs only to place a failure.
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Placed below.
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) throw new SopsFormatError('the file is not valid UTF-8', { hint });
  const { line, column } = positionOf(bytes, bad);
  throw new SopsFormatError(`line ${line}, column ${column} is not valid UTF-8`, { hint, line, column });
}

/**
 * The text of a SOPS file of `format`, decoded as sops decodes it, or a SopsFormatError
 * where sops refuses the file (or would keep bytes that a string cannot hold).
 */
export function decodeSopsText(bytes: Uint8Array, format: Format): string {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== undefined) {
    if (format === 'yaml') {
      const text = decodeUtf16(bytes, utf16);
      checkYamlPrintable(text);
      return text;
    }
    throw new SopsFormatError(
      `the file is UTF-16 (it starts with a UTF-16 byte-order mark); sops reads ${format} files as UTF-8 only`,
      { hint: 'convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8' },
    );
  }
  if (looksLikeBomlessUtf16(bytes)) {
    throw new SopsFormatError(
      'the file looks like UTF-16 without a byte-order mark (every other byte is NUL)',
      {
        hint: 'sops cannot read it either; convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8',
      },
    );
  }
  switch (format) {
    case 'yaml': {
      const text = refuseInvalidUtf8(bytes, 'sops (go-yaml) refuses such a file too; save it as UTF-8');
      checkYamlPrintable(text);
      return text;
    }
    case 'dotenv':
    case 'ini':
      return refuseInvalidUtf8(
        bytes,
        'sops would keep those bytes as they are, which this tool cannot do without changing them; save the file as UTF-8',
      );
    case 'json':
    case 'binary':
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        throw new SopsFormatError('the file starts with a UTF-8 byte-order mark, which JSON does not allow', {
          hint: 'sops refuses it too; save the file as UTF-8 without a BOM',
          line: 1,
          column: 1,
        });
      }
      // encoding/json turns invalid UTF-8 in a string into U+FFFD, as this decoder does.
      return lenientUtf8.decode(bytes);
  }
}

/**
 * A file's text for deciding whether it is a SOPS file at all: UTF-16 with a byte-order mark
 * decoded, anything else read as UTF-8 with U+FFFD for bad bytes. Never throws; the strict
 * decode comes once the file is known to be a SOPS file.
 */
export function readableText(bytes: Uint8Array): string {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== undefined) return new TextDecoder(utf16, { ignoreBOM: true }).decode(bytes.subarray(2));
  return lenientUtf8.decode(bytes);
}
