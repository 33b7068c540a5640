/**
 * The command-line peers the tests compare against or drive: real sops (to produce and check
 * encrypted files), kustomize (the build step the action runs) and age/age-keygen (keys,
 * including post-quantum ones). Built from the Go module proxy at pinned versions.
 */
import type { Component } from '../component.ts';
import { goInstall } from '../go-install.ts';
import type { GoInstallSpec } from '../go-install.ts';

export const SOPS_VERSION = 'v3.13.3';
/**
 * v5.8.3 is newer, but its go.mod says `go 1.27.0` and the pinned toolchain is Go 1.26
 * (GOTOOLCHAIN=local), so 5.8.2 is the latest kustomize this environment can build.
 */
export const KUSTOMIZE_VERSION = 'v5.8.2';
/** 1.3 is the first age that reads post-quantum (`AGE-SECRET-KEY-PQ-1…`) identities. */
export const AGE_VERSION = 'v1.3.1';

const tools: readonly GoInstallSpec[] = [
  {
    name: 'sops',
    module: 'github.com/getsops/sops/v3',
    packages: ['github.com/getsops/sops/v3/cmd/sops'],
    version: SOPS_VERSION,
    binaries: ['sops'],
  },
  {
    name: 'kustomize',
    module: 'sigs.k8s.io/kustomize/kustomize/v5',
    packages: ['sigs.k8s.io/kustomize/kustomize/v5'],
    version: KUSTOMIZE_VERSION,
    binaries: ['kustomize'],
  },
  {
    name: 'age',
    module: 'filippo.io/age',
    packages: ['filippo.io/age/cmd/...'],
    version: AGE_VERSION,
    binaries: ['age', 'age-keygen'],
  },
];

/** The `cli-tools` component: no server, no info; the binaries are at `toolPath(name)`. */
export const cliTools: Component = {
  name: 'cli-tools',
  async install(): Promise<void> {
    // Queued together, so the three builds run back to back ahead of the slower components'
    // (goInstall runs two Go builds at a time, in the order asked); a failure names its tool.
    await Promise.all(tools.map((tool) => goInstall(tool)));
  },
};
