/**
 * go-yaml v3's scalar typing (`resolve.go`, `decode.go`), which sops inherits.
 *
 * The MAC hashes plaintext leaves by their Go type, so typing must match go-yaml exactly:
 * YAML 1.2-ish booleans (no yes/no), legacy octal `0777`, `_` in numbers, unquoted
 * timestamps, and the odd corners of Go's `strconv` that go-yaml leans on.
 */
import { SopsFormatError } from '../../errors.ts';
import type { TreeValue } from '../tree.ts';

/** The short tag go-yaml's `resolve("", s)` gives a plain scalar. */
export type ResolvedTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge';

/** A resolved value, or `uint` for integers in (int64, uint64] that sops cannot walk. */
type Resolved =
  | { readonly tag: 'str'; readonly value: string }
  | { readonly tag: 'int'; readonly value: bigint }
  | { readonly tag: 'uint'; readonly value: bigint }
  | { readonly tag: 'float'; readonly value: number }
  | { readonly tag: 'bool'; readonly value: boolean }
  | { readonly tag: 'null' }
  | { readonly tag: 'timestamp'; readonly value: string }
  | { readonly tag: 'merge'; readonly value: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const MAP: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
  ...['true', 'True', 'TRUE'].map((s): [string, Resolved] => [s, { tag: 'bool', value: true }]),
  ...['false', 'False', 'FALSE'].map((s): [string, Resolved] => [s, { tag: 'bool', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, Resolved] => [s, { tag: 'null' }]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, Resolved] => [s, { tag: 'float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, Resolved] => [
    s,
    { tag: 'float', value: Infinity },
  ]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, Resolved] => [s, { tag: 'float', value: -Infinity }]),
  ['<<', { tag: 'merge', value: '<<' }],
]);

/** go-yaml's `resolveTable`: the first byte decides which parsers are tried at all. */
function hintOf(s: string): 'S' | 'D' | 'M' | '.' | null {
  if (s === '') return 'M'; // go-yaml uses 'N' for empty input: only the map lookup applies.
  const c = s[0];
  if (c === '+' || c === '-') return 'S';
  if (c !== undefined && c >= '0' && c <= '9') return 'D';
  if (c !== undefined && 'yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return null;
}

const DIGITS: Readonly<Record<number, RegExp>> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

/** Go `strconv.ParseInt`/`ParseUint` digits-and-sign parsing; null when not a number. */
function parseGoInteger(s: string, base: 0 | 2 | 8): { value: bigint; signed: boolean } | null {
  let rest = s;
  let neg = false;
  let signed = false;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    neg = rest.startsWith('-');
    signed = true;
    rest = rest.slice(1);
  }
  let radix: number = base;
  if (base === 0) {
    radix = 10;
    if (rest.length >= 2 && rest[0] === '0') {
      const p = rest[1]?.toLowerCase();
      if (p === 'x') [radix, rest] = [16, rest.slice(2)];
      else if (p === 'o') [radix, rest] = [8, rest.slice(2)];
      else if (p === 'b') [radix, rest] = [2, rest.slice(2)];
      else [radix, rest] = [8, rest.slice(1)];
    }
  }
  const digits = DIGITS[radix];
  if (digits === undefined || !digits.test(rest)) return null;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const magnitude = BigInt(prefix + rest);
  return { value: neg ? -magnitude : magnitude, signed };
}

