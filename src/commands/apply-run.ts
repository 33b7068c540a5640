/**
 * The work of `apply` (the spec is apply.ts): staged server-side apply, ApplySet prune and an
 * optional health wait. Exit 0 on success; 2 on failure, with every object marked applied or not.
 */
import type { ApplyConfig } from '../config/apply.ts';
import { applyFailure, applyObjects, redactApplyReport, renderApplyText } from '../kube/apply.ts';
import type { CommandDeps } from './command.ts';
import { applyFlux } from './flux-apply.ts';
import { loadObjects } from './kube-run.ts';

export async function runApply(config: ApplyConfig, deps: CommandDeps): Promise<number> {
  // Flux mode: one apply per Kustomization, in dependsOn order (flux-apply.ts).
  if (config.build?.flux === true) return applyFlux(config, deps);
  const { host } = deps;
  const objects = await host.group('build', () => loadObjects(config.kube, config.build, deps));
  const client = await deps.kubeClient(config.kube);
  try {
    const applied = await host.group('apply', () =>
      applyObjects(client, objects, {
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
        force: config.kube.force,
        applySet: config.kube.applySet,
        prune: config.kube.prune,
        wait: config.wait,
        timeoutMs: config.timeoutMs,
      }),
    );
    // Stdout, the summary, the outputs and the error all come from this one masked report.
    const report = redactApplyReport(applied, deps.secrets);
    host.writeStdout(renderApplyText(report));
    await deps.reporter.report('apply', {
      report,
      title: config.build?.paths.join(', ') ?? config.kube.manifests ?? '',
    });
    // The report above lists every object; the error says which were applied and which not.
    const failure = applyFailure(report);
    if (failure !== undefined) throw failure;
    return 0;
  } finally {
    client.close();
  }
}
