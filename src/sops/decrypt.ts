/**
 * The whole decrypt, in sops's five steps: load, recover the data key, decrypt the tree while
 * hashing it, verify the MAC, emit. Nothing is returned unless every step succeeded, so a
 * caller can never print partial plaintext.
 */
import { dataKeyObject } from './cipher.ts';
import { UserError } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import { recoverDataKey } from './data-key.ts';
import { decryptBranches } from './decrypt-tree.ts';
import { storeFor } from './formats.ts';
import { verifyMac } from './mac.ts';
import { parseMetadata, type Metadata } from './metadata.ts';
import { decodeSopsText } from './text-encoding.ts';
import type { Branch, Format } from './tree.ts';

export interface DecryptOptions {
  /** Where master keys come from; tried in the file's key-group order. */
  readonly keySources: readonly KeySource[];
  /** Skip the MAC comparison (values must still authenticate). Only on explicit request. */
  readonly ignoreMac?: boolean;
  /** Called with every decrypted value the moment it exists, before anything can fail. */
  readonly mask?: (value: string) => void;
  /** Key types to try first in each group (sops's --decryption-order). */
  readonly decryptionOrder?: readonly string[];
}

export interface DecryptedDocument {
  readonly branches: readonly Branch[];
  readonly metadata: Metadata;
}

/** Why a file has no metadata, as far as its text tells. */
function noMetadataHint(text: string, format: Format): string {
  if (format === 'binary') {
    return 'files with an unknown extension are read as sops binary files; pass --input-type if this one is yaml, json, dotenv or ini';
  }
  if ((format === 'dotenv' || format === 'ini') && text.includes('\r') && !text.includes('\n')) {
    // sops reads these formats by LF lines too, and finds no metadata either.
    return 'the lines end in CR only (old Mac style), so the whole file reads as one line; convert the line ends to LF';
  }
  return 'encrypt it with sops first, or check that --input-type matches the file';
}

/**
 * Loads, decrypts and verifies one document, given as text or as the file's bytes (decoded
 * as sops decodes that format). Errors name what failed, never a value.
 */
export async function decryptText(
  input: string | Uint8Array,
  format: Format,
  options: DecryptOptions,
): Promise<DecryptedDocument> {
  const text = typeof input === 'string' ? input : decodeSopsText(input, format);
  const loaded = storeFor(format).loadEncrypted(text);
  if (loaded.metadata === null) {
    throw new UserError('NO_METADATA', 'the file has no sops metadata, so it is not encrypted with sops', {
      hint: noMetadataHint(text, format),
    });
  }
  const metadata = parseMetadata(loaded.metadata);
  const dataKey = await recoverDataKey(metadata, options.keySources, {
    ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
  });
  // One key object for every value and the MAC of the file.
  const key = dataKeyObject(dataKey);
  const { branches, mac } = decryptBranches(loaded.branches, metadata, key, options.mask);
  if (options.ignoreMac !== true) verifyMac(metadata, mac, key);
  return { branches, metadata };
}
