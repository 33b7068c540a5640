/**
 * ApplySet (KEP-3659) bookkeeping, compatible with `kubectl apply --prune --applyset`: the
 * parent is a Secret labelled `applyset.kubernetes.io/id`, annotated with the tooling, the
 * group-kinds and the extra namespaces its members live in; each member carries the
 * `applyset.kubernetes.io/part-of` label. Prune deletes only labelled members of this set
 * that were not rendered this time.
 */
import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject, ResourceInfo } from './client.ts';
import { KubeApiError } from './client.ts';
import { UserError } from '../errors.ts';
import {
  collectionPath,
  describeRef,
  groupKindOf,
  identityKey,
  metadataOf,
  refOf,
  stringMap,
} from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { applyObject, deleteObject, PRUNE_ANNOTATION } from './ssa.ts';
import { mapLimit } from '../map-limit.ts';

export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
/** `<toolname>/<semver>`, as the KEP requires; other tools refuse to touch our set and we theirs. */
export const APPLYSET_TOOLING = 'kustomize-sops-deploy/v1';

/** Where the parent Secret lives. */
export interface ApplySetRef {
  readonly name: string;
  readonly namespace: string;
}

/** The KEP's id: base64url(sha256(<name>.<namespace>.<kind>.<group>)) in `applyset-…-v1`. */
export function applySetId(parent: ApplySetRef): string {
  const hash = createHash('sha256').update(`${parent.name}.${parent.namespace}.Secret.`).digest('base64url');
  return `applyset-${hash}-v1`;
}

/** A copy of `object` with the part-of label; refuses an object that claims another set. */
export function labelMember(object: KubeObject, id: string): KubeObject {
  const labels = stringMap(object, 'labels');
  const existing = labels[APPLYSET_PART_OF_LABEL];
  if (existing !== undefined && existing !== id) {
    throw new UserError(
      'USAGE',
      `${describeRef(refOf(object))} already has the ${APPLYSET_PART_OF_LABEL} label of another ApplySet`,
      {
        hint: 'remove the label from the manifest; the ApplySet sets it',
      },
    );
  }
  const metadata = metadataOf(object);
  return { ...object, metadata: { ...metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } };
}

/** The parent's current state: the group-kinds and namespaces it recorded. */
export interface ApplySetState {
  readonly exists: boolean;
  readonly groupKinds: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string>;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const SECRETS: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  namespaced: true,
};

/** Reads the parent; refuses one that another tool manages or whose id does not match. */
export async function readApplySet(client: KubeClient, parent: ApplySetRef): Promise<ApplySetState> {
  let body: KubeObject;
  try {
    body = (
      await client.request(
        'GET',
        `${collectionPath(SECRETS, parent.namespace)}/${encodeURIComponent(parent.name)}`,
      )
    ).body as KubeObject;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      return { exists: false, groupKinds: new Set(), namespaces: new Set([parent.namespace]) };
    }
    throw error;
  }
  const labels = stringMap(body, 'labels');
  const annotations = stringMap(body, 'annotations');
  const where = `ApplySet parent Secret ${parent.namespace}/${parent.name}`;
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === undefined || tooling.split('/').slice(0, -1).join('/') !== APPLYSET_TOOLING.split('/')[0]) {
    throw new UserError(
      'USAGE',
      `${where} is managed by ${tooling === undefined ? 'no ApplySet tool' : `"${tooling}"`}, not kustomize-sops-deploy`,
      {
        hint: 'choose another applyset name',
      },
    );
  }
  if (labels[APPLYSET_ID_LABEL] !== applySetId(parent)) {
    throw new UserError('USAGE', `${where} has a wrong ${APPLYSET_ID_LABEL} label`);
  }
  return {
    exists: true,
    groupKinds: new Set(splitList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])),
    namespaces: new Set([parent.namespace, ...splitList(annotations[APPLYSET_NAMESPACES_ANNOTATION])]),
  };
}

