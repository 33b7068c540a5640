/**
 * `build PATH`: what the cluster would get. The command's spec; the work is in build-run.ts,
 * loaded only when the command runs.
 */
import { buildFlags, parseBuildConfig, type BuildConfig } from '../config/build.ts';
import { privateRootParent } from '../private-file.ts';
import type { Command } from './command.ts';

export const buildCommand: Command<BuildConfig> = {
  name: 'build',
  summary: 'decrypt in a private root with every MAC verified, then kustomize build',
  usage: `build PATH... [--output FILE] [--kustomize PATH | --kustomize-version V] [--enable-helm] [--load-restrictor R]
        [--substitute K=V]... [--substitute-from FILE]... [--substitute-strict] [--max-file-size BYTES]
        [--allow-remote none|public|HOST,...] [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--flux [--flux-source KIND/NAMESPACE/NAME=DIR]... [--flux-kustomization NAME]...
          [--helm-path PATH] [--kube-version V]]`,
  flags: buildFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseBuildConfig,
  paths: (config) => config.paths,
  privateRoots: (config) => privateRootParent(config.env),
  async run(config, deps) {
    const { runBuild } = await import('./build-run.ts');
    await deps.host.group('build', () => runBuild(config, deps));
    return 0;
  },
};
