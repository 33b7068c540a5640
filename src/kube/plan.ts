/**
 * What one object needs, decided before anything is written: read the live object,
 * dry-run the apply, and compare both in normal form. Diff reports plans; apply carries
 * them out.
 */
import { mapLimit } from '../map-limit.ts';
import { KubeApiError } from './client.ts';
import type { KubeClient, KubeObject, ResourceInfo } from './client.ts';
import {
  deepEqual,
  describeRef,
  groupOf,
  metadataOf,
  normalizeObject,
  refOf,
  toApplyForm,
} from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { provablyUnchanged } from './managed-fields.ts';
import {
  applyObject,
  createLiveReader,
  getLive,
  hasClientSideManagers,
  immutableFields,
  skipReason,
} from './ssa.ts';
import type { LiveReader } from './ssa.ts';

export type PlanAction = 'create' | 'configure' | 'unchanged' | 'skip' | 'recreate' | 'error';

export interface ObjectPlan {
  /** Identity, with the namespace resolved (the context's for namespaced objects naming none). */
  readonly ref: ObjectRef;
  /** The body to apply (with any ApplySet label added). */
  readonly object: KubeObject;
  readonly info: ResourceInfo | undefined;
  readonly live: KubeObject | undefined;
  /** The dry-run result, or the rendered body when the dry run had to wait for this change. */
  readonly merged: KubeObject | undefined;
  readonly action: PlanAction;
  /** Why it is skipped, recreated or failed; never holds a Secret value. */
  readonly reason: string | undefined;
  /** Client-side `kubectl apply` owns fields that must be taken over before applying. */
  readonly takeover: boolean;
}

export interface PlanContext {
  readonly client: KubeClient;
  readonly fieldManager: string;
  /** Recreate objects whose immutable fields change. */
  readonly force: boolean;
  /** Namespaces this change creates. */
  readonly namespaces: ReadonlySet<string>;
  /** `group/Kind` of the custom resources whose CRDs this change creates. */
  readonly definedKinds: ReadonlySet<string>;
  /**
   * Whether plans of new objects keep the dry-run result (default true; diff prints it).
   * Without it, the dry run of a new object asks for metadata only, which is cheaper.
   */
  readonly keepCreated?: boolean;
  /** How live objects are read (default: a GET each). */
  readonly readLive?: LiveReader;
}

/** Namespaces and CRD kinds that a set of objects brings with it. */
export function changeScope(objects: readonly KubeObject[]): {
  namespaces: Set<string>;
  definedKinds: Set<string>;
} {
  const namespaces = new Set<string>();
  const definedKinds = new Set<string>();
  for (const object of objects) {
    if (object['kind'] === 'Namespace') namespaces.add(refOf(object).name);
    if (object['kind'] === 'CustomResourceDefinition') {
      const spec = object['spec'] as { group?: unknown; names?: { kind?: unknown } } | undefined;
      if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') {
        definedKinds.add(`${spec.group}/${spec.names.kind}`);
      }
    }
  }
  return { namespaces, definedKinds };
}

/**
 * A one-line description of an apiserver error that is safe to print: for Secrets only the
 * reason and the blamed fields, since a validation message may quote a value.
 */
