/**
 * The `helm` CLI (v4), the binary HelmRelease rendering runs and the oracle the tests compare
 * it with (`helm template`, `helm package`, `helm repo index`). Built from the Go module proxy
 * at a pinned version; the version is stamped into the binary as helm's release build does,
 * so `helm version` reports it.
 */
import type { Component } from '../component.ts';
import { goInstall } from '../go-install.ts';

/** v4.3.2's go.mod says `go 1.26.0`, which the pinned toolchain (Go 1.26) builds. */
export const HELM_VERSION = 'v4.3.2';

/** The `helm-cli` component: no server, no info; the binary is at `toolPath('helm')`. */
export const helmCli: Component = {
  name: 'helm-cli',
  async install(): Promise<void> {
    await goInstall({
      name: 'helm',
      module: 'helm.sh/helm/v4',
      packages: ['helm.sh/helm/v4/cmd/helm'],
      version: HELM_VERSION,
      binaries: ['helm'],
    });
  },
};
