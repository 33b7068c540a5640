/**
 * Tree encryption as sops does it (`Tree.Encrypt`), with the MAC: the core of `encrypt`
 * (encrypt-file.ts), and what tests and the benchmark use to build files with known plaintext.
 */
import { dataKeyObject, encryptValue } from './cipher.ts';
import { formatGoTime } from './go-time.ts';
import { MacHasher } from './mac.ts';
import type { Selection } from './metadata.ts';
import { shouldBeEncrypted } from './selection.ts';
import type { Branch } from './tree.ts';
import { aadForPath, mapLeaves } from './walk.ts';

export interface EncryptSettings {
  readonly selection: Selection;
  readonly macOnlyEncrypted: boolean;
  /** RFC 3339; the MAC is bound to it. */
  readonly lastModified: string;
}

export function encryptBranches(
  branches: readonly Branch[],
  settings: EncryptSettings,
  dataKey: Uint8Array,
): { branches: Branch[]; mac: string } {
  const hasher = new MacHasher(settings.macOnlyEncrypted);
  const key = dataKeyObject(dataKey);
  const out = mapLeaves(branches, (leaf, path, comments) => {
    const encrypted = shouldBeEncrypted(settings.selection, path, comments, leaf.kind === 'comment');
    if (!settings.macOnlyEncrypted || encrypted) hasher.add(leaf);
    if (!encrypted) return leaf;
    const value = encryptValue(leaf, key, aadForPath(path));
    return leaf.kind === 'comment' ? { kind: 'comment', text: value } : { kind: 'str', value };
  });
  const mac = encryptValue(
    { kind: 'str', value: hasher.digest() },
    key,
    formatGoTime(settings.lastModified, 'seconds'),
  );
  return { branches: out, mac };
}
