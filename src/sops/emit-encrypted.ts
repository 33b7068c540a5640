/**
 * The encrypted file's bytes (sops `EmitEncryptedFile`): the metadata block built as sops's
 * `SerializeMetadata` builds it, then the store's plain emitter. sops turns its metadata
 * struct into a Go map, so every map's keys come out sorted; empty key lists are left out,
 * except `age` and `hc_vault` inside `key_groups`, which sops always writes (`[]`).
 * YAML and JSON nest it under `sops` (YAML in every document); dotenv flattens it into
 * `sops_*` keys; INI into a `[sops]` section with newlines written as `\n`.
 */
import { SopsFormatError } from '../errors.ts';
import type { MasterKey } from '../keys/master-key.ts';
import type { Selection } from './metadata.ts';
import { emitJsonBranch } from './stores/json.ts';
import { flattenMetadata, SOPS_METADATA_KEY, SOPS_PREFIX } from './stores/flatten.ts';
import { dotenvStore } from './stores/dotenv.ts';
import { iniStore } from './stores/ini.ts';
import { emitYamlBranches } from './stores/yaml-emit.ts';
import type { Branch, Format, MapItem, TreeMap, TreeValue } from './tree.ts';

/** The metadata of a newly encrypted file, before it is laid out. */
export interface NewMetadata {
  readonly keyGroups: readonly (readonly MasterKey[])[];
  /** Written when not 0 (sops's `omitempty`). */
  readonly shamirThreshold: number;
  /** RFC 3339 in UTC, seconds precision. */
  readonly lastModified: string;
  readonly mac: string;
  /** Undefined for the binary store, which writes no selection option. */
  readonly selection: Selection | undefined;
  readonly macOnlyEncrypted: boolean;
  readonly version: string;
}

/** Indentation from `.sops.yaml` `stores:` (sops `--indent`); undefined keeps sops's default. */
export interface StoreIndents {
  readonly yaml?: number;
  readonly json?: number;
  readonly jsonBinary?: number;
}

const str = (value: string): TreeValue => ({ kind: 'str', value });

/** A map with its keys sorted bytewise, as a Go map's keys come out of sops's `goToSops`. */
function sortedMap(entries: readonly (readonly [string, TreeValue | undefined])[]): TreeMap {
  const items: MapItem[] = entries
    .filter((e): e is readonly [string, TreeValue] => e[1] !== undefined)
    .map(([key, value]) => ({ key, value }));
  items.sort((a, b) => (('key' in a ? a.key : '') < ('key' in b ? b.key : '') ? -1 : 1));
  return { kind: 'map', items };
}

function stanza(key: MasterKey): TreeMap {
  const created = str('createdAt' in key ? (key.createdAt ?? '') : '');
  switch (key.type) {
    case 'age':
      return sortedMap([
        ['enc', str(key.enc)],
        ['recipient', str(key.recipient)],
      ]);
    case 'pgp':
      return sortedMap([
        ['created_at', created],
        ['enc', str(key.enc)],
        ['fp', str(key.fp)],
      ]);
    case 'kms': {
      const context = Object.entries(key.context);
      return sortedMap([
        ['arn', str(key.arn)],
        ['role', key.role === undefined || key.role === '' ? undefined : str(key.role)],
        ['context', context.length === 0 ? undefined : sortedMap(context.map(([k, v]) => [k, str(v)]))],
        ['created_at', created],
        ['enc', str(key.enc)],
        // Not omitempty in sops: always written, empty when no profile was named.
        ['aws_profile', str(key.awsProfile ?? '')],
      ]);
    }
    case 'gcp_kms':
      return sortedMap([
        ['resource_id', str(key.resourceId)],
        ['created_at', created],
        ['enc', str(key.enc)],
      ]);
    case 'azure_kv':
      return sortedMap([
        ['vault_url', str(key.vaultUrl)],
        ['name', str(key.name)],
        ['version', str(key.version)],
        ['created_at', created],
        ['enc', str(key.enc)],
      ]);
    case 'hc_vault':
      return sortedMap([
        ['vault_address', str(key.vaultAddress)],
        ['engine_path', str(key.enginePath)],
        ['key_name', str(key.keyName)],
        ['created_at', created],
        ['enc', str(key.enc)],
      ]);
    case 'hckms':
      return sortedMap([
        ['key_id', str(key.keyId)],
        ['created_at', created],
        ['enc', str(key.enc)],
      ]);
  }
}

