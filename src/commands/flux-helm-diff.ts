/**
 * What `diff --flux` adds for HelmReleases: each object a HelmRelease rendered says so in its
 * report line (`from HelmRelease apps/demo`, read from helm-controller's origin labels), and a
 * HelmRelease that could not be rendered is reported as unknown with the reason, so a diff
 * never reads "no change" for objects it could not see.
 *
 * Against a git ref, a release not rendered on either side has its objects left out of both:
 * had it rendered at the ref only, its objects would otherwise show as deleted, which nobody
 * can tell.
 */
import type { KubeConfigInputs } from '../config/kube.ts';
import { applySetNameOf } from '../flux/apply-order.ts';
import { releaseOf, unrenderedName, type UnrenderedRelease } from '../flux/helm-releases.ts';
import { applySetId, labelMember } from '../kube/applyset.ts';
import { isRecord } from '../is-record.ts';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { joinReasons, type DiffReport } from '../kube/diff.ts';
import { identityKey, refOf } from '../kube/normalize.ts';
import { mapLimit } from '../map-limit.ts';
import { fluxOwner } from './flux-diff-groups.ts';

/**
 * `objects` without those rendered by the HelmReleases and Kustomizations in `unrendered`
 * (from helm-controller's and kustomize-controller's origin labels).
 */
export function withoutUnrendered(
  objects: readonly KubeObject[],
  unrendered: readonly UnrenderedRelease[],
): KubeObject[] {
  const releases = new Set(unrendered.filter((u) => u.kind === undefined).map((u) => u.id));
  const kustomizations = new Set(unrendered.filter((u) => u.kind === 'Kustomization').map((u) => u.id));
  // A HelmRelease such a Kustomization renders: what its chart renders is unknown too.
  for (const object of objects) {
    const owner = fluxOwner(object);
    if (object['kind'] !== 'HelmRelease' || owner === undefined || !kustomizations.has(owner)) continue;
    const ref = refOf(object);
    releases.add(`${ref.namespace === '' ? 'default' : ref.namespace}/${ref.name}`);
  }
  return objects.filter((object) => {
    const release = releaseOf(object);
    if (release !== undefined && releases.has(release)) return false;
    const owner = fluxOwner(object);
    return owner === undefined || !kustomizations.has(owner);
  });
}

/**
 * The report with each HelmRelease-rendered object's line naming its release, and the
 * releases and Kustomizations that were not rendered listed as unknown. (A chart can put a value from a SOPS
 * values Secret anywhere; the diff masks the run's decrypted values in every object, chart
 * objects included: kube/mask-moved.ts and redactDiffReport.)
 */
export function noteHelmReleases(
  report: DiffReport,
  objects: readonly KubeObject[],
  unrendered: readonly UnrenderedRelease[],
): DiffReport {
  const origin = new Map<string, string>();
  for (const object of objects) {
    const release = releaseOf(object);
    if (release !== undefined) origin.set(identityKey(refOf(object)), release);
  }
  const entries = report.objects.map((entry) => {
    const release = origin.get(identityKey(entry.ref));
    return release === undefined
      ? entry
      : { ...entry, reason: joinReasons(entry.reason, `from HelmRelease ${release}`) };
  });
  const notRendered = unrendered.map((r) => ({
    name: unrenderedName(r),
    reason: `not rendered: ${r.reason}; the objects it renders are unknown`,
  }));
  return { ...report, objects: entries, ...(notRendered.length === 0 ? {} : { unrendered: notRendered }) };
}

/**
 * `objects` labelled as members of the ApplySets `apply --flux` puts them in (one per
 * Kustomization and one per HelmRelease, in `applyset-namespace`), so a cluster diff after
 * an apply compares like with like.
 */
export function withFluxApplySets(
  objects: readonly KubeObject[],
  kube: Pick<KubeConfigInputs, 'applySet'>,
): KubeObject[] {
  const namespace = kube.applySet?.namespace ?? 'default';
  return objects.map((object) => {
    const name = applySetNameOf(object);
    return name === undefined ? object : labelMember(object, applySetId({ name, namespace }));
  });
}

/** What helm-controller renders charts for: the cluster's version and the API versions it serves. */
export interface ClusterCapabilities {
  readonly kubeVersion?: string;
  /** `group/version` and `group/version/Kind` of every served resource, as helm's GetVersionSet lists them. */
  readonly apiVersions: readonly string[];
  /** Whether a kind is namespaced (undefined when the cluster does not serve it). */
  readonly namespaced: (apiVersion: string, kind: string) => Promise<boolean | undefined>;
}

async function getJson(client: KubeClient, path: string): Promise<Readonly<Record<string, unknown>>> {
  const body: unknown = (await client.request('GET', path)).body;
  return isRecord(body) ? body : {};
}

function records(value: unknown): Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The served group versions, core (`v1`) first. */
async function groupVersions(client: KubeClient): Promise<string[]> {
  const core = await getJson(client, '/api');
  const groups = await getJson(client, '/apis');
  const out = Array.isArray(core['versions']) ? core['versions'].filter((v) => typeof v === 'string') : [];
  for (const group of records(groups['groups'])) {
    for (const version of records(group['versions'])) {
      if (typeof version['groupVersion'] === 'string') out.push(version['groupVersion']);
    }
  }
  return out;
}

/**
 * The cluster's Kubernetes version (`GET /version`) and API versions (discovery), which
 * helm-controller renders charts for (`.Capabilities`). What the apiserver does not answer is
 * left out: the `kube-version` input and helm's defaults apply then.
 */
export async function readClusterCapabilities(client: KubeClient): Promise<ClusterCapabilities> {
  let kubeVersion: string | undefined;
  try {
    const version = (await getJson(client, '/version'))['gitVersion'];
    if (typeof version === 'string' && /^v?\d+\.\d+/.test(version)) kubeVersion = version;
  } catch {
    kubeVersion = undefined;
  }
  const found = new Set<string>();
  try {
    const versions = await groupVersions(client);
    const lists = await mapLimit(versions, 8, async (gv) =>
      getJson(client, gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`).catch(
        (): Readonly<Record<string, unknown>> => ({}),
      ),
    );
    for (const [index, gv] of versions.entries()) {
      found.add(gv);
      for (const resource of records(lists[index]?.['resources'])) {
        if (typeof resource['kind'] === 'string') found.add(`${gv}/${resource['kind']}`);
      }
    }
  } catch {
    found.clear();
  }
  return {
    ...(kubeVersion === undefined ? {} : { kubeVersion }),
    apiVersions: [...found].sort(),
    namespaced: async (apiVersion, kind) => (await client.resourceFor(apiVersion, kind))?.namespaced,
  };
}
