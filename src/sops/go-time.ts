/**
 * Go's RFC 3339 handling, which the MAC depends on: `time` values are hashed in
 * `MarshalText` form, and the MAC's additional data is `lastmodified` re-formatted with
 * `time.RFC3339` (fractional seconds dropped, a zero offset written as `Z`).
 */
import { UserError } from '../errors.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp and formats it as Go does: `nano` is `MarshalText`
 * (RFC3339Nano, trailing zeros trimmed), `seconds` is `Format(time.RFC3339)`.
 */
export function formatGoTime(text: string, precision: 'nano' | 'seconds'): string {
  const match = RFC3339.exec(text);
  if (match === null) {
    throw new UserError('BAD_METADATA', 'a timestamp is not in RFC 3339 form (2006-01-02T15:04:05Z)');
  }
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' || zone === 'z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  const trimmed = fraction.replace(/0+$/, '');
  const frac = precision === 'nano' && trimmed !== '' ? `.${trimmed}` : '';
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${frac}${offset}`;
}
