/**
 * `diff`: what applying the objects would change. Each object is dry-run server-side and
 * compared with the live one, both in normal form; Secrets are compared decrypted and
 * printed masked. A namespace or CRD that this change creates makes its dependants
 * `created` (with the rendered body) rather than an error.
 */
import { stringify } from 'yaml';
import type { KubeClient, KubeObject } from './client.ts';
import { DEFAULT_CONCURRENCY } from './concurrency.ts';
import { applySetId, findPruneCandidates, labelMember, readApplySet } from './applyset.ts';
import type { ApplySetRef } from './applyset.ts';
import type { SecretText } from '../masking.ts';
import { hasUndecryptedValues, maskSecretPair, sameExceptUndecrypted } from './mask.ts';
import { maskMovedValues } from './mask-moved.ts';
import { describeRef, groupKindOf, identityKey, normalizeObject, objectPath } from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { changeScope, planObjects } from './plan.ts';
import type { ObjectPlan } from './plan.ts';
import { FIELD_MANAGER } from './ssa.ts';
import { unifiedDiff } from './unified-diff.ts';

/**
 * `unknown`: no difference in what could be compared, but some values were not decrypted in
 * this run, so whether the object changes cannot be told (never counted as unchanged).
 */
export type DiffClass = 'created' | 'configured' | 'unchanged' | 'unknown' | 'deleted' | 'skipped' | 'failed';

export interface ObjectDiff {
  readonly ref: ObjectRef;
  readonly class: DiffClass;
  /** Why skipped, failed, recreated or created early; no Secret value ever. */
  readonly reason: string | undefined;
  /** Unified YAML diff for `configured`, the body for `created`/`deleted`, '' otherwise; Secrets masked. */
  readonly diff: string;
  /**
   * Some of its values could not be decrypted in this run (diff without a key, e.g. a fork's
   * pull request): they show as `(encrypted; not decrypted in this run)` and are not compared.
   */
  readonly undecrypted?: boolean;
  /** What the object belongs to (in Flux mode, its Kustomization), when the diff groups. */
  readonly group?: string;
}

/**
 * How a grouped report reads (Flux mode: by Kustomization): the title of a group, and the
 * groups that appear or disappear as a whole (Kustomizations added or removed).
 */