/** Writes the parent Secret with the given group-kinds and namespaces (server-side apply). */
export async function writeApplySet(
  client: KubeClient,
  parent: ApplySetRef,
  groupKinds: Iterable<string>,
  namespaces: Iterable<string>,
  fieldManager: string,
): Promise<void> {
  const extra = [...new Set(namespaces)].filter((ns) => ns !== parent.namespace && ns !== '').sort();
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: APPLYSET_TOOLING,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: [...new Set(groupKinds)].sort().join(','),
        ...(extra.length === 0 ? {} : { [APPLYSET_NAMESPACES_ANNOTATION]: extra.join(',') }),
      },
    },
    type: 'Opaque',
  };
  await applyObject(
    client,
    SECRETS,
    { apiVersion: 'v1', kind: 'Secret', name: parent.name, namespace: parent.namespace },
    body,
    {
      fieldManager,
      dryRun: false,
    },
  );
}

/** A member the set would delete, or keeps because of its annotation. */
export interface PruneCandidate {
  readonly ref: ObjectRef;
  readonly info: ResourceInfo;
  /** Set when the object is kept: `kustomize.toolkit.fluxcd.io/prune: disabled`. */
  readonly keptBecause: string | undefined;
}

function apiVersionFor(groupKind: string): { group: string; kind: string } {
  const dot = groupKind.indexOf('.');
  return dot < 0
    ? { group: '', kind: groupKind }
    : { group: groupKind.slice(dot + 1), kind: groupKind.slice(0, dot) };
}

async function resolveGroupKind(client: KubeClient, groupKind: string): Promise<ResourceInfo | undefined> {
  const { group, kind } = apiVersionFor(groupKind);
  if (group === '') return client.resourceFor('v1', kind);
  // The preferred version serves every object of the kind, whichever version created it.
  const { body } = await client.request('GET', `/apis/${group}`).catch((error: unknown) => {
    if (error instanceof KubeApiError && error.status === 404) return { body: undefined };
    throw error;
  });
  const version = (body as { preferredVersion?: { version?: string } } | undefined)?.preferredVersion
    ?.version;
  return version === undefined ? undefined : client.resourceFor(`${group}/${version}`, kind);
}

/**
 * Members of the set, of the recorded and current kinds in the recorded and current
 * namespaces, that are not among `keep` (identity keys of the rendered objects).
 */
export async function findPruneCandidates(
  client: KubeClient,
  parent: ApplySetRef,
  state: ApplySetState,
  current: { groupKinds: Iterable<string>; namespaces: Iterable<string>; keep: ReadonlySet<string> },
): Promise<PruneCandidate[]> {
  const id = applySetId(parent);
  const kinds = new Set([...state.groupKinds, ...current.groupKinds]);
  const namespaces = new Set([...state.namespaces, ...current.namespaces].filter((ns) => ns !== ''));
  const candidates: PruneCandidate[] = [];
  for (const groupKind of [...kinds].sort()) {
    const info = await resolveGroupKind(client, groupKind);
    // A kind whose CRD is gone has no objects left to prune.
    if (info === undefined) continue;
    const paths = info.namespaced
      ? [...namespaces].sort().map((ns) => collectionPath(info, ns))
      : [collectionPath(info, '')];
    for (const path of paths) {
      const { body } = await client.request('GET', path, {
        query: { labelSelector: `${APPLYSET_PART_OF_LABEL}=${id}` },
      });
      const items = ((body as { items?: KubeObject[] }).items ?? []).map((item) => ({
        ...item,
        apiVersion: info.group === '' ? info.version : `${info.group}/${info.version}`,
        kind: info.kind,
      }));
      for (const item of items) {
        const ref = refOf(item);
        if (current.keep.has(identityKey(ref))) continue;
        const disabled = stringMap(item, 'annotations')[PRUNE_ANNOTATION] === 'disabled';
        candidates.push({ ref, info, keptBecause: disabled ? `${PRUNE_ANNOTATION}: disabled` : undefined });
      }
    }
  }
  return candidates;
}

/** Deletes the candidates that are not kept; returns the deleted refs. */
export async function pruneCandidates(
  client: KubeClient,
  candidates: readonly PruneCandidate[],
  concurrency = 8,
): Promise<ObjectRef[]> {
  const doomed = candidates.filter((c) => c.keptBecause === undefined);
  const gone = await mapLimit(doomed, concurrency, (c) => deleteObject(client, c.info, c.ref));
  return doomed.filter((_, i) => gone[i] === true).map((c) => c.ref);
}

export { groupKindOf };
