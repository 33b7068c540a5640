/**
 * How a diff reads on GitHub: the sticky pull-request comment (a table of changes per kind,
 * then one collapsed section per changed object, under the comment limit) and the job
 * summary (every diff, under the 1 MiB summary limit). Pure: DiffReport in, markdown out.
 * The diffs are already masked by the diff engine; nothing here sees a Secret value.
 */
import type { DiffClass, DiffReport, ObjectDiff, UndecryptedNote } from '../kube/diff.ts';
import { describeRef } from '../kube/normalize.ts';
import { COMMENT_LIMIT, renderStickyComment, type CommentSection } from './comment.ts';

/** The summary limit we render to, leaving room for the other stages' lines. */
export const SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;

const COLUMNS: readonly DiffClass[] = ['created', 'configured', 'deleted', 'unchanged'];
const EXTRA: readonly DiffClass[] = ['unknown', 'skipped', 'failed'];
const SHOWN: ReadonlySet<DiffClass> = new Set(['created', 'configured', 'deleted', 'unknown', 'failed']);

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
}

/**
 * The table of classes per kind, or per group when the report is grouped (Flux mode: per
 * Kustomization), with the unknown/skipped/failed columns only when there are any.
 */
export function renderDiffTable(report: DiffReport): string {
  const columns = [...COLUMNS, ...EXTRA.filter((c) => report.counts[c] > 0)];
  const title = report.grouping?.title ?? 'Kind';
  const byKind = new Map<string, Record<DiffClass, number>>();
  for (const entry of report.objects) {
    const kind = report.grouping === undefined ? entry.ref.kind : (entry.group ?? '(none)');
    const row = byKind.get(kind) ?? {
      created: 0,
      configured: 0,
      deleted: 0,
      unchanged: 0,
      unknown: 0,
      skipped: 0,
      failed: 0,
    };
    row[entry.class]++;
    byKind.set(kind, row);
  }
  const lines = [`| ${title} | ${columns.join(' | ')} |`, `|---|${columns.map(() => '--:|').join('')}`];
  for (const [kind, row] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| ${cell(kind)} | ${columns.map((c) => String(row[c])).join(' | ')} |`);
  }
  lines.push(`| **Total** | ${columns.map((c) => `**${report.counts[c]}**`).join(' | ')} |`);
  return lines.join('\n');
}

function headline(report: DiffReport, title: string): string {
  const c = report.counts;
  const unrendered = report.unrendered?.length ?? 0;
  const what = report.changed
    ? `${c.created} to create, ${c.configured} to configure, ${c.deleted} to delete`
    : unrendered > 0
      ? 'no changes in what could be rendered'
      : report.undecrypted === undefined
        ? 'no changes'
        : 'no changes in what could be decrypted';
  const unknown = c.unknown + unrendered;
  const notes = [
    ...(c.failed > 0 ? [`${c.failed} failed`] : []),
    ...(unknown > 0 ? [`${unknown} unknown`] : []),
  ];
  return `### ${cell(title)}: ${what}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

function code(text: string): string {
  return `\`${text.replaceAll('`', "'")}\``;
}

/**
 * The notice on top of the comment and summary: which SOPS files this diff could not decrypt
 * and why, so a reader knows which values were not compared.
 */
export function renderUndecryptedMarkdown(note: UndecryptedNote): string {
  const n = note.files.length;
  const shown = note.files.slice(0, 20).map(code).join(', ');
  const more = n > 20 ? ` and ${n - 20} more` : '';
  return (
    `> [!NOTE]\n> ${n} SOPS ${n === 1 ? 'file was' : 'files were'} not decrypted in this run: ${cell(note.why)}. ` +
    `Their values show as \`(encrypted; not decrypted in this run)\` and are not compared. ` +
    `Set \`require-decryption: true\` to fail instead.\n> Files: ${shown}${more}`
  );
}

/** The groups added and removed as a whole (Flux mode: Kustomizations), one line each. */
function groupChanges(report: DiffReport): string {
  const grouping = report.grouping;
  if (grouping === undefined) return '';
  const line = (what: string, names: readonly string[]): string =>
    names.length === 0 ? '' : `\n\n**${grouping.title}s ${what}:** ${names.map(code).join(', ')}`;
  return `${line('added', grouping.added)}${line('removed', grouping.removed)}`;
}

/** The notice naming what could not be rendered (a HelmRelease whose chart is elsewhere, ...). */
function renderUnknownMarkdown(unknown: NonNullable<DiffReport['unrendered']>): string {
  const lines = unknown.slice(0, 20).map((u) => `> - ${code(u.name)}: ${cell(u.reason)}`);
  const more = unknown.length > 20 ? [`> - and ${unknown.length - 20} more`] : [];
  return [
    `> [!WARNING]\n> ${unknown.length} not rendered, so what they would change is unknown:`,
    ...lines,
    ...more,
  ].join('\n');
}

function top(report: DiffReport, title: string): string {
  const note = report.undecrypted === undefined ? '' : `\n\n${renderUndecryptedMarkdown(report.undecrypted)}`;
  const unrendered =
    report.unrendered === undefined || report.unrendered.length === 0
      ? ''
      : `\n\n${renderUnknownMarkdown(report.unrendered)}`;
  return `${headline(report, title)}${note}${unrendered}${groupChanges(report)}\n\n${renderDiffTable(report)}`;
}

function sectionOf(entry: ObjectDiff): CommentSection {
  const reason = entry.reason === undefined ? '' : ` (${entry.reason})`;
  return {
    title: `${entry.class}: ${describeRef(entry.ref)}${entry.group === undefined ? '' : ` in ${entry.group}`}${reason}`,
    body:
      entry.diff !== ''
        ? entry.diff.replace(/\n$/, '')
        : entry.class === 'unknown'
          ? 'no change in what could be compared; its values were not decrypted in this run, so whether it changes is unknown'
          : (entry.reason ?? entry.class),
    language: entry.diff === '' ? '' : 'diff',
  };
}

function sections(report: DiffReport): CommentSection[] {
  return report.objects.filter((e) => SHOWN.has(e.class)).map(sectionOf);
}

/**
 * The sticky comment's body, or null when nothing changes (the comment is then deleted).
 * Whole objects are dropped from the end to stay under `limit`.
 */
export function renderDiffComment(report: DiffReport, tag: string, limit = COMMENT_LIMIT): string | null {
  // With values left undecrypted "no changes" is not certain, so the comment stays and says so.
  const certain =
    report.counts.failed === 0 &&
    report.counts.unknown === 0 &&
    report.undecrypted === undefined &&
    (report.unrendered?.length ?? 0) === 0;
  if (!report.changed && certain) return null;
  return renderStickyComment(
    {
      tag,
      summary: top(report, `kustomize-sops-deploy diff ${tag}`),
      sections: sections(report),
    },
    limit,
  );
}

function fence(body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/**
 * The job summary: the table, then every changed object's diff while it fits `budget` bytes;
 * a last line names the file that holds the rest.
 */
export function renderDiffSummary(
  report: DiffReport,
  tag: string,
  budget = SUMMARY_BUDGET,
  restIn = 'the diff-file output',
): string {
  const head = `${top(report, `diff ${tag}`)}\n\n`;
  const parts: string[] = [head];
  let used = Buffer.byteLength(head);
  const all = sections(report);
  let shown = 0;
  for (const section of all) {
    const f = fence(section.body);
    const text = `<details><summary>${cell(section.title)}</summary>\n\n${f}${section.language ?? ''}\n${section.body}\n${f}\n\n</details>\n\n`;
    const bytes = Buffer.byteLength(text);
    // Room is kept for the closing line.
    if (used + bytes > budget - 200) break;
    parts.push(text);
    used += bytes;
    shown++;
  }
  const rest = all.length - shown;
  if (rest > 0) parts.push(`_${rest} more ${rest === 1 ? 'object is' : 'objects are'} in ${restIn}._\n`);
  return parts.join('');
}

/** The step outputs of a diff: counts and `has-changes`. Small values only. */
export function diffOutputs(report: DiffReport): Record<string, string> {
  const c = report.counts;
  return {
    changed: String(c.created + c.configured + c.deleted),
    created: String(c.created),
    configured: String(c.configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    unknown: String(c.unknown),
    'has-changes': String(report.changed),
  };
}
