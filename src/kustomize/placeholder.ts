/**
 * Placeholders for SOPS files that no key of this run can open, for `diff` only. A pull
 * request from a fork gets no secrets and no OIDC token, yet its diff should still show what
 * it changes. Such a file is staged with every encrypted value replaced by a sentinel that
 * kustomize and the apiserver accept (valid base64 in a Secret's `data`), and the diff then
 * shows those values as unknown instead of comparing them.
 *
 * The sentinel (sops/undecrypted.ts) is never a value anyone wrote, and no plaintext exists for these files at
 * all: nothing here can leak a secret. Build and apply never create an `UndecryptedFiles`,
 * so for them a missing key stays an error.
 */
import { UserError, errorMessage } from '../errors.ts';
import { isEncryptedValue, parseEncryptedValue } from '../sops/cipher.ts';
import { storeFor } from '../sops/formats.ts';
import { describePath } from '../sops/describe-path.ts';
import { parseMetadata } from '../sops/metadata.ts';
import { shouldBeEncrypted } from '../sops/selection.ts';
import type { Branch, Format, TreeValue } from '../sops/tree.ts';
import { UNDECRYPTED_TEXT, undecryptedValueFor } from '../sops/undecrypted.ts';
import { mapLeaves } from '../sops/walk.ts';

/** One file (or post-build object) that was staged with placeholders, and why. */
export interface UndecryptedFile {
  /** Relative to the repository root, or the object for post-build decryption. */
  readonly file: string;
  /** Why no key opened it: the first line of the key report, never key material. */
  readonly reason: string;
}

/**
 * The files a diff staged with placeholders. Passing one to the build turns on placeholder
 * mode; without it (build, apply, `require-decryption`) a missing key fails the run.
 */
export class UndecryptedFiles {
  readonly #files = new Map<string, string>();

  /**
   * True when the run has no key at all and no reason to try one (`lint --rendered`): every
   * SOPS file is staged with placeholders at once, instead of being parsed for a decrypt
   * that must fail and then parsed again for its placeholders.
   */
  readonly keyless: boolean;

  constructor(options: { readonly keyless?: boolean } = {}) {
    this.keyless = options.keyless === true;
  }

  add(file: string, reason: string): void {
    if (!this.#files.has(file)) this.#files.set(file, reason);
  }

  get size(): number {
    return this.#files.size;
  }

  /** Sorted by file. */
  list(): UndecryptedFile[] {
    return [...this.#files]
      .map(([file, reason]) => ({ file, reason }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}

/**
 * Whether a decrypt failed only because no key could open the data key (none configured, no
 * matching identity, a cloud key source that is unavailable). A MAC mismatch, a malformed
 * file or a failed Shamir combine has other codes and must still fail the run.
 */
export function isNoKeyError(error: unknown): error is UserError {
  return error instanceof UserError && error.code === 'NO_MATCHING_KEY';
}

/** The one-line reason recorded for a file, from a NO_MATCHING_KEY error. */
export function noKeyReason(error: UserError): string {
  return (errorMessage(error).split('\n')[0] ?? '').slice(0, 300);
}

function str(value: string): TreeValue {
  return { kind: 'str', value };
}

function topString(branch: Branch, key: string): string | undefined {
  const item = branch.items.find((i) => 'key' in i && i.key === key);
  return item !== undefined && 'key' in item && item.value.kind === 'str' ? item.value.value : undefined;
}

/**
 * The branches of an encrypted document with every encrypted value replaced by a sentinel,
 * after the same checks a decrypt makes before it needs the key: the store parses, the
 * metadata is valid, and every value that should be encrypted is a well-formed ENC[...]. So
 * a corrupted or hand-edited file still fails; only the MAC cannot be checked without a key.
 */
export function placeholderBranches(text: string, format: Format): Branch[] {
  const loaded = storeFor(format).loadEncrypted(text);
  if (loaded.metadata === null) {
    throw new UserError('NO_METADATA', 'the file has no sops metadata, so it is not encrypted with sops');
  }
  const metadata = parseMetadata(loaded.metadata);
  const mac = loaded.metadata.items.find((i) => 'key' in i && i.key === 'mac');
  if (mac !== undefined && 'key' in mac && mac.value.kind === 'str' && mac.value.value !== '') {
    parseEncryptedValue(mac.value.value);
  }
  return loaded.branches.map((branch) => {
    const secret = topString(branch, 'kind') === 'Secret';
    const [out] = mapLeaves([branch], (leaf, path, comments) => {
      const isComment = leaf.kind === 'comment';
      if (!shouldBeEncrypted(metadata.selection, path, comments, isComment)) return leaf;
      if (leaf.kind === 'comment') {
        // Older sops left comments in cleartext; a decrypt keeps those as they are.
        return isEncryptedValue(leaf.text) ? { kind: 'comment', text: ` ${UNDECRYPTED_TEXT}` } : leaf;
      }
      if (leaf.kind !== 'str') {
        throw new UserError(
          'BAD_ENC_VALUE',
          `value at ${describePath(path)} should be encrypted but is a cleartext ${leaf.kind}`,
          { hint: 'the file was edited by hand after encryption; re-encrypt it with sops' },
        );
      }
      try {
        parseEncryptedValue(leaf.value);
      } catch (error) {
        throw error instanceof UserError
          ? new UserError(error.code, `value at ${describePath(path)}: ${error.message}`, {
              hint: error.hint,
            })
          : error;
      }
      const [field, key, ...deeper] = path;
      if (secret && field === 'data' && key !== undefined && deeper.length === 0) {
        return str(Buffer.from(undecryptedValueFor(key), 'utf8').toString('base64'));
      }
      return str(field === 'stringData' && key !== undefined ? undecryptedValueFor(key) : UNDECRYPTED_TEXT);
    });
    return out ?? branch;
  });
}

/**
 * Refuses a manifest whose identity is itself encrypted: without apiVersion, kind and name
 * there is no object to diff, and kustomize would fail with a confusing error.
 */
export function checkPlaceholderIdentity(branches: readonly Branch[], where: string): void {
  for (const branch of branches) {
    const metadata = branch.items.find((i) => 'key' in i && i.key === 'metadata');
    const name =
      metadata !== undefined && 'key' in metadata && metadata.value.kind === 'map'
        ? topString(metadata.value, 'name')
        : undefined;
    for (const value of [topString(branch, 'apiVersion'), topString(branch, 'kind'), name]) {
      if (value === UNDECRYPTED_TEXT) {
        throw new UserError(
          'NO_MATCHING_KEY',
          `${where}: no key could decrypt it, and its apiVersion, kind or metadata.name is encrypted too, so diff cannot show it undecrypted`,
          {
            hint: 'give a key that opens it, or encrypt only data and stringData (encrypted_regex: ^(data|stringData)$ in .sops.yaml)',
          },
        );
      }
    }
  }
}
