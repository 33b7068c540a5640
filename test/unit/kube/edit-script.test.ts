import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DELETE, KEEP, editScript } from '../../../src/kube/edit-script.ts';

/** Applies a script to `a`, taking inserted lines from `b`; fails if a kept line differs. */
function applyScript(ops: Uint8Array, a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === KEEP) {
      assert.equal(a[i], b[j], `kept line ${i} of A differs from line ${j} of B`);
      out.push(a[i++] ?? '');
      j++;
    } else if (op === DELETE) i++;
    else out.push(b[j++] ?? '');
  }
  assert.equal(i, a.length, 'the script consumes all of A');
  return out;
}

const distance = (ops: Uint8Array): number => ops.filter((op) => op !== KEEP).length;

/**
 * The reference: the edit distance by Myers' greedy O(ND) forward search (no trace, no
 * divide and conquer), written the textbook way.
 */
function referenceDistance(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Array<number>(2 * offset + 1).fill(0);
  for (let d = 0; d <= n + m; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  throw new Error('unreachable');
}

/** A second, independent reference: n + m - 2 * LCS by dynamic programming. */
function lcsDistance(a: readonly string[], b: readonly string[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    const next = [0];
    b.forEach((other, j) =>
      next.push(line === other ? (row[j] ?? 0) + 1 : Math.max(row[j + 1] ?? 0, next[j] ?? 0)),
    );
    row = next;
  }
  return a.length + b.length - 2 * (row[b.length] ?? 0);
}

const show = (ops: Uint8Array): string => Array.from(ops, (op) => ' -+'[op]).join('');
const lines = (s: string): string[] => (s === '' ? [] : s.split(''));

describe('editScript', () => {
  const cases: { name: string; a: string; b: string; script: string }[] = [
    { name: 'both empty', a: '', b: '', script: '' },
    { name: 'creation', a: '', b: 'abc', script: '+++' },
    { name: 'deletion', a: 'abc', b: '', script: '---' },
    { name: 'equal', a: 'abc', b: 'abc', script: '   ' },
    { name: 'one line replaced: deletion first', a: 'abc', b: 'aXc', script: ' -+ ' },
    { name: 'nothing shared: all deletions, then all insertions', a: 'abc', b: 'xyz', script: '---+++' },
    { name: 'insertion in the middle', a: 'ac', b: 'abc', script: ' + ' },
    { name: 'common prefix and suffix kept', a: 'pppXsss', b: 'pppYYsss', script: '   -++   ' },
    { name: 'a moved line costs a deletion and an insertion', a: 'abcd', b: 'bcda', script: '-   +' },
    { name: 'repeated lines', a: 'aaaa', b: 'aa', script: '  --' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const a = lines(c.a);
      const b = lines(c.b);
      const ops = editScript(a, b);
      assert.equal(show(ops), c.script);
      assert.deepEqual(applyScript(ops, a, b), b);
    });
  }

  it('agrees with both references on the distance, and its script turns A into B', () => {
    // A small alphabet makes many equal lines, the hard case for choosing matches.
    const side = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 40 });
    fc.assert(
      fc.property(side, side, (a, b) => {
        const ops = editScript(a, b);
        assert.deepEqual(applyScript(ops, a, b), b);
        assert.equal(distance(ops), referenceDistance(a, b));
        assert.equal(distance(ops), lcsDistance(a, b));
      }),
      { seed: 13, numRuns: 2000 },
    );
  });

  it('is minimal on an edited copy of a longer text', () => {
    const base = fc.array(fc.constantFrom('  a: 1', '  b: 2', 'c:', '- x', '- y'), {
      minLength: 50,
      maxLength: 300,
    });
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 5 }),
      ins: fc.array(fc.string({ maxLength: 3 }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(base, fc.array(edit, { maxLength: 8 }), (a, edits) => {
        const b: string[] = [...a];
        for (const e of edits) b.splice(e.at % (b.length + 1), e.del, ...e.ins);
        const ops = editScript(a, b);
        assert.deepEqual(applyScript(ops, a, b), b);
        assert.equal(distance(ops), referenceDistance(a, b));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('keeps every deletion of a run before its insertions', () => {
    const side = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 20 });
    fc.assert(
      fc.property(side, side, (a, b) => {
        assert.doesNotMatch(show(editScript(a, b)), /\+-/);
      }),
      { seed: 13, numRuns: 1000 },
    );
  });

  it('needs no search for a one-sided pair or for two large sides that share no line', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    assert.equal(distance(editScript([], big)), 20_000);
    const left = Array.from({ length: 5_000 }, (_, i) => `left ${i}`);
    const right = Array.from({ length: 5_000 }, (_, i) => `right ${i}`);
    // Lines found on one side only never enter the O(ND) search; without that, this pair
    // (D = 10,000) runs past the test timeout. Tests assert no timings.
    assert.equal(distance(editScript(left, right)), 10_000);
  });
});
