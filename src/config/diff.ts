/** Inputs of `diff PATH` (or `diff --manifests FILE`). */
import { buildFlags, parseBuildConfig, type BuildConfig } from './build.ts';
import type { Env, InputReader } from './inputs.ts';
import { kubeFlags, parseKubeInputs, type KubeConfigInputs } from './kube.ts';

/** `diff`: what applying the manifests would change in the cluster. */
export interface DiffConfig {
  readonly command: 'diff';
  readonly kube: KubeConfigInputs;
  /** The targets to build first, when PATH is given instead of --manifests. */
  readonly build: BuildConfig | undefined;
}

/** CLI flags of `diff` (names equal the Action inputs): the build flags plus the cluster ones. */
export const diffFlags = { ...buildFlags, ...kubeFlags } as const;

/** Reads and validates the inputs of `diff`. */
export function parseDiffConfig(read: InputReader, env: Env): DiffConfig {
  const kube = parseKubeInputs(read, env, 'diff');
  return {
    command: 'diff',
    kube,
    // Built in memory for the diff: the manifests never go to stdout or a file.
    build: kube.manifests === undefined ? parseBuildConfig(read, env, { stdoutIsLog: false }) : undefined,
  };
}