export interface DiffGrouping {
  readonly title: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The SOPS files a diff could not decrypt, and why; rendered as a notice with the report. */
export interface UndecryptedNote {
  /** Relative to the repository root (or the object, for post-build decryption). */
  readonly files: readonly string[];
  /** One line: why no key was there (a fork's pull request, no key configured, ...). */
  readonly why: string;
}

/** The reason shown for an object whose values were not decrypted. */
export const UNDECRYPTED_REASON = 'values not decrypted in this run';

export interface DiffReport {
  readonly objects: readonly ObjectDiff[];
  readonly counts: Readonly<Record<DiffClass, number>>;
  /** True when anything would be created, configured or deleted. */
  readonly changed: boolean;
  /** Files whose values are placeholders in this diff; absent when everything was decrypted. */
  readonly undecrypted?: UndecryptedNote;
  /** Set when the objects are grouped (ObjectDiff.group); absent otherwise. */
  readonly grouping?: DiffGrouping;
  /**
   * What could not be rendered at all (e.g. a HelmRelease whose chart is elsewhere): whatever
   * it would make is unknown. Listed, and counted with the unknown objects.
   */
  readonly unrendered?: readonly { readonly name: string; readonly reason: string }[];
}

export interface DiffOptions {
  readonly fieldManager?: string;
  readonly concurrency?: number;
  /** Report immutable-field changes as recreations instead of failures. */
  readonly force?: boolean;
  /** The ApplySet whose members are labelled and, with `prune`, listed as deleted. */
  readonly applySet?: ApplySetRef | undefined;
  readonly prune?: boolean;
  /**
   * A reason per object (identityKey of its planned ref) that replaces the generic one for
   * undecrypted values, e.g. where a generated Secret's name hash came from.
   */
  readonly reasons?: ReadonlyMap<string, string>;
  /** The run's decrypted values, masked wherever they moved (mask-moved.ts). */
  readonly secrets?: SecretText;
  /** The group of an object (ObjectDiff.group), e.g. its Flux Kustomization. */
  readonly groupOf?: (object: KubeObject) => string | undefined;
}

function toYaml(object: KubeObject | undefined): string {
  return object === undefined ? '' : stringify(object, { lineWidth: 0, sortMapEntries: false });
}

/**
 * The unified diff of two objects as users see it: Secret values masked with Flux's tokens
 * (mask.ts), and, given the run's decrypted values, every one of them masked wherever it
 * moved (mask-moved.ts). An absent side is `/dev/null`.
 */
export function renderMaskedDiff(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  names: { readonly before: string; readonly after: string },
  secrets: SecretText | undefined,
): string {
  const masked = maskSecretPair(before, after);
  const shown = secrets === undefined ? masked : maskMovedValues(masked.before, masked.after, secrets);
  return unifiedDiff(
    toYaml(shown.before),
    toYaml(shown.after),
    before === undefined ? '/dev/null' : names.before,
    after === undefined ? '/dev/null' : names.after,
  );
}

/** The text shown for one planned object (masked, normalised). */
export function renderPlanDiff(
  plan: Pick<ObjectPlan, 'ref' | 'live' | 'merged'>,
  cls: DiffClass,
  secrets?: SecretText,
): string {
  const name = describeRef(plan.ref);
  const before = plan.live === undefined ? undefined : normalizeObject(plan.live);
  const after = plan.merged === undefined ? undefined : normalizeObject(plan.merged);
  const names = { before: `${name} (${cls === 'deleted' ? 'before' : 'live'})`, after: `${name} (after)` };
  if (cls === 'created') return renderMaskedDiff(undefined, after, names, secrets);
  if (cls === 'deleted') return renderMaskedDiff(before, undefined, names, secrets);
  if (cls !== 'configured') return '';
  return renderMaskedDiff(before, after, names, secrets);
}

const CLASS_OF: Record<ObjectPlan['action'], DiffClass> = {
  create: 'created',
  configure: 'configured',
  recreate: 'configured',
  unchanged: 'unchanged',
  skip: 'skipped',
  error: 'failed',
};

function emptyCounts(): Record<DiffClass, number> {
  return { created: 0, configured: 0, unchanged: 0, unknown: 0, deleted: 0, skipped: 0, failed: 0 };
}

/** Two reasons as one, either possibly absent. */
export function joinReasons(first: string | undefined, second: string): string {
  return first === undefined ? second : `${first}; ${second}`;
}

/**
 * Builds the report from plans (and prune deletions). An object found unchanged whose values
 * were not all decrypted is `unknown`: a false "no change" is worse than none.
 */
export function summarizeDiff(entries: readonly ObjectDiff[]): DiffReport {
  const counts = emptyCounts();
  const objects = entries.map((entry) =>
    entry.class === 'unchanged' && entry.undecrypted === true
      ? { ...entry, class: 'unknown' as const }
      : entry,
  );
  for (const entry of objects) counts[entry.class]++;
  return { objects, counts, changed: counts.created + counts.configured + counts.deleted > 0 };
}

/** Diffs rendered objects (Secrets already decrypted) against the cluster. Writes nothing. */
export async function diffObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: DiffOptions = {},
): Promise<DiffReport> {
  const id = options.applySet === undefined ? undefined : applySetId(options.applySet);
  const members = id === undefined ? objects : objects.map((o) => labelMember(o, id));
  const scope = changeScope(members);
  const context = {
    client,
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    force: options.force ?? false,
    ...scope,
  };
  const plans = await planObjects(context, members, options.concurrency ?? DEFAULT_CONCURRENCY);
  const entries: ObjectDiff[] = plans.map((plan) => {
    let cls = CLASS_OF[plan.action];
    const undecrypted = hasUndecryptedValues(plan.merged ?? plan.object);
    // The dry run compared a placeholder with the live value; an unknown value is no change.
    if (
      undecrypted &&
      plan.action === 'configure' &&
      !plan.takeover &&
      plan.live !== undefined &&
      plan.merged !== undefined &&
      sameExceptUndecrypted(normalizeObject(plan.live), normalizeObject(plan.merged))
    ) {
      cls = 'unchanged';
    }
    const reason =
      plan.reason ?? (plan.takeover ? 'fields owned by client-side kubectl apply are taken over' : undefined);
    const note =
      options.reasons?.get(identityKey(plan.ref)) ?? (undecrypted ? UNDECRYPTED_REASON : undefined);
    const group = options.groupOf?.(plan.merged ?? plan.object);
    return {
      ref: plan.ref,
      class: cls,
      reason: note === undefined ? reason : joinReasons(reason, note),
      diff: renderPlanDiff(plan, cls, options.secrets),
      ...(undecrypted ? { undecrypted: true } : {}),
      ...(group === undefined ? {} : { group }),
    };
  });
  if (options.prune === true && options.applySet !== undefined) {
    const state = await readApplySet(client, options.applySet);
    if (state.exists) {
      const candidates = await findPruneCandidates(client, options.applySet, state, {
        groupKinds: plans.map((p) => groupKindOf(p.ref)),
        namespaces: plans.map((p) => p.ref.namespace),
        keep: new Set(plans.map((p) => identityKey(p.ref))),
      });
      for (const candidate of candidates) {
        if (candidate.keptBecause !== undefined) {
          entries.push({
            ref: candidate.ref,
            class: 'skipped',
            reason: `not pruned: ${candidate.keptBecause}`,
            diff: '',
          });
          continue;
        }
        const live = (await client.request('GET', objectPath(candidate.info, candidate.ref)))
          .body as KubeObject;
        const group = options.groupOf?.(live);
        entries.push({
          ref: candidate.ref,
          class: 'deleted',
          ...(group === undefined ? {} : { group }),
          reason: 'no longer rendered (prune)',
          diff: renderPlanDiff({ ref: candidate.ref, live, merged: undefined }, 'deleted', options.secrets),
        });
      }
    }
  }
  return summarizeDiff(entries);
}

