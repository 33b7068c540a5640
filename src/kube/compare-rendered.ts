/**
 * `diff --against REF` in kube terms: the objects rendered at the ref compared with those of
 * the working tree, in the same normal form as the cluster diff, Secrets shown masked. The
 * git side (the ref, its worktree) is src/git/; building both sides is commands/diff-against.ts.
 */
import type { SecretText } from '../masking.ts';
import type { KubeObject } from './client.ts';
import {
  joinReasons,
  renderMaskedDiff,
  summarizeDiff,
  UNDECRYPTED_REASON,
  type DiffReport,
  type ObjectDiff,
} from './diff.ts';
import { hasUndecryptedValues, sameExceptUndecrypted } from './mask.ts';
import { deepEqual, describeRef, identityKey, normalizeObject, refOf, toApplyForm } from './normalize.ts';
import { skipReason } from './ssa.ts';

function comparable(object: KubeObject): KubeObject {
  return normalizeObject(toApplyForm(object));
}

/**
 * Compares the objects rendered at the ref (`base`) with those of the working tree
 * (`head`), the way the cluster diff compares live and dry-run objects. `labels` name the
 * two sides in the unified diff headers.
 */
export function compareRendered(
  base: readonly KubeObject[],
  head: readonly KubeObject[],
  labels: { readonly base: string; readonly head: string },
  options: {
    /** The run's decrypted values, masked wherever they moved. */
    readonly secrets?: SecretText;
    /** The group of an object (ObjectDiff.group), e.g. its Flux Kustomization. */
    readonly groupOf?: (object: KubeObject) => string | undefined;
  } = {},
): DiffReport {
  const { secrets } = options;
  const groupOf = (object: KubeObject): { group?: string } => {
    const group = options.groupOf?.(object);
    return group === undefined ? {} : { group };
  };
  const before = new Map<string, KubeObject>();
  for (const object of base) before.set(identityKey(refOf(object)), object);
  const seen = new Set<string>();
  const entries: ObjectDiff[] = [];
  const render = (name: string, a: KubeObject | undefined, b: KubeObject | undefined): string =>
    renderMaskedDiff(
      a === undefined ? undefined : comparable(a),
      b === undefined ? undefined : comparable(b),
      { before: `${name} (${labels.base})`, after: `${name} (${labels.head})` },
      secrets,
    );
  for (const object of head) {
    const ref = refOf(object);
    const key = identityKey(ref);
    seen.add(key);
    const old = before.get(key);
    const name = describeRef(ref);
    const group = groupOf(object);
    const skip = skipReason(object, old);
    if (skip !== undefined) {
      entries.push({ ref, class: 'skipped', reason: skip, diff: '', ...group });
      continue;
    }
    // Values this run could not decrypt are unknown on either side: not a change by themselves.
    const unknown = hasUndecryptedValues(object) || hasUndecryptedValues(old);
    const marks = unknown ? { reason: UNDECRYPTED_REASON, undecrypted: true } : { reason: undefined };
    if (old === undefined) {
      entries.push({ ref, class: 'created', ...marks, diff: render(name, undefined, object), ...group });
      continue;
    }
    const same = unknown
      ? sameExceptUndecrypted(comparable(old), comparable(object))
      : deepEqual(comparable(old), comparable(object));
    entries.push({
      ref,
      class: same ? 'unchanged' : 'configured',
      ...marks,
      diff: same ? '' : render(name, old, object),
      ...group,
    });
  }
  for (const [key, object] of before) {
    if (seen.has(key)) continue;
    const ref = refOf(object);
    const deletedReason = 'no longer rendered; apply deletes it only with prune';
    const unknown = hasUndecryptedValues(object);
    entries.push({
      ref,
      class: 'deleted',
      reason: unknown ? joinReasons(deletedReason, UNDECRYPTED_REASON) : deletedReason,
      ...(unknown ? { undecrypted: true } : {}),
      diff: render(describeRef(ref), object, undefined),
      ...groupOf(object),
    });
  }
  return summarizeDiff(entries);
}