const STANZA_TYPES = ['age', 'azure_kv', 'gcp_kms', 'hc_vault', 'hckms', 'kms', 'pgp'] as const;

/** The stanza lists of one group; `always` names the lists written even when empty. */
function groupEntries(
  group: readonly MasterKey[],
  always: readonly string[],
): [string, TreeValue | undefined][] {
  return STANZA_TYPES.map((type) => {
    const keys = group.filter((k) => k.type === type);
    if (keys.length === 0 && !always.includes(type)) return [type, undefined];
    return [type, { kind: 'list', items: keys.map(stanza) }];
  });
}

/** The `sops` block as sops lays it out (before any flattening). */
export function metadataTree(metadata: NewMetadata): TreeMap {
  const groups = metadata.keyGroups;
  const selection = metadata.selection;
  return sortedMap([
    ...(groups.length === 1
      ? groupEntries(groups[0] ?? [], [])
      : [
          [
            'key_groups',
            {
              kind: 'list',
              // In a group sops always writes `age` and `hc_vault` (no omitempty on those fields).
              items: groups.map((g) => sortedMap(groupEntries(g, ['age', 'hc_vault']))),
            },
          ] as [string, TreeValue],
        ]),
    ['lastmodified', str(metadata.lastModified)],
    ['mac', str(metadata.mac)],
    ...(selection === undefined ? [] : [[selection.kind, str(selection.value)] as [string, TreeValue]]),
    ['mac_only_encrypted', metadata.macOnlyEncrypted ? { kind: 'bool', value: true } : undefined],
    [
      'shamir_threshold',
      metadata.shamirThreshold === 0 ? undefined : { kind: 'int', value: BigInt(metadata.shamirThreshold) },
    ],
    ['version', str(metadata.version)],
  ]);
}

/** sops's refusal of a key its metadata would collide with (`SerializeMetadata`). */
function checkReserved(branches: readonly Branch[], format: Format): void {
  for (const branch of branches) {
    for (const item of branch.items) {
      if (!('key' in item)) continue;
      const reserved =
        format === 'dotenv' ? item.key.startsWith(SOPS_PREFIX) : item.key === SOPS_METADATA_KEY;
      if (reserved) {
        throw new SopsFormatError(
          format === 'dotenv'
            ? `the key ${JSON.stringify(item.key)} starts with the prefix "${SOPS_PREFIX}", which sops reserves for its metadata`
            : `the key "${SOPS_METADATA_KEY}" is reserved for sops metadata`,
          { hint: 'rename that key' },
        );
      }
    }
  }
}

/** sops's YAML `getIndentation`: 0 (or unset) is the default 4, a negative one is refused. */
export function yamlIndent(indent: number | undefined): number {
  if (indent !== undefined && indent < 0)
    throw new SopsFormatError('YAML negative indentation is not accepted');
  return indent === undefined || indent === 0 ? 4 : indent;
}

/** The encrypted file as `format` (sops `EmitEncryptedFile`). */
export function emitEncrypted(
  format: Format,
  branches: readonly Branch[],
  metadata: NewMetadata,
  indents: StoreIndents = {},
): string {
  checkReserved(branches, format);
  const tree = metadataTree(metadata);
  const withNested = (branch: Branch): Branch => ({
    kind: 'map',
    items: [...branch.items, { key: SOPS_METADATA_KEY, value: tree }],
  });
  const first = branches[0];
  if (first === undefined) throw new SopsFormatError('there is no document to encrypt');
  switch (format) {
    case 'yaml':
      return emitYamlBranches(branches.map(withNested), yamlIndent(indents.yaml));
    case 'json':
      return emitJsonBranch(withNested(first), indents.json ?? -1);
    case 'binary':
      return emitJsonBranch(withNested(first), indents.jsonBinary ?? -1);
    case 'dotenv':
      return dotenvStore.emitPlain([
        { kind: 'map', items: [...first.items, ...flattenMetadata(tree, SOPS_PREFIX)] },
      ]);
    case 'ini': {
      // sops escapes newlines itself here, on top of the store's own handling (EscapeNewlines).
      const flat = flattenMetadata(tree, '').map((item): MapItem => {
        if (!('key' in item) || item.value.kind !== 'str') return item;
        return { key: item.key, value: str(item.value.value.replaceAll('\n', '\\n')) };
      });
      const section: MapItem = { key: SOPS_METADATA_KEY, value: { kind: 'map', items: flat } };
      return iniStore.emitPlain(branches.map((b) => ({ kind: 'map', items: [...b.items, section] })));
    }
  }
}
