import { UserError } from '../errors.ts';
import type { MasterKey } from '../keys/master-key.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { isComment, type TreeMap, type TreeValue } from './tree.ts';

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

/** The `.sops.yaml` and metadata keys that choose what is encrypted (one may be set). */
export const SELECTION_KINDS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;

/** sops applies this default when loading, so files that omit every option still work. */
const DEFAULT_SELECTION: Selection = { kind: 'unencrypted_suffix', value: '_unencrypted' };

/** The order sops builds a group in (`stores.Metadata.ToInternal`). */
const STANZA_ORDER = ['kms', 'gcp_kms', 'hckms', 'azure_kv', 'hc_vault', 'pgp', 'age'] as const;

function badMetadata(message: string): UserError {
  return new UserError('BAD_METADATA', `sops metadata: ${message}`, {
    hint: 'the sops block was edited or truncated; restore it from version control',
  });
}

function entries(map: TreeMap): Map<string, TreeValue> {
  const out = new Map<string, TreeValue>();
  for (const item of map.items) {
    if (!isComment(item)) out.set(item.key, item.value);
  }
  return out;
}

/** mapstructure's WeaklyTypedInput: scalars of any kind read as their text. */
function scalarText(value: TreeValue | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  switch (value.kind) {
    case 'null':
      return undefined;
    case 'str':
    case 'time':
      return value.value;
    case 'int':
      return value.raw ?? value.value.toString();
    case 'float':
      return value.raw ?? String(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    default:
      throw badMetadata(`${field} should be a string`);
  }
}

function requiredText(fields: Map<string, TreeValue>, field: string, where: string): string {
  const text = scalarText(fields.get(field), `${where}.${field}`);
  if (text === undefined || text === '') throw badMetadata(`${where} has no ${field}`);
  return text;
}

function optionalText(fields: Map<string, TreeValue>, field: string, where: string): string | undefined {
  const text = scalarText(fields.get(field), `${where}.${field}`);
  return text === '' ? undefined : text;
}

function listOf(value: TreeValue | undefined, field: string): readonly TreeValue[] {
  if (value === undefined || value.kind === 'null') return [];
  if (value.kind === 'str' && value.value === '') return [];
  if (value.kind !== 'list') throw badMetadata(`${field} should be a list`);
  return value.items.filter((item) => !isComment(item));
}

function stanzaFields(value: TreeValue, where: string): Map<string, TreeValue> {
  if (value.kind !== 'map') throw badMetadata(`${where} should be a map`);
  return entries(value);
}

function withCreatedAt<T extends object>(key: T, fields: Map<string, TreeValue>, where: string): T {
  const createdAt = optionalText(fields, 'created_at', where);
  return createdAt === undefined ? key : { ...key, createdAt };
}

function parseStanza(type: (typeof STANZA_ORDER)[number], value: TreeValue, where: string): MasterKey {
  const f = stanzaFields(value, where);
  const enc = requiredText(f, 'enc', where);
  switch (type) {
    case 'age':
      return { type, recipient: requiredText(f, 'recipient', where), enc };
    case 'pgp':
      return withCreatedAt({ type, fp: optionalText(f, 'fp', where) ?? '', enc }, f, where);
    case 'kms': {
      const context: Record<string, string> = {};
      const rawContext = f.get('context');
      if (rawContext !== undefined && rawContext.kind !== 'null') {
        for (const [k, v] of stanzaFields(rawContext, `${where}.context`)) {
          context[k] = scalarText(v, `${where}.context.${k}`) ?? '';
        }
      }
      const role = optionalText(f, 'role', where);
      const awsProfile = optionalText(f, 'aws_profile', where);
      return withCreatedAt(
        {
          type,
          arn: requiredText(f, 'arn', where),
          context,
          enc,
          ...(role === undefined ? {} : { role }),
          ...(awsProfile === undefined ? {} : { awsProfile }),
        },
        f,
        where,
      );
    }
    case 'gcp_kms':
      return withCreatedAt({ type, resourceId: requiredText(f, 'resource_id', where), enc }, f, where);
    case 'azure_kv':
      return withCreatedAt(
        {
          type,
          vaultUrl: requiredText(f, 'vault_url', where),
          name: requiredText(f, 'name', where),
          version: optionalText(f, 'version', where) ?? '',
          enc,
        },
        f,
        where,
      );
    case 'hc_vault':
      return withCreatedAt(
        {
          type,
          vaultAddress: requiredText(f, 'vault_address', where),
          enginePath: requiredText(f, 'engine_path', where),
          keyName: requiredText(f, 'key_name', where),
          enc,
        },
        f,
        where,
      );
    case 'hckms':
      return withCreatedAt({ type, keyId: requiredText(f, 'key_id', where), enc }, f, where);
  }
}

function parseGroup(fields: Map<string, TreeValue>, where: string): MasterKey[] {
  const group: MasterKey[] = [];
  for (const type of STANZA_ORDER) {
    listOf(fields.get(type), `${where}.${type}`).forEach((stanza, i) => {
      group.push(parseStanza(type, stanza, `${where}.${type}[${i}]`));
    });
  }
  return group;
}

function parseBool(value: TreeValue | undefined, field: string): boolean {
  if (value === undefined || value.kind === 'null') return false;
  if (value.kind === 'bool') return value.value;
  const text = scalarText(value, field);
  // strconv.ParseBool, which mapstructure's weak typing uses for strings.
  if (text === undefined || text === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw badMetadata(`${field} should be true or false`);
}

/** blang/semver's `Parse`, for one dot-separated part: a number without leading zeros that fits uint64. */
function isSemverNumber(part: string): boolean {
  return /^(0|[1-9]\d*)$/.test(part) && BigInt(part) <= 0xffff_ffff_ffff_ffffn;
}

/**
 * Whether the sops CLI accepts `version` (`version.AIsNewerThanB`, run on every decrypt by
 * `LoadEncryptedFileWithBugFixes`): `1.x` as it is, anything else a semantic version after
 * an optional `v`. sops fails with "Version string empty" when it is missing.
 */
export function isSopsVersion(version: string): boolean {
  if (version.startsWith('1.')) return true;
  const v = version.startsWith('v') ? version.slice(1) : version;
  const parts = v.split('.');
  if (parts.length < 3) return false;
  const [major = '', minor = ''] = parts;
  let rest = parts.slice(2).join('.');
  let build: string[] = [];
  const plus = rest.indexOf('+');
  if (plus !== -1) {
    build = rest.slice(plus + 1).split('.');
    rest = rest.slice(0, plus);
  }
  let pre: string[] = [];
  const dash = rest.indexOf('-');
  if (dash !== -1) {
    pre = rest.slice(dash + 1).split('.');
    rest = rest.slice(0, dash);
  }
  const alphanum = /^[0-9A-Za-z-]+$/;
  return (
    [major, minor, rest].every(isSemverNumber) &&
    pre.every((p) => (/^\d+$/.test(p) ? isSemverNumber(p) : alphanum.test(p))) &&
    build.every((b) => alphanum.test(b))
  );
}

/**
 * Validates the raw `sops` block of any store into `Metadata`, leniently as sops's
 * mapstructure decoding does (old files write empty key lists as `[]` or null, dotenv and
 * INI give every value as a string).
 */
export function parseMetadata(raw: TreeMap): Metadata {
  const fields = entries(raw);
  const flat = parseGroup(fields, 'sops');
  let keyGroups: MasterKey[][];
  if (flat.length > 0) {
    keyGroups = [flat];
  } else {
    keyGroups = listOf(fields.get('key_groups'), 'sops.key_groups').map((group, i) =>
      parseGroup(stanzaFields(group, `sops.key_groups[${i}]`), `sops.key_groups[${i}]`),
    );
  }
  if (keyGroups.length === 0 || keyGroups.every((group) => group.length === 0)) {
    throw badMetadata('the file lists no master keys, so its data key cannot be recovered');
  }

  const thresholdText = scalarText(fields.get('shamir_threshold'), 'sops.shamir_threshold');
  let shamirThreshold = keyGroups.length;
  if (thresholdText !== undefined && thresholdText !== '' && thresholdText !== '0') {
    if (!/^\d+$/.test(thresholdText)) throw badMetadata('shamir_threshold should be a whole number');
    shamirThreshold = Number(thresholdText);
  }

  const selected = SELECTION_KINDS.flatMap((kind) => {
    const value = optionalText(fields, kind, 'sops');
    return value === undefined ? [] : [{ kind, value }];
  });
  if (selected.length > 1) {
    throw badMetadata(`cannot use more than one of ${selected.map((s) => s.kind).join(', ')}`);
  }

  // sops's regexp.Match ignores a compile error (the regex then matches nothing); a file whose
  // regex Go cannot compile is refused here instead, naming the pattern.
  const selection = selected[0] ?? DEFAULT_SELECTION;
  if (selection.kind.endsWith('_regex')) {
    compileGoRegexp(selection.value, `sops metadata: ${selection.kind}`, 'BAD_METADATA');
  }

  const lastModified = scalarText(fields.get('lastmodified'), 'sops.lastmodified');
  if (lastModified === undefined || lastModified === '') throw badMetadata('lastmodified is missing');

  const version = scalarText(fields.get('version'), 'sops.version') ?? '';
  // sops refuses the file before it looks for a key, so a file it cannot read never decrypts here.
  if (version === '') throw badMetadata('version is missing');
  if (!isSopsVersion(version)) {
    throw badMetadata(
      `version ${JSON.stringify(version.slice(0, 40))} is not a version sops accepts (major.minor.patch)`,
    );
  }

  return {
    keyGroups,
    shamirThreshold,
    lastModified,
    mac: scalarText(fields.get('mac'), 'sops.mac') ?? '',
    selection,
    macOnlyEncrypted: parseBool(fields.get('mac_only_encrypted'), 'sops.mac_only_encrypted'),
    version,
  };
}
