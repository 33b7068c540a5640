/**
 * The shortest edit script between two lists of lines, in linear space: Myers' O(ND)
 * algorithm in its divide-and-conquer form (the "middle snake" of Myers 1986, section 4b),
 * ported from GNU diffutils' diffseq.h (`compareseq` and `diag`, minimal mode, without the
 * heuristics that trade minimality for speed). The classic variant kept every V array:
 * 3.3 GB for a new 20,000-line object (issue 13, item 6).
 *
 * Hand-written rather than a dependency: the house prefers node's standard library, and the
 * maintained npm package with a linear-space Myers (jest's `diff-sequences`) is not
 * installed; adding one needs the lead. The port is small, and test/unit/kube/edit-script
 * checks it against a reference O(ND) search and by applying its scripts.
 *
 * Three exact reductions come first, none of which changes the edit distance:
 * - one side empty: every line is an insertion or a deletion, no search at all;
 * - the common prefix and suffix are matched directly (Myers' greedy snake does the same);
 * - a line that never occurs on the other side cannot be matched, so it is marked changed
 *   and left out of the search (the exact part of GNU diff's `discard_confusing_lines`). Two
 *   versions that share nothing, such as a re-indented ConfigMap, then cost no search.
 * Memory is O(N + M): two V arrays, a change flag per line and the interned line ids.
 */

/** One step of an edit script: keep a line of both sides, delete a line of A, insert a line of B. */
export const KEEP = 0;
export const DELETE = 1;
export const INSERT = 2;
export type EditOp = typeof KEEP | typeof DELETE | typeof INSERT;

/** Numbers the distinct lines of both sides, so the search compares integers, not strings. */
function internLines(
  a: readonly string[],
  b: readonly string[],
): { ids: [Int32Array, Int32Array]; seen: [Uint8Array, Uint8Array] } {
  const table = new Map<string, number>();
  const intern = (lines: readonly string[]): Int32Array => {
    const out = new Int32Array(lines.length);
    lines.forEach((line, i) => {
      let id = table.get(line);
      if (id === undefined) {
        id = table.size;
        table.set(line, id);
      }
      out[i] = id;
    });
    return out;
  };
  const ia = intern(a);
  const ib = intern(b);
  // seen[s][id] = 1 when the line occurs on side s.
  const seenA = new Uint8Array(table.size);
  const seenB = new Uint8Array(table.size);
  for (const id of ia) seenA[id] = 1;
  for (const id of ib) seenB[id] = 1;
  return { ids: [ia, ib], seen: [seenA, seenB] };
}

/** Beyond any x: the backward band's sentinel. */
const BEYOND = 0x7fffffff;

/** The state of one search: the lines that can match, and where to mark changes. */
class Search {
  /** Forward and backward V arrays, indexed by diagonal + offset; shared by every sub-problem. */
  private readonly vf: Int32Array;
  private readonly vb: Int32Array;
  private readonly offset: number;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** Set to 1 for each line of A that is deleted / of B that is inserted. */
  private readonly changedA: Uint8Array;
  private readonly changedB: Uint8Array;

  constructor(a: Int32Array, b: Int32Array, changedA: Uint8Array, changedB: Uint8Array) {
    this.a = a;
    this.b = b;
    this.changedA = changedA;
    this.changedB = changedB;
    // Diagonals run from -(M + 1) to N + 1, the sentinels included.
    this.offset = b.length + 1;
    this.vf = new Int32Array(a.length + b.length + 3);
    this.vb = new Int32Array(a.length + b.length + 3);
  }

