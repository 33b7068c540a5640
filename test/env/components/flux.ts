/**
 * The Flux CLI, the oracle for Flux mode: `flux build kustomization` renders a Kustomization
 * exactly as kustomize-controller does. `go install` cannot build it (`cmd/flux` embeds
 * `manifests/*.yaml`, which Flux's release build generates), so it is built from a copy of
 * the module source with one placeholder manifest; `flux build` never reads those manifests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Component } from '../component.ts';
import { goBuildFromSource } from '../go-install.ts';

/** Flux 2.9, the release whose kustomize-controller (v1) Flux mode follows. */
export const FLUX_VERSION = 'v2.9.5';

/** The `flux` component: no server, no info; the binary is at `toolPath('flux')`. */
export const flux: Component = {
  name: 'flux',
  async install(): Promise<void> {
    await goBuildFromSource({
      name: 'flux',
      module: 'github.com/fluxcd/flux2/v2',
      version: FLUX_VERSION,
      packages: ['./cmd/flux'],
      binaries: ['flux'],
      ldflags: `-s -w -X main.VERSION=${FLUX_VERSION.slice(1)}`,
      prepare(source) {
        mkdirSync(path.join(source, 'cmd', 'flux', 'manifests'), { recursive: true });
        writeFileSync(
          path.join(source, 'cmd', 'flux', 'manifests', 'placeholder.yaml'),
          '# placeholder: the release build generates the install manifests here\n',
        );
      },
    });
  },
};
