/**
 * The ref side of `diff PATH --against REF`: build the targets at a git ref and in the
 * working tree, and compare the rendered objects (kube/compare-rendered.ts). Needs no
 * cluster, for CI that cannot reach one. One data-key cache serves both builds, so each key
 * is unwrapped once. The git work (the ref, its temporary worktree) is src/git/.
 */
import path from 'node:path';
import type { BuildConfig } from '../config/build.ts';
import type { DiffConfig } from '../config/diff.ts';
import { UserError } from '../errors.ts';
import { UnrenderedReleases, type UnrenderedRelease } from '../flux/helm-releases.ts';
import { ChartCache } from '../helm/chart-source.ts';
import { repositoryRoot, resolveRef } from '../git/resolve-ref.ts';
import { checkoutRef, existsInTree, mapIntoTree } from '../git/worktree.ts';
import { createKeySources } from '../keys/key-sources.ts';
import type { KubeObject } from '../kube/client.ts';
import { compareRendered } from '../kube/compare-rendered.ts';
import type { DiffReport } from '../kube/diff.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { cacheKeySources } from '../kustomize/key-cache.ts';
import { privateRootParent } from '../private-file.ts';
import type { CommandDeps } from './command.ts';
import { prepareKustomize } from './kustomize-tool.ts';
import { noteHelmReleases, withoutUnrendered } from './flux-helm-diff.ts';
import { renderObjects } from './kube-run.ts';

/**
 * A substitute-from file as the ref has it: each side of the diff reads its own copy, so a
 * change to the variables shows. A file outside the repository, or missing at the ref, is
 * read from where it is for both sides, and the log says so.
 */
function substituteFileAtRef(
  file: string,
  at: { readonly repo: string; readonly tree: string; readonly against: string },
  deps: CommandDeps,
): string {
  const relative = path.relative(at.repo, path.resolve(file));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  const mapped = path.join(at.tree, relative);
  if (existsInTree(mapped)) return mapped;
  deps.host.info(
    `substitute-from ${file} does not exist at ${at.against}: both sides use the working tree's copy`,
  );
  return file;
}

/** Builds the targets at the ref, from a temporary worktree that is removed whatever happens. */
async function buildAtRef(
  build: BuildConfig,
  at: { readonly repo: string; readonly commit: string; readonly against: string },
  deps: CommandDeps,
  shared: Parameters<typeof renderObjects>[2],
): Promise<KubeObject[]> {
  const { repo, commit, against } = at;
  const tree = await checkoutRef(repo, commit, {
    exec: deps.exec,
    env: build.env,
    parentDir: privateRootParent(build.env),
  });
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
      substituteFrom: build.substituteFrom.map((file) =>
        substituteFileAtRef(file, { repo, tree: tree.dir, against }, deps),
      ),
    };
    if (baseConfig.paths.length === 0) return [];
    // Name targets as the user wrote them, at the ref, not by their temporary checkout.
    const nameTarget = (target: string): string =>
      `${path.relative(tree.dir, target).split(path.sep).join('/') || '.'} at ${against}`;
    return await renderObjects(baseConfig, deps, { ...shared, nameTarget }, `the build at ${against}`);
  } finally {
    await tree.cleanup();
  }
}

