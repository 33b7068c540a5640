/**
 * A line-based unified diff with three lines of context, in the format of `diff -u`. The
 * edit script comes from edit-script.ts (linear-space Myers); this module only cuts it into
 * hunks. Memory stays linear: one op byte per step and the output itself.
 */
import { DELETE, INSERT, KEEP, editScript } from './edit-script.ts';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A whole side as one hunk: the fast path for a created or deleted object. */
function oneSided(lines: readonly string[], op: '+' | '-', fromName: string, toName: string): string {
  const range = `${lines.length === 0 ? 0 : 1},${lines.length}`;
  const header = op === '+' ? `@@ -0,0 +${range} @@` : `@@ -${range} +0,0 @@`;
  return `--- ${fromName}\n+++ ${toName}\n${header}\n${op}${lines.join(`\n${op}`)}\n`;
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
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length === 0 && b.length > 0) return oneSided(b, '+', fromName, toName);
  if (b.length === 0 && a.length > 0) return oneSided(a, '-', fromName, toName);
  const ops = editScript(a, b);
  if (ops.every((op) => op === KEEP)) return '';
  // aAt[i]/bAt[i]: the 0-based line of each side before step i.
  const aAt = new Int32Array(ops.length + 1);
  const bAt = new Int32Array(ops.length + 1);
  ops.forEach((op, i) => {
    aAt[i + 1] = (aAt[i] ?? 0) + (op === INSERT ? 0 : 1);
    bAt[i + 1] = (bAt[i] ?? 0) + (op === DELETE ? 0 : 1);
  });
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === KEEP) {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are closer than twice the context.
    for (;;) {
      while (end < ops.length && ops[end] !== KEEP) end++;
      let next = end;
      while (next < ops.length && ops[next] === KEEP) next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const a0 = aAt[start] ?? 0;
    const b0 = bAt[start] ?? 0;
    const aCount = (aAt[end] ?? 0) - a0;
    const bCount = (bAt[end] ?? 0) - b0;
    out.push(`@@ -${aCount === 0 ? a0 : a0 + 1},${aCount} +${bCount === 0 ? b0 : b0 + 1},${bCount} @@`);
    for (let s = start; s < end; s++) {
      const op = ops[s];
      if (op === INSERT) out.push(`+${b[bAt[s] ?? 0] ?? ''}`);
      else out.push(`${op === DELETE ? '-' : ' '}${a[aAt[s] ?? 0] ?? ''}`);
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}
