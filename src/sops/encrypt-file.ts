/**
 * The whole encrypt, as `sops -e` does it (`cmd/sops/encrypt.go`): load the plain file,
 * refuse one that already carries sops metadata, make a fresh random 32-byte data key, wrap
 * it (or one Shamir share per key group) for every master key, encrypt the tree with the MAC,
 * and emit the file with its metadata. Every key of every group must wrap: a key that fails
 * fails the whole run, so no group is ever silently left out.
 */
import { randomBytes } from 'node:crypto';
import { SopsFormatError, UserError, errorMessage } from '../errors.ts';
import type { KeyRecipient, MasterKey } from '../keys/master-key.ts';
import { describeMasterKey } from '../keys/master-key.ts';
import { encryptBranches } from './encrypt.ts';
import { emitEncrypted, type StoreIndents } from './emit-encrypted.ts';
import { detectSopsFormat, storeFor } from './formats.ts';
import type { Selection } from './metadata.ts';
import { splitSecret } from './shamir.ts';
import { loadBinaryPlainBytes } from './stores/binary.ts';
import { extractNestedMetadata, SOPS_METADATA_KEY, SOPS_PREFIX } from './stores/flatten.ts';
import { parseJsonDocument } from './stores/json.ts';
import { decodeSopsText } from './text-encoding.ts';
import { verifyEncrypted } from './verify-encrypted.ts';
import { shouldBeEncrypted } from './selection.ts';
import { mapLeaves } from './walk.ts';
import type { Branch, Format } from './tree.ts';

/** The sops version written into new files: the release this port follows. */
export const SOPS_VERSION = '3.13.3';

const DATA_KEY_BYTES = 32;

/** The recipients and settings one encryption uses (a creation rule, after flags). */
export interface EncryptPlan {
  /** One group: every key wraps the whole data key. Several: each group wraps a Shamir share. */
  readonly keyGroups: readonly (readonly KeyRecipient[])[];
  /** Shares needed to rebuild the key; 0 means the number of groups (sops's default). */
  readonly shamirThreshold: number;
  /** The selection option; undefined means sops's default (`unencrypted_suffix: _unencrypted`). */
  readonly selection: Selection | undefined;
  readonly macOnlyEncrypted: boolean;
}

/** Wraps `plaintext` for one master key and returns the stanza's `enc`. */
export type WrapKey = (key: KeyRecipient, plaintext: Uint8Array) => Promise<string>;

/**
 * Releases the encrypted text (prints or writes it). `verify` opens bytes read back from
 * where it was written and checks them against the plaintext; the data key is wiped only
 * after this returns.
 */
export type ReleaseEncrypted = (text: string, verify: (written: Uint8Array) => void) => Promise<void>;

export interface EncryptOptions {
  readonly wrap: WrapKey;
  /** The format to write; default the input format (sops's --output-type). */
  readonly outputFormat?: Format;
  readonly release: ReleaseEncrypted;
  readonly indents?: StoreIndents;
  /**
   * Called with the plaintext of every value that is about to be encrypted, before anything
   * can fail (the host's `setSecret`): what is worth encrypting is worth masking.
   */
  readonly mask?: (value: string) => void;
  /** The clock, for `lastmodified` and `created_at`; tests pass a fixed one. */
  readonly now?: () => Date;
}

const DEFAULT_SELECTION: Selection = { kind: 'unencrypted_suffix', value: '_unencrypted' };

/** Go's `time.Now().UTC().Format(time.RFC3339)`. */
function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function alreadyEncrypted(): UserError {
  return new UserError('ALREADY_ENCRYPTED', 'the file is already encrypted: it has sops metadata', {
    hint: `sops keeps its metadata in a top-level "${SOPS_METADATA_KEY}" entry (dotenv: "${SOPS_PREFIX}" keys); decrypt the file first, or rename that entry if it is your data`,
  });
}

/**
 * sops `validateFileForEncryption`: at least one document, and no metadata in the first.
 * A binary file is refused too when it is a sops JSON envelope, which sops would encrypt
 * twice (it cannot see metadata inside its single value).
 */
function checkEncryptable(branches: readonly Branch[], format: Format, text: string | undefined): void {
  const first = branches[0];
  if (first === undefined) {
    throw new SopsFormatError('the file is empty: it must contain at least one document');
  }
  if (format === 'binary') {
    if (text === undefined || detectSopsFormat(text) !== 'json') return;
    let metadata;
    try {
      metadata = extractNestedMetadata([parseJsonDocument(text)]).metadata;
    } catch {
      return;
    }
    if (metadata !== null) throw alreadyEncrypted();
    return;
  }
  const found = first.items.some(
    (item) =>
      'key' in item &&
      (format === 'dotenv' ? item.key.startsWith(SOPS_PREFIX) : item.key === SOPS_METADATA_KEY),
  );
  if (found) throw alreadyEncrypted();
}

/** Loads a plain file as sops's `LoadPlainFile` does for `format`. */
export function loadPlainFile(
  input: Uint8Array,
  format: Format,
): { branches: readonly Branch[]; text?: string } {
  if (format === 'binary') {
    const branches = loadBinaryPlainBytes(input);
    return { branches, text: Buffer.from(input).toString('utf8') };
  }
  const text = decodeSopsText(input, format);
  return { branches: storeFor(format).loadPlain(text), text };
}

