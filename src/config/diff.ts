/** Inputs of `diff PATH` (or `diff --manifests FILE`). */
import { UserError } from '../errors.ts';
import { gitAuthFor, type GitAuth } from '../git/auth.ts';
import { buildFlags, parseBuildConfig, type BuildConfig } from './build.ts';
import { optional, parseBoolean, type InputReader, type ShellOptions } from './inputs.ts';
import { kubeFlags, parseKubeInputs, type KubeConfigInputs } from './kube.ts';
import type { Env } from '../ports.ts';

/** `diff`: what applying the manifests would change in the cluster. */
export interface DiffConfig {
  readonly command: 'diff';
  readonly kube: KubeConfigInputs;
  /** The targets to build first, when PATH is given instead of --manifests. */
  readonly build: BuildConfig | undefined;
  /**
   * A git ref to compare the build with instead of the cluster (no cluster access at all);
   * undefined for the default, `cluster`.
   */
  readonly against: string | undefined;
  /**
   * Fail when a SOPS file cannot be decrypted (`require-decryption`). Off by default: a pull
   * request from a fork has no secrets and no OIDC token, and its diff should still run, with
   * the values it cannot decrypt shown as `(encrypted; not decrypted in this run)`. Only diff
   * has this choice; build and apply always fail on a missing key.
   */
  readonly requireDecryption: boolean;
  /**
   * Credentials for fetching the `against` ref into a shallow checkout: the Action's
   * github-token (an input the CLI does not have, so there git uses the user's own).
   */
  readonly fetchAuth: GitAuth | undefined;
}

/** CLI flags of `diff` (names equal the Action inputs): the build flags plus the cluster ones. */
export const diffFlags = {
  ...buildFlags,
  ...kubeFlags,
  against: { type: 'string' },
  'require-decryption': { type: 'boolean' },
} as const;

// A ref git could resolve, and nothing git could read as an option or a pathspec.
const GIT_REF = /^[^-\s\\:?*[][^\s\\:?*[]*$/u;

/** Reads `against`: undefined for the cluster, or a validated git ref. */
export function parseAgainst(read: InputReader): string | undefined {
  const raw = optional(read('against'));
  if (raw === undefined || raw === 'cluster') return undefined;
  // eslint-disable-next-line no-control-regex
  if (!GIT_REF.test(raw) || /[\u0000-\u001f\u007f]/u.test(raw) || raw.length > 256) {
    throw new UserError('USAGE', `against is "${raw}"; expected cluster or a git ref such as main or HEAD~1`);
  }
  return raw;
}

/** Reads and validates the inputs of `diff`. */
export function parseDiffConfig(
  read: InputReader,
  env: Env,
  shell: ShellOptions = { stdoutIsLog: false },
): DiffConfig {
  const kube = parseKubeInputs(read, env, 'diff');
  const against = parseAgainst(read);
  if (against !== undefined && kube.manifests !== undefined) {
    throw new UserError('USAGE', 'against needs a PATH to build at the ref, not --manifests');
  }
  return {
    command: 'diff',
    kube,
    // Built in memory for the diff: the manifests never go to stdout or a file.
    build:
      kube.manifests === undefined
        ? parseBuildConfig(read, env, { ...shell, stdoutIsLog: false })
        : undefined,
    against,
    requireDecryption: parseBoolean(read, 'require-decryption'),
    fetchAuth: against === undefined ? undefined : gitAuthFor(read('github-token'), env),
  };
}
