/**
 * The binary store (sops `BinaryStore` in `stores/json/store.go`): any file that is not
 * YAML, JSON, dotenv or INI. The whole file is one string value `data`, and the encrypted
 * form is a JSON document `{"data": "ENC[...]", "sops": {...}}`.
 *
 * Go strings hold arbitrary bytes, so sops round-trips files that are not UTF-8 (DER
 * certificates, keystores). The string-based `Store` API cannot; `loadBinaryPlainBytes` and
 * `emitBinaryBytes` are the byte-exact path, carrying such data as a `bytes` value.
 */
import { Buffer } from 'node:buffer';

import { SopsFormatError } from '../../errors.ts';
import type { Branch, LoadedFile, Store, TreeValue } from '../tree.ts';
import { jsonStore } from './json.ts';

function findData(branches: readonly Branch[]): TreeValue {
  const [branch, extra] = branches;
  if (branch === undefined || extra !== undefined) {
    throw new SopsFormatError('binary output needs exactly one document');
  }
  for (const item of branch.items) {
    if ('key' in item && item.key === 'data') return item.value;
  }
  throw new SopsFormatError('no binary "data" entry found');
}

/** The binary store. `emitPlain` returns the `data` string exactly, with no newline added. */
export const binaryStore: Store = {
  format: 'binary',
  loadEncrypted(text: string): LoadedFile {
    return jsonStore.loadEncrypted(text);
  },
  loadPlain(text: string): readonly Branch[] {
    return [{ kind: 'map', items: [{ key: 'data', value: { kind: 'str', value: text } }] }];
  },
  emitPlain(branches: readonly Branch[]): string {
    const data = findData(branches);
    if (data.kind === 'bytes') {
      throw new SopsFormatError('the binary data is not UTF-8 text', {
        hint: 'write it with emitBinaryBytes',
      });
    }
    if (data.kind !== 'str') throw new SopsFormatError('the binary "data" entry is not a string');
    return data.value;
  },
};

/**
 * `loadPlain` for raw file bytes: valid UTF-8 becomes a `str` value as usual, anything else a
 * `bytes` value holding the exact bytes (what a Go string would hold).
 */
export function loadBinaryPlainBytes(bytes: Uint8Array): readonly Branch[] {
  let value: TreeValue;
  try {
    value = { kind: 'str', value: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    value = { kind: 'bytes', value: Uint8Array.from(bytes) };
  }
  return [{ kind: 'map', items: [{ key: 'data', value }] }];
}

/** `emitPlain` as bytes: the exact bytes of the `data` value, `str` (as UTF-8) or `bytes`. */
export function emitBinaryBytes(branches: readonly Branch[]): Uint8Array {
  const data = findData(branches);
  if (data.kind === 'bytes') return Uint8Array.from(data.value);
  if (data.kind !== 'str') throw new SopsFormatError('the binary "data" entry is not a string');
  return new Uint8Array(Buffer.from(data.value, 'utf8'));
}
