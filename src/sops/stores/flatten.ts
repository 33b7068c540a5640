/**
 * The sops metadata block in the flat stores (sops `stores/flatten.go` and
 * `stores.ExtractMetadata`).
 *
 * dotenv and INI cannot nest, so sops flattens its metadata into single keys: a map step is
 * `__map_<key>` and a list step is `__list_<index>`, e.g. `pgp__list_0__map_enc`. dotenv puts
 * these keys at the top level with the prefix `sops_`; INI puts them in a `[sops]` section.
 */
import { Buffer } from 'node:buffer';

import { SopsFormatError } from '../../errors.ts';
import type { Branch, MapItem, RawMetadata, TreeMap, TreeValue } from '../tree.ts';

const MAP_SEPARATOR = '__map_';
const LIST_SEPARATOR = '__list_';

/** The prefix of every metadata key in a dotenv file (sops `stores.SopsPrefix`). */
export const SOPS_PREFIX = 'sops_';

/** The metadata key of the nesting stores, and the INI section name (sops `SopsMetadataKey`). */
export const SOPS_METADATA_KEY = 'sops';

/**
 * Deeper metadata is never written by sops; the cap keeps a hostile key from recursing the
 * stack away.
 */
const MAX_METADATA_DEPTH = 1000;

type PathToken = { readonly map: string } | { readonly index: number };

/** sops `tokenize`: the text before the first separator is a map key too. */
function tokenize(path: string): PathToken[] {
  const tokens: PathToken[] = [];
  let state: 'normal' | 'map' | 'list' = 'normal';
  let lastTokenEnd = 0;
  let i = 0;
  const finishPrevToken = (): void => {
    if (state === 'list') {
      tokens.push({ index: goAtoiOrZero(path.slice(lastTokenEnd + LIST_SEPARATOR.length, i)) });
    } else {
      const skip = state === 'map' ? MAP_SEPARATOR.length : 0;
      tokens.push({ map: path.slice(lastTokenEnd + skip, i) });
    }
    lastTokenEnd = i;
  };
  while (i < path.length) {
    if (path.startsWith(MAP_SEPARATOR, i)) {
      finishPrevToken();
      state = 'map';
      i += MAP_SEPARATOR.length;
    } else if (path.startsWith(LIST_SEPARATOR, i)) {
      finishPrevToken();
      state = 'list';
      i += LIST_SEPARATOR.length;
    } else {
      i++;
    }
  }
  finishPrevToken();
  return tokens;
}

/**
 * sops ignores the error of `strconv.Atoi` here, so a malformed index reads as 0 (and then
 * usually fails as a duplicate or an incomplete list).
 */
function goAtoiOrZero(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) return 0;
  const value = BigInt(text);
  if (value < -(2n ** 63n) || value >= 2n ** 63n) return 0;
  return Number(value);
}

interface Node {
  value?: TreeValue;
  subkeys?: Map<string, Node>;
  indices?: Map<number, Node>;
}

function place(value: TreeValue, path: readonly PathToken[], root: Node, key: string): void {
  let node = root;
  for (const token of path) {
    let next: Node | undefined;
    if ('map' in token) {
      node.subkeys ??= new Map();
      next = node.subkeys.get(token.map);
      if (next === undefined) {
        next = {};
        node.subkeys.set(token.map, next);
      }
    } else {
      node.indices ??= new Map();
      next = node.indices.get(token.index);
      if (next === undefined) {
        next = {};
        node.indices.set(token.index, next);
      }
    }
    node = next;
  }
  if (node.value !== undefined) {
    throw new SopsFormatError(`sops metadata key ${JSON.stringify(key)} appears twice`);
  }
  node.value = value;
}

/** Go's `sort.Strings` order: bytewise on UTF-8, which differs from UTF-16 order past U+FFFF. */
function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function convert(node: Node): TreeValue {
  const hasValue = node.value !== undefined;
  const hasSubkeys = (node.subkeys?.size ?? 0) > 0;
  const hasIndices = (node.indices?.size ?? 0) > 0;
  if (Number(hasValue) + Number(hasSubkeys) + Number(hasIndices) > 1) {
    throw new SopsFormatError('sops metadata mixes a value, a map and a list under one key');
  }
  if (node.value !== undefined) return node.value;
  if (node.subkeys !== undefined && hasSubkeys) {
    // sops rebuilds maps from a Go map, so keys come out sorted, not in file order.
    const keys = [...node.subkeys.keys()].sort(compareGoStrings);
    return {
      kind: 'map',
      items: keys.map((key) => ({ key, value: convert(node.subkeys?.get(key) ?? {}) })),
    };
  }
  if (node.indices !== undefined && hasIndices) {
    const size = node.indices.size;
    const items: TreeValue[] = [];
    for (let index = 0; index < size; index++) {
      const child = node.indices.get(index);
      if (child === undefined) {
        throw new SopsFormatError('sops metadata has a list with missing indices');
      }
      items.push(convert(child));
    }
    return { kind: 'list', items };
  }
  return { kind: 'map', items: [] };
}

