/**
 * Object identity and the normal form diffs compare: the fields the server owns or rewrites
 * on every write (managedFields, resourceVersion, uid, generation, creationTimestamp,
 * status) are dropped from both sides, so only what a user changes shows.
 */
import type { KubeClient, KubeObject, ResourceInfo } from './client.ts';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';

/** The identity fields of an object. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** '' for cluster-scoped objects (and namespaced ones that rely on a default). */
  readonly namespace: string;
}

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
] as const;

/** metadata as a record ({} when missing). */
export function metadataOf(object: KubeObject): Record<string, unknown> {
  const metadata = object['metadata'];
  return isRecord(metadata) ? metadata : {};
}

/** A string map from metadata (labels or annotations). */
export function stringMap(object: KubeObject, field: 'labels' | 'annotations'): Record<string, string> {
  const value = metadataOf(object)[field];
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** Reads apiVersion, kind, name and namespace; throws naming what is missing. */
export function refOf(object: KubeObject): ObjectRef {
  const apiVersion = object['apiVersion'];
  const kind = object['kind'];
  const metadata = metadataOf(object);
  const name = metadata['name'];
  const namespace = metadata['namespace'];
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    throw new UserError('BAD_FORMAT', 'an object has no apiVersion or kind');
  }
  if (typeof name !== 'string' || name === '') {
    throw new UserError('BAD_FORMAT', `a ${kind} has no metadata.name`);
  }
  return { apiVersion, kind, name, namespace: typeof namespace === 'string' ? namespace : '' };
}

/** The API group of an apiVersion ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `Kind.group` as ApplySet annotations write it (`Kind` alone for the core group). */
export function groupKindOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): string {
  const group = groupOf(ref.apiVersion);
  return group === '' ? ref.kind : `${ref.kind}.${group}`;
}

/** `Kind/namespace/name` or `Kind/name`, the way reports name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === '' ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** A key that identifies an object regardless of its version. */
export function identityKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace}|${ref.name}`;
}

/** The collection URL of a resource, in a namespace when it is namespaced. */
export function collectionPath(info: ResourceInfo, namespace: string): string {
  const prefix = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${info.resource}`
    : `${prefix}/${info.resource}`;
}

/** The URL of one object. */
export function objectPath(info: ResourceInfo, ref: ObjectRef): string {
  return `${collectionPath(info, ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

/** Resolves an object's resource, or throws naming the kind the server does not serve. */
export async function requireResource(client: KubeClient, ref: ObjectRef): Promise<ResourceInfo> {
  const info = await client.resourceFor(ref.apiVersion, ref.kind);
  if (info === undefined) {
    throw new UserError(
      'UNSUPPORTED',
      `${describeRef(ref)}: the cluster does not serve ${ref.kind} in ${ref.apiVersion}`,
      {
        hint: 'install its CustomResourceDefinition first, or include it in the same build',
      },
    );
  }
  return info;
}

/**
 * A deep copy without the server-owned fields. Empty metadata maps are dropped too, so an
 * object with `annotations: {}` equals one without.
 */
export function normalizeObject(object: KubeObject): KubeObject {
  const copy = Object.fromEntries(
    Object.entries(structuredClone(object)).filter(([key]) => key !== 'status'),
  );
  const metadata = copy['metadata'];
  if (isRecord(metadata)) {
    const dropped = new Set<string>(SERVER_METADATA);
    copy['metadata'] = Object.fromEntries(
      Object.entries(metadata).filter(
        ([key, value]) =>
          !dropped.has(key) &&
          !(
            (key === 'labels' || key === 'annotations') &&
            isRecord(value) &&
            Object.keys(value).length === 0
          ),
      ),
    );
  }
  return copy;
}

/** Structural equality of JSON values, ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/** Whether a kind is applied in the first stage (definitions everything else may need). */
export function stageOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): 1 | 2 | 3 {
  if (ref.kind === 'CustomResourceDefinition' || ref.kind === 'Namespace' || ref.kind === 'ClusterRole')
    return 1;
  if (ref.kind.endsWith('Class')) return 2;
  return 3;
}

/**
 * The body to send: a Secret's `stringData` folded into base64 `data`, as Flux does. The
 * server stores stringData as data anyway, but server-side apply tracks the two fields
 * apart, so a key removed from stringData would otherwise never be removed from the Secret.
 */
export function toApplyForm(object: KubeObject): KubeObject {
  if (object['kind'] !== 'Secret' || !isRecord(object['stringData'])) return object;
  const { stringData, ...rest } = object;
  const data: Record<string, unknown> = isRecord(rest['data']) ? { ...rest['data'] } : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(typeof value === 'string' ? value : String(value), 'utf8').toString('base64');
  }
  return { ...rest, data };
}
