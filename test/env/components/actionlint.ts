/**
 * actionlint, to check the project's own workflows (`.github/workflows/*.yml`): they cannot run
 * here, so a linter that knows GitHub's workflow schema and expression syntax stands in for a
 * real run. Built from the Go module proxy at a pinned version.
 */
import type { Component } from '../component.ts';
import { goInstall } from '../go-install.ts';

export const ACTIONLINT_VERSION = 'v1.7.12';

/** The `actionlint` component: no server, no info; the binary is at `toolPath('actionlint')`. */
export const actionlint: Component = {
  name: 'actionlint',
  async install(): Promise<void> {
    await goInstall({
      name: 'actionlint',
      module: 'github.com/rhysd/actionlint',
      packages: ['github.com/rhysd/actionlint/cmd/actionlint'],
      version: ACTIONLINT_VERSION,
      binaries: ['actionlint'],
    });
  },
};
