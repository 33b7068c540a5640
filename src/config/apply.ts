/** Inputs of `apply --manifests FILE`. */
import { parseBoolean, type Env, type InputReader } from './inputs.ts';
import { kubeFlags, parseDuration, parseKubeInputs, type KubeConfigInputs } from './kube.ts';

/** `apply`: staged server-side apply, prune and health wait. */
export interface ApplyConfig {
  readonly command: 'apply';
  readonly kube: KubeConfigInputs;
  /** Wait until every applied object is ready. */
  readonly wait: boolean;
  /** Limit for the readiness wait and for CRDs to become Established. */
  readonly timeoutMs: number;
}

/** CLI flags of `apply` (names equal the Action inputs). */
export const applyFlags = { ...kubeFlags, wait: { type: 'boolean' }, timeout: { type: 'string' } } as const;

/** Reads and validates the inputs of `apply`. */
export function parseApplyConfig(read: InputReader, env: Env): ApplyConfig {
  return {
    command: 'apply',
    kube: parseKubeInputs(read, env, 'apply'),
    wait: parseBoolean(read, 'wait'),
    timeoutMs: parseDuration(read, 'timeout', 5 * 60_000),
  };
}
