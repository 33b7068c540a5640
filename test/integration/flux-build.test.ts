/**
 * `build --flux` end to end through the command (config parsing included): the output of
 * each vendored Flux example repository, split by Flux's owner labels, equals what
 * `flux build kustomization` (v2.9.5) renders for each Kustomization, object for object;
 * `--flux-kustomization` narrows it, `--flux-source` maps a source, `--substitute` is refused.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { renderManifests } from '../../src/commands/build-run.ts';
import { parseBuildConfig } from '../../src/config/build.ts';
import { errorMessage, UserError } from '../../src/errors.ts';
import { syntheticRoot } from '../../src/flux/discover.ts';
import { isArtifactGenerator, parseArtifactGenerator } from '../../src/flux/artifact-generator.ts';
import {
  isFluxKustomization,
  kustomizationId,
  parseFluxKustomization,
  type FluxKustomization,
} from '../../src/flux/kustomization.ts';
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from '../../src/flux/render.ts';
import { FluxSources } from '../../src/flux/sources.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { repoRoot } from '../env/paths.ts';
import { commandDeps } from '../support/command-deps.ts';
import { compareWithFlux, fluxBuild } from '../support/flux.ts';
import { tool } from '../support/tools.ts';

const REPOS = path.join(repoRoot, 'test', 'fixtures', 'flux-repos');
let kustomize: string;
before(async () => {
  kustomize = await tool('kustomize');
});

type Obj = Record<string, unknown>;

async function buildFlux(inputs: Record<string, string>): Promise<{ objects: Obj[]; logs: string }> {
  const host = createMemoryHost();
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
  // flux build renders no charts, so neither does this comparison: the example repositories'
  // chart repositories are on the internet, and allow-remote none leaves their HelmReleases
  // "not rendered" wherever helm is installed.
  const all: Record<string, string> = {
    flux: 'true',
    'kustomize-path': kustomize,
    'allow-remote': 'none',
    ...inputs,
  };
  const config = parseBuildConfig((name) => all[name] ?? '', env, { stdoutIsLog: false });
  const yaml = await renderManifests(config, commandDeps(host));
  const objects = parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null);
  return { objects, logs: host.logs.join('\n') };
}

function owner(o: Obj): string {
  const labels = ((o['metadata'] as Obj | undefined)?.['labels'] ?? {}) as Record<string, string>;
  return `${labels[FLUX_NAMESPACE_LABEL] ?? '?'}/${labels[FLUX_NAME_LABEL] ?? '?'}`;
}

for (const [repo, entry] of [
  ['flux2-kustomize-helm-example', 'clusters/staging'],
  ['flux2-kustomize-helm-example', 'clusters/production'],
  ['flux2-multi-tenancy', 'clusters/staging'],
  ['flux2-multi-tenancy', 'clusters/production'],
] as const) {
  test(`build --flux ${repo} ${entry}: each Kustomization's objects equal flux build's`, async () => {
    const root = path.join(REPOS, repo);
    const { objects, logs } = await buildFlux({ path: path.join(root, entry), root });
    // The Kustomizations to check come from the output itself: the root, and every
    // Kustomization object some rendered Kustomization holds.
    const kustomizations: FluxKustomization[] = [syntheticRoot(entry)];
    const sources = new FluxSources(root, new Map(), {});
    for (const o of objects) {
      if (isFluxKustomization(o)) kustomizations.push(parseFluxKustomization(o, 'output'));
      if (isArtifactGenerator(o)) sources.addGenerator(parseArtifactGenerator(o, 'output', 'flux-system'));
    }
    const groups = new Map<string, Obj[]>();
    for (const o of objects) groups.set(owner(o), [...(groups.get(owner(o)) ?? []), o]);
    const problems: string[] = [];
    let compared = 0;
    try {
      for (const k of kustomizations) {
        const source = await sources.resolve(k.sourceRef);
        if (!source.ok) {
          assert.match(
            logs,
            new RegExp(
              `not rendered: source ${k.sourceRef.kind} ${k.sourceRef.namespace}/${k.sourceRef.name}`,
            ),
          );
          assert.equal(groups.has(kustomizationId(k)), false);
          continue;
        }
        const theirs = await fluxBuild(k, path.resolve(source.dir, k.path));
        for (const p of compareWithFlux(groups.get(kustomizationId(k)) ?? [], theirs)) {
          problems.push(`${kustomizationId(k)}: ${p}`);
        }
        compared++;
      }
    } finally {
      await sources.cleanup();
    }
    assert.deepEqual(problems, []);
    assert.equal(compared, 4);
    assert.equal(groups.size, 4, [...groups.keys()].join(', '));
  });
}

test('--flux-kustomization narrows the output to the named Kustomizations', async () => {
  const root = path.join(REPOS, 'flux2-kustomize-helm-example');
  const { objects } = await buildFlux({
    path: path.join(root, 'clusters/staging'),
    root,
    'flux-kustomization': 'apps\nflux-system/infra-configs',
  });
  assert.deepEqual([...new Set(objects.map(owner))].sort(), [
    'flux-system/apps',
    'flux-system/infra-configs',
  ]);
  await assert.rejects(
    buildFlux({ path: path.join(root, 'clusters/staging'), root, 'flux-kustomization': 'nope' }),
    (e) => /flux-kustomization nope: .* renders no Kustomization of that name/.test(errorMessage(e)),
  );
});

test('--flux-source maps another repository; --substitute is refused in Flux mode', async () => {
  const root = path.join(REPOS, 'flux2-multi-tenancy');
  // The dev-team GitRepository is another repository upstream (the staging patch points the
  // Kustomization at its ./staging): a folder stands in for it.
  const devTeam = await mkdtemp(path.join(tmpdir(), 'ksd-dev-team-'));
  await mkdir(path.join(devTeam, 'staging'));
  await writeFile(
    path.join(devTeam, 'staging', 'app.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\ndata:\n  a: b\n',
  );
  const { objects } = await buildFlux({
    path: path.join(root, 'clusters/staging'),
    root,
    'flux-source': `GitRepository/apps/dev-team=${devTeam}`,
    'flux-kustomization': 'apps/dev-team',
  });
  assert.deepEqual(
    objects.map((o) => [owner(o), o['kind'], (o['metadata'] as Obj)['namespace']]),
    [['apps/dev-team', 'ConfigMap', undefined]],
  );
  await assert.rejects(
    buildFlux({ path: path.join(root, 'clusters/staging'), root, substitute: 'A=1' }),
    (e) => errorMessage(e).includes('--substitute does not apply with --flux'),
  );
  assert.throws(
    () =>
      parseBuildConfig(
        (name) => ({ path: root, 'flux-source': 'GitRepository/a/b=x' })[name] ?? '',
        {},
        { stdoutIsLog: false },
      ),
    (e) => errorMessage(e).includes('flux-source and flux-kustomization apply only with flux'),
  );
});

test('.sourceignore: ignored files are not in the artifact; a kustomization that needs one fails, naming it', async () => {
  const root = path.join(REPOS, 'flux2-multi-tenancy');
  const devTeam = await mkdtemp(path.join(tmpdir(), 'ksd-dev-team-ignore-'));
  await mkdir(path.join(devTeam, 'staging'));
  const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  await writeFile(path.join(devTeam, 'staging', 'app.yaml'), cm('app'));
  await writeFile(path.join(devTeam, 'staging', 'draft.yaml'), cm('draft'));
  await writeFile(path.join(devTeam, '.sourceignore'), 'draft.yaml\n');
  const inputs = {
    path: path.join(root, 'clusters/staging'),
    root,
    'flux-source': `GitRepository/apps/dev-team=${devTeam}`,
    'flux-kustomization': 'apps/dev-team',
  };
  // No kustomization.yaml: Flux's generated one lists what the artifact holds.
  const { objects } = await buildFlux(inputs);
  assert.deepEqual(
    objects.map((o) => (o['metadata'] as Obj)['name']),
    ['app'],
  );
  await writeFile(
    path.join(devTeam, 'staging', 'kustomization.yaml'),
    'resources:\n  - app.yaml\n  - draft.yaml\n',
  );
  await assert.rejects(
    buildFlux(inputs),
    (e) =>
      e instanceof UserError &&
      /draft\.yaml/.test(e.message) &&
      /the source artifact leaves out staging\/draft\.yaml \(\.sourceignore/.test(e.hint ?? ''),
  );
});
