/** Inputs of `diff --manifests FILE`. */
import type { Env, InputReader } from './inputs.ts';
import { kubeFlags, parseKubeInputs, type KubeConfigInputs } from './kube.ts';

/** `diff`: what applying the manifests would change in the cluster. */
export interface DiffConfig {
  readonly command: 'diff';
  readonly kube: KubeConfigInputs;
}

/** CLI flags of `diff` (names equal the Action inputs). */
export const diffFlags = { ...kubeFlags } as const;

/** Reads and validates the inputs of `diff`. */
export function parseDiffConfig(read: InputReader, env: Env): DiffConfig {
  return { command: 'diff', kube: parseKubeInputs(read, env, 'diff') };
}
