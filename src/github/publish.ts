/**
 * Reporting a run to GitHub through the Host port (outputs, job summary, sticky comment,
 * report files). No `@actions/*` here: the Actions host does the talking.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import type { Host } from '../ports.ts';
import type { ApplyReport } from '../kube/apply.ts';
import { renderDiffText, type DiffReport } from '../kube/diff.ts';
import type { LintResult } from '../lint/lint.ts';
import { renderApplySummary } from './apply-report.ts';
import { diffOutputs, renderDiffComment, renderDiffSummary } from './diff-report.ts';
import { renderLintSummary } from './lint-report.ts';
import { writePrivateFile } from '../private-file.ts';

export interface DiffPublishOptions {
  /** Names the sticky comment and the summary; the target paths by default. */
  readonly tag: string;
  /** Where the full diff goes; a new file in `tempDir` when undefined. */
  readonly file: string | undefined;
  /** RUNNER_TEMP. */
  readonly tempDir: string | undefined;
}

/**
 * Outputs (counts, `has-changes`, `diff-file`), the job summary, and the sticky comment
 * (deleted when nothing changes). A comment that cannot be posted is a warning, not a
 * failure: a fork's read-only token must not fail the diff.
 */
export async function publishDiff(
  host: Host,
  report: DiffReport,
  options: DiffPublishOptions,
): Promise<void> {
  for (const [name, value] of Object.entries(diffOutputs(report))) host.setOutput(name, value);
  const file =
    options.file ?? path.join(options.tempDir ?? tmpdir(), `diff-${randomBytes(6).toString('hex')}.txt`);
  await writePrivateFile(file, renderDiffText(report));
  host.setOutput('diff-file', file);
  host.appendSummary(renderDiffSummary(report, options.tag));
  try {
    const result = await host.stickyComment(options.tag, (tag) => renderDiffComment(report, tag));
    if (result !== 'skipped') host.info(`pull request comment ${options.tag}: ${result}`);
  } catch (error) {
    host.warning(`could not update the pull request comment: ${errorMessage(error)}`);
  }
}

/** The apply job summary and the same count outputs diff sets. */
export function publishApply(host: Host, report: ApplyReport, title: string): void {
  host.appendSummary(renderApplySummary(report, title));
  for (const [name, value] of Object.entries(applyOutputs(report))) host.setOutput(name, value);
}

/** The lint job summary. */
export function publishLint(host: Host, result: LintResult): void {
  host.appendSummary(renderLintSummary(result));
}

/** Count outputs for apply: a recreated object counts as configured. */
export function applyOutputs(report: ApplyReport): Record<string, string> {
  const c = report.counts;
  const configured = c.configured + c.recreated;
  const changed = c.created + configured + c.deleted;
  return {
    changed: String(changed),
    created: String(c.created),
    configured: String(configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    'has-changes': String(changed > 0),
  };
}
