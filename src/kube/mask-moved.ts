/**
 * Decrypted values that left their Secret. kustomize `replacements`, Flux post-build
 * substitution and Helm values copy a value into a ConfigMap, an env var, an annotation or
 * the middle of a URL, where mask.ts (which knows only a Secret's data) does not look. Every
 * string in both sides of a diff is checked against the run's registry of decrypted values
 * (in all its forms) before it is rendered:
 *
 * - a value the same on both sides is masked alike, so the line shows no change;
 * - a changed value keeps what is not secret (`url: postgres://app:***@db/app`), and the
 *   before side is masked where it differs, since an older live value is likely the older
 *   secret, which this run never decrypted and so cannot recognise;
 * - when masking would hide that a value changed, Flux's tokens say so:
 *   `*** (before)` / `*** (after)`.
 */
import { MASK_TOKEN, type SecretText } from '../masking.ts';
import { isRecord } from '../is-record.ts';
import type { KubeObject } from './client.ts';

const BEFORE = `${MASK_TOKEN} (before)`;
const AFTER = `${MASK_TOKEN} (after)`;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/**
 * `other` masked where it differs from `mine`, keeping only the prefix and suffix the two
 * share outside every secret of `mine` (`maskedMine` is `mine` redacted with `token`).
 */
function maskWhereDifferent(other: string, mine: string, maskedMine: string, token: string): string {
  const first = maskedMine.indexOf(token);
  const last = maskedMine.lastIndexOf(token);
  const cleanHead = first < 0 ? mine.length : first;
  const cleanTail = last < 0 ? mine.length : maskedMine.length - (last + token.length);
  const head = Math.min(commonPrefix(other, mine), cleanHead);
  const tail = Math.min(commonSuffix(other, mine), cleanTail, other.length - head);
  return `${other.slice(0, head)}${token}${other.slice(other.length - tail)}`;
}

/** One string on each side (either may be absent or not a string). */
function maskPair(a: unknown, b: unknown, secrets: SecretText): [unknown, unknown] {
  const aText = typeof a === 'string' ? a : undefined;
  const bText = typeof b === 'string' ? b : undefined;
  const aSecret = aText !== undefined && secrets.touches(aText);
  const bSecret = bText !== undefined && secrets.touches(bText);
  if (!aSecret && !bSecret) return [a, b];
  if (aText === bText) return [secrets.redact(aText ?? ''), secrets.redact(bText ?? '')];
  const mask = (before: string, after: string): [unknown, unknown] => {
    let maskedA = a;
    let maskedB = b;
    if (aText !== undefined) {
      maskedA = aSecret
        ? secrets.redact(aText, before)
        : maskWhereDifferent(aText, bText ?? '', secrets.redact(bText ?? '', before), before);
    }
    // The after side is this run's build: what it holds that is not registered was never
    // secret, so only its registered values are masked.
    if (bText !== undefined && bSecret) maskedB = secrets.redact(bText, after);
    return [maskedA, maskedB];
  };
  const [maskedA, maskedB] = mask(MASK_TOKEN, MASK_TOKEN);
  // Both sides must still differ where the values do, or the diff would hide the change.
  return maskedA === maskedB && aText !== undefined && bText !== undefined
    ? mask(BEFORE, AFTER)
    : [maskedA, maskedB];
}

function walk(a: unknown, b: unknown, secrets: SecretText): [unknown, unknown] {
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = Array.isArray(a) ? a : undefined;
    const right = Array.isArray(b) ? b : undefined;
    const length = Math.max(left?.length ?? 0, right?.length ?? 0);
    const outA: unknown[] = [];
    const outB: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const [x, y] = walk(left?.[i], right?.[i], secrets);
      if (left !== undefined && i < left.length) outA.push(x);
      if (right !== undefined && i < right.length) outB.push(y);
    }
    return [
      left === undefined ? maskAlone(a, secrets) : outA,
      right === undefined ? maskAlone(b, secrets) : outB,
    ];
  }
  if (isRecord(a) || isRecord(b)) {
    const left = isRecord(a) ? a : undefined;
    const right = isRecord(b) ? b : undefined;
    const pairs = new Map<string, [unknown, unknown]>();
    for (const key of new Set([...Object.keys(left ?? {}), ...Object.keys(right ?? {})])) {
      pairs.set(key, walk(left?.[key], right?.[key], secrets));
    }
    // Each side keeps its own key order: the diff must show what each side holds.
    const outA = Object.fromEntries(Object.keys(left ?? {}).map((key) => [key, pairs.get(key)?.[0]]));
    const outB = Object.fromEntries(Object.keys(right ?? {}).map((key) => [key, pairs.get(key)?.[1]]));
    return [
      left === undefined ? maskAlone(a, secrets) : outA,
      right === undefined ? maskAlone(b, secrets) : outB,
    ];
  }
  return maskPair(a, b, secrets);
}

/** A value with nothing to compare against: every registered form masked. */
function maskAlone(value: unknown, secrets: SecretText): unknown {
  return walk(value, undefined, secrets)[0];
}

/**
 * Both sides of a diff with every decrypted value masked wherever it moved. Returns copies;
 * `undefined` stays `undefined`.
 */
export function maskMovedValues(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  secrets: SecretText,
): { before: KubeObject | undefined; after: KubeObject | undefined } {
  const [a, b] = walk(before, after, secrets);
  return {
    before: before === undefined ? undefined : (a as KubeObject),
    after: after === undefined ? undefined : (b as KubeObject),
  };
}
