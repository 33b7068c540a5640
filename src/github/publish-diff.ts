/**
 * The Action's report of a diff (see publish.ts): outputs, the full diff file, the job summary
 * and the sticky comment. Apart from publish.ts so that the Action's other commands do not load
 * the diff rendering at start-up.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import type { CommandResults } from '../commands/command.ts';
import type { Host } from '../ports.ts';
import { renderDiffText } from '../kube/diff.ts';
import { diffOutputs, renderDiffComment, renderDiffSummary } from './diff-report.ts';
import type { GithubReporterOptions } from './publish.ts';
import { writePrivateFile } from '../private-file.ts';

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
