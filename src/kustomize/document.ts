/**
 * One SOPS document as the build stages it: decrypted in the format pair Flux would use, with
 * the MAC verified and every value registered for masking, or, for `diff` without a key, the
 * placeholder form (kustomize/placeholder.ts). Shared by staging, post-build decryption and
 * `substitute-from` files.
 */
import type { KeySource } from '../keys/key-source.ts';
import type { SecretRegistry } from '../masking.ts';
import { decryptText } from '../sops/decrypt.ts';
import { detectSopsFormat, SOPS_MARKERS, storeFor } from '../sops/formats.ts';
import type { Branch, Format } from '../sops/tree.ts';
import { UNDECRYPTED_TEXT, undecryptedValueFor } from '../sops/undecrypted.ts';
import { checkPlaceholderIdentity, placeholderBranches } from './placeholder.ts';

export interface DecryptDocumentOptions {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly decryptionOrder?: readonly string[];
  readonly ignoreMac?: boolean;
  /** The whole plaintext becomes one value (a generator `files` entry or a Secret data key). */
  readonly wholeIsValue?: boolean;
}

function emitPlain(branches: readonly Branch[], format: Format): Uint8Array {
  if (format === 'binary') {
    // Binary files may hold bytes that are not UTF-8; write them as they were.
    const first = branches[0];
    const data = first?.items.find((item) => 'key' in item && item.key === 'data');
    if (data !== undefined && 'key' in data) {
      if (data.value.kind === 'bytes') return data.value.value;
      if (data.value.kind === 'str') return Buffer.from(data.value.value, 'utf8');
    }
  }
  return Buffer.from(storeFor(format).emitPlain(branches), 'utf8');
}

/**
 * Decrypts one SOPS document as Flux does for its format pair, with the MAC verified. The
 * whole plaintext, as kustomize will put it in a generated Secret, is registered too.
 */
export async function decryptDocument(
  text: string,
  inputFormat: Format,
  outputFormat: Format,
  options: DecryptDocumentOptions,
): Promise<Uint8Array> {
  const { branches } = await decryptText(text, inputFormat, {
    keySources: options.keySources,
    mask: (value) => options.registry.add(value),
    ...(options.ignoreMac === true ? { ignoreMac: true } : {}),
    ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
  });
  const out = emitPlain(branches, outputFormat);
  if (options.wholeIsValue === true) {
    // Not line by line: the lines of a JSON or YAML file include its keys and punctuation.
    options.registry.add(Buffer.from(out).toString('utf8'), { lines: false });
  }
  return out;
}

/**
 * The staged form of a SOPS document no key could open: every encrypted value replaced by a
 * sentinel, or the whole file for a generator `files` entry (its content is one value).
 */
export function placeholderDocument(
  text: string,
  inputFormat: Format,
  outputFormat: Format,
  options: { readonly wholeValueKey?: string; readonly manifest?: boolean; readonly where: string },
): Uint8Array {
  // Parsed and checked even when the whole value is replaced: a corrupted file must still fail.
  const branches = placeholderBranches(text, inputFormat);
  if (options.wholeValueKey !== undefined)
    return Buffer.from(undecryptedValueFor(options.wholeValueKey), 'utf8');
  if (options.manifest === true) checkPlaceholderIdentity(branches, options.where);
  if (outputFormat === 'binary') return Buffer.from(UNDECRYPTED_TEXT, 'utf8');
  return emitPlain(branches, outputFormat);
}

/** The input and output formats for a file, or undefined when it is not SOPS-encrypted. */
export function sopsFormats(text: string, wanted: Format): { input: Format; output: Format } | undefined {
  if (text.includes(SOPS_MARKERS[wanted])) return { input: wanted, output: wanted };
  // A key with no known extension (binary) over, say, an encrypted dotenv file: Flux would
  // leave it encrypted and fail later; we decrypt it in its own format instead.
  if (wanted === 'binary') {
    const detected = detectSopsFormat(text);
    if (detected !== undefined) return { input: detected, output: detected };
  }
  return undefined;
}
