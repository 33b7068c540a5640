/**
 * The apply job summary: objects by class, and on failure which were applied and which were
 * not; then objects that are not ready, with their reasons. Pure: ApplyReport in, markdown out.
 */
import type { ApplyReport, ApplyStatus } from '../kube/apply.ts';
import { describeRef } from '../kube/normalize.ts';

const APPLIED: ReadonlySet<ApplyStatus> = new Set([
  'created',
  'configured',
  'recreated',
  'unchanged',
  'deleted',
]);
const ORDER: readonly ApplyStatus[] = [
  'failed',
  'not-applied',
  'created',
  'configured',
  'recreated',
  'deleted',
  'skipped',
  'unchanged',
];

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('\n', ' ');
}

/** Markdown for the job summary; `title` names the targets. */
export function renderApplySummary(report: ApplyReport, title: string): string {
  const c = report.counts;
  const out = [
    `### apply ${cell(title)}: ${report.ok ? 'succeeded' : 'failed'}`,
    '',
    ORDER.filter((s) => c[s] > 0)
      .map((s) => `${c[s]} ${s}`)
      .join(', ') || 'no objects',
    '',
  ];
  if (report.error !== undefined) out.push(`**Error:** ${cell(report.error)}`, '');
  if (!report.ok) {
    const applied = report.objects.filter((o) => APPLIED.has(o.status)).length;
    out.push(`${applied} of ${report.objects.length} objects were applied; the rest were not.`, '');
  }
  // On failure an Applied column answers the first question: what is in the cluster now.
  out.push(
    report.ok ? '| Object | Result | Reason |' : '| Object | Result | Applied | Reason |',
    report.ok ? '|---|---|---|' : '|---|---|---|---|',
  );
  for (const status of ORDER) {
    for (const o of report.objects.filter((r) => r.status === status)) {
      const applied = report.ok ? '' : ` ${APPLIED.has(o.status) ? 'yes' : 'no'} |`;
      out.push(`| ${cell(describeRef(o.ref))} | ${o.status} |${applied} ${cell(o.reason ?? '')} |`);
    }
  }
  const notReady = (report.health ?? []).filter((h) => h.state !== 'ready');
  if (notReady.length > 0) {
    out.push('', '#### Not ready', '', '| Object | State | Reason |', '|---|---|---|');
    for (const h of notReady) out.push(`| ${cell(describeRef(h.ref))} | ${h.state} | ${cell(h.reason)} |`);
  }
  return `${out.join('\n')}\n`;
}
