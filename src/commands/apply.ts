/**
 * `apply --manifests FILE`: staged server-side apply, ApplySet prune and an optional health
 * wait. Exit 0 on success; 2 on failure, with every object marked applied or not.
 */
import { applyFlags, parseApplyConfig, type ApplyConfig } from '../config/apply.ts';
import { applyFailure, applyObjects, redactApplyReport, renderApplyText } from '../kube/apply.ts';
import { privateRootParent } from '../private-file.ts';
import type { Command } from './command.ts';
import { applyFlux } from './flux-apply.ts';
import { loadObjects } from './kube-run.ts';

export const applyCommand: Command<ApplyConfig> = {
  name: 'apply',
  summary: 'server-side apply the manifests in stages, prune the ApplySet, and wait for health',
  usage: `apply PATH... | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--wait] [--timeout 5m]
        [--flux [--flux-source KIND/NAMESPACE/NAME=DIR]... [--flux-kustomization NAME]...
          [--helm-path PATH] [--kube-version V]]`,
  flags: applyFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseApplyConfig,
  paths: (config) => config.build?.paths ?? [],
  privateRoots: (config) => (config.build === undefined ? undefined : privateRootParent(config.build.env)),
  async run(config, deps) {
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
  },
};
