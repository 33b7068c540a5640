/**
 * `diff --manifests FILE`: what applying the rendered manifests would change. Exit 0 when
 * nothing changes, 1 when something does, 2 on error (including objects whose dry run fails).
 */
import { diffFlags, parseDiffConfig, type DiffConfig } from '../config/diff.ts';
import { adoptHashedSecretNames } from '../kube/adopt-hashed-names.ts';
import { diffObjects, renderDiffText, type DiffReport } from '../kube/diff.ts';
import { UndecryptedFiles } from '../kustomize/placeholder.ts';
import type { Command } from './command.ts';
import { diffAgainstRef } from './diff-against.ts';
import { loadObjects } from './kube-run.ts';
import { noteUndecrypted } from './undecrypted-note.ts';

export const diffCommand: Command<DiffConfig> = {
  name: 'diff',
  summary: 'show what apply would change in the cluster (Secrets compared decrypted, shown masked)',
  usage: `diff PATH... [--against REF] | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--require-decryption]`,
  flags: diffFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseDiffConfig,
  paths: (config) => config.build?.paths ?? [],
  async run(config, deps) {
    const { host } = deps;
    // Without require-decryption, files no key opens get placeholders (diff only; see
    // kustomize/placeholder.ts). Build and apply never pass this, so they still fail.
    const undecrypted = config.requireDecryption ? undefined : new UndecryptedFiles();
    const shared = undecrypted === undefined ? {} : { undecrypted };
    let report: DiffReport;
    if (config.against === undefined) {
      const built = await host.group('build', () => loadObjects(config.kube, config.build, deps, shared));
      const client = await deps.kubeClient(config.kube);
      try {
        // A generated Secret built from placeholders has a hash of the placeholders in its
        // name; it takes the live name it stands for, so it and its referrers compare with
        // what is live (kube/adopt-hashed-names.ts). Nothing to do when all was decrypted.
        report = await host.group('diff', async () => {
          const { objects, reasons } =
            undecrypted !== undefined && undecrypted.size > 0
              ? await adoptHashedSecretNames(client, built, config.kube.fieldManager)
              : { objects: built, reasons: undefined };
          return diffObjects(client, objects, {
            ...(reasons === undefined ? {} : { reasons }),
            fieldManager: config.kube.fieldManager,
            concurrency: config.kube.concurrency,
            force: config.kube.force,
            applySet: config.kube.applySet,
            prune: config.kube.prune,
          });
        });
      } finally {
        client.close();
      }
    } else {
      const against = await host.group('build and diff', () => diffAgainstRef(config, deps, shared));
      host.info(`compared with ${config.against} (${against.commit.slice(0, 12)}); no cluster was read`);
      report = against.report;
    }
    report = noteUndecrypted(report, undecrypted?.list() ?? [], config.kube.env, host);
    host.writeStdout(renderDiffText(report));
    await deps.reporter.report('diff', {
      report,
      tag: config.build?.paths.join(', ') ?? config.kube.manifests ?? 'diff',
      file: config.build?.output,
    });
    if (report.counts.failed > 0) return 2;
    return report.changed ? 1 : 0;
  },
};
