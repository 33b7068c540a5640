/**
 * The binary store (sops `BinaryStore` in `stores/json/store.go`): any file that is not
 * YAML, JSON, dotenv or INI. The whole file is one string value `data`, and the encrypted
 * form is a JSON document `{"data": "ENC[...]", "sops": {...}}`.
 */
import { SopsFormatError } from '../../errors.ts';
import type { Branch, LoadedFile, Store } from '../tree.ts';
import { jsonStore } from './json.ts';

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
    const [branch, extra] = branches;
    if (branch === undefined || extra !== undefined) {
      throw new SopsFormatError('binary output needs exactly one document');
    }
    for (const item of branch.items) {
      if (!('key' in item) || item.key !== 'data') continue;
      if (item.value.kind !== 'str') throw new SopsFormatError('the binary "data" entry is not a string');
      return item.value.value;
    }
    throw new SopsFormatError('no binary "data" entry found');
  },
};
