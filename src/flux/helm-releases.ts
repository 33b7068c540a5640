/**
 * HelmReleases in Flux mode: each `helm.toolkit.fluxcd.io/v2` HelmRelease that a rendered
 * Kustomization holds is rendered as helm-controller would install it (src/helm/render.ts).
 * helm-controller finds the chart source, the repository's credentials and the valuesFrom
 * ConfigMaps and Secrets in the cluster; in a repository they are what the Kustomizations
 * render, so they are looked up by kind, namespace and name among every rendered
 * Kustomization's objects (not only the ones `--flux-kustomization` selects).
 *
 * A suspended release (`spec.suspend: true`) is not rendered either: helm-controller does not
 * reconcile it, so what it would install is not what the cluster gets.
 *
 * A release that cannot be rendered truthfully comes back as not rendered with the reason,
 * never dropped and never rendered with guessed values:
 * - its chart source is not in the repository or is a Bucket, cannot be reached, is refused by
 *   `allow-remote`, or serves a chart whose digest is not the one the source pins
 *   (src/helm/chart-source.ts);
 * - a valuesFrom ConfigMap or Secret is not rendered by the repository (it may exist only in
 *   the cluster, made by another controller);
 * - a value it uses could not be decrypted in this run: a valuesFrom Secret, or a variable
 *   that post-build substitution took from a SOPS Secret (a template may encode the
 *   placeholder past recognition, so the output would look changed);
 * - helm is not installed (and no `helm-path` was given);
 * - it installs into another cluster (`spec.kubeConfig`), or uses an API version Flux 2.9 no
 *   longer serves (v2beta1, v2beta2).
 */
import { availableParallelism } from 'node:os';
import { withContext } from '../errors.ts';
import { ChartDigestError, ChartFetchError } from '../helm/chart-fetch.ts';
import type { ChartCache } from '../helm/chart-source.ts';
import {
  HELM_RELEASE_GROUP,
  isHelmRelease,
  parseHelmRelease,
  type HelmRelease,
} from '../helm/helm-release.ts';
import type { HelmTool } from '../helm/helm-tool.ts';
import { ObjectIndex } from '../helm/object-index.ts';
import type { RemotePolicy } from '../helm/remote-policy.ts';
import {
  identity,
  renderHelmRelease,
  suspendedRelease,
  withObjects,
  type HelmReleaseRender,
} from '../helm/render.ts';
import { hasUndecryptedValues } from '../kube/mask.ts';
import { isRecord } from '../is-record.ts';
import { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL } from '../helm/post-render.ts';
import type { KubeObject } from '../kube/client.ts';
import type { KustomizeTool } from '../kustomize/build.ts';
import type { RemotePolicy as KustomizeRemotePolicy } from '../kustomize/remote-policy.ts';
import { mapLimit } from '../map-limit.ts';
import type { SecretRegistry } from '../masking.ts';
import type { Env, Exec } from '../ports.ts';
import { kustomizationId } from './kustomization.ts';
import { releaseInputs } from './release-inputs.ts';
import type { RenderedKustomization } from './render.ts';

export interface HelmReleasesDeps {
  readonly exec: Exec;
  readonly env: Env;
  readonly registry: SecretRegistry;
  /** For post-renderers. */
  readonly kustomize: KustomizeTool;
  /**
   * The helm binary, resolved on first use (a repository without HelmReleases needs none), or
   * why there is none (the releases are then not rendered).
   */
  readonly helm: () => Promise<HelmTool | string>;
  readonly cache: ChartCache;
  readonly policy: RemotePolicy;
  /** GitRepository flux-system/flux-system. */
  readonly repoRoot: string;
  /** `--flux-source`: `KIND/NAMESPACE/NAME` to an absolute folder. */
  readonly sourceDirs: ReadonlyMap<string, string>;
}

export interface HelmReleasesOptions {
  /** helm's `--kube-version`. */
  readonly kubeVersion?: string | undefined;
  /** helm's `--api-versions` (the cluster's, when one is read). */
  readonly apiVersions?: readonly string[];
  /**
   * Whether a kind is namespaced, from the cluster's discovery (undefined: not served). With
   * it, a namespaced object the chart leaves without a namespace gets the release's, as helm
   * puts it there when it installs; without a cluster such objects stay as `helm template`
   * prints them.
   */
  readonly namespaced?: ((apiVersion: string, kind: string) => Promise<boolean | undefined>) | undefined;
}