/** The report of `diff --against REF` and the commit the ref resolved to. */
export async function diffAgainstRef(
  config: DiffConfig,
  deps: CommandDeps,
  options: {
    readonly undecrypted?: UndecryptedFiles;
    /** The group of an object (Flux mode: its Kustomization). */
    readonly groupOf?: (object: KubeObject) => string | undefined;
    /** Flux mode: the working tree's suspended Kustomizations (what merging leaves suspended). */
    readonly suspended?: Set<string>;
  } = {},
): Promise<{ report: DiffReport; commit: string }> {
  const { build, against } = config;
  if (build === undefined || against === undefined) {
    throw new UserError('USAGE', 'against needs a PATH to build and a git ref');
  }
  const first = build.paths[0];
  if (first === undefined) throw new UserError('USAGE', 'against needs a PATH to build');
  const repo = await repositoryRoot(first, deps.exec, build.env);
  const commit = await resolveRef(repo, against, deps.exec, build.env, config.fetchAuth);
  // One kustomize for both builds: installed (kustomize-version) and named in the log once.
  const tool = await prepareKustomize(build, deps);
  const keySources = cacheKeySources(
    await createKeySources(build.keys, { host: deps.host, exec: deps.exec }),
  );
  // Both builds record into one list: a file at the ref has the same path as in the tree.
  const shared = {
    keySources,
    tool,
    ...(options.undecrypted === undefined ? {} : { undecrypted: options.undecrypted }),
  };

  // Flux mode: each side records the HelmReleases it could not render.
  const flux = build.flux;
  const headUnrendered = new UnrenderedReleases();
  const baseUnrendered = new UnrenderedReleases();
  // Both sides share one chart cache: a chart the PR does not change is fetched once.
  const charts = flux ? new ChartCache() : undefined;

  // The two builds are independent and kustomize uses one core, so they run side by side.
  // Both settle before anything is thrown, so the checkout at the ref is always removed.
  const headBuild = renderObjects(
    build,
    deps,
    charts === undefined
      ? shared
      : { ...shared, unrendered: headUnrendered, charts, suspended: options.suspended },
    'the working tree build',
  );
  const baseBuild = buildAtRef(
    build,
    { repo, commit, against },
    deps,
    charts === undefined ? shared : { ...shared, unrendered: baseUnrendered, charts },
  );
  const [head, base] = await Promise.allSettled([headBuild, baseBuild]);
  await charts?.dispose();
  if (head.status === 'rejected') throw head.reason;
  if (base.status === 'rejected') throw base.reason;
  const compareOptions = {
    secrets: deps.secrets,
    ...(options.groupOf === undefined ? {} : { groupOf: options.groupOf }),
  };
  const labels = { base: against, head: 'working tree' };
  if (!flux) {
    return { report: compareRendered(base.value, head.value, labels, compareOptions), commit };
  }
  // A release not rendered on both sides from the same inputs (the HelmRelease, its chart
  // source and valuesFrom objects: flux/release-inputs.ts) renders the same on both: no change,
  // and nothing unknown. Any other release not rendered on either side is unknown on both, and
  // its objects are left out.
  const baseInputs = new Map(
    baseUnrendered
      .list()
      .filter((r) => r.kind === undefined)
      .map((r) => [r.id, r.inputs]),
  );
  const same = new Set(
    headUnrendered
      .list()
      .filter((r) => r.kind === undefined && r.inputs !== undefined && baseInputs.get(r.id) === r.inputs)
      .map((r) => r.id),
  );
  if (same.size > 0) {
    deps.host.info(
      `${same.size} HelmRelease${same.size === 1 ? '' : 's'} not rendered in this run, with the same HelmRelease, chart source and valuesFrom objects at ${against} as in the working tree, so what they render does not change: ${[...same].join(', ')}`,
    );
  }
  const unknown = new UnrenderedReleases();
  const isSame = (r: UnrenderedRelease): boolean => r.kind === undefined && same.has(r.id);
  for (const r of headUnrendered.list()) if (!isSame(r)) unknown.add(r);
  for (const r of baseUnrendered.list()) {
    if (!isSame(r)) unknown.add({ ...r, reason: `at ${against}: ${r.reason}` });
  }
  const baseObjects = withoutUnrendered(base.value, unknown.list());
  const headObjects = withoutUnrendered(head.value, unknown.list());
  const compared = compareRendered(baseObjects, headObjects, labels, compareOptions);
  // A release of a Kustomization not rendered on one side is covered by that Kustomization's entry.
  const unknownKustomizations = new Set(
    unknown
      .list()
      .filter((r) => r.kind !== undefined)
      .map((r) => r.id),
  );
  const reported = unknown
    .list()
    .filter((r) => r.kind !== undefined || !unknownKustomizations.has(r.kustomization));
  const report = noteHelmReleases(compared, [...baseObjects, ...headObjects], reported);
  return { report, commit };
}
