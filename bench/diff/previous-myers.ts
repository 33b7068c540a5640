/**
 * The unified diff as it was before issue 13 (item 6), kept only as the benchmark's "before"
 * peer: the classic Myers O(ND) search that keeps every V array to walk the path back, so its
 * memory grows with N·D (3.3 GB for a new 20,000-line object). Copied unchanged from
 * src/kube/unified-diff.ts at commit 55420b1; never import it from src/.
 */

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)))
        x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] ?? new Int32Array(0);
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[x - 1] ?? '' });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({ op: '+', line: b[y - 1] ?? '' });
      else edits.push({ op: '-', line: a[x - 1] ?? '' });
    }
    x = prevX;
    y = prevY;
  }
  return edits.reverse();
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * A unified diff between two texts, '' when they are equal. `fromName`/`toName` label the
 * `---`/`+++` header lines.
 */
export function unifiedDiff(
  before: string,
  after: string,
  fromName: string,
  toName: string,
  context = 3,
): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = editScript(a, b);
  if (edits.every((e) => e.op === ' ')) return '';
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  const positions = edits.map((edit) => {
    const pos = { a: aLine, b: bLine };
    if (edit.op !== '+') aLine++;
    if (edit.op !== '-') bLine++;
    return pos;
  });
  while (i < edits.length) {
    if (edits[i]?.op === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are closer than twice the context.
    for (;;) {
      while (end < edits.length && edits[end]?.op !== ' ') end++;
      let next = end;
      while (next < edits.length && edits[next]?.op === ' ') next++;
      if (next < edits.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const hunk = edits.slice(start, end);
    const first = positions[start] ?? { a: 1, b: 1 };
    const aCount = hunk.filter((e) => e.op !== '+').length;
    const bCount = hunk.filter((e) => e.op !== '-').length;
    out.push(
      `@@ -${aCount === 0 ? first.a - 1 : first.a},${aCount} +${bCount === 0 ? first.b - 1 : first.b},${bCount} @@`,
    );
    for (const edit of hunk) out.push(`${edit.op}${edit.line}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}
