/** The lint job summary: one table row per finding (values never shown). Pure. */
import type { LintResult } from '../lint/lint.ts';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('\n', ' ');
}

/** At most this many rows; the annotations and the findings output carry the count. */
export const MAX_LINT_ROWS = 1000;

/** Markdown for the job summary. */
export function renderLintSummary(result: LintResult): string {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const head = `### lint: ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${result.filesChecked} files checked`;
  if (result.findings.length === 0 && result.suppressed.length === 0) return `${head}\n`;
  const out = [head, ''];
  if (result.findings.length > 0) {
    out.push('| File | Line | Severity | Rule | Finding |', '|---|--:|---|---|---|');
    for (const f of result.findings.slice(0, MAX_LINT_ROWS)) {
      out.push(`| ${cell(f.file)} | ${f.line} | ${f.severity} | ${f.rule} | ${cell(f.message)} |`);
    }
    if (result.findings.length > MAX_LINT_ROWS)
      out.push('', `_${result.findings.length - MAX_LINT_ROWS} more findings are in the annotations._`);
  }
  if (result.suppressed.length > 0)
    out.push('', `${result.suppressed.length} suppressed (each with its reason in the log).`);
  return `${out.join('\n')}\n`;
}
