/**
 * Decrypting a loaded tree with a known data key: each selected leaf is opened with its path
 * as additional data, every leaf the MAC covers is hashed in walk order, and each plaintext is
 * handed to `mask` the moment it exists.
 */
import { UserError, withContext } from '../errors.ts';
import { decryptValue, type DataKey } from './cipher.ts';
import { bomHint, describePath } from './describe-path.ts';
import { MacHasher } from './mac.ts';
import type { Metadata } from './metadata.ts';
import { shouldBeEncrypted, type CommentStack } from './selection.ts';
import type { Branch, TreeValue } from './tree.ts';
import { aadForPath, mapLeaves } from './walk.ts';

interface WalkContext {
  readonly metadata: Metadata;
  readonly dataKey: DataKey;
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

/** An error about the value at `path`, named with its path; a BOM in the first key gets its own hint. */
function errorAt(path: readonly string[], error: unknown): Error {
  const wrapped = withContext(`value at ${describePath(path)}`, error);
  const hint = bomHint(path);
  if (hint === undefined || !(wrapped instanceof UserError)) return wrapped;
  return new UserError(wrapped.code, wrapped.message, {
    cause: wrapped.cause,
    report: wrapped.report,
    hint,
    location: wrapped.location,
  });
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
        throw errorAt(path, error);
      }
    } else {
      throw errorAt(
        path,
        new UserError('BAD_ENC_VALUE', `should be encrypted but is a cleartext ${value.kind}`, {
          hint: 'the file was edited by hand after encryption; re-encrypt it with sops',
        }),
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
  dataKey: DataKey,
  mask: (value: string) => void = () => undefined,
): { branches: Branch[]; mac: string } {
  const ctx: WalkContext = { metadata, dataKey, mac: new MacHasher(metadata.macOnlyEncrypted), mask };
  const out = mapLeaves(branches, (leaf, path, comments) => decryptLeaf(leaf, path, comments, ctx));
  return { branches: out, mac: ctx.mac.digest() };
}