/** One HelmRelease of a Kustomization, and what rendering it came to. */
export interface FluxHelmRelease {
  /** `NAMESPACE/NAME` of the Kustomization that renders the HelmRelease. */
  readonly kustomization: string;
  readonly result: HelmReleaseRender;
  /** For a release not rendered: the digest of what its rendering depends on (release-inputs.ts). */
  readonly inputs?: string;
}

/**
 * A not-rendered release, as collected for the diff: its objects are unknown. A Flux
 * Kustomization that was not rendered (its source is not in the repository) is collected the
 * same way, with `kind: 'Kustomization'`.
 */
export interface UnrenderedRelease {
  /** Absent for a HelmRelease. */
  readonly kind?: 'Kustomization';
  /** `NAMESPACE/NAME` of the HelmRelease (or Kustomization). */
  readonly id: string;
  readonly kustomization: string;
  readonly reason: string;
  /** The digest of its inputs, when they are all known (release-inputs.ts). */
  readonly inputs?: string | undefined;
}

/** How reports name a not-rendered entry: `HelmRelease ns/name` or `Kustomization ns/name`. */
export function unrenderedName(release: Pick<UnrenderedRelease, 'kind' | 'id'>): string {
  return `${release.kind ?? 'HelmRelease'} ${release.id}`;
}

/** The releases (and Kustomizations) a run could not render, gathered across the builds of a diff. */
export class UnrenderedReleases {
  readonly #byId = new Map<string, UnrenderedRelease>();

  add(release: UnrenderedRelease): void {
    const key = unrenderedName(release);
    const existing = this.#byId.get(key);
    if (existing === undefined) this.#byId.set(key, release);
    // Rendered by two Kustomizations from different inputs (they would fight over it in the
    // cluster): which one it ends up as is not known, so neither digest stands.
    else if (existing.inputs !== release.inputs) this.#byId.set(key, { ...existing, inputs: undefined });
  }

