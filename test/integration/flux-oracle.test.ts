/**
 * Flux mode against the oracle: every Kustomization of Flux's example repositories, rendered
 * by discoverFlux, equals what `flux build kustomization` (Flux v2.9.5) renders for it,
 * object for object; and discovery finds exactly the Kustomizations Flux would reconcile,
 * listing the ones whose source is not in the repository.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { discoverFlux } from '../../src/flux/discover.ts';
import { kustomizationId } from '../../src/flux/kustomization.ts';
import { repoRoot } from '../env/paths.ts';
import { compareWithFlux, fluxBuild, fluxRenderDeps } from '../support/flux.ts';

const REPOS = path.join(repoRoot, 'test', 'fixtures', 'flux-repos');

const cases: {
  repo: string;
  entry: string;
  rendered: string[];
  notRendered: string[];
}[] = [
  {
    repo: 'flux2-kustomize-helm-example',
    entry: 'clusters/staging',
    rendered: [
      'flux-system/flux-system',
      'flux-system/infra-controllers',
      'flux-system/infra-configs',
      'flux-system/apps',
    ],
    notRendered: [],
  },
  {
    repo: 'flux2-kustomize-helm-example',
    entry: 'clusters/production',
    rendered: [
      'flux-system/flux-system',
      'flux-system/infra-controllers',
      'flux-system/infra-configs',
      'flux-system/apps',
    ],
    notRendered: [],
  },
  {
    repo: 'flux2-multi-tenancy',
    entry: 'clusters/staging',
    rendered: [
      'flux-system/flux-system',
      'flux-system/kyverno',
      'flux-system/kyverno-policies',
      'flux-system/tenants',
    ],
    notRendered: ['flux-system/kyverno-controller', 'apps/dev-team'],
  },
  {
    repo: 'flux2-multi-tenancy',
    entry: 'clusters/production',
    rendered: [
      'flux-system/flux-system',
      'flux-system/kyverno',
      'flux-system/kyverno-policies',
      'flux-system/tenants',
    ],
    notRendered: ['flux-system/kyverno-controller', 'apps/dev-team'],
  },
];

for (const c of cases) {
  test(`${c.repo} ${c.entry}: every Kustomization renders as flux build does`, async () => {
    const root = path.join(REPOS, c.repo);
    const deps = await fluxRenderDeps();
    const problems: string[] = [];
    const discovery = await discoverFlux(
      {
        entry: path.join(root, c.entry),
        repoRoot: root,
        async onRendered(rendered, sourceDir) {
          const k = rendered.kustomization;
          const theirs = await fluxBuild(k, path.resolve(sourceDir, k.path));
          for (const p of compareWithFlux(rendered.objects, theirs))
            problems.push(`${kustomizationId(k)}: ${p}`);
        },
      },
      deps,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      discovery.rendered.map((r) => kustomizationId(r.kustomization)),
      c.rendered,
    );
    assert.deepEqual(
      discovery.notRendered.map((n) => kustomizationId(n.kustomization)).sort(),
      [...c.notRendered].sort(),
    );
    for (const n of discovery.notRendered) assert.match(n.reason, /is not in this repository/);
  });
}
