/**
 * `diff --manifests FILE`: what applying the rendered manifests would change. Exit 0 when
 * nothing changes, 1 when something does, 2 on error (including objects whose dry run fails).
 */
import { diffFlags, parseDiffConfig, type DiffConfig } from '../config/diff.ts';
import { diffObjects, renderDiffText } from '../kube/diff.ts';
import type { Command } from './command.ts';
import { loadObjects, openClient } from './kube-run.ts';

export const diffCommand: Command<DiffConfig> = {
  name: 'diff',
  summary: 'show what apply would change in the cluster (Secrets compared decrypted, shown masked)',
  usage: `diff PATH... | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]]`,
  flags: diffFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseDiffConfig,
  async run(config, deps) {
    const objects = await loadObjects(config.kube, config.build, deps);
    const client = await openClient(config.kube);
    try {
      const report = await diffObjects(client, objects, {
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
        force: config.kube.force,
        applySet: config.kube.applySet,
        prune: config.kube.prune,
      });
      deps.host.writeStdout(renderDiffText(report));
      if (report.counts.failed > 0) return 2;
      return report.changed ? 1 : 0;
    } finally {
      client.close();
    }
  },
};
