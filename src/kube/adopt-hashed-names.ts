/**
 * The name of a generated Secret whose values `diff` could not decrypt. kustomize appends a
 * hash of a generated Secret's values to its name (`db-creds-b4c8d2h6tm`), so a Secret built
 * from placeholders gets a hash of the placeholders: against the cluster it would show as a
 * new Secret, and every object referring to it (a Deployment's envFrom or volumes) as
 * changed, although nothing changed that this run can see.
 *
 * When exactly one live Secret of the namespace has the same base name with a hash suffix
 * and was applied by our field manager, that is the Secret this build stands for: its name
 * replaces the placeholder-hashed one in every rendered object of the namespace, so the
 * Secret and its referrers are compared with what is live. With no such Secret, or several,
 * the name stays and the reason says why. Only `diff` against a cluster does this; apply
 * never sees placeholders, and `diff --against REF` has the same placeholders on both sides.
 */
import { KubeApiError, type KubeClient, type KubeObject } from './client.ts';
import { hasUndecryptedValues } from './mask.ts';
import { collectionPath, identityKey, metadataOf, refOf, type ObjectRef } from './normalize.ts';
import { isRecord } from '../is-record.ts';

/**
 * The characters of a kustomize name-suffix hash: the first 10 hex digits of a sha256 with
 * 0, 1, 3, a and e replaced by g, h, k, m and t (api/hasher `encode`, copied from kubectl)
 * so the suffix never reads as a word or a number.
 */
export const NAME_HASH_ALPHABET = '2456789bcdfghkmt';
const NAME_HASH_LENGTH = 10;
const HASHED_NAME = new RegExp(`^(.+)-([${NAME_HASH_ALPHABET}]{${NAME_HASH_LENGTH}})$`);

/** The reason for a Secret whose name now is that of the live Secret it stands for. */
export const ADOPTED_HASH_REASON = 'name hash taken from the live Secret: its values were not decrypted';
/** The start of the reason for a Secret whose live name could not be told. */
export const UNKNOWN_HASH_REASON = 'name hash unknown: values not decrypted';

/** Accept header for a list of object metadata only: the live Secrets' values are never read. */
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';
const LIST_PAGE = '500';
/** Candidate names quoted in a reason, at most. */
const NAMES_SHOWN = 3;

/** A name split into its base and its kustomize hash suffix; undefined when it has none. */
export function splitNameHash(name: string): { base: string; hash: string } | undefined {
  const match = HASHED_NAME.exec(name);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { base: match[1], hash: match[2] };
}

/** One rendered name to replace, in the objects of one namespace. */
export interface NameRename {
  /** metadata.namespace as rendered ('' when the object names none). */
  readonly namespace: string;
  readonly from: string;
  readonly to: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function renderedNamespace(object: KubeObject): string {
  const namespace = metadataOf(object)['namespace'];
  return typeof namespace === 'string' ? namespace : '';
}

function isSecret(object: KubeObject): boolean {
  return object['kind'] === 'Secret' && object['apiVersion'] === 'v1';
}

/**
 * Copies of the objects with each rename applied to the objects of its namespace: a string
 * value equal to `from` becomes `to`, and so does `from` inside a string when it stands as a
 * whole name (not part of a longer name). Cluster-scoped objects (no namespace) get a rename
 * only when every namespace renames that name the same way. Map keys and Secret values are
 * never touched: a value is not a reference.
 */
export function renameInObjects(
  objects: readonly KubeObject[],
  renames: readonly NameRename[],
): KubeObject[] {
  if (renames.length === 0) return [...objects];
  const targets = new Map<string, Set<string>>();
  for (const rename of renames) {
    const set = targets.get(rename.from) ?? new Set<string>();
    set.add(rename.to);
    targets.set(rename.from, set);
  }
  return objects.map((object) => {
    const namespace = renderedNamespace(object);
    const mine = renames.filter(
      (r) => r.namespace === namespace || (namespace === '' && targets.get(r.from)?.size === 1),
    );
    if (mine.length === 0) return object;
    const patterns = mine.map((r) => ({
      ...r,
      // Name characters on either side would make it part of another name.
      pattern: new RegExp(`(?<![A-Za-z0-9.-])${escapeRegExp(r.from)}(?![A-Za-z0-9.-])`, 'g'),
    }));
    const rename = (value: unknown): unknown => {
      if (typeof value === 'string') {
        let out = value;
        for (const p of patterns) out = out === p.from ? p.to : out.replace(p.pattern, p.to);
        return out;
      }
      if (Array.isArray(value)) return value.map(rename);
      if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
      return value;
    };
    const secret = isSecret(object);
    return Object.fromEntries(
      Object.entries(object).map(([key, value]) => [
        key,
        secret && (key === 'data' || key === 'stringData') ? structuredClone(value) : rename(value),
      ]),
    );
  });
}

/** Whether a live object's managedFields name this manager. */
export function isManagedBy(metadata: Record<string, unknown>, fieldManager: string): boolean {
  const entries = metadata['managedFields'];
  return Array.isArray(entries) && entries.some((e) => isRecord(e) && e['manager'] === fieldManager);
}

/** The live Secrets of a namespace (metadata only); undefined when we may not list them. */
async function listSecretMetadata(
  client: KubeClient,
  path: string,
): Promise<Record<string, unknown>[] | undefined> {
  const items: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    let body: { metadata?: { continue?: string }; items?: unknown[] };
    try {
      ({ body } = (await client.request('GET', path, {
        query: { limit: LIST_PAGE, continue: token },
        accept: METADATA_LIST,
      })) as { body: typeof body });
    } catch (error) {
      if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return undefined;
      throw error;
    }
    for (const item of body.items ?? [])
      if (isRecord(item) && isRecord(item['metadata'])) items.push(item['metadata']);
    const next = body.metadata?.continue;
    token = next === undefined || next === '' ? undefined : next;
  } while (token !== undefined);
  return items;
}

