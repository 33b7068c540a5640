import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { combineShares, gf256, splitSecret } from '../../../src/sops/shamir.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('GF(2^8) arithmetic', () => {
  it('matches the values in sops/HashiCorp field tests', () => {
    const cases: [number, number, number][] = [
      [3, 7, 9],
      [3, 0, 0],
      [0, 3, 0],
      [0x53, 0xca, 0x01], // the FIPS-197 example: {53}·{CA} = {01}
      [0x57, 0x83, 0xc1], // FIPS-197 §4.2: {57}·{83} = {C1}
    ];
    for (const [a, b, product] of cases) assert.equal(gf256.mult(a, b), product, `${a}*${b}`);
  });

  it('has an inverse for every non-zero element', () => {
    for (let a = 1; a < 256; a++) assert.equal(gf256.mult(a, gf256.inverse(a)), 1, `inverse of ${a}`);
  });
});

describe('combineShares', () => {
  it('rebuilds a secret from hand-computed degree-1 shares (x is the last byte)', () => {
    // f(x) = 0x42 + 0x05·x: f(1) = 0x47, f(2) = 0x42 ^ mult(5, 2) = 0x42 ^ 0x0a = 0x48.
    assert.deepEqual(combineShares([bytes(0x47, 1), bytes(0x48, 2)]), bytes(0x42));
    assert.deepEqual(combineShares([bytes(0x48, 2), bytes(0x47, 1)]), bytes(0x42));
  });

  it('rebuilds from every subset of size ≥ threshold', () => {
    const secret = new TextEncoder().encode('test');
    const shares = splitSecret(secret, 5, 3);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++)
        for (let k = 0; k < 5; k++) {
          if (i === j || j === k || i === k) continue;
          assert.deepEqual(combineShares([shares[i]!, shares[j]!, shares[k]!]), secret);
        }
    assert.deepEqual(combineShares(shares), secret);
  });

  it('gives a wrong secret below the threshold (no error: Shamir cannot tell)', () => {
    const secret = new Uint8Array(32).fill(7);
    const shares = splitSecret(secret, 3, 3);
    assert.notDeepEqual(combineShares([shares[0]!, shares[1]!]), secret);
  });

  const invalid: [string, Uint8Array[], RegExp][] = [
    ['no shares', [], /at least two shares/],
    ['one share', [bytes(1, 2)], /at least two shares/],
    ['different lengths', [bytes(1, 2, 3), bytes(1, 2)], /differ in length/],
    ['too short', [bytes(1), bytes(2)], /at least two bytes/],
    ['duplicate x', [bytes(1, 2, 3), bytes(4, 5, 3)], /duplicate share/],
  ];
  for (const [name, shares, message] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => combineShares(shares),
        (error: unknown) =>
          error instanceof UserError && error.code === 'DECRYPT_FAILED' && message.test(error.message),
      );
    });
  }
});

describe('splitSecret', () => {
  it('lays out shares as y-values then x = index + 1', () => {
    const shares = splitSecret(bytes(9, 8, 7), 4, 2, (n) => new Uint8Array(n).fill(1));
    assert.equal(shares.length, 4);
    for (const [i, share] of shares.entries()) {
      assert.equal(share.length, 4);
      assert.equal(share[3], i + 1);
      // With every coefficient 1: f(x) = secret ^ x.
      assert.deepEqual(share.subarray(0, 3), bytes(9 ^ (i + 1), 8 ^ (i + 1), 7 ^ (i + 1)));
    }
  });

  const invalid: [string, number, number, number][] = [
    ['parts < threshold', 3, 2, 3],
    ['parts > 255', 3, 256, 3],
    ['threshold < 2', 3, 5, 1],
    ['empty secret', 0, 3, 2],
  ];
  for (const [name, length, parts, threshold] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(() => splitSecret(new Uint8Array(length).fill(1), parts, threshold), RangeError);
    });
  }
});
