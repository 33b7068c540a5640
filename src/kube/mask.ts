/**
 * Secret masking for diffs, with Flux's tokens: a value that is the same on both sides
 * becomes `***`, a changed one `*** (before)` / `*** (after)`, an added or removed key `***`.
 * Values are compared decrypted (base64 `data` decoded, `stringData` as UTF-8), so a changed
 * Secret shows as changed while neither its value nor its base64 ever appears.
 *
 * A value that `diff` could not decrypt in this run (a placeholder, see
 * sops/undecrypted.ts) shows as `(encrypted; not decrypted in this run)` and compares
 * as unknown: it is never reported as a change by itself.
 */
import { isUndecryptedBytes, isUndecryptedString, UNDECRYPTED_TEXT } from '../sops/undecrypted.ts';
import type { KubeObject } from './client.ts';
import { isRecord } from '../is-record.ts';

export const MASK = '***';
export const MASK_BEFORE = '*** (before)';
export const MASK_AFTER = '*** (after)';
/** A value this run could not decrypt. */
export const MASK_UNDECRYPTED = UNDECRYPTED_TEXT;

/** kubectl's client-side apply copies the whole object, values included, into this annotation. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The decoded value of every key in data and stringData (stringData wins, as on the server). */
export function secretValues(secret: KubeObject): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  const data = secret['data'];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      values.set(key, typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0));
    }
  }
  const stringData = secret['stringData'];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      values.set(key, Buffer.from(typeof value === 'string' ? value : '', 'utf8'));
    }
  }
  return values;
}

function replaceValues(secret: KubeObject, token: (key: string) => string): void {
  for (const field of ['data', 'stringData'] as const) {
    const map = secret[field];
    if (!isRecord(map)) continue;
    for (const key of Object.keys(map)) map[key] = token(key);
  }
  const metadata = secret['metadata'];
  if (isRecord(metadata) && isRecord(metadata['annotations']) && LAST_APPLIED in metadata['annotations']) {
    metadata['annotations'][LAST_APPLIED] = MASK;
  }
}

function isSecret(object: KubeObject | undefined): object is KubeObject {
  return (
    object !== undefined &&
    object['kind'] === 'Secret' &&
    (object['apiVersion'] === 'v1' || object['apiVersion'] === undefined)
  );
}

/**
 * Masks a pair of the same Secret (either side may be absent). Returns copies; objects that
 * are not Secrets are returned as they are.
 */
export function maskSecretPair(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): { before: KubeObject | undefined; after: KubeObject | undefined } {
  if (!isSecret(before) && !isSecret(after)) return { before, after };
  const oldCopy = before === undefined ? undefined : structuredClone(before);
  const newCopy = after === undefined ? undefined : structuredClone(after);
  const oldValues = oldCopy === undefined ? new Map<string, Buffer>() : secretValues(oldCopy);
  const newValues = newCopy === undefined ? new Map<string, Buffer>() : secretValues(newCopy);
  const token = (key: string, side: 'before' | 'after'): string => {
    const oldValue = oldValues.get(key);
    const newValue = newValues.get(key);
    const mine = side === 'before' ? oldValue : newValue;
    if (mine !== undefined && isUndecryptedBytes(mine)) return MASK_UNDECRYPTED;
    if (oldValue === undefined || newValue === undefined || oldValue.equals(newValue)) return MASK;
    // The other side is unknown: whether this value changes cannot be told.
    if (isUndecryptedBytes(oldValue) || isUndecryptedBytes(newValue)) return MASK;
    return side === 'before' ? MASK_BEFORE : MASK_AFTER;
  };
  if (oldCopy !== undefined) replaceValues(oldCopy, (key) => token(key, 'before'));
  if (newCopy !== undefined) replaceValues(newCopy, (key) => token(key, 'after'));
  return { before: oldCopy, after: newCopy };
}

/** Masks one Secret on its own (e.g. a created or deleted one). */
export function maskSecret(object: KubeObject): KubeObject {
  return maskSecretPair(object, undefined).before ?? object;
}

/** Whether any value of an object is a placeholder for something this run could not decrypt. */
export function hasUndecryptedValues(object: KubeObject | undefined): boolean {
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') return isUndecryptedString(value);
    if (Array.isArray(value)) return value.some(visit);
    if (isRecord(value)) return Object.values(value).some(visit);
    return false;
  };
  return object !== undefined && visit(object);
}

/** A Secret with `stringData` folded into `data` as base64, as the apiserver stores it. */
function storedForm(object: KubeObject): KubeObject {
  if (!isSecret(object) || !isRecord(object['stringData'])) return object;
  const data: Record<string, unknown> = isRecord(object['data']) ? { ...object['data'] } : {};
  for (const [key, value] of Object.entries(object['stringData'])) {
    data[key] = Buffer.from(typeof value === 'string' ? value : '', 'utf8').toString('base64');
  }
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'stringData'));
  return { ...rest, data };
}

function equalExceptUndecrypted(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && isUndecryptedString(a)) return b !== undefined;
  if (typeof b === 'string' && isUndecryptedString(b)) return a !== undefined;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) && a.length === b.length && a.every((item, i) => equalExceptUndecrypted(item, b[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && equalExceptUndecrypted(a[key], b[key]));
  }
  return false;
}

/**
 * Structural equality where a value this run could not decrypt equals whatever the other
 * side holds at the same place (unknown, so not a change). Added or removed keys, and every
 * other difference, still count. Both sides should already be in normal form.
 */
export function sameExceptUndecrypted(a: KubeObject, b: KubeObject): boolean {
  return equalExceptUndecrypted(storedForm(a), storedForm(b));
}
