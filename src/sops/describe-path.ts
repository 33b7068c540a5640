/**
 * A key path as error messages show it. Keys come from the file, so a character that would
 * be invisible or move the cursor (a byte-order mark, a zero-width space, a control or
 * bidirectional character) is shown as an escape: `\u{FEFF}KEY`, not a key that looks like
 * `KEY` but does not match it.
 */

/** Control (Cc), format (Cf: BOM, zero-width, bidi), separator and unpaired surrogate characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** One key, with invisible characters escaped. */
export function visibleKey(key: string): string {
  return key.replace(
    INVISIBLE,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`,
  );
}

/** A path of map keys (and list indexes) joined with dots, or `(top level)`. */
export function describePath(path: readonly string[]): string {
  return path.length === 0 ? '(top level)' : path.map(visibleKey).join('.');
}

/** A hint for a path whose first key starts with a byte-order mark, else undefined. */
export function bomHint(path: readonly string[]): string | undefined {
  return path[0]?.startsWith('\uFEFF') === true
    ? 'the file starts with a byte-order mark (U+FEFF), which sops reads as part of the first key; save the file as UTF-8 without a BOM'
    : undefined;
}
