/**
 * Tree encryption as sops does it (`Tree.Encrypt`), with the MAC. The product only decrypts;
 * this exists so tests can build files with known plaintext (canaries, property tests) and so
 * the benchmark has an AES-GCM floor over the same values.
 */
import { encryptValue } from './cipher.ts';
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
  const out = mapLeaves(branches, (leaf, path, comments) => {
    const encrypted = shouldBeEncrypted(settings.selection, path, comments, leaf.kind === 'comment');
    if (!settings.macOnlyEncrypted || encrypted) hasher.add(leaf);
    if (!encrypted) return leaf;
    const value = encryptValue(leaf, dataKey, aadForPath(path));
    return leaf.kind === 'comment' ? { kind: 'comment', text: value } : { kind: 'str', value };
  });
  const mac = encryptValue(
    { kind: 'str', value: hasher.digest() },
    dataKey,
    formatGoTime(settings.lastModified, 'seconds'),
  );
  return { branches: out, mac };
}
