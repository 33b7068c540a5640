/** Inputs of `apply PATH` (or `apply --manifests FILE`). */
import { buildFlags, parseBuildConfig, type BuildConfig } from './build.ts';
import { parseBoolean, type InputReader, type ShellOptions } from './inputs.ts';
import { kubeFlags, parseDuration, parseKubeInputs, type KubeConfigInputs } from './kube.ts';
import type { Env } from '../ports.ts';

/** `apply`: staged server-side apply, prune and health wait. */
export interface ApplyConfig {
  readonly command: 'apply';
  readonly kube: KubeConfigInputs;
  /** Wait until every applied object is ready. */
  readonly wait: boolean;
  /** Limit for the readiness wait and for CRDs to become Established. */
  readonly timeoutMs: number;
  /** The targets to build first, when PATH is given instead of --manifests. */
  readonly build: BuildConfig | undefined;
}

/** CLI flags of `apply` (names equal the Action inputs). */
export const applyFlags = {
  ...buildFlags,
  ...kubeFlags,
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** Reads and validates the inputs of `apply`. */
export function parseApplyConfig(
  read: InputReader,
  env: Env,
  shell: ShellOptions = { stdoutIsLog: false },
): ApplyConfig {
  const kube = parseKubeInputs(read, env, 'apply');
  return {
    command: 'apply',
    kube,
    wait: parseBoolean(read, 'wait'),
    timeoutMs: parseDuration(read, 'timeout', 5 * 60_000),
    build:
      kube.manifests === undefined
        ? parseBuildConfig(read, env, { ...shell, stdoutIsLog: false })
        : undefined,
  };
}
