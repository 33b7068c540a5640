/**
 * Proving, without asking the apiserver, that a server-side apply would change nothing.
 * A dry run per object is what makes a no-change re-apply slow; for an object we applied
 * before, the live object and our own managedFields entry hold everything the merge would
 * look at:
 *
 * - every field our body sets already has that value live, and we own it (so the live
 *   value is what our last apply left, plus server defaults where the schema merges);
 * - our entry owns nothing our body no longer sets (apply would remove such a field).
 *
 * The fieldsV1 format: `f:<name>` a map field, `k:<json>` an associative-list item by its
 * key fields, `v:<json>` a set item, `i:<n>` a list index, `.` the item itself; an empty
 * object is a leaf, which for a map or list means it is atomic. Anything else, or any doubt,
 * answers false and the caller falls back to the dry run.
 */
import type { KubeObject } from './client.ts';
import { deepEqual, metadataOf } from './normalize.ts';
import { isRecord } from '../is-record.ts';

/** One entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  apiVersion?: string;
  time?: string;
}

type FieldSet = Record<string, unknown>;

/** The managedFields entries of an object ([] when none). */
export function managedFieldsOf(object: KubeObject): ManagedFieldsEntry[] {
  const entries = metadataOf(object)['managedFields'];
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Whether a list item carries every key field of a `k:` entry with the same value. */
function matchesKey(item: unknown, key: unknown): boolean {
  if (!isRecord(item) || !isRecord(key)) return false;
  return Object.entries(key).every(([field, value]) => deepEqual(item[field], value));
}

/** Index of the live item that a `k:` member names, or -1. */
function liveIndexOf(member: string, live: readonly unknown[]): number {
  const parsed = parseJson(member.slice(2));
  if (!parsed.ok || !isRecord(parsed.value) || Object.keys(parsed.value).length === 0) return -1;
  const key = parsed.value;
  const found = live.flatMap((item, i) => (matchesKey(item, key) ? [i] : []));
  // Two live items with one key is not something apply produces; do not guess.
  return found.length === 1 ? (found[0] ?? -1) : -1;
}

function isLeaf(set: FieldSet): boolean {
  return Object.keys(set).length === 0;
}

/**
 * (a) Every value our body sets equals the live value and is a field we own. Maps merge
 * per key, so live keys beyond ours (defaults, other managers' fields) are fine; an atomic
 * map or list (a leaf in our field set) must equal the live value exactly; associative
 * lists must have the same items in the same order, each a subset of its live item.
 */
function bodyMatchesLive(body: unknown, live: unknown, owned: FieldSet): boolean {
  if (isRecord(body)) {
    if (!isRecord(live)) return false;
    if (isLeaf(owned)) return deepEqual(body, live);
    for (const [key, value] of Object.entries(body)) {
      const child = owned[`f:${key}`];
      if (!isRecord(child) || !bodyMatchesLive(value, live[key], child)) return false;
    }
    return true;
  }
  if (Array.isArray(body)) {
    if (!Array.isArray(live) || live.length !== body.length) return false;
    const members = Object.keys(owned);
    if (members.length === 0) return deepEqual(body, live);
    const kinds = new Set(members.map((m) => m.slice(0, 2)));
    if (kinds.size !== 1) return false;
    const kind = [...kinds][0];
    if (kind === 'k:') {
      const byLiveIndex = new Map<number, FieldSet>();
      for (const member of members) {
        const index = liveIndexOf(member, live);
        const child = owned[member];
        if (index < 0 || !isRecord(child) || byLiveIndex.has(index)) return false;
        byLiveIndex.set(index, child);
      }
      return body.every((item, i) => {
        const child = byLiveIndex.get(i);
        return child !== undefined && isRecord(item) && bodyMatchesLive(item, live[i], child);
      });
    }
    if (kind === 'v:') {
      const values = members.map((m) => parseJson(m.slice(2)));
      return body.every(
        (item, i) =>
          (item === null || typeof item !== 'object') &&
          deepEqual(item, live[i]) &&
          values.some((v) => v.ok && deepEqual(v.value, item)),
      );
    }
    if (kind === 'i:') {
      return body.every((item, i) => {
        const child = owned[`i:${i}`];
        return isRecord(child) && bodyMatchesLive(item, live[i], child);
      });
    }
    return false;
  }
  // A null asks apply to drop a field; whether it is there is the dry run's business.
  if (body === null || body === undefined) return false;
  return body === live;
}

/**
 * (b) Everything our field set owns is still set by the body: apply removes an owned field
 * that the body dropped.
 */
function ownedStillSet(owned: FieldSet, body: unknown, live: unknown): boolean {
  for (const [member, child] of Object.entries(owned)) {
    if (!isRecord(child)) return false;
    if (member === '.') continue;
    const prefix = member.slice(0, 2);
    const rest = member.slice(2);
    let nextBody: unknown;
    let nextLive: unknown;
    if (prefix === 'f:') {
      if (!isRecord(body) || !Object.hasOwn(body, rest)) return false;
      nextBody = body[rest];
      nextLive = isRecord(live) ? live[rest] : undefined;
    } else if (prefix === 'k:') {
      if (!Array.isArray(body) || !Array.isArray(live)) return false;
      const index = liveIndexOf(member, live);
      if (index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = live[index];
      // The body item in that place must carry the same key (values are checked in (a)).
      const key = parseJson(rest);
      if (!key.ok || !isRecord(key.value) || !isRecord(nextBody)) return false;
      for (const [field, value] of Object.entries(key.value)) {
        if (Object.hasOwn(nextBody, field) && !deepEqual(nextBody[field], value)) return false;
      }
    } else if (prefix === 'v:') {
      const value = parseJson(rest);
      if (!value.ok || !Array.isArray(body) || !body.some((item) => deepEqual(item, value.value)))
        return false;
      continue;
    } else if (prefix === 'i:') {
      const index = Number(rest);
      if (!Array.isArray(body) || !Number.isInteger(index) || index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = Array.isArray(live) ? live[index] : undefined;
    } else {
      return false;
    }
    if (!isLeaf(child) && !ownedStillSet(child, nextBody, nextLive)) return false;
  }
  return true;
}

/** Our Apply entry for the main resource, or undefined when there is none or more than one. */
export function applyEntryOf(live: KubeObject, fieldManager: string): ManagedFieldsEntry | undefined {
  const ours = managedFieldsOf(live).filter(
    (e) => e.manager === fieldManager && e.operation === 'Apply' && (e.subresource ?? '') === '',
  );
  return ours.length === 1 ? ours[0] : undefined;
}

/** The body without what apply ignores and the field set never records. */
function comparableBody(body: KubeObject): KubeObject {
  const metadata = metadataOf(body);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    // Identity is not a managed field; apply ignores a null creationTimestamp (kustomize emits one).
    if (key === 'name' || key === 'namespace') continue;
    if (key === 'creationTimestamp' && value === null) continue;
    rest[key] = value;
  }
  const out: KubeObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      // With only identity in it, nothing of metadata is applied (nor owned).
      if (Object.keys(rest).length > 0) out[key] = rest;
    } else out[key] = value;
  }
  return out;
}

