/**
 * Shamir secret sharing as sops does it (its fork of HashiCorp Vault's `shamir` package):
 * GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1, one polynomial per secret byte, and each
 * share laid out as the y-values followed by its x-coordinate as the LAST byte.
 *
 * `combineShares` rebuilds a data key when decrypting; `splitSecret` makes one share per key
 * group when encrypting.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.ts';

/**
 * Multiplication in GF(2^8) mod 0x11B, written without data-dependent branches or table
 * lookups (as sops's Go code is) because its inputs are secret bytes.
 */
function mult(a: number, b: number): number {
  let acc = 0;
  for (let i = 7; i >= 0; i--) {
    const bit = (b >> i) & 1;
    const aOrZero = -bit & a;
    const reduce = -(acc >> 7) & 0x1b;
    acc = (aOrZero ^ reduce ^ (acc << 1)) & 0xff;
  }
  return acc;
}

/** a^254, the multiplicative inverse in GF(2^8) (0 maps to 0; callers never divide by 0). */
function inverse(a: number): number {
  let b = mult(a, a); // a^2
  let c = mult(a, b); // a^3
  b = mult(c, c); // a^6
  b = mult(b, b); // a^12
  c = mult(b, c); // a^15
  b = mult(b, b); // a^24
  b = mult(b, b); // a^48
  b = mult(b, c); // a^63
  b = mult(b, b); // a^126
  b = mult(a, b); // a^127
  return mult(b, b); // a^254
}

/** Lagrange interpolation of the points (xs[i], ys[i]) evaluated at x. Addition is XOR. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  let result = 0;
  for (let i = 0; i < xs.length; i++) {
    let basis = 1;
    for (let j = 0; j < xs.length; j++) {
      if (i === j) continue;
      const num = x ^ (xs[j] ?? 0);
      const denom = (xs[i] ?? 0) ^ (xs[j] ?? 0);
      basis = mult(basis, mult(num, inverse(denom)));
    }
    result ^= mult(ys[i] ?? 0, basis);
  }
  return result;
}

/**
 * Rebuilds the secret from two or more shares (sops `shamir.Combine`). All shares must have
 * the same length (at least 2 bytes) and distinct x-coordinates. Extra shares beyond the
 * threshold are harmless: they lie on the same polynomial.
 */
export function combineShares(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length < 2) {
    throw new UserError('DECRYPT_FAILED', 'shamir: at least two shares are needed to rebuild the data key');
  }
  const length = shares[0]?.length ?? 0;
  if (length < 2) throw new UserError('DECRYPT_FAILED', 'shamir: shares must be at least two bytes');
  const xs: number[] = [];
  for (const share of shares) {
    if (share.length !== length) throw new UserError('DECRYPT_FAILED', 'shamir: shares differ in length');
    const x = share[length - 1] ?? 0;
    if (xs.includes(x)) throw new UserError('DECRYPT_FAILED', 'shamir: duplicate share');
    xs.push(x);
  }
  const secret = new Uint8Array(length - 1);
  const ys = new Array<number>(shares.length);
  for (let index = 0; index < secret.length; index++) {
    for (const [i, share] of shares.entries()) ys[i] = share[index] ?? 0;
    secret[index] = interpolate(xs, ys, 0);
  }
  return secret;
}

/**
 * Splits `secret` into `parts` shares of which any `threshold` rebuild it (sops
 * `shamir.Split`: share i has x = i + 1), with fresh random coefficients for every byte.
 */
export function splitSecret(
  secret: Uint8Array,
  parts: number,
  threshold: number,
  random: (size: number) => Uint8Array = randomBytes,
): Uint8Array[] {
  if (parts < threshold) throw new RangeError('parts cannot be less than threshold');
  if (parts > 255) throw new RangeError('parts cannot exceed 255');
  if (threshold < 2) throw new RangeError('threshold must be at least 2');
  if (threshold > 255) throw new RangeError('threshold cannot exceed 255');
  if (secret.length === 0) throw new RangeError('cannot split an empty secret');
  const out = Array.from({ length: parts }, (_, i) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = i + 1;
    return share;
  });
  for (const [index, value] of secret.entries()) {
    const coefficients = [value, ...random(threshold - 1)];
    for (const [i, share] of out.entries()) {
      const x = i + 1;
      // Horner's rule, highest coefficient first.
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = mult(y, x) ^ (coefficients[c] ?? 0);
      share[index] = y;
    }
  }
  return out;
}

/** Exposed for the field tests only. */
export const gf256 = { mult, inverse } as const;