/** `ParseInt(s, base, 64)` then `ParseUint(s, base, 64)`, as go-yaml tries them. */
function parseIntOrUint(s: string, base: 0 | 2 | 8): Resolved | null {
  const parsed = parseGoInteger(s, base);
  if (parsed === null) return null;
  if (parsed.value >= INT64_MIN && parsed.value <= INT64_MAX) return { tag: 'int', value: parsed.value };
  // ParseUint rejects any sign.
  if (!parsed.signed && parsed.value <= UINT64_MAX) return { tag: 'uint', value: parsed.value };
  return null;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** Go `ParseFloat` on an already-validated decimal: overflow is an error (±Inf). */
function parseFiniteFloat(s: string): number | null {
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

function resolveUntagged(s: string, tryTimestamp: boolean): Resolved {
  const hint = hintOf(s);
  if (hint === null) return { tag: 'str', value: s };
  const fromMap = MAP.get(s);
  if (fromMap !== undefined) return fromMap;
  if (hint === '.') {
    // Go's ParseFloat would also take hex floats and "inf", but none of those start with '.'.
    if (DOT_FLOAT.test(s)) {
      const value = parseFiniteFloat(s);
      if (value !== null) return { tag: 'float', value };
    }
    return { tag: 'str', value: s };
  }
  if (hint === 'D' || hint === 'S') {
    if (tryTimestamp) {
      const time = parseYamlTimestamp(s);
      if (time !== null) return { tag: 'timestamp', value: time };
    }
    const plain = s.replaceAll('_', '');
    const asInt = parseIntOrUint(plain, 0);
    if (asInt !== null) return asInt;
    if (YAML_STYLE_FLOAT.test(plain)) {
      const value = parseFiniteFloat(plain);
      if (value !== null) return { tag: 'float', value };
    }
    // go-yaml's fallbacks: the digits after 0b/0o go through ParseInt with an explicit
    // base, which (unlike base 0) accepts a sign after the prefix.
    if (plain.startsWith('0b') || plain.startsWith('0o')) {
      const result = parseIntOrUint(plain.slice(2), plain[1] === 'b' ? 2 : 8);
      if (result !== null) return result;
    } else if (plain.startsWith('-0b') || plain.startsWith('-0o')) {
      const parsed = parseGoInteger(`-${plain.slice(3)}`, plain[2] === 'b' ? 2 : 8);
      if (parsed !== null && parsed.value >= INT64_MIN && parsed.value <= INT64_MAX) {
        return { tag: 'int', value: parsed.value };
      }
    }
  }
  return { tag: 'str', value: s };
}

/**
 * The tag go-yaml's `resolve("", s)` gives `s`; the encoder quotes any string whose plain
 * form would resolve to something other than `str`.
 */
export function resolvedTagOf(s: string): ResolvedTag {
  const r = resolveUntagged(s, true);
  return r.tag === 'uint' ? 'int' : r.tag;
}

function toTreeValue(r: Resolved): TreeValue {
  switch (r.tag) {
    case 'str':
    case 'merge':
      return { kind: 'str', value: r.value };
    case 'int':
      return { kind: 'int', value: r.value };
    case 'uint':
      // sops keeps go-yaml's uint64 and then fails to walk it ("unknown type: uint64").
      throw new SopsFormatError('an integer is larger than the int64 maximum, which sops cannot handle', {
        hint: 'quote the value to keep it as a string',
      });
    case 'float':
      return { kind: 'float', value: r.value };
    case 'bool':
      return { kind: 'bool', value: r.value };
    case 'null':
      return { kind: 'null' };
    case 'timestamp':
      return { kind: 'time', value: r.value };
  }
}

/**
 * Types a plain (unquoted, untagged) YAML scalar exactly as go-yaml v3 decodes it into an
 * `interface{}`: bool, null, int (int64), float64, `time.Time` (given in `MarshalText`
 * form) or string. Integers above int64 throw, as sops does.
 */
export function resolvePlainScalar(text: string): TreeValue {
  return toTreeValue(resolveUntagged(text, true));
}

const RESOLVABLE = new Set(['!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);

/**
 * Types a scalar with an explicit tag (`!!str 1`, `!!float 1`, `!custom x`), following
 * go-yaml's `decoder.scalar`. A value that does not fit its tag makes go-yaml's `Decode`
 * fail; sops ignores that error and keeps a nil, so it becomes null here too.
 */
export function resolveTaggedScalar(tag: string, text: string): TreeValue {
  if (tag === '!!str') return { kind: 'str', value: text };
  if (tag === '!!binary') {
    const compact = text.replace(/[\s]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return { kind: 'null' };
    const bytes = Buffer.from(compact, 'base64');
    try {
      return { kind: 'str', value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { kind: 'bytes', value: new Uint8Array(bytes) };
    }
  }
  if (!RESOLVABLE.has(tag)) return { kind: 'str', value: text };
  const r = resolveUntagged(text, tag === '!!timestamp');
  const want = tag.slice(2);
  if (r.tag === want || (want === 'int' && r.tag === 'uint')) return toTreeValue(r);
  if (want === 'float' && r.tag === 'int') return { kind: 'float', value: Number(r.value) };
  if (want === 'str') return { kind: 'str', value: text };
  return { kind: 'null' };
}

/** A few `time.Parse` elements, enough for go-yaml's four timestamp layouts. */
class TimeCursor {
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  /** Go `getnum(s, false)`: one digit, or two when the second is a digit too. */
  num12(): number | null {
    const a = this.s.charCodeAt(this.pos) - 48;
    if (!(a >= 0 && a <= 9)) return null;
    const b = this.s.charCodeAt(this.pos + 1) - 48;
    if (b >= 0 && b <= 9) {
      this.pos += 2;
      return a * 10 + b;
    }
    this.pos += 1;
    return a;
  }

  fixed(n: number): number | null {
    const part = this.s.slice(this.pos, this.pos + n);
    if (part.length !== n || !/^[0-9]+$/.test(part)) return null;
    this.pos += n;
    return Number(part);
  }

  literal(c: string): boolean {
    if (this.s[this.pos] !== c) return false;
    this.pos += 1;
    return true;
  }

  get rest(): string {
    return this.s.slice(this.pos);
  }
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

type Layout = 'T' | 't' | ' ' | 'date';

function parseWithLayout(s: string, layout: Layout): string | null {
  const c = new TimeCursor(s);
  // "2006" takes exactly four characters, the first a digit.
  const year = c.fixed(4);
  if (year === null || !c.literal('-')) return null;
  const month = c.num12();
  if (month === null || month < 1 || month > 12 || !c.literal('-')) return null;
  const day = c.num12();
  if (day === null) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let frac = '';
  let zone = 'Z';
  if (layout !== 'date') {
    if (!c.literal(layout)) return null;
    const h = c.num12();
    if (h === null || h >= 24 || !c.literal(':')) return null;
    const m = c.num12();
    if (m === null || m >= 60 || !c.literal(':')) return null;
    const sec = c.num12();
    if (sec === null || sec >= 60) return null;
    [hour, minute, second] = [h, m, sec];
    // ".999999999": optional; takes every following digit but keeps nine (parseNanoseconds).
    const rest = c.rest;
    const fracMatch = /^[.,]([0-9]+)/.exec(rest);
    if (fracMatch?.[1] !== undefined) {
      frac = fracMatch[1].slice(0, 9);
      c.pos += fracMatch[0].length;
    }
    if (layout !== ' ') {
      // "Z07:00": a literal Z, or ±hh:mm.
      if (c.literal('Z')) {
        zone = 'Z';
      } else {
        const z = /^([+-])([0-9]{2}):([0-9]{2})/.exec(c.rest);
        if (z === null) return null;
        const [, sign = '+', hh = '00', mm = '00'] = z;
        if (Number(hh) > 24 || Number(mm) > 60) return null;
        c.pos += 6;
        zone = Number(hh) === 0 && Number(mm) === 0 ? 'Z' : `${sign}${hh}:${mm}`;
      }
    }
  }
  if (c.rest !== '') return null;
  if (day < 1 || day > daysIn(month, year)) return null;
  const trimmed = frac.padEnd(9, '0').replace(/0+$/, '');
  const fraction = trimmed === '' ? '' : `.${trimmed}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}${zone}`;
}

/**
 * go-yaml's `parseTimestamp`: a scalar starting `YYYY-` that parses with one of its four
 * layouts, returned in Go `time.MarshalText` form (RFC 3339, nanoseconds trimmed), or null.
 */
export function parseYamlTimestamp(s: string): string | null {
  if (!/^[0-9]{4}-/.test(s)) return null;
  for (const layout of ['T', 't', ' ', 'date'] as const) {
    const parsed = parseWithLayout(s, layout);
    if (parsed !== null) return parsed;
  }
  return null;
}