/**
 * Whether server-side applying `body` with `fieldManager` provably leaves `live` as it is
 * (managedFields aside). False whenever that cannot be shown from the live object alone:
 * the caller then dry-runs. The caller handles client-side-apply takeover and the ssa and
 * reconcile annotations before asking.
 */
export function provablyUnchanged(body: KubeObject, live: KubeObject, fieldManager: string): boolean {
  if (body['apiVersion'] !== live['apiVersion'] || body['kind'] !== live['kind']) return false;
  const bodyMeta = metadataOf(body);
  const liveMeta = metadataOf(live);
  if (bodyMeta['name'] !== liveMeta['name']) return false;
  if (bodyMeta['namespace'] !== undefined && bodyMeta['namespace'] !== liveMeta['namespace']) return false;
  // A deleting object is recreated by apply once it is gone; let the dry run see it.
  if (liveMeta['deletionTimestamp'] !== undefined) return false;
  const entry = applyEntryOf(live, fieldManager);
  if (entry === undefined || entry.apiVersion !== body['apiVersion']) return false;
  if (entry.fieldsType !== 'FieldsV1' || !isRecord(entry.fieldsV1)) return false;
  const comparable = comparableBody(body);
  return bodyMatchesLive(comparable, live, entry.fieldsV1) && ownedStillSet(entry.fieldsV1, comparable, live);
}
