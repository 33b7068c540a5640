/**
 * The Action's Reporter: a command's result becomes step outputs, the job summary, a report
 * file and the sticky pull-request comment. No `@actions/*` here: the Actions host does the
 * talking, and the commenter (sticky-commenter.ts) posts the comment.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import type { CommandReporter, CommandResults } from '../commands/command.ts';
import type { Host } from '../ports.ts';
import type { ApplyReport } from '../kube/apply.ts';
import { renderDiffText } from '../kube/diff.ts';
import type { LintResult } from '../lint/lint.ts';
import { renderApplySummary } from './apply-report.ts';
import { diffOutputs, renderDiffComment, renderDiffSummary } from './diff-report.ts';
import { renderLintSummary } from './lint-report.ts';
import { writePrivateFile } from '../private-file.ts';
import type { StickyCommenter } from './sticky-commenter.ts';

export interface GithubReporterOptions {
  /** Posts the sticky comment; undefined where there is no pull request or comments are off. */
  readonly commenter: StickyCommenter | undefined;
  /** RUNNER_TEMP, where the full diff goes when the build has no `output`. */
  readonly tempDir: string | undefined;
}

/** The Reporter for the Actions runner. */
export function createGithubReporter(host: Host, options: GithubReporterOptions): CommandReporter {
  const reporters: { readonly [K in keyof CommandResults]: (result: CommandResults[K]) => Promise<void> } = {
    diff: (result) => host.group('report', () => publishDiff(host, result, options)),
    apply: (result) => {
      publishApply(host, result.report, result.title);
      return Promise.resolve();
    },
    lint: (result) => {
      publishLint(host, result);
      return Promise.resolve();
    },
  };
  return {
    report: (command, result) => reporters[command](result),
  };
}

/**
 * Outputs (counts, `has-changes`, `diff-file`), the job summary, and the sticky comment
 * (deleted when nothing changes). A comment that cannot be posted is a warning, not a
 * failure: a fork's read-only token must not fail the diff.
 */
export async function publishDiff(
  host: Host,
  { report, tag, file: reportFile }: CommandResults['diff'],
  options: GithubReporterOptions,
): Promise<void> {
  for (const [name, value] of Object.entries(diffOutputs(report))) host.setOutput(name, value);
  const file =
    reportFile ?? path.join(options.tempDir ?? tmpdir(), `diff-${randomBytes(6).toString('hex')}.txt`);
  await writePrivateFile(file, renderDiffText(report));
  host.setOutput('diff-file', file);
  host.appendSummary(renderDiffSummary(report, tag));
  if (options.commenter === undefined) return;
  try {
    const result = await options.commenter(tag, (final) => renderDiffComment(report, final));
    if (result !== 'skipped') host.info(`pull request comment ${tag}: ${result}`);
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
