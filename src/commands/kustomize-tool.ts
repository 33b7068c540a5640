/**
 * The kustomize a run builds with, chosen once per run: the `kustomize-version` release
 * (installed into the tool cache first when it is not there), else `kustomize-path`, else
 * kustomize on PATH, else kubectl. What a build renders depends on it, so the first line of the
 * build's log and the job summary name it and its version (the version the binary itself
 * reports, as for helm in src/helm/helm-tool.ts).
 */
import type { BuildConfig } from '../config/build.ts';
import { resolveKustomize, type KustomizeTool } from '../kustomize/build.ts';
import { installKustomize } from '../kustomize/install.ts';
import type { CommandDeps } from './command.ts';

/** Resolves (and if asked, installs) the run's kustomize, and names it in the log and the summary. */
export async function prepareKustomize(
  config: Pick<BuildConfig, 'kustomizePath' | 'kustomizeRelease' | 'env'>,
  deps: CommandDeps,
): Promise<KustomizeTool> {
  const explicit =
    config.kustomizeRelease === undefined
      ? config.kustomizePath
      : await installKustomize(config.kustomizeRelease, { log: deps.host, env: config.env });
  const tool = await resolveKustomize(explicit, { exec: deps.exec, env: config.env });
  deps.host.info(`building with ${tool.description}`);
  deps.host.appendSummary(`Built with ${tool.description}.\n`);
  return tool;
}
