/**
 * `diff --manifests FILE`: what applying the rendered manifests would change. Exit 0 when
 * nothing changes, 1 when something does, 2 on error (including objects whose dry run fails).
 * The command's spec; the work is in diff-run.ts, loaded only when the command runs.
 */
import { diffFlags, parseDiffConfig, type DiffConfig } from '../config/diff.ts';
import { privateRootParent } from '../private-file.ts';
import type { Command } from './command.ts';

export const diffCommand: Command<DiffConfig> = {
  name: 'diff',
  summary: 'show what apply would change in the cluster (Secrets compared decrypted, shown masked)',
  usage: `diff PATH... [--against REF] | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--require-decryption]`,
  flags: diffFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseDiffConfig,
  paths: (config) => config.build?.paths ?? [],
  privateRoots: (config) => (config.build === undefined ? undefined : privateRootParent(config.build.env)),
  async run(config, deps) {
    const { runDiff } = await import('./diff-run.ts');
    return runDiff(config, deps);
  },
};
