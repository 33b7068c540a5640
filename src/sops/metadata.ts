import type { MasterKey } from '../keys/master-key.ts';

/** The selection options of §3 of the format; at most one is set. */
export type Selection =
  | { readonly kind: 'unencrypted_suffix'; readonly value: string }
  | { readonly kind: 'encrypted_suffix'; readonly value: string }
  | { readonly kind: 'unencrypted_regex'; readonly value: string }
  | { readonly kind: 'encrypted_regex'; readonly value: string }
  | { readonly kind: 'unencrypted_comment_regex'; readonly value: string }
  | { readonly kind: 'encrypted_comment_regex'; readonly value: string };

/** The validated `sops` metadata block. */
export interface Metadata {
  /** Groups of master keys; one group means every key holds the whole data key. */
  readonly keyGroups: readonly (readonly MasterKey[])[];
  /** Shares needed when there are several groups. */
  readonly shamirThreshold: number;
  /** As stored, e.g. `2024-01-02T03:04:05Z`. */
  readonly lastModified: string;
  /** The encrypted MAC (`ENC[...]`), or `''` for a file without one. */
  readonly mac: string;
  readonly selection: Selection;
  readonly macOnlyEncrypted: boolean;
  /** The sops version that wrote the file, e.g. `3.9.0`. */
  readonly version: string;
}
