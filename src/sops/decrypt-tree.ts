/**
 * Decrypting a loaded tree with a known data key: each selected leaf is opened with its path
 * as additional data, every leaf the MAC covers is hashed in walk order, and each plaintext is
 * handed to `mask` the moment it exists.
 */
import { UserError, withContext } from '../errors.ts';
import { decryptValue } from './cipher.ts';
import { MacHasher } from './mac.ts';
import type { Metadata } from './metadata.ts';
import { shouldBeEncrypted, type CommentStack } from './selection.ts';
import type { Branch, TreeValue } from './tree.ts';
import { aadForPath, mapLeaves } from './walk.ts';

interface WalkContext {
  readonly metadata: Metadata;
  readonly dataKey: Uint8Array;
  readonly mac: MacHasher;
  readonly mask: (value: string) => void;
}

function maskValue(value: TreeValue, mask: (value: string) => void): void {
  let text: string | undefined;
  if (value.kind === 'str') text = value.value;
  else if (value.kind === 'comment') text = value.text;
  else if (value.kind === 'bytes') text = Buffer.from(value.value).toString('utf8');
  else if (value.kind === 'int' || value.kind === 'float' || value.kind === 'bool' || value.kind === 'time') {
    text = String(value.value);
  }
  if (text !== undefined && text.trim() !== '') mask(text);
}

function describePath(path: readonly string[]): string {
  return path.length === 0 ? '(top level)' : path.join('.');
}

function decryptLeaf(
  value: TreeValue,
  path: readonly string[],
  comments: CommentStack,
  ctx: WalkContext,
): TreeValue {
  const isComment = value.kind === 'comment';
  const encrypted = shouldBeEncrypted(ctx.metadata.selection, path, comments, isComment);
  let out: TreeValue = value;
  if (encrypted) {
    const aad = aadForPath(path);
    if (value.kind === 'comment') {
      try {
        out = decryptValue(value.text, ctx.dataKey, aad);
      } catch {
        // Older sops left comments in cleartext; sops keeps such a comment as it is.
        out = value;
      }
    } else if (value.kind === 'str') {
      try {
        out = decryptValue(value.value, ctx.dataKey, aad);
      } catch (error) {
        throw withContext(`value at ${describePath(path)}`, error);
      }
    } else {
      throw new UserError(
        'BAD_ENC_VALUE',
        `value at ${describePath(path)} should be encrypted but is a cleartext ${value.kind}`,
        {
          hint: 'the file was edited by hand after encryption; re-encrypt it with sops',
        },
      );
    }
    maskValue(out, ctx.mask);
  }
  if (!ctx.metadata.macOnlyEncrypted || encrypted) ctx.mac.add(out);
  return out;
}

/**
 * Decrypts every branch with a known data key and returns them with the computed MAC.
 * `decryptText` is the whole-file entry point.
 */
export function decryptBranches(
  branches: readonly Branch[],
  metadata: Metadata,
  dataKey: Uint8Array,
  mask: (value: string) => void = () => undefined,
): { branches: Branch[]; mac: string } {
  const ctx: WalkContext = { metadata, dataKey, mac: new MacHasher(metadata.macOnlyEncrypted), mask };
  const out = mapLeaves(branches, (leaf, path, comments) => decryptLeaf(leaf, path, comments, ctx));
  return { branches: out, mac: ctx.mac.digest() };
}
