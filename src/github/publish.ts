/**
 * The Action's Reporter: a command's result becomes step outputs, the job summary, a report
 * file and the sticky pull-request comment. No `@actions/*` here: the Actions host does the
 * talking, and the commenter (sticky-commenter.ts) posts the comment. The diff's part is
 * publish-diff.ts, loaded only when a diff is reported.
 */
import type { CommandReporter, CommandResults } from '../commands/command.ts';
import type { Host } from '../ports.ts';
import type { ApplyReport } from '../kube/apply.ts';
import type { LintResult } from '../lint/lint.ts';
import { renderApplySummary } from './apply-report.ts';
import { renderLintSummary } from './lint-report.ts';
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
    // The diff's rendering (kube/diff.ts) loads only when a diff is reported.
    diff: (result) =>
      host.group('report', async () => {
        const { publishDiff } = await import('./publish-diff.ts');
        await publishDiff(host, result, options);
      }),
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
