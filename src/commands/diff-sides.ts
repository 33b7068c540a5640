/**
 * What `diff` compares the working tree's build with: the cluster (the default: each object
 * dry-run applied server-side and compared with the live one), or the build at a git ref
 * (`--against REF`, no cluster at all; diff-against.ts). Each side yields the same
 * DiffReport, so commands/diff.ts notes, prints, reports and exits the same way for both.
 */
import type { DiffConfig } from '../config/diff.ts';
import { adoptHashedSecretNames } from '../kube/adopt-hashed-names.ts';
import type { KubeObject } from '../kube/client.ts';
import { diffObjects, type DiffReport } from '../kube/diff.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { UnrenderedReleases } from '../flux/helm-releases.ts';
import type { CommandDeps } from './command.ts';
import { diffAgainstRef } from './diff-against.ts';
import { noteHelmReleases, readClusterCapabilities, withFluxApplySets } from './flux-helm-diff.ts';
import { loadObjects } from './kube-run.ts';

/** Files no key opened, recorded by the build (diff without require-decryption only). */
export interface DiffShared {
  readonly undecrypted?: UndecryptedFiles;
  /** The group of an object (Flux mode: its Kustomization). */
  readonly groupOf?: (object: KubeObject) => string | undefined;
  /** Flux mode: the working tree's suspended Kustomizations are recorded here. */
  readonly suspended?: Set<string>;
}

/** The working tree's objects compared with the live ones. */
async function diffWithCluster(
  config: DiffConfig,
  deps: CommandDeps,
  shared: DiffShared,
): Promise<DiffReport> {
  const { host } = deps;
  const { undecrypted } = shared;
  const unrendered = config.build?.flux === true ? new UnrenderedReleases() : undefined;
  // Flux mode renders HelmReleases for the cluster's Kubernetes and API versions, as
  // helm-controller does, so it reads them before the build; other builds need no cluster
  // until the diff.
  let client = unrendered === undefined ? undefined : await deps.kubeClient(config.kube);
  try {
    const cluster = client === undefined ? undefined : await readClusterCapabilities(client);
    const built = await host.group('build', () =>
      loadObjects(config.kube, config.build, deps, {
        ...shared,
        ...(unrendered === undefined ? {} : { unrendered }),
        ...(cluster === undefined ? {} : { cluster }),
      }),
    );
    client ??= await deps.kubeClient(config.kube);
    const open = client;
    // A generated Secret built from placeholders has a hash of the placeholders in its
    // name; it takes the live name it stands for, so it and its referrers compare with
    // what is live (kube/adopt-hashed-names.ts). Nothing to do when all was decrypted.
    // Flux mode: each object compares as a member of the ApplySet apply --flux puts it in.
    const members = unrendered === undefined ? built : withFluxApplySets(built, config.kube);
    const report = await host.group('diff', async () => {
      const { objects, reasons } =
        undecrypted !== undefined && undecrypted.size > 0
          ? await adoptHashedSecretNames(open, members, config.kube.fieldManager)
          : { objects: members, reasons: undefined };
      return diffObjects(open, objects, {
        ...(reasons === undefined ? {} : { reasons }),
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
        force: config.kube.force,
        // Flux mode: the objects already carry their Kustomization's or HelmRelease's set.
        applySet: unrendered === undefined ? config.kube.applySet : undefined,
        prune: unrendered === undefined && config.kube.prune,
        secrets: deps.secrets,
        ...(shared.groupOf === undefined ? {} : { groupOf: shared.groupOf }),
      });
    });
    return unrendered === undefined ? report : noteHelmReleases(report, built, unrendered.list());
  } finally {
    client?.close();
  }
}

/** The working tree's objects compared with those rendered at `config.against`. */
async function diffWithRef(config: DiffConfig, against: string, deps: CommandDeps, shared: DiffShared) {
  const { host } = deps;
  const found = await host.group('build and diff', () => diffAgainstRef(config, deps, shared));
  host.info(`compared with ${against} (${found.commit.slice(0, 12)}); no cluster was read`);
  return found.report;
}

/** The diff of the working tree's build with the side `config.against` selects. */
export function diffSides(config: DiffConfig, deps: CommandDeps, shared: DiffShared): Promise<DiffReport> {
  return config.against === undefined
    ? diffWithCluster(config, deps, shared)
    : diffWithRef(config, config.against, deps, shared);
}
