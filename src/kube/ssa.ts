/**
 * The server-side apply operations diff and apply share: read the live object, apply (or
 * dry-run) with a field manager, take over fields client-side `kubectl apply` owned, and
 * delete. Each plan decides what an object needs before anything is written.
 */
import { KubeApiError, METADATA_ONLY } from './client.ts';
import type { KubeClient, KubeObject, ResourceInfo } from './client.ts';
import { collectionPath, describeRef, metadataOf, objectPath, refOf, stringMap } from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { managedFieldsOf } from './managed-fields.ts';
import type { ManagedFieldsEntry } from './managed-fields.ts';

/** The default field manager. */
export const FIELD_MANAGER = 'kustomize-sops-deploy';

export const SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa';
export const RECONCILE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/reconcile';
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';

/**
 * Managers that client-side `kubectl apply` (and `kubectl create`) leave behind. Flux's ssa
 * package hands their fields to its own manager so that fields later removed from the
 * manifests are removed from the cluster too, instead of staying owned by a ghost.
 */
export const CLIENT_SIDE_MANAGERS = [
  'kubectl-client-side-apply',
  'before-first-apply',
  'kubectl-create',
  'kubectl',
];

/** Reads the live object; undefined when it does not exist. */
export async function getLive(
  client: KubeClient,
  info: ResourceInfo,
  ref: ObjectRef,
): Promise<KubeObject | undefined> {
  try {
    const { body } = await client.request('GET', objectPath(info, ref));
    return body as KubeObject;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Reads live objects for one planning pass. */
export type LiveReader = (info: ResourceInfo, ref: ObjectRef) => Promise<KubeObject | undefined>;

/**
 * Below this many objects of one kind in one namespace, a GET each is cheaper than a LIST
 * that may carry many objects we do not apply.
 */
const LIST_THRESHOLD = 8;
const LIST_PAGE = '500';

function listKey(apiVersion: string, kind: string, namespace: string): string {
  return `${apiVersion} ${kind} ${namespace}`;
}

/**
 * A live-object reader that fetches a kind's objects in a namespace with one paged LIST
 * when `refs` holds at least LIST_THRESHOLD of them, and with a GET each otherwise. The
 * LIST is a consistent read like the GET it replaces; it runs once per reader, so make a
 * reader per planning pass (after earlier writes). A LIST the credentials may not do
 * (403) falls back to GETs.
 */
export function createLiveReader(client: KubeClient, refs: readonly ObjectRef[]): LiveReader {
  const counts = new Map<string, number>();
  for (const ref of refs) {
    const namespaces = ref.namespace === '' ? ['', client.namespace] : [ref.namespace];
    for (const ns of namespaces) {
      const key = listKey(ref.apiVersion, ref.kind, ns);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const lists = new Map<string, Promise<Map<string, KubeObject> | undefined>>();

  async function list(info: ResourceInfo, ref: ObjectRef): Promise<Map<string, KubeObject> | undefined> {
    const byName = new Map<string, KubeObject>();
    let token: string | undefined;
    do {
      let body: { metadata?: { continue?: string }; items?: KubeObject[] };
      try {
        ({ body } = (await client.request('GET', collectionPath(info, ref.namespace), {
          query: { limit: LIST_PAGE, continue: token },
        })) as { body: typeof body });
      } catch (error) {
        if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return undefined;
        throw error;
      }
      for (const item of body.items ?? []) {
        // List items carry no apiVersion/kind; a GET of the same path would.
        const object = { apiVersion: ref.apiVersion, kind: info.kind, ...item };
        const name = metadataOf(object)['name'];
        if (typeof name === 'string') byName.set(name, object);
      }
      const next = body.metadata?.continue;
      token = next === undefined || next === '' ? undefined : next;
    } while (token !== undefined);
    return byName;
  }

  return async (info, ref) => {
    const key = listKey(ref.apiVersion, ref.kind, ref.namespace);
    if ((counts.get(key) ?? 0) < LIST_THRESHOLD) return getLive(client, info, ref);
    let pending = lists.get(key);
    if (pending === undefined) {
      pending = list(info, ref);
      lists.set(key, pending);
      // A failed LIST is not cached, so the next caller tries again rather than inheriting it.
      pending.catch(() => lists.delete(key));
    }
    const byName = await pending;
    if (byName === undefined) return getLive(client, info, ref);
    return byName.get(ref.name);
  };
}

export interface ApplyCallOptions {
  readonly fieldManager: string;
  readonly dryRun: boolean;
  /**
   * Ask only for the object's metadata back, when the caller does not read the result: the
   * apiserver then serializes (and sends) far less. The result is then not the object.
   */
  readonly metadataOnly?: boolean;
}

/**
 * Server-side apply of one object. Conflicts are forced, as Flux does: the manifests are the
 * source of truth, and a field another manager set is taken over rather than left to drift.
 */
export async function applyObject(
  client: KubeClient,
  info: ResourceInfo,
  ref: ObjectRef,
  object: KubeObject,
  options: ApplyCallOptions,
): Promise<KubeObject> {
  const { body } = await client.request('PATCH', objectPath(info, ref), {
    body: object,
    contentType: 'application/apply-patch+yaml',
    ...(options.metadataOnly === true ? { accept: METADATA_ONLY } : {}),
    query: {
      fieldManager: options.fieldManager,
      force: 'true',
      fieldValidation: 'Strict',
      dryRun: options.dryRun ? 'All' : undefined,
    },
  });
  return body as KubeObject;
}

/** Whether client-side managers own fields in the main resource (not a subresource). */
export function hasClientSideManagers(live: KubeObject): boolean {
  return managedFieldsOf(live).some(
    (entry) =>
      (entry.subresource ?? '') === '' &&
      entry.manager !== undefined &&
      CLIENT_SIDE_MANAGERS.includes(entry.manager) &&
      entry.operation === 'Update',
  );
}

function mergeFields(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      typeof existing === 'object' && existing !== null && typeof value === 'object' && value !== null
        ? mergeFields(existing as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/**
 * The managedFields with every client-side manager's entry folded into our Apply entry
 * (Flux's PatchReplaceFieldsManagers), or undefined when there is nothing to take over.
 */
export function takeOverManagedFields(
  live: KubeObject,
  fieldManager: string,
): ManagedFieldsEntry[] | undefined {
  const entries = managedFieldsOf(live);
  const apiVersion = live['apiVersion'];
  let taken: Record<string, unknown> | undefined;
  const kept: ManagedFieldsEntry[] = [];
  for (const entry of entries) {
    const clientSide =
      (entry.subresource ?? '') === '' &&
      entry.manager !== undefined &&
      CLIENT_SIDE_MANAGERS.includes(entry.manager) &&
      entry.operation === 'Update';
    if (clientSide) taken = mergeFields(taken ?? {}, entry.fieldsV1 ?? {});
    else kept.push(entry);
  }
  if (taken === undefined) return undefined;
  const ours = kept.find(
    (e) => e.manager === fieldManager && e.operation === 'Apply' && (e.subresource ?? '') === '',
  );
  if (ours === undefined) {
    kept.push({
      manager: fieldManager,
      operation: 'Apply',
      apiVersion: typeof apiVersion === 'string' ? apiVersion : 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: taken,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  } else {
    ours.fieldsV1 = mergeFields(ours.fieldsV1 ?? {}, taken);
  }
  return kept;
}

/** Rewrites the live object's managedFields so our manager owns what client-side apply owned. */
export async function takeOverClientSideFields(
  client: KubeClient,
  info: ResourceInfo,
  live: KubeObject,
  fieldManager: string,
): Promise<boolean> {
  const managedFields = takeOverManagedFields(live, fieldManager);
  if (managedFields === undefined) return false;
  const ref = refOf(live);
  const resourceVersion = metadataOf(live)['resourceVersion'];
  // The test op makes this fail rather than clobber ownership if the object moved meanwhile.
  await client.request('PATCH', objectPath(info, ref), {
    contentType: 'application/json-patch+json',
    body: [
      { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: managedFields },
    ],
  });
  return true;
}

/** Deletes an object; true when it was there. */
export async function deleteObject(client: KubeClient, info: ResourceInfo, ref: ObjectRef): Promise<boolean> {
  try {
    await client.request('DELETE', objectPath(info, ref), {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}

/** Waits until an object is gone (finalizers done), up to `timeoutMs`. */
export async function waitForDeletion(
  client: KubeClient,
  info: ResourceInfo,
  ref: ObjectRef,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await getLive(client, info, ref)) !== undefined) {
    if (Date.now() > deadline)
      throw new Error(`${describeRef(ref)} was not deleted within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Why an object is skipped by its annotations, or undefined when it is applied. */
export function skipReason(object: KubeObject, live: KubeObject | undefined): string | undefined {
  const annotations = stringMap(object, 'annotations');
  const liveAnnotations = live === undefined ? {} : stringMap(live, 'annotations');
  if (
    annotations[RECONCILE_ANNOTATION] === 'disabled' ||
    liveAnnotations[RECONCILE_ANNOTATION] === 'disabled'
  ) {
    return `${RECONCILE_ANNOTATION}: disabled`;
  }
  const ssa = (annotations[SSA_ANNOTATION] ?? '').toLowerCase();
  if (ssa === 'ignore' || (liveAnnotations[SSA_ANNOTATION] ?? '').toLowerCase() === 'ignore')
    return `${SSA_ANNOTATION}: Ignore`;
  if (ssa === 'ifnotpresent' && live !== undefined) return `${SSA_ANNOTATION}: IfNotPresent and it exists`;
  return undefined;
}

/** The immutable fields an apply error blames, or undefined when it is another error. */
export function immutableFields(error: unknown): string[] | undefined {
  if (!(error instanceof KubeApiError) || error.status !== 422) return undefined;
  const blamed = error.causes.filter((c) => /immutable/i.test(c.message ?? ''));
  if (blamed.length === 0 && !/immutable/i.test(error.message)) return undefined;
  return blamed.flatMap((c) => (c.field === undefined ? [] : [c.field]));
}