const VERB: Record<DiffClass, string> = {
  created: 'created',
  configured: 'configured',
  unchanged: 'unchanged',
  unknown: 'unknown',
  deleted: 'deleted',
  skipped: 'skipped',
  failed: 'failed',
};

/** One line per object, then the diffs of created, configured and deleted objects. */
export function renderDiffText(report: DiffReport, options: { unchanged?: boolean } = {}): string {
  const lines: string[] = [];
  for (const entry of report.objects) {
    if (entry.class === 'unchanged' && options.unchanged !== true) continue;
    lines.push(
      `${describeRef(entry.ref)} ${VERB[entry.class]}${entry.reason === undefined ? '' : ` (${entry.reason})`}`,
    );
  }
  for (const entry of report.unrendered ?? []) lines.push(`${entry.name} unknown (${entry.reason})`);
  const c = report.counts;
  const unrendered = report.unrendered?.length ?? 0;
  lines.push(
    `${c.created} created, ${c.configured} configured, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed, ${c.unknown + unrendered} unknown`,
  );
  if (report.grouping !== undefined) lines.push(...renderGroupLines(report, report.grouping));
  if (report.undecrypted !== undefined) lines.push(renderUndecryptedNote(report.undecrypted));
  const diffs = report.objects.filter((e) => e.diff !== '').map((e) => e.diff);
  return `${[...lines, ...(diffs.length === 0 ? [] : ['', ...diffs])].join('\n').replace(/\n*$/, '')}\n`;
}

/** The counts of each group, in group order; objects without a group are left out. */
export function groupCounts(report: DiffReport): Map<string, Record<DiffClass, number>> {
  const groups = new Map<string, Record<DiffClass, number>>();
  for (const entry of report.objects) {
    if (entry.group === undefined) continue;
    const counts = groups.get(entry.group) ?? emptyCounts();
    counts[entry.class]++;
    groups.set(entry.group, counts);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One count line per group, then the groups added and removed as a whole. */
function renderGroupLines(report: DiffReport, grouping: DiffGrouping): string[] {
  const lines = [...groupCounts(report)].map(
    ([group, c]) =>
      `${grouping.title} ${group}: ${c.created} created, ${c.configured} configured, ${c.deleted} deleted, ${c.unchanged} unchanged${c.unknown > 0 ? `, ${c.unknown} unknown` : ''}${c.failed > 0 ? `, ${c.failed} failed` : ''}`,
  );
  if (grouping.added.length > 0) lines.push(`${grouping.title}s added: ${grouping.added.join(', ')}`);
  if (grouping.removed.length > 0) lines.push(`${grouping.title}s removed: ${grouping.removed.join(', ')}`);
  return lines;
}

/**
 * The report with every decrypted value masked in every text it carries: the diffs (a last
 * pass after mask-moved.ts, for forms that only appear once rendered, such as a YAML
 * double-quoted scalar) and the reasons (the apiserver quotes values in its errors).
 */
export function redactDiffReport(report: DiffReport, secrets: SecretText): DiffReport {
  return {
    ...report,
    objects: report.objects.map((entry) => ({
      ...entry,
      reason: entry.reason === undefined ? undefined : secrets.redact(entry.reason),
      diff: secrets.redact(entry.diff),
    })),
  };
}

/** One line naming the files a diff could not decrypt, why, and what that means. */
export function renderUndecryptedNote(note: UndecryptedNote): string {
  const n = note.files.length;
  return (
    `${n} SOPS ${n === 1 ? 'file was' : 'files were'} not decrypted in this run (${note.why}): ${note.files.join(', ')}; ` +
    'their values show as (encrypted; not decrypted in this run) and are not compared. ' +
    'Set require-decryption: true to fail instead.'
  );
}