  /** Marks the changes that turn a[aLo, aHi) into b[bLo, bHi), minimally. */
  compare(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b } = this;
    // Iterative on the second half, recursive on the first: the depth stays O(log D).
    for (;;) {
      while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
        aLo++;
        bLo++;
      }
      while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
        aHi--;
        bHi--;
      }
      if (aLo === aHi) {
        this.changedB.fill(1, bLo, bHi);
        return;
      }
      if (bLo === bHi) {
        this.changedA.fill(1, aLo, aHi);
        return;
      }
      const [x, y] = this.split(aLo, aHi, bLo, bHi);
      this.compare(aLo, x, bLo, y);
      aLo = x;
      bLo = y;
    }
  }

  /**
   * A point on a shortest path from (aLo, bLo) to (aHi, bHi), with about half of its edits
   * on each side: where the forward and the backward searches first overlap (Myers' middle
   * snake). Both ranges are non-empty and their first and last lines differ. Diagonals are
   * absolute (k = x - y) and confined to the grid, as GNU diffseq.h's `diag` does it;
   * -1 and BEYOND mark the diagonal just outside the searched band.
   */
  private split(aLo: number, aHi: number, bLo: number, bHi: number): [number, number] {
    const { a, b, vf, vb, offset } = this;
    const at = (v: Int32Array, k: number): number => v[offset + k] ?? 0;
    const dmin = aLo - bHi;
    const dmax = aHi - bLo;
    const fmid = aLo - bLo;
    const bmid = aHi - bHi;
    const odd = ((fmid - bmid) & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    vf[offset + fmid] = aLo;
    vb[offset + bmid] = aHi;
    for (;;) {
      // Widen the forward band by one diagonal on each side, or narrow it at the grid's edge.
      if (fmin > dmin) vf[offset + --fmin - 1] = -1;
      else ++fmin;
      if (fmax < dmax) vf[offset + ++fmax + 1] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const lo = at(vf, d - 1);
        const hi = at(vf, d + 1);
        let x = lo < hi ? hi : lo + 1;
        let y = x - d;
        while (x < aHi && y < bHi && a[x] === b[y]) {
          x++;
          y++;
        }
        vf[offset + d] = x;
        if (odd && bmin <= d && d <= bmax && at(vb, d) <= x) return [x, y];
      }
      if (bmin > dmin) vb[offset + --bmin - 1] = BEYOND;
      else ++bmin;
      if (bmax < dmax) vb[offset + ++bmax + 1] = BEYOND;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const lo = at(vb, d - 1);
        const hi = at(vb, d + 1);
        let x = lo < hi ? lo : hi - 1;
        let y = x - d;
        while (aLo < x && bLo < y && a[x - 1] === b[y - 1]) {
          x--;
          y--;
        }
        vb[offset + d] = x;
        if (!odd && fmin <= d && d <= fmax && x <= at(vf, d)) return [x, y];
      }
    }
  }
}

/**
 * The shortest edit script turning `a` into `b`, as one op per step. Within each run of
 * changes the deletions come before the insertions, as in `diff -u` and git.
 */
export function editScript(a: readonly string[], b: readonly string[]): Uint8Array {
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  if (a.length === 0 || b.length === 0) {
    changedA.fill(1);
    changedB.fill(1);
  } else {
    const { ids, seen } = internLines(a, b);
    // Keep only the lines that occur on both sides; remember where each came from.
    const keep = (side: Int32Array, other: Uint8Array, changed: Uint8Array): [Int32Array, Int32Array] => {
      const lines: number[] = [];
      const index: number[] = [];
      side.forEach((id, i) => {
        if (other[id] === 1) {
          lines.push(id);
          index.push(i);
        } else changed[i] = 1;
      });
      return [Int32Array.from(lines), Int32Array.from(index)];
    };
    const [ka, ia] = keep(ids[0], seen[1], changedA);
    const [kb, ib] = keep(ids[1], seen[0], changedB);
    const subA = new Uint8Array(ka.length);
    const subB = new Uint8Array(kb.length);
    new Search(ka, kb, subA, subB).compare(0, ka.length, 0, kb.length);
    subA.forEach((c, i) => {
      if (c === 1) changedA[ia[i] ?? 0] = 1;
    });
    subB.forEach((c, i) => {
      if (c === 1) changedB[ib[i] ?? 0] = 1;
    });
  }
  return mergeChanges(changedA, changedB);
}

/** Interleaves the change flags of both sides into one script, deletions first in each run. */
function mergeChanges(changedA: Uint8Array, changedB: Uint8Array): Uint8Array {
  let deletions = 0;
  for (const c of changedA) deletions += c;
  const ops = new Uint8Array(changedB.length + deletions);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < changedA.length || j < changedB.length) {
    while (i < changedA.length && changedA[i] === 1) {
      ops[o++] = DELETE;
      i++;
    }
    while (j < changedB.length && changedB[j] === 1) {
      ops[o++] = INSERT;
      j++;
    }
    if (i < changedA.length && j < changedB.length) {
      ops[o++] = KEEP;
      i++;
      j++;
    }
  }
  return ops;
}
