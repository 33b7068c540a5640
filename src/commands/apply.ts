/**
 * `apply --manifests FILE`: staged server-side apply, ApplySet prune and an optional health
 * wait. Exit 0 on success; 2 on failure, with every object marked applied or not. The command's
 * spec; the work is in apply-run.ts, loaded only when the command runs.
 */
import { applyFlags, parseApplyConfig, type ApplyConfig } from '../config/apply.ts';
import { privateRootParent } from '../private-file.ts';
import type { Command } from './command.ts';

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
    const { runApply } = await import('./apply-run.ts');
    return runApply(config, deps);
  },
};