/** The rendered objects with adopted names, and a reason per adopted or unresolved Secret. */
export interface HashedNameAdoption {
  readonly objects: KubeObject[];
  /**
   * Keyed by identityKey of the Secret as diffObjects plans it: after renaming, in the
   * client's namespace when it names none.
   */
  readonly reasons: ReadonlyMap<string, string>;
}

function quoteNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown}, ...` : shown;
}

/**
 * For each rendered Secret that carries placeholder values, has a kustomize hash suffix
 * and does not exist live, takes the name of the one live Secret it stands for (see the
 * module comment). One metadata-only LIST per namespace that has such a Secret. Writes
 * nothing; the objects given are not modified.
 */
export async function adoptHashedSecretNames(
  client: KubeClient,
  objects: readonly KubeObject[],
  fieldManager: string,
): Promise<HashedNameAdoption> {
  const pending: { ref: ObjectRef; base: string; namespace: string }[] = [];
  for (const object of objects) {
    if (!isSecret(object) || !hasUndecryptedValues(object)) continue;
    const ref = refOf(object);
    const split = splitNameHash(ref.name);
    if (split === undefined) continue;
    pending.push({
      ref,
      base: split.base,
      namespace: ref.namespace === '' ? client.namespace : ref.namespace,
    });
  }
  if (pending.length === 0) return { objects: [...objects], reasons: new Map() };
  const info = await client.resourceFor('v1', 'Secret');
  if (info === undefined) return { objects: [...objects], reasons: new Map() };

  const lists = new Map<string, Promise<Record<string, unknown>[] | undefined>>();
  // Keyed as diffObjects keys its plans: a namespaced object that names none is in the
  // client's namespace.
  const keyOf = (ref: ObjectRef, name: string): string =>
    identityKey({ ...ref, name, namespace: ref.namespace === '' ? client.namespace : ref.namespace });
  const rendered = new Set(
    objects
      .filter(isSecret)
      .map((o) => refOf(o))
      .map((r) => keyOf(r, r.name)),
  );
  const renames: NameRename[] = [];
  const reasons = new Map<string, string>();
  for (const { ref, base, namespace } of pending) {
    let listed = lists.get(namespace);
    if (listed === undefined) {
      listed = listSecretMetadata(client, collectionPath(info, namespace));
      lists.set(namespace, listed);
    }
    const live = await listed;
    if (live === undefined) {
      reasons.set(
        keyOf(ref, ref.name),
        `${UNKNOWN_HASH_REASON}, and the live Secrets of ${namespace} cannot be listed`,
      );
      continue;
    }
    const names = live.map((m) => m['name']).filter((n): n is string => typeof n === 'string');
    // It exists: the ordinary diff compares it.
    if (names.includes(ref.name)) continue;
    const candidates = live
      .filter((metadata) => {
        const name = metadata['name'];
        return (
          typeof name === 'string' &&
          splitNameHash(name)?.base === base &&
          isManagedBy(metadata, fieldManager) &&
          // A live name this build renders too belongs to that object.
          !rendered.has(keyOf(ref, name))
        );
      })
      .map((metadata) => metadata['name'] as string)
      .sort();
    const [only] = candidates;
    if (only !== undefined && candidates.length === 1) {
      renames.push({ namespace: ref.namespace, from: ref.name, to: only });
      reasons.set(keyOf(ref, only), ADOPTED_HASH_REASON);
      continue;
    }
    reasons.set(
      keyOf(ref, ref.name),
      candidates.length === 0
        ? `${UNKNOWN_HASH_REASON}, and no live Secret ${base}-<hash> in ${namespace} was applied by ${fieldManager}`
        : `${UNKNOWN_HASH_REASON}, and ${candidates.length} live Secrets could be it (${quoteNames(candidates)})`,
    );
  }
  return { objects: renameInObjects(objects, renames), reasons };
}
