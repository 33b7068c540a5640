/**
 * The dotenv store (sops `stores/dotenv/store.go`).
 *
 * sops's dotenv is deliberately plain: one `KEY=value` per line, split at the first `=`, no
 * quoting and no trimming (quotes and spaces belong to the key or value), `#` lines are
 * comments, empty lines vanish, and `\n` in a value is a newline. The metadata is flattened
 * into top-level `sops_*` keys.
 */
import { SopsFormatError, UserError } from '../../errors.ts';
import { valToString } from '../go-number.ts';
import type { Branch, LoadedFile, MapItem, Store } from '../tree.ts';
import { extractPrefixedMetadata } from './flatten.ts';

function parseDotenv(text: string): Branch {
  const items: MapItem[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.length === 0) continue;
    if (line.startsWith('#')) {
      items.push({ kind: 'comment', text: line.slice(1) });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1) {
      throw new SopsFormatError(`invalid dotenv line ${String(index + 1)}: it has no "="`, {
        // sops reads a byte-order mark as text, so a first-line comment stops being one.
        hint: line.startsWith('\uFEFF')
          ? 'the file starts with a byte-order mark (U+FEFF), which sops reads as text; save the file as UTF-8 without a BOM'
          : 'every line must be KEY=value, a #comment, or empty',
        line: index + 1,
      });
    }
    items.push({
      key: line.slice(0, eq),
      value: { kind: 'str', value: line.slice(eq + 1).replaceAll('\\n', '\n') },
    });
  }
  return { kind: 'map', items };
}

/** The dotenv store. */
export const dotenvStore: Store = {
  format: 'dotenv',
  loadEncrypted(text: string): LoadedFile {
    // sops splits at LF only, so with CRLF line ends every value keeps a CR and the
    // timestamp fails to parse; say why instead of blaming the timestamp.
    const crlf = /(?:^|\n)sops_lastmodified=[^\r\n]*\r\n/.exec(text);
    if (crlf !== null) {
      const line = text.slice(0, crlf.index + 1).split('\n').length;
      throw new SopsFormatError(
        "the file has Windows (CRLF) line ends; sops's dotenv reader keeps the CR in every value, so it cannot read the metadata either",
        { hint: 'convert the line ends to LF (e.g. dos2unix), as sops wrote them', line },
      );
    }
    return extractPrefixedMetadata([parseDotenv(text)]);
  },
  loadPlain(text: string): readonly Branch[] {
    return [parseDotenv(text)];
  },
  /**
   * Writes the first branch. Newlines in strings become `\n`; other scalars go through sops's
   * `ValToString`; a list or map value is an error, as in sops.
   */
  emitPlain(branches: readonly Branch[]): string {
    const [first] = branches;
    if (first === undefined) throw new SopsFormatError('there is no document to write as dotenv');
    let out = '';
    for (const item of first.items) {
      if (!('key' in item)) {
        out += `#${item.text}\n`;
        continue;
      }
      const value = item.value;
      if (value.kind === 'map' || value.kind === 'list') {
        throw new UserError(
          'UNSUPPORTED',
          `cannot use a nested value in a dotenv file; offending key ${JSON.stringify(item.key)}`,
        );
      }
      // A `bytes` value is a Go string too (decrypted, not UTF-8), so it gets the newline escaping.
      const text =
        value.kind === 'str' || value.kind === 'bytes'
          ? valToString(value).replaceAll('\n', '\\n')
          : valToString(value);
      out += `${item.key}=${text}\n`;
    }
    return out;
  },
};
