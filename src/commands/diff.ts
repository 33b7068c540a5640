/**
 * `diff --manifests FILE`: what applying the rendered manifests would change. Exit 0 when
 * nothing changes, 1 when something does, 2 on error (including objects whose dry run fails).
 */
import { diffFlags, parseDiffConfig, type DiffConfig } from '../config/diff.ts';
import { diffObjects, renderDiffText } from '../kube/diff.ts';
import type { Command } from './command.ts';
import { loadManifests, openClient } from './kube-run.ts';

export const diffCommand: Command<DiffConfig> = {
  name: 'diff',
  summary: 'show what apply would change in the cluster (Secrets compared decrypted, shown masked)',
  usage: `diff --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]]`,
  flags: diffFlags,
  positionals: [],
  parse: parseDiffConfig,
  async run(config, deps) {
    const objects = await loadManifests(config.kube.manifests, deps.host);
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
