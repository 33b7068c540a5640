/**
 * The work of `diff` (the spec is diff.ts): what applying the rendered manifests would change.
 * Exit 0 when nothing changes, 1 when something does, 2 on error (including objects whose dry
 * run fails).
 */
import { refuseOutputInTargets } from './build-run.ts';
import type { DiffConfig } from '../config/diff.ts';
import { redactDiffReport, renderDiffText } from '../kube/diff.ts';
import { UndecryptedFiles } from '../kustomize/placeholder.ts';
import type { CommandDeps } from './command.ts';
import { diffSides } from './diff-sides.ts';
import { fluxOwner, noteSuspended, withFluxGrouping } from './flux-diff-groups.ts';
import { noteUndecrypted } from './undecrypted-note.ts';

export async function runDiff(config: DiffConfig, deps: CommandDeps): Promise<number> {
  const { host } = deps;
  // The full diff never goes into what is being diffed (it would change the next build).
  if (config.build?.output !== undefined) {
    await refuseOutputInTargets(
      config.build,
      config.build.output,
      'write the diff outside the build targets, e.g. to $RUNNER_TEMP',
    );
  }
  // Without require-decryption, files no key opens get placeholders (diff only; see
  // kustomize/placeholder.ts). Build and apply never pass this, so they still fail.
  const undecrypted = config.requireDecryption ? undefined : new UndecryptedFiles();
  // Flux mode groups the report by Kustomization (flux-diff-groups.ts).
  const flux = config.build?.flux === true;
  const suspended = new Set<string>();
  const shared = {
    ...(undecrypted === undefined ? {} : { undecrypted }),
    ...(flux ? { groupOf: fluxOwner, suspended } : {}),
  };
  // The cluster, or the build at a git ref: one report either way (diff-sides.ts).
  let report = await diffSides(config, deps, shared);
  report = noteUndecrypted(report, undecrypted?.list() ?? [], config.kube.env, host);
  if (flux) report = withFluxGrouping(noteSuspended(report, suspended));
  // Every text below (stdout, the diff file, summary, outputs, the comment) comes from this
  // one report, so masking it here masks every channel.
  report = redactDiffReport(report, deps.secrets);
  host.writeStdout(renderDiffText(report));
  await deps.reporter.report('diff', {
    report,
    tag: config.build?.paths.join(', ') ?? config.kube.manifests ?? 'diff',
    file: config.build?.output,
  });
  if (report.counts.failed > 0) return 2;
  return report.changed ? 1 : 0;
}
