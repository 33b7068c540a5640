/**
 * The kustomize release a run asks for (`kustomize-version`), as the config reads it: apart
 * from install.ts, which downloads it, so that parsing the inputs at start-up does not load the
 * installer (node:zlib, the tar reader, the download code).
 */
import { UserError } from '../errors.ts';

/** Where kustomize's releases are, by default. */
export const DEFAULT_KUSTOMIZE_DOWNLOAD_URL =
  'https://github.com/kubernetes-sigs/kustomize/releases/download';

/** A kustomize release to install, as the config reads it. */
export interface KustomizeRelease {
  /** The version without its `v`: `5.8.2`. */
  readonly version: string;
  /** The folder release tags are under; DEFAULT_KUSTOMIZE_DOWNLOAD_URL except in tests. */
  readonly downloadUrl: string;
  /** The runner's tool cache (RUNNER_TOOL_CACHE) in the Action; undefined for the per-user cache. */
  readonly toolCache: string | undefined;
}

/** `5.8.2` or `v5.8.2` as `5.8.2`; anything else is a USAGE error (it becomes a URL and a path). */
export function parseKustomizeVersion(value: string): string {
  const match = /^v?(\d{1,4}\.\d{1,4}\.\d{1,4})$/.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new UserError(
      'USAGE',
      `kustomize-version is "${value}"; expected a kustomize release such as 5.8.2`,
      {
        hint: 'the releases are listed at https://github.com/kubernetes-sigs/kustomize/releases',
      },
    );
  }
  return match[1];
}
