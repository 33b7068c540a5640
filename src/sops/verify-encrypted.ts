/**
 * The round trip every `encrypt` makes before its output is released: the written bytes are
 * loaded as a sops file, decrypted with the data key that was just used, the MAC verified,
 * and the values compared with the plaintext tree. A mismatch means the file would not give
 * back what was encrypted, so nothing is written and no original is replaced.
 */
import { dataKeyObject } from './cipher.ts';
import { UserError } from '../errors.ts';
import { decryptBranches } from './decrypt-tree.ts';
import { storeFor } from './formats.ts';
import { verifyMac } from './mac.ts';
import { parseMetadata } from './metadata.ts';
import { decodeSopsText } from './text-encoding.ts';
import type { Branch, Format, MapItem, TreeValue } from './tree.ts';

/** Bytes of a `str` or `bytes` leaf, so a binary value compares however it was decoded. */
function leafBytes(value: TreeValue): Buffer | undefined {
  if (value.kind === 'str') return Buffer.from(value.value, 'utf8');
  if (value.kind === 'bytes') return Buffer.from(value.value);
  return undefined;
}

/** Equal as data: emit hints (styles, raw number text, inline comments) are ignored. */
function sameValue(a: TreeValue, b: TreeValue): boolean {
  const bytesA = leafBytes(a);
  const bytesB = leafBytes(b);
  if (bytesA !== undefined || bytesB !== undefined) {
    return bytesA !== undefined && bytesB !== undefined && bytesA.equals(bytesB);
  }
  switch (a.kind) {
    case 'map':
      return b.kind === 'map' && sameItems(a.items, b.items);
    case 'list':
      return (
        b.kind === 'list' &&
        a.items.length === b.items.length &&
        a.items.every((x, i) => sameValue(x, b.items[i] ?? x))
      );
    case 'comment':
      return b.kind === 'comment' && a.text === b.text;
    case 'null':
      return b.kind === 'null';
    case 'float':
      return b.kind === 'float' && Object.is(a.value, b.value);
    case 'int':
    case 'bool':
    case 'time':
      return b.kind === a.kind && a.value === b.value;
    default:
      return false;
  }
}

function sameItems(a: readonly MapItem[], b: readonly MapItem[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      if (y === undefined) return false;
      if ('key' in x) return 'key' in y && x.key === y.key && sameValue(x.value, y.value);
      return !('key' in y) && x.text === y.text;
    })
  );
}

function withoutComments<T extends TreeValue>(value: T): T {
  if (value.kind === 'map') {
    return {
      ...value,
      items: value.items
        .filter((i) => 'key' in i)
        .map((i) => ('key' in i ? { ...i, value: withoutComments(i.value) } : i)),
    };
  }
  if (value.kind === 'list') {
    return { ...value, items: value.items.filter((i) => i.kind !== 'comment').map(withoutComments) };
  }
  return value;
}

/**
 * Opens `written` (an encrypted file in `format`) with `dataKey`, verifies its MAC and checks
 * that it holds `plain`. Throws a UserError naming what differs, never a value.
 */
export function verifyEncrypted(
  written: string | Uint8Array,
  format: Format,
  dataKey: Uint8Array,
  plain: readonly Branch[],
): void {
  const text = typeof written === 'string' ? written : decodeSopsText(written, format);
  const loaded = storeFor(format).loadEncrypted(text);
  if (loaded.metadata === null) {
    throw new UserError('DECRYPT_FAILED', 'the encrypted output has no sops metadata when read back');
  }
  const metadata = parseMetadata(loaded.metadata);
  const key = dataKeyObject(dataKey);
  const { branches, mac } = decryptBranches(loaded.branches, metadata, key);
  verifyMac(metadata, mac, key);
  // Only YAML keeps every document; the other stores write the first one, as sops does. JSON
  // (and the binary envelope) cannot hold comments.
  const kept = format === 'yaml' ? plain : plain.slice(0, 1);
  const expected = format === 'json' || format === 'binary' ? kept.map(withoutComments) : kept;
  const same =
    branches.length === expected.length && branches.every((b, i) => sameValue(b, expected[i] ?? b));
  if (!same) {
    throw new UserError(
      'DECRYPT_FAILED',
      'the encrypted output does not decrypt back to the input, so it was not written',
      {
        hint: 'please report this with the shape of the file (not its values); sops -e can encrypt it meanwhile',
      },
    );
  }
}