  list(): UnrenderedRelease[] {
    return [...this.#byId.values()];
  }
}

/** `NAMESPACE/NAME` of the HelmRelease that rendered `object`, from its origin labels. */
export function releaseOf(object: Readonly<Record<string, unknown>>): string | undefined {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
  const name = labels[HELM_NAME_LABEL];
  const namespace = labels[HELM_NAMESPACE_LABEL];
  return typeof name === 'string' && typeof namespace === 'string' ? `${namespace}/${name}` : undefined;
}

/**
 * The chart repositories' address policy from the run's `allow-remote`, which also governs
 * kustomize remotes: `public` refuses loopback, link-local and private addresses; a host list
 * allows exactly those hosts; `none` fetches no chart.
 */
export function chartRemotePolicy(policy: KustomizeRemotePolicy): RemotePolicy {
  if (policy.kind === 'none') return { allowPrivateAddresses: false, hosts: [] };
  if (policy.kind === 'hosts') return { allowPrivateAddresses: false, hosts: policy.hosts };
  return { allowPrivateAddresses: false };
}

/** Why the release's values cannot be known from the repository in this run, if they cannot. */
function unknownValues(
  release: HelmRelease,
  object: Readonly<Record<string, unknown>>,
  objects: ObjectIndex,
): string | undefined {
  if (hasUndecryptedValues(object)) {
    return 'values unknown: its spec uses a value that was not decrypted in this run';
  }
  for (const ref of release.valuesFrom) {
    const source = objects.get(ref.kind, release.namespace, ref.name);
    if (source === undefined) {
      if (ref.optional) continue;
      return `values unknown: valuesFrom ${ref.kind} ${release.namespace}/${ref.name} is not rendered by this repository`;
    }
    if (hasUndecryptedValues(source) || 'sops' in source) {
      return `values unknown: ${ref.kind} ${release.namespace}/${ref.name} could not be decrypted in this run`;
    }
  }
  return undefined;
}

type Rendered = Extract<HelmReleaseRender, { status: 'rendered' }>;

/** helm's kube client Build: namespaced objects without a namespace go to the release's. */
async function inReleaseNamespace(
  rendered: Rendered,
  namespaced: NonNullable<HelmReleasesOptions['namespaced']>,
): Promise<Rendered> {
  let changed = false;
  const objects: KubeObject[] = [];
  for (const object of rendered.objects) {
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const apiVersion = object['apiVersion'];
    const kind = object['kind'];
    if (
      typeof metadata['namespace'] === 'string' ||
      typeof apiVersion !== 'string' ||
      typeof kind !== 'string' ||
      (await namespaced(apiVersion, kind)) !== true
    ) {
      objects.push(object);
      continue;
    }
    changed = true;
    objects.push({ ...object, metadata: { ...metadata, namespace: rendered.release.releaseNamespace } });
  }
  return changed ? withObjects(rendered, objects) : rendered;
}

async function renderOne(
  object: Readonly<Record<string, unknown>>,
  objects: ObjectIndex,
  deps: HelmReleasesDeps,
  options: HelmReleasesOptions,
): Promise<HelmReleaseRender> {
  if (!isHelmRelease(object)) {
    // An older API (v2beta1, v2beta2): Flux 2.9's helm-controller no longer serves it.
    const meta = isRecord(object['metadata']) ? object['metadata'] : {};
    const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default';
    const id = `${namespace}/${typeof meta['name'] === 'string' ? meta['name'] : ''}`;
    return {
      status: 'not-rendered',
      release: { id, releaseName: '', releaseNamespace: namespace, storageNamespace: namespace },
      reason: `apiVersion ${String(object['apiVersion'])} is not served by Flux 2.9's helm-controller; use ${HELM_RELEASE_GROUP}/v2`,
    };
  }
  const release = parseHelmRelease(object);
  // Before anything is fetched or decrypted: helm-controller does nothing for it.
  const suspended = suspendedRelease(release);
  if (suspended !== undefined) return suspended;
  if (isRecord(object['spec']) && object['spec']['kubeConfig'] !== undefined) {
    return {
      status: 'not-rendered',
      release: identity(release),
      reason: 'spec.kubeConfig installs it in another cluster, which this run does not read',
    };
  }
  const unknown = unknownValues(release, object, objects);
  if (unknown !== undefined) return { status: 'not-rendered', release: identity(release), reason: unknown };
  const helm = await deps.helm();
  if (typeof helm === 'string') return { status: 'not-rendered', release: identity(release), reason: helm };
  try {
    const rendered = await renderHelmRelease(
      object,
      {
        objects,
        cache: deps.cache,
        policy: deps.policy,
        registry: deps.registry,
        repoRoot: deps.repoRoot,
        sourceDirs: deps.sourceDirs,
        exec: deps.exec,
        env: deps.env,
        helm,
        kustomize: deps.kustomize,
      },
      { kubeVersion: options.kubeVersion, apiVersions: options.apiVersions ?? [] },
    );
    return rendered.status === 'rendered' && options.namespaced !== undefined
      ? await inReleaseNamespace(rendered, options.namespaced)
      : rendered;
  } catch (error) {
    // A repository that cannot be reached (or that allow-remote refuses) leaves the release
    // unknown in this run; it is not a mistake in the repository.
    if (!(error instanceof ChartFetchError)) throw error;
    return {
      status: 'not-rendered',
      release: identity(release),
      reason: `${error instanceof ChartDigestError ? 'chart refused' : 'chart not fetched'}: ${error.message}`,
    };
  }
}

/** A HelmRelease of any helm.toolkit.fluxcd.io version: older ones are listed, not dropped. */
function isAnyHelmRelease(object: Readonly<Record<string, unknown>>): boolean {
  return (
    object['kind'] === 'HelmRelease' &&
    typeof object['apiVersion'] === 'string' &&
    object['apiVersion'].startsWith(`${HELM_RELEASE_GROUP}/`)
  );
}

/**
 * Renders the HelmReleases of `selected`, in their order, with `all` (every rendered
 * Kustomization of the repository) as what helm-controller would find in the cluster.
 */
export async function renderHelmReleases(
  selected: readonly RenderedKustomization[],
  all: readonly RenderedKustomization[],
  deps: HelmReleasesDeps,
  options: HelmReleasesOptions = {},
): Promise<FluxHelmRelease[]> {
  const jobs = selected.flatMap((r) =>
    r.objects
      .filter(isAnyHelmRelease)
      .map((object) => ({ kustomization: kustomizationId(r.kustomization), object })),
  );
  if (jobs.length === 0) return [];
  const objects = new ObjectIndex(all.flatMap((r) => r.objects));
  return mapLimit(jobs, Math.max(1, availableParallelism()), async (job) => {
    try {
      const result = await renderOne(job.object, objects, deps, options);
      if (result.status === 'rendered') return { kustomization: job.kustomization, result };
      const inputs = releaseInputs(job.object, objects, deps.sourceDirs);
      return { kustomization: job.kustomization, result, ...(inputs === undefined ? {} : { inputs }) };
    } catch (error) {
      throw withContext(`Kustomization ${job.kustomization}`, error);
    }
  });
}