/**
 * sops `unflattenTreeBranch`: rebuilds the nested metadata from flattened keys (already
 * stripped of any `sops_` prefix). Comments are skipped; values are kept as they are (strings
 * in dotenv and INI; weak typing is applied later). Map keys come out sorted, as in sops.
 * Throws `SopsFormatError` on duplicates, gaps in list indices, or a key used both as a value
 * and as a parent.
 */
export function unflattenMetadata(items: readonly MapItem[]): RawMetadata {
  const root: Node = {};
  for (const item of items) {
    if (!('key' in item)) continue;
    const tokens = tokenize(item.key);
    if (tokens.length > MAX_METADATA_DEPTH) {
      throw new SopsFormatError(`sops metadata nests deeper than ${String(MAX_METADATA_DEPTH)} levels`);
    }
    place(item.value, tokens, root, item.key);
  }
  const result = convert(root);
  if (result.kind !== 'map') throw new SopsFormatError('sops metadata is not a map');
  return result;
}

function flattenValue(value: TreeValue, key: string, out: MapItem[], seen: Set<string>): void {
  if (value.kind === 'map') {
    flattenMap(value, key + MAP_SEPARATOR, out, seen);
    return;
  }
  if (value.kind === 'list') {
    let index = 0;
    for (const element of value.items) {
      if (element.kind === 'comment') continue;
      flattenValue(element, `${key}${LIST_SEPARATOR}${String(index)}`, out, seen);
      index++;
    }
    return;
  }
  if (seen.has(key)) {
    throw new SopsFormatError(`flattening sops metadata gives the key ${JSON.stringify(key)} twice`);
  }
  seen.add(key);
  out.push({ key, value });
}

function flattenMap(map: TreeMap, prefix: string, out: MapItem[], seen: Set<string>): void {
  for (const item of map.items) {
    if (!('key' in item)) continue;
    flattenValue(item.value, prefix + item.key, out, seen);
  }
}

/**
 * sops `flattenTreeBranch`: the inverse of `unflattenMetadata`, with `prefix` (`sops_` for
 * dotenv, empty for INI) on every key. Empty maps and lists disappear, as in sops.
 */
export function flattenMetadata(metadata: RawMetadata, prefix: string): MapItem[] {
  const out: MapItem[] = [];
  flattenMap(metadata, prefix, out, new Set());
  return out;
}

/** The result of taking the metadata out of loaded branches. */
export interface ExtractedMetadata {
  readonly branches: Branch[];
  /** The raw metadata tree, or null when there is none (sops: "metadata not found"). */
  readonly metadata: RawMetadata | null;
}

/**
 * sops `ExtractMetadata` for the nesting layouts (JSON, binary, and INI's `[sops]` section):
 * removes every top-level `sops` entry from every branch and returns the first branch's one.
 * A second `sops` entry in the first branch, or one that is not a map, is an error. An empty
 * `sops` map counts as no metadata, as it does in sops (Go decodes `{}` to a nil branch).
 */
export function extractNestedMetadata(branches: readonly Branch[]): ExtractedMetadata {
  let metadata: RawMetadata | null = null;
  let found = false;
  const remaining = branches.map((branch, branchIndex) => {
    const items: MapItem[] = [];
    for (const item of branch.items) {
      if (!('key' in item) || item.key !== SOPS_METADATA_KEY) {
        items.push(item);
        continue;
      }
      if (branchIndex !== 0) continue;
      if (found) throw new SopsFormatError(`found a second "${SOPS_METADATA_KEY}" metadata entry`);
      found = true;
      if (item.value.kind !== 'map') {
        throw new SopsFormatError(`the "${SOPS_METADATA_KEY}" metadata entry is not a map`);
      }
      metadata = item.value.items.length > 0 ? item.value : null;
    }
    return { kind: 'map' as const, items };
  });
  return { branches: remaining, metadata };
}

/**
 * sops `ExtractMetadata` with `MetadataFlattenFull` (dotenv): takes every top-level key of the
 * first branch that starts with `sops_`, strips the prefix, and unflattens them.
 */
export function extractPrefixedMetadata(branches: readonly Branch[]): ExtractedMetadata {
  const [first, ...rest] = branches;
  if (first === undefined) return { branches: [], metadata: null };
  const kept: MapItem[] = [];
  const flat: MapItem[] = [];
  for (const item of first.items) {
    if ('key' in item && item.key.startsWith(SOPS_PREFIX)) {
      flat.push({ key: item.key.slice(SOPS_PREFIX.length), value: item.value });
    } else {
      kept.push(item);
    }
  }
  return {
    branches: [{ kind: 'map', items: kept }, ...rest],
    metadata: flat.length === 0 ? null : unflattenMetadata(flat),
  };
}