export function describeApiError(error: unknown, ref: ObjectRef): string {
  if (error instanceof KubeApiError) {
    if (ref.kind === 'Secret') {
      const fields = error.fields.length === 0 ? '' : ` (${error.fields.join(', ')})`;
      return `${error.reason || `HTTP ${error.status}`}${fields}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function withNamespace(object: KubeObject, namespace: string): KubeObject {
  const metadata = metadataOf(object);
  if (metadata['namespace'] === namespace) return object;
  return { ...object, metadata: { ...metadata, namespace } };
}

/** Plans one object. Errors end up in the plan (action `error`), never thrown, except transport failures. */
export async function planObject(context: PlanContext, input: KubeObject): Promise<ObjectPlan> {
  const { client } = context;
  const rendered = toApplyForm(input);
  const renderedRef = refOf(rendered);
  const info = await client.resourceFor(renderedRef.apiVersion, renderedRef.kind);
  const base = { info, live: undefined, merged: undefined, reason: undefined, takeover: false };
  if (info === undefined) {
    const pending = context.definedKinds.has(`${groupOf(renderedRef.apiVersion)}/${renderedRef.kind}`);
    if (pending) {
      const skip = skipReason(rendered, undefined);
      if (skip !== undefined)
        return { ...base, ref: renderedRef, object: rendered, action: 'skip', reason: skip };
      return {
        ...base,
        ref: renderedRef,
        object: rendered,
        merged: rendered,
        action: 'create',
        reason: 'its CustomResourceDefinition is created by this change',
      };
    }
    return {
      ...base,
      ref: renderedRef,
      object: rendered,
      action: 'error',
      reason: `the cluster does not serve ${renderedRef.kind} in ${renderedRef.apiVersion}; install its CustomResourceDefinition first or add it to the build`,
    };
  }
  const namespace = info.namespaced ? renderedRef.namespace || client.namespace : '';
  const ref = { ...renderedRef, namespace };
  const object = info.namespaced ? withNamespace(rendered, namespace) : rendered;
  const live = await (context.readLive ?? ((i, r) => getLive(client, i, r)))(info, ref);
  const skip = skipReason(object, live);
  if (skip !== undefined) return { ...base, ref, object, live, action: 'skip', reason: skip };
  const takeover = live !== undefined && hasClientSideManagers(live);
  // The dry run is most of a no-change re-apply's cost; skip it when the live object and our
  // managedFields already prove the apply would change nothing (what it would return is live).
  if (live !== undefined && !takeover && provablyUnchanged(object, live, context.fieldManager)) {
    return { ...base, ref, object, live, merged: live, action: 'unchanged' };
  }
  let merged: KubeObject;
  const metadataOnly = live === undefined && context.keepCreated === false;
  try {
    merged = await applyObject(client, info, ref, object, {
      fieldManager: context.fieldManager,
      dryRun: true,
      metadataOnly,
    });
    // Only the dry run's verdict was wanted; the rendered body stands in for its result.
    if (metadataOnly) merged = object;
  } catch (error) {
    if (
      live === undefined &&
      error instanceof KubeApiError &&
      error.status === 404 &&
      context.namespaces.has(namespace)
    ) {
      return {
        ...base,
        ref,
        object,
        live,
        merged: object,
        action: 'create',
        reason: `namespace ${namespace} is created by this change`,
      };
    }
    const fields = immutableFields(error);
    if (fields !== undefined && live !== undefined) {
      const named = fields.length === 0 ? 'an immutable field' : fields.join(', ');
      if (context.force) {
        return {
          ...base,
          ref,
          object,
          live,
          merged: object,
          action: 'recreate',
          reason: `immutable ${named} changed; recreated (--force)`,
        };
      }
      return {
        ...base,
        ref,
        object,
        live,
        action: 'error',
        reason: `${named} is immutable and would change; pass --force to delete and recreate the object`,
      };
    }
    if (error instanceof KubeApiError) {
      return {
        ...base,
        ref,
        object,
        live,
        action: 'error',
        reason: `dry run failed: ${describeApiError(error, ref)}`,
      };
    }
    throw error;
  }
  if (live === undefined) return { ...base, ref, object, live, merged, action: 'create', takeover };
  const same = deepEqual(normalizeObject(merged), normalizeObject(live));
  return {
    ...base,
    ref,
    object,
    live,
    merged,
    action: same && !takeover ? 'unchanged' : 'configure',
    takeover,
  };
}

/**
 * Plans objects, `concurrency` at a time, reading live objects with one LIST per kind and
 * namespace where that saves requests. Call once per pass: the reads are a snapshot.
 */
export async function planObjects(
  context: PlanContext,
  objects: readonly KubeObject[],
  concurrency: number,
): Promise<ObjectPlan[]> {
  const readLive = createLiveReader(context.client, objects.map(refOf));
  return mapLimit(objects, concurrency, (object) => planObject({ ...context, readLive }, object));
}

export { describeRef };
