import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../../src/kube/unified-diff.ts';

const numbers = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');
const replace = (lines: readonly string[], edits: Record<string, string>): string[] =>
  lines.map((l) => edits[l] ?? l);

/** Applies a unified diff to `before` as `patch` would, checking every context and removed line. */
function applyPatch(before: string, diff: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  if (diff === '') return before;
  const lines = diff.replace(/\n$/, '').split('\n');
  assert.match(lines[0] ?? '', /^--- /);
  assert.match(lines[1] ?? '', /^\+\+\+ /);
  const out: string[] = [];
  let next = 0; // the next line of `a` not yet copied
  let i = 2;
  while (i < lines.length) {
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i] ?? '');
    assert.ok(header, `hunk header expected: ${lines[i]}`);
    const [aStart, aCount, bStart, bCount] = header.slice(1).map(Number) as [number, number, number, number];
    const from = aCount === 0 ? aStart : aStart - 1;
    assert.ok(from >= next, 'hunks are ordered and do not overlap');
    out.push(...a.slice(next, from));
    assert.equal(bCount === 0 ? bStart : bStart - 1, out.length, 'the + start matches the output so far');
    next = from;
    let seenA = 0;
    let seenB = 0;
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('@@'); i++) {
      const line = lines[i] ?? '';
      const body = line.slice(1);
      if (line[0] === '+') {
        out.push(body);
        seenB++;
      } else {
        assert.equal(a[next], body, `line ${next + 1} of the old side`);
        if (line[0] === ' ') {
          out.push(body);
          seenB++;
        } else assert.equal(line[0], '-');
        next++;
        seenA++;
      }
    }
    assert.deepEqual([seenA, seenB], [aCount, bCount], 'hunk counts');
  }
  out.push(...a.slice(next));
  return text(out);
}

describe('unifiedDiff hunks', () => {
  const base = numbers(1, 20);
  const cases: { name: string; before: string; after: string; context?: number; hunks: string[] }[] = [
    {
      name: 'two changes far apart make two hunks',
      before: text(base),
      after: text(replace(base, { '3': 'three', '17': 'seventeen' })),
      hunks: [
        '@@ -1,6 +1,6 @@',
        ...[' 1', ' 2', '-3', '+three', ' 4', ' 5', ' 6'],
        '@@ -14,7 +14,7 @@',
        ...[' 14', ' 15', ' 16', '-17', '+seventeen', ' 18', ' 19', ' 20'],
      ],
    },
    {
      name: 'changes six lines apart (twice the context) share a hunk',
      before: text(base),
      after: text(replace(base, { '3': 'three', '10': 'ten' })),
      hunks: [
        '@@ -1,13 +1,13 @@',
        ...[
          ' 1',
          ' 2',
          '-3',
          '+three',
          ' 4',
          ' 5',
          ' 6',
          ' 7',
          ' 8',
          ' 9',
          '-10',
          '+ten',
          ' 11',
          ' 12',
          ' 13',
        ],
      ],
    },
    {
      name: 'changes seven lines apart do not',
      before: text(base),
      after: text(replace(base, { '3': 'three', '11': 'eleven' })),
      hunks: [
        '@@ -1,6 +1,6 @@',
        ...[' 1', ' 2', '-3', '+three', ' 4', ' 5', ' 6'],
        '@@ -8,7 +8,7 @@',
        ...[' 8', ' 9', ' 10', '-11', '+eleven', ' 12', ' 13', ' 14'],
      ],
    },
    {
      name: 'first and last lines removed',
      before: text(numbers(1, 5)),
      after: text(numbers(2, 4)),
      hunks: ['@@ -1,5 +1,3 @@', '-1', ' 2', ' 3', ' 4', '-5'],
    },
    {
      name: 'no context',
      before: text(base),
      after: text(replace(base, { '3': 'three', '17': 'seventeen' })),
      context: 0,
      hunks: ['@@ -3,1 +3,1 @@', '-3', '+three', '@@ -17,1 +17,1 @@', '-17', '+seventeen'],
    },
    {
      name: 'a deleted object is one hunk of removals',
      before: 'a: 1\nb: 2\n',
      after: '',
      hunks: ['@@ -1,2 +0,0 @@', '-a: 1', '-b: 2'],
    },
    {
      name: 'lines inserted at the top count from line 0 on the old side',
      before: text(numbers(1, 5)),
      after: text(['x', ...numbers(1, 5)]),
      context: 0,
      hunks: ['@@ -0,0 +1,1 @@', '+x'],
    },
    {
      name: 'a missing final newline is not a change',
      before: 'a\nb',
      after: 'a\nb\n',
      hunks: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = unifiedDiff(c.before, c.after, 'old', 'new', c.context);
      assert.equal(got, c.hunks.length === 0 ? '' : ['--- old', '+++ new', ...c.hunks, ''].join('\n'));
      if (got !== '') assert.equal(applyPatch(c.before, got), c.after);
    });
  }

  it('gives the same hunks as diff -u where the shortest edit is unique', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ksd-udiff-'));
    const before = numbers(1, 200);
    const after = [...replace(before, { '50': 'fifty' }).slice(0, 120), 'new', ...before.slice(130)];
    writeFileSync(path.join(dir, 'a'), text(before));
    writeFileSync(path.join(dir, 'b'), text(after));
    let peer = '';
    try {
      execFileSync('diff', ['-u', '--label', 'old', '--label', 'new', 'a', 'b'], {
        cwd: dir,
        encoding: 'utf8',
      });
    } catch (e) {
      peer = String((e as { stdout: unknown }).stdout);
    }
    assert.equal(unifiedDiff(text(before), text(after), 'old', 'new'), peer);
  });

  it('patching the old text with the diff gives the new text', () => {
    const side = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 40 }).map(text);
    fc.assert(
      fc.property(side, side, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = unifiedDiff(before, after, 'old', 'new', context);
        assert.equal(diff === '', before === after);
        assert.equal(applyPatch(before, diff), after);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});
