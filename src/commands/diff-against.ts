/**
 * `diff PATH --against REF`: build the targets at a git ref and in the working tree, and
 * report what the change does to the rendered objects. Needs no cluster, for CI that cannot
 * reach one. One data-key cache serves both builds, so each key is unwrapped once.
 */
import type { DiffConfig } from '../config/diff.ts';
import type { BuildConfig } from '../config/build.ts';
import { UserError } from '../errors.ts';
import { createKeySources } from '../keys/key-sources.ts';
import {
  checkoutRef,
  compareRendered,
  existsInTree,
  mapIntoTree,
  repositoryRoot,
  resolveRef,
} from '../kube/against-ref.ts';
import type { KubeObject } from '../kube/client.ts';
import { renderDiffText, type DiffReport } from '../kube/diff.ts';
import { parseManifests, secretValues } from '../kube/manifests.ts';
import { cacheKeySources } from '../kustomize/stage.ts';
import { renderManifests } from './build.ts';
import type { CommandDeps } from './command.ts';

async function buildObjects(
  config: BuildConfig,
  deps: CommandDeps,
  keySources: Parameters<typeof renderManifests>[2],
  source: string,
): Promise<KubeObject[]> {
  if (config.paths.length === 0) return [];
  const objects = parseManifests(await renderManifests(config, deps, keySources), source);
  for (const value of secretValues(objects)) deps.host.setSecret(value);
  return objects;
}

/** The report of `diff --against REF` and the commit the ref resolved to. */
export async function diffAgainstRef(
  config: DiffConfig,
  deps: CommandDeps,
): Promise<{ report: DiffReport; commit: string }> {
  const { build, against } = config;
  if (build === undefined || against === undefined) {
    throw new UserError('USAGE', 'against needs a PATH to build and a git ref');
  }
  const first = build.paths[0];
  if (first === undefined) throw new UserError('USAGE', 'against needs a PATH to build');
  const repo = await repositoryRoot(first, deps.exec, build.env);
  const commit = await resolveRef(repo, against, deps.exec, build.env);
  const keySources = cacheKeySources(
    await createKeySources(build.keys, { host: deps.host, exec: deps.exec }),
  );
  const shared = { keySources };

  const head = await buildObjects(build, deps, shared, 'the working tree build');
  const tree = await checkoutRef(repo, commit, deps.exec, build.env);
  try {
    const basePaths = build.paths.map((p) => mapIntoTree(p, repo, tree.dir));
    const present = basePaths.filter((p) => existsInTree(p));
    for (const [i, p] of basePaths.entries()) {
      if (!present.includes(p))
        deps.host.info(`${build.paths[i] ?? p} does not exist at ${against}: all its objects are new`);
    }
    const baseConfig: BuildConfig = {
      ...build,
      paths: present,
      root: build.root === undefined ? tree.dir : mapIntoTree(build.root, repo, tree.dir),
    };
    const base = await buildObjects(baseConfig, deps, shared, `the build at ${against}`);
    const report = compareRendered(base, head, { base: against, head: 'working tree' });
    return { report, commit };
  } finally {
    await tree.cleanup();
  }
}

/** Runs `diff --against REF`: exit 0 when the build is unchanged, 1 when it changes. */
export async function runDiffAgainst(config: DiffConfig, deps: CommandDeps): Promise<number> {
  const { report, commit } = await diffAgainstRef(config, deps);
  deps.host.info(`compared with ${config.against ?? ''} (${commit.slice(0, 12)}); no cluster was read`);
  deps.host.writeStdout(renderDiffText(report));
  return report.changed ? 1 : 0;
}
