/**
 * Go's number and scalar formatting and parsing, as sops uses them.
 *
 * sops turns typed values into bytes for the MAC and the cipher with `strconv`, and
 * writes them into files with `encoding/json`, `fmt` and its own `ValToString`. A MAC is
 * only reproducible if these are matched byte for byte, so each function here names the
 * Go call it mirrors (checked against Go 1.26, the toolchain sops 3.13.3 is built with).
 */
import { UserError } from '../errors.ts';
import type { TreeValue } from './tree.ts';

/** The shortest round-trip decimal digits of a finite, non-zero `|x|` (Go's `decimalSlice`). */
interface Digits {
  /** Significant digits, no leading or trailing zeros. */
  readonly d: string;
  /** Position of the decimal point relative to the start of `d` (value = 0.d × 10^dp). */
  readonly dp: number;
}

/**
 * Shortest digits that round-trip. ECMAScript's `toExponential()` without an argument picks
 * the fewest digits that read back as `x`, breaking ties by closeness exactly as Go's
 * shortest formatting does, so the digit strings agree.
 */
function shortestDigits(x: number): Digits {
  const text = Math.abs(x).toExponential();
  const e = text.indexOf('e');
  const mantissa = text.slice(0, e).replace('.', '');
  return { d: mantissa, dp: Number(text.slice(e + 1)) + 1 };
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Go's `fmtF`: digits laid out with `prec` digits after the point. */
function layoutF(neg: boolean, digs: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (digs.dp > 0) {
    out += digs.d.slice(0, digs.dp);
    if (digs.d.length < digs.dp) out += '0'.repeat(digs.dp - digs.d.length);
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = digs.dp + i;
      out += j >= 0 && j < digs.d.length ? digs.d.charAt(j) : '0';
    }
  }
  return out;
}

/** Go's `fmtE`: one digit, `prec` more after the point, then `e±dd`. */
function layoutE(neg: boolean, digs: Digits, prec: number, expChar: 'e' | 'E'): string {
  let out = neg ? '-' : '';
  out += digs.d.length > 0 ? digs.d.charAt(0) : '0';
  if (prec > 0) {
    out += '.' + digs.d.slice(1, prec + 1);
    if (digs.d.length - 1 < prec) out += '0'.repeat(prec - Math.max(digs.d.length - 1, 0));
  }
  const exp = digs.d.length === 0 ? 0 : digs.dp - 1;
  const magnitude = Math.abs(exp);
  return `${out}${expChar}${exp < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${String(magnitude)}`;
}

function digitsOf(x: number): Digits {
  return x === 0 ? { d: '', dp: 0 } : shortestDigits(x);
}

/**
 * Go `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits, never an exponent
 * (`1e21` is `1000000000000000000000`, `1.0` is `1`), and `+Inf`, `-Inf`, `NaN`, `-0`. This is
 * the text sops encrypts and hashes for a `float` value.
 */
export function formatFloatF(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const digs = digitsOf(x);
  return layoutF(isNegative(x), digs, Math.max(digs.d.length - digs.dp, 0));
}

/** Go `strconv.FormatFloat(x, 'e', -1, 64)`, e.g. `1.5e-07`, `1e+21`, `0e+00`. */
export function formatFloatE(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const digs = digitsOf(x);
  return layoutE(isNegative(x), digs, Math.max(digs.d.length - 1, 0), 'e');
}

/**
 * Go `strconv.FormatFloat(x, 'g' | 'G', -1, 64)`: exponent form when the decimal exponent is
 * below -4 or at least 6 (shortest mode always decides with precision 6). `fmt`'s `%v` of a
 * float64 is the `'g'` form.
 */
export function formatFloatG(x: number, expChar: 'e' | 'E' = 'e'): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const neg = isNegative(x);
  const digs = digitsOf(x);
  const exp = digs.dp - 1;
  if (x !== 0 && (exp < -4 || exp >= 6)) return layoutE(neg, digs, digs.d.length - 1, expChar);
  return layoutF(neg, digs, Math.max(digs.d.length - digs.dp, 0));
}

