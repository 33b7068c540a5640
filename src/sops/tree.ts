/**
 * The ordered tree that every store parses into and emits from (sops's `TreeBranches`).
 *
 * Order matters: the MAC is computed over leaves in document order, so maps are arrays of
 * items, never JS objects (an integer-like key such as "1" would move to the front, and
 * duplicate JSON keys would collapse).
 */

/** A comment line, stored without its leading `#` (or `;` in INI), as sops stores it. */
export interface Comment {
  readonly kind: 'comment';
  readonly text: string;
  /**
   * YAML only (sops 3.13+ `Comment.Inline`): the comment sat after a value on the same line
   * and is written back there. Decrypting an encrypted comment loses the flag in sops, so
   * only cleartext comments keep it. Absent means false.
   */
  readonly inline?: boolean;
}

export interface StrValue {
  readonly kind: 'str';
  readonly value: string;
  /**
   * Emit hints a store may set when it parsed the value (e.g. YAML `literal` block style).
   * Decryption never depends on them.
   */
  readonly style?: string;
}

/** A Go `int`: kept as bigint so int64 values survive. */
export interface IntValue {
  readonly kind: 'int';
  readonly value: bigint;
  /** The number exactly as written in the source (JSON keeps it on output). */
  readonly raw?: string;
}

export interface FloatValue {
  readonly kind: 'float';
  readonly value: number;
  /** The number exactly as written in the source (JSON keeps it on output). */
  readonly raw?: string;
}

export interface BoolValue {
  readonly kind: 'bool';
  readonly value: boolean;
}

/** A YAML timestamp, held in Go's `time.MarshalText` form (RFC 3339, nanoseconds trimmed). */
export interface TimeValue {
  readonly kind: 'time';
  readonly value: string;
}

export interface NullValue {
  readonly kind: 'null';
}

/** Python-era sops could write raw bytes; Go sops only reads them. */
export interface BytesValue {
  readonly kind: 'bytes';
  readonly value: Uint8Array;
}

export type Scalar = StrValue | IntValue | FloatValue | BoolValue | TimeValue | NullValue | BytesValue;

/** One entry of a map: a key with its value, or a comment line between entries. */
export type MapItem = { readonly key: string; readonly value: TreeValue } | Comment;

export interface TreeMap {
  readonly kind: 'map';
  readonly items: readonly MapItem[];
}

/** A list; comment lines inside a YAML sequence are elements of kind `comment`. */
export interface TreeList {
  readonly kind: 'list';
  readonly items: readonly TreeValue[];
}

export type TreeValue = Scalar | Comment | TreeMap | TreeList;

/** One document. Every store gives one branch, except multi-document YAML. */
export type Branch = TreeMap;

/** A raw metadata tree as found in the file, before it is validated into `Metadata`. */
export type RawMetadata = TreeMap;

/** What a store returns when it loads an encrypted file. */
export interface LoadedFile {
  readonly branches: readonly Branch[];
  /** The `sops` block, or null when the file has none. */
  readonly metadata: RawMetadata | null;
}

/** A format that sops reads and writes. */
export type Format = 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary';

/** The contract every store implements: bytes to tree and back, byte-exact with sops. */
export interface Store {
  readonly format: Format;
  /**
   * Parses an encrypted file. Removes the metadata block from the branches and returns it
   * separately. Throws `SopsFormatError` on malformed input.
   */
  loadEncrypted(text: string): LoadedFile;
  /** Parses a plaintext file (no metadata expected). */
  loadPlain(text: string): readonly Branch[];
  /** Emits decrypted branches exactly as `sops -d --output-type <format>` does. */
  emitPlain(branches: readonly Branch[]): string;
}

export function isComment(value: MapItem | TreeValue): value is Comment {
  return 'kind' in value && value.kind === 'comment';
}

/** Builds a map from `[key, value]` pairs; handy in stores and tests. */
export function mapOf(entries: readonly (readonly [string, TreeValue])[]): TreeMap {
  return { kind: 'map', items: entries.map(([key, value]) => ({ key, value })) };
}

export function str(value: string): StrValue {
  return { kind: 'str', value };
}
