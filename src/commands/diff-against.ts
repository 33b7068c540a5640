/**
 * `diff PATH --against REF`: build the targets at a git ref and in the working tree, and
 * report what the change does to the rendered objects. Needs no cluster, for CI that cannot
 * reach one. One data-key cache serves both builds, so each key is unwrapped once.
 */
import path from 'node:path';
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
import { cacheKeySources } from '../kustomize/key-cache.ts';
import { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { isUndecryptedString } from '../sops/undecrypted.ts';
import { renderManifests } from './build.ts';
import type { CommandDeps } from './command.ts';
import { noteUndecrypted } from './undecrypted-note.ts';

async function buildObjects(
  config: BuildConfig,
  deps: CommandDeps,
  shared: Parameters<typeof renderManifests>[2],
  source: string,
): Promise<KubeObject[]> {
  if (config.paths.length === 0) return [];
  const objects = parseManifests(await renderManifests(config, deps, shared), source);
  // Placeholders (values this diff could not decrypt) are public text: not masked.
  for (const value of secretValues(objects)) if (!isUndecryptedString(value)) deps.host.setSecret(value);
  return objects;
}

/** The report of `diff --against REF` and the commit the ref resolved to. */
export async function diffAgainstRef(
  config: DiffConfig,
  deps: CommandDeps,
  options: { readonly undecrypted?: UndecryptedFiles } = {},
): Promise<{ report: DiffReport; commit: string }> {
  const { build, against } = config;
  if (build === undefined || against === undefined) {
    throw new UserError('USAGE', 'against needs a PATH to build and a git ref');
  }
  const first = build.paths[0];
  if (first === undefined) throw new UserError('USAGE', 'against needs a PATH to build');
  const repo = await repositoryRoot(first, deps.exec, build.env);
  const commit = await resolveRef(repo, against, deps.exec, build.env, config.fetchAuth);
  const keySources = cacheKeySources(
    await createKeySources(build.keys, { host: deps.host, exec: deps.exec }),
  );
  // Both builds record into one list: a file at the ref has the same path as in the tree.
  const shared = {
    keySources,
    ...(options.undecrypted === undefined ? {} : { undecrypted: options.undecrypted }),
  };

  // The two builds are independent and kustomize uses one core, so they run side by side.
  // Both settle before anything is thrown, so the checkout at the ref is always removed.
  const headBuild = buildObjects(build, deps, shared, 'the working tree build');
  const baseBuild = (async (): Promise<KubeObject[]> => {
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
      // Name targets as the user wrote them, at the ref, not by their temporary checkout.
      const nameTarget = (target: string): string =>
        `${path.relative(tree.dir, target).split(path.sep).join('/') || '.'} at ${against}`;
      return await buildObjects(baseConfig, deps, { ...shared, nameTarget }, `the build at ${against}`);
    } finally {
      await tree.cleanup();
    }
  })();
  const [head, base] = await Promise.allSettled([headBuild, baseBuild]);
  if (head.status === 'rejected') throw head.reason;
  if (base.status === 'rejected') throw base.reason;
  const report = compareRendered(base.value, head.value, { base: against, head: 'working tree' });
  return { report, commit };
}

/** Runs `diff --against REF`: exit 0 when the build is unchanged, 1 when it changes. */
export async function runDiffAgainst(config: DiffConfig, deps: CommandDeps): Promise<number> {
  const undecrypted = config.requireDecryption ? undefined : new UndecryptedFiles();
  const found = await diffAgainstRef(config, deps, undecrypted === undefined ? {} : { undecrypted });
  const { commit } = found;
  const report = noteUndecrypted(found.report, undecrypted?.list() ?? [], config.build?.env ?? {}, deps.host);
  deps.host.info(`compared with ${config.against ?? ''} (${commit.slice(0, 12)}); no cluster was read`);
  deps.host.writeStdout(renderDiffText(report));
  return report.changed ? 1 : 0;
}