/**
 * Go `encoding/json`'s float64 encoding: `'f'` form, except `'e'` form for magnitudes below
 * 1e-6 or from 1e21 up, with a one-digit negative exponent shortened (`1e-07` is `1e-7`).
 * Go refuses NaN and infinities (`json: unsupported value`), and so does this.
 */
export function formatFloatJson(x: number): string {
  if (!Number.isFinite(x)) {
    throw new UserError('UNSUPPORTED', `cannot write ${formatFloatF(x)} as a JSON number`, {
      hint: 'JSON has no NaN or infinity; choose another output type',
    });
  }
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const out = formatFloatE(x);
    const n = out.length;
    if (n >= 4 && out[n - 4] === 'e' && out[n - 3] === '-' && out[n - 2] === '0') {
      return out.slice(0, n - 2) + out.slice(n - 1);
    }
    return out;
  }
  return formatFloatF(x);
}

/** Go `strconv.Itoa` / `FormatInt(x, 10)`. */
export function formatIntGo(x: bigint): string {
  return x.toString();
}

/** Go `strconv.FormatBool`: `true` / `false` (sops's own MAC bytes use `True`/`False`). */
export function formatBoolGo(x: boolean): string {
  return x ? 'true' : 'false';
}

/**
 * sops `stores.ValToString` for floats: `%G` shortest, and `.0` appended (via `'f'` with one
 * decimal) when the result has neither a point nor an exponent, so `100` is `100.0`, `1e6` is
 * `1E+06`, `NaN` stays `NaN`, `-0` is `-0.0`.
 */
export function formatFloatValToString(x: number): string {
  const result = formatFloatG(x, 'E');
  if (result.includes('.') || result.includes('E')) return result;
  const special = nonFinite(x);
  if (special !== undefined) return special;
  // |x| < 1e6 and integral here, so toFixed is exact; it loses the sign of -0.
  return (Object.is(x, -0) ? '-' : '') + x.toFixed(1);
}

/** Go `time.Time.Format(time.RFC3339)` of a value held in `MarshalText` form: seconds only. */
function timeToRfc3339(marshalText: string): string {
  return marshalText.replace(/(T\d\d:\d\d:\d\d)\.\d+/, '$1');
}

/**
 * Go `time.Time.String()` of a value held in `MarshalText` form, e.g.
 * `2024-01-02 03:04:05.5 +0000 UTC`. Parsed offsets have no zone name, so Go repeats the offset.
 */
function timeToGoString(marshalText: string): string {
  const match = /^(.*)T([^Z+-]*)(Z|[+-]\d\d:\d\d)$/.exec(marshalText);
  if (match === null) return marshalText;
  const [, date = '', clock = '', zone = ''] = match;
  if (zone === 'Z') return `${date} ${clock} +0000 UTC`;
  const offset = zone.replace(':', '');
  return `${date} ${clock} ${offset} ${offset}`;
}

/** Go `fmt` `%v` of a sops tree value, as `ValToString` falls back to for lists and maps. */
function formatGoV(value: TreeValue | null): string {
  if (value === null) return '<nil>';
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'int':
      return formatIntGo(value.value);
    case 'float':
      return formatFloatG(value.value);
    case 'bool':
      return formatBoolGo(value.value);
    case 'null':
      return '<nil>';
    case 'time':
      return timeToGoString(value.value);
    case 'bytes':
      // A decrypted str that is not UTF-8; Go prints its raw bytes, a JS string can only
      // approximate them.
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(value.value);
    case 'comment':
      return `{${value.text} false}`;
    case 'list':
      return `[${value.items.map(formatGoV).join(' ')}]`;
    case 'map':
      return `[${value.items
        .map((item) =>
          'key' in item ? `{${item.key} ${formatGoV(item.value)}}` : `{{${item.text} false} <nil>}`,
        )
        .join(' ')}]`;
  }
}

/**
 * sops `stores.ValToString`: how the dotenv and INI stores write a non-string value
 * (`true`, `42`, `1.5`, `100.0`, RFC 3339 time, `<nil>`; lists and maps in Go's `%v` form).
 */