/** Registers the plaintext of every leaf the selection encrypts (as decrypt-tree.ts does). */
function maskSelected(
  branches: readonly Branch[],
  selection: Selection,
  mask: (value: string) => void,
): void {
  mapLeaves(branches, (leaf, path, comments) => {
    if (shouldBeEncrypted(selection, path, comments, leaf.kind === 'comment')) {
      const text =
        leaf.kind === 'str'
          ? leaf.value
          : leaf.kind === 'comment'
            ? leaf.text
            : leaf.kind === 'bytes'
              ? Buffer.from(leaf.value).toString('utf8')
              : undefined;
      if (text !== undefined && text.trim() !== '') mask(text);
    }
    return leaf;
  });
}

/** The wrapped stanza for a recipient: `enc` and, for every type but age, `created_at`. */
function withEnc(key: KeyRecipient, enc: string, createdAt: string): MasterKey {
  if (key.type === 'age') return { ...key, enc };
  return { ...key, enc, createdAt };
}

async function wrapAll(
  plan: EncryptPlan,
  dataKey: Uint8Array,
  wrap: WrapKey,
  createdAt: string,
): Promise<{ groups: MasterKey[][]; threshold: number }> {
  const groups = plan.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UserError('USAGE', 'no master keys to encrypt for', {
      hint: 'add a creation rule with keys to .sops.yaml, or pass --age or --pgp',
    });
  }
  const emptyGroup = groups.findIndex((g) => g.length === 0);
  if (emptyGroup !== -1) {
    throw new UserError('USAGE', `key group ${emptyGroup + 1} has no keys`, {
      hint: 'every key group of the creation rule needs at least one key',
    });
  }
  let threshold = plan.shamirThreshold;
  let parts: Uint8Array[] = [dataKey];
  if (groups.length > 1) {
    if (threshold === 0) threshold = groups.length;
    if (threshold < 2 || threshold > groups.length) {
      throw new UserError(
        'USAGE',
        `shamir_threshold ${threshold} does not fit ${groups.length} key groups: it must be from 2 to ${groups.length}`,
      );
    }
    parts = splitSecret(dataKey, groups.length, threshold);
  }
  const out: MasterKey[][] = [];
  for (const [index, group] of groups.entries()) {
    const part = parts[index] ?? dataKey;
    const wrapped: MasterKey[] = [];
    for (const key of group) {
      let enc: string;
      try {
        enc = await wrap(key, part);
      } catch (error) {
        const where = groups.length > 1 ? `key group ${index + 1}, ` : '';
        throw new UserError(
          error instanceof UserError ? error.code : 'KEY_SOURCE',
          `cannot encrypt the data key for ${where}${describeMasterKey({ ...key, enc: '' })}: ${errorMessage(error)}`,
          {
            cause: error,
            ...(error instanceof UserError && error.hint !== undefined ? { hint: error.hint } : {}),
          },
        );
      }
      wrapped.push(withEnc(key, enc, createdAt));
    }
    out.push(wrapped);
  }
  return { groups: out, threshold };
}

/**
 * Encrypts a plain file's bytes (read as `format`) as `sops -e` would, and hands the result to
 * `options.release` only after it decrypted back to the input in memory. Throws before
 * anything is released when a key cannot wrap or the round trip fails.
 */
export async function encryptFileBytes(
  input: Uint8Array,
  format: Format,
  plan: EncryptPlan,
  options: EncryptOptions,
): Promise<void> {
  const outputFormat = options.outputFormat ?? format;
  const { branches, text } = loadPlainFile(input, format);
  checkEncryptable(branches, outputFormat, text);
  const inputSelection = format === 'binary' ? undefined : (plan.selection ?? DEFAULT_SELECTION);
  if (options.mask !== undefined) maskSelected(branches, inputSelection ?? DEFAULT_SELECTION, options.mask);
  const now = rfc3339Seconds((options.now ?? (() => new Date()))());
  const dataKey = new Uint8Array(randomBytes(DATA_KEY_BYTES));
  try {
    const { groups, threshold } = await wrapAll(plan, dataKey, options.wrap, now);
    // The binary store ignores every selection option (sops warns) and writes none.
    const selection = inputSelection;
    const macOnlyEncrypted = format === 'binary' ? false : plan.macOnlyEncrypted;
    const encrypted = encryptBranches(
      branches,
      { selection: selection ?? DEFAULT_SELECTION, macOnlyEncrypted, lastModified: now },
      dataKey,
    );
    const out = emitEncrypted(
      outputFormat,
      encrypted.branches,
      {
        keyGroups: groups,
        shamirThreshold: groups.length > 1 ? threshold : plan.shamirThreshold,
        lastModified: now,
        mac: encrypted.mac,
        selection,
        macOnlyEncrypted,
        version: SOPS_VERSION,
      },
      options.indents,
    );
    verifyEncrypted(out, outputFormat, dataKey, branches);
    await options.release(out, (written) => {
      verifyEncrypted(written, outputFormat, dataKey, branches);
    });
  } finally {
    dataKey.fill(0);
  }
}