export function valToString(value: TreeValue): string {
  switch (value.kind) {
    case 'float':
      return formatFloatValToString(value.value);
    case 'bool':
      return formatBoolGo(value.value);
    case 'time':
      return timeToRfc3339(value.value);
    default:
      return formatGoV(value);
  }
}

function syntaxError(what: string): UserError {
  return new UserError('BAD_ENC_VALUE', `decrypted value is not a valid ${what}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Go `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits only (no
 * underscores, no spaces, no base prefix), within int64. Throws `UserError` otherwise; the
 * message never contains the text.
 */
export function parseGoInt(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw syntaxError('integer');
  const value = BigInt(s);
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new UserError('BAD_ENC_VALUE', 'decrypted integer is out of the int64 range');
  }
  return value;
}

/** Go `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      throw syntaxError('boolean');
  }
}

/** Go `strconv.underscoreOK`: underscores only between digits (or after a base prefix). */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = '^';
  let i = 0;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s.charAt(1))) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const DECIMAL_FLOAT = /^[+-]?(?=[0-9_]*\.?[0-9_]*[0-9])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?$/;
const HEX_FLOAT =
  /^([+-]?)0[xX]((?=[0-9a-fA-F_]*\.?[0-9a-fA-F_]*[0-9a-fA-F])[0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?)[pP]([+-]?[0-9][0-9_]*)$/;

/** Rounds `m × 2^e` (m > 0) to the nearest float64, ties to even, as Go's `atofHex` does. */
function roundBinary(m: bigint, e: number): number {
  const bitLength = m.toString(2).length;
  // Keep at most 53 significant bits, and none below 2^-1074 (the smallest subnormal).
  const drop = Math.max(bitLength - 53, -1074 - e);
  let q = m;
  let exp = e;
  if (drop > 0) {
    const d = BigInt(drop);
    q = m >> d;
    const rem = m & ((1n << d) - 1n);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    exp = e + drop;
  }
  // q ≤ 2^53 is exact as a double; scale in two steps so no factor overflows on its own.
  const first = Math.trunc(exp / 2);
  return Number(q) * 2 ** first * 2 ** (exp - first);
}

function parseHexFloat(sign: string, mantissaText: string, expText: string): number {
  const mantissa = mantissaText.replaceAll('_', '');
  const point = mantissa.indexOf('.');
  const digits = point === -1 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const fractionDigits = point === -1 ? 0 : mantissa.length - point - 1;
  const m = BigInt('0x' + (digits === '' ? '0' : digits));
  // Go stops accumulating the exponent at 10000, which is already beyond any float64.
  const e = Math.max(Math.min(Number(expText.replaceAll('_', '')), 100000), -100000);
  if (m === 0n) return sign === '-' ? -0 : 0;
  const value = roundBinary(m, e - 4 * fractionDigits);
  return sign === '-' ? -value : value;
}

/**
 * Go `strconv.ParseFloat(s, 64)`: decimal and hex (`0x1p-2`, a `p` exponent is required)
 * floats, `_` between digits, `Inf`/`Infinity` with an optional sign and `NaN` in any case.
 * Values beyond float64 are an error (Go's ErrRange); values too small round to zero.
 */
export function parseGoFloat(s: string): number {
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  const unsigned = lower.startsWith('+') || lower.startsWith('-') ? lower.slice(1) : lower;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  let value: number;
  const hex = HEX_FLOAT.exec(s);
  if (hex !== null) {
    if (s.includes('_') && !underscoreOK(s)) throw syntaxError('float');
    value = parseHexFloat(hex[1] ?? '', hex[2] ?? '', hex[3] ?? '0');
  } else {
    if (!DECIMAL_FLOAT.test(s)) throw syntaxError('float');
    if (s.includes('_') && !underscoreOK(s)) throw syntaxError('float');
    // ECMAScript's decimal conversion is correctly rounded, as Go's is.
    value = Number(s.replaceAll('_', ''));
  }
  if (!Number.isFinite(value)) {
    throw new UserError('BAD_ENC_VALUE', 'decrypted float is out of the float64 range');
  }
  return value;
}
