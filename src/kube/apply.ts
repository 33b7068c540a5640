/**
 * Staged server-side apply, as Flux's ssa package does it: CRDs, Namespaces and
 * ClusterRoles first (then wait until the CRDs are Established), then `*Class` kinds, then
 * everything else. Every object of a stage is dry-run before any is written, so one bad
 * object stops the stage with nothing written; unchanged objects are not written at all.
 */
import type { SecretText } from '../masking.ts';
import type { KubeClient, KubeObject } from './client.ts';
import { DEFAULT_CONCURRENCY } from './concurrency.ts';
import {
  applySetId,
  findPruneCandidates,
  labelMember,
  pruneCandidates,
  readApplySet,
  writeApplySet,
} from './applyset.ts';
import type { ApplySetRef } from './applyset.ts';
import { waitForHealth } from './health.ts';
import type { HealthStatus } from './health.ts';
import { describeRef, groupKindOf, identityKey, refOf, stageOf } from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { mapLimit } from '../map-limit.ts';
import { changeScope, describeApiError, planObjects } from './plan.ts';
import type { ObjectPlan } from './plan.ts';
import {
  applyObject,
  deleteObject,
  FIELD_MANAGER,
  takeOverClientSideFields,
  waitForDeletion,
} from './ssa.ts';
import type { Logger } from '../ports.ts';
import { errorMessage, UserError } from '../errors.ts';

export type ApplyStatus =
  'created' | 'configured' | 'recreated' | 'unchanged' | 'skipped' | 'deleted' | 'failed' | 'not-applied';

export interface ObjectResult {
  readonly ref: ObjectRef;
  readonly status: ApplyStatus;
  /** Why skipped, failed or recreated; never holds a Secret value. */
  readonly reason: string | undefined;
}

export interface ApplyReport {
  /** Every rendered object, plus pruned ones, in apply order. */
  readonly objects: readonly ObjectResult[];
  readonly counts: Readonly<Record<ApplyStatus, number>>;
  /** False when any object failed, a stage stopped or a health check failed. */
  readonly ok: boolean;
  /** The first error, one line, when not ok. */
  readonly error: string | undefined;
  /** Readiness of the applied objects, when waited for. */
  readonly health: readonly HealthStatus[] | undefined;
}

export interface ApplyOptions {
  /** Field manager for server-side apply (default `kustomize-sops-deploy`). */
  readonly fieldManager?: string;
  /** Objects applied at the same time within a stage (default DEFAULT_CONCURRENCY, 32). */
  readonly concurrency?: number;
  /** Delete and recreate objects whose immutable fields change. */
  readonly force?: boolean;
  /** The ApplySet parent; members get its part-of label. */
  readonly applySet?: ApplySetRef | undefined;
  /** Delete members of the ApplySet that are no longer rendered (needs applySet). */
  readonly prune?: boolean;
  /** Wait for every applied object to be ready. */
  readonly wait?: boolean;
  /** Limit for the health wait and for CRDs to become Established (default 5 minutes). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

const STATUS_OF: Record<ObjectPlan['action'], ApplyStatus> = {
  create: 'created',
  configure: 'configured',
  recreate: 'recreated',
  unchanged: 'unchanged',
  skip: 'skipped',
  error: 'failed',
};

function emptyCounts(): Record<ApplyStatus, number> {
  return {
    created: 0,
    configured: 0,
    recreated: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    'not-applied': 0,
  };
}

function finish(
  results: ObjectResult[],
  error: string | undefined,
  health?: readonly HealthStatus[],
): ApplyReport {
  const counts = emptyCounts();
  for (const r of results) counts[r.status]++;
  return { objects: results, counts, ok: error === undefined, error, health };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

async function carryOut(
  client: KubeClient,
  plan: ObjectPlan,
  fieldManager: string,
  timeoutMs: number,
): Promise<void> {
  const info = plan.info;
  if (info === undefined) throw new Error(`${describeRef(plan.ref)}: kind not served`);
  if (plan.action === 'recreate') {
    await deleteObject(client, info, plan.ref);
    await waitForDeletion(client, info, plan.ref, timeoutMs);
  } else if (plan.takeover && plan.live !== undefined) {
    await takeOverClientSideFields(client, info, plan.live, fieldManager);
  }
  await applyObject(client, info, plan.ref, plan.object, { fieldManager, dryRun: false, metadataOnly: true });
}

/** One apply in progress: its settings, what it read from the cluster and what it did so far. */
interface ApplyRun {
  readonly client: KubeClient;
  readonly fieldManager: string;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly log: Logger | undefined;
  /** The rendered objects, labelled as ApplySet members when there is a parent. */
  readonly members: readonly KubeObject[];
  readonly applySet: ApplySetRef | undefined;
  /** The parent as read before anything was written. */
  readonly state: Awaited<ReturnType<typeof readApplySet>> | undefined;
  /** What the parent records now, so that a run that changes neither set writes nothing. */
  recorded: { groupKinds: ReadonlySet<string>; namespaces: ReadonlySet<string> } | undefined;
  readonly results: ObjectResult[];
  /** Objects written or left unchanged, for the health wait. */
  readonly applied: KubeObject[];
  readonly allPlans: ObjectPlan[];
}

/** Marks every member of stage `from` and later as not applied. */
function notApplied(run: ApplyRun, from: number): void {
  for (const object of run.members.filter((o) => stageOf(refOf(o)) >= from)) {
    run.results.push({ ref: refOf(object), status: 'not-applied', reason: undefined });
  }
}

/** Writes the ApplySet parent's kinds and namespaces, unless it records them already. */
async function recordApplySet(
  run: ApplyRun,
  parent: ApplySetRef,
  groupKinds: readonly string[],
  namespaces: readonly string[],
): Promise<void> {
  const kinds = new Set(groupKinds);
  const spaces = new Set([parent.namespace, ...namespaces.filter((ns) => ns !== '')]);
  const { recorded } = run;
  if (recorded !== undefined && sameSet(recorded.groupKinds, kinds) && sameSet(recorded.namespaces, spaces))
    return;
  await writeApplySet(run.client, parent, kinds, spaces, run.fieldManager);
  run.recorded = { groupKinds: kinds, namespaces: spaces };
}

/** Writes the planned objects of one stage; returns the stage's error, if any. */
async function writeStage(
  run: ApplyRun,
  stage: number,
  plans: readonly ObjectPlan[],
): Promise<string | undefined> {
  const errors: string[] = [];
  const stageResults = await mapLimit(plans, run.concurrency, async (plan): Promise<ObjectResult> => {
    if (plan.action !== 'create' && plan.action !== 'configure' && plan.action !== 'recreate') {
      return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
    }
    try {
      await carryOut(run.client, plan, run.fieldManager, run.timeoutMs);
      run.log?.info(`${describeRef(plan.ref)} ${STATUS_OF[plan.action]}`);
      return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
    } catch (error) {
      const reason = describeApiError(error, plan.ref);
      errors.push(`${describeRef(plan.ref)}: ${reason}`);
      return { ref: plan.ref, status: 'failed', reason };
    }
  });
  run.results.push(...stageResults);
  for (const plan of plans) if (plan.action !== 'skip') run.applied.push(plan.object);
  if (errors.length === 0) return undefined;
  notApplied(run, stage + 1);
  return `${errors.length} object(s) failed to apply in stage ${stage}: ${errors[0] ?? ''}`;
}

/**
 * After stage 1: waits for its CRDs to be Established and records the ApplySet's union of
 * kinds and namespaces; returns the error, if any.
 */
async function settleFirstStage(
  run: ApplyRun,
  inStage: readonly KubeObject[],
  plans: readonly ObjectPlan[],
): Promise<string | undefined> {
  const crds = inStage.filter((o) => o['kind'] === 'CustomResourceDefinition');
  if (crds.length > 0) {
    try {
      await waitForHealth(run.client, crds, { timeoutMs: run.timeoutMs, intervalMs: 250 });
    } catch (error) {
      notApplied(run, 2);
      return `CustomResourceDefinitions not Established: ${errorMessage(error)}`;
    }
    // New kinds are served now; discovery cached before they existed is stale.
    run.client.resetDiscovery();
  }
  const { applySet, state, members } = run;
  if (applySet !== undefined && state !== undefined) {
    // Record the union before later stages write members, so an interrupted run leaves
    // nothing that a later prune cannot find.
    try {
      await recordApplySet(
        run,
        applySet,
        [...state.groupKinds, ...members.map((o) => groupKindOf(refOf(o)))],
        [
          ...state.namespaces,
          ...plans.map((p) => p.ref.namespace),
          ...members.map((o) => refOf(o).namespace),
        ],
      );
    } catch (error) {
      notApplied(run, 2);
      return `writing the ApplySet parent: ${errorMessage(error)}`;
    }
  }
  return undefined;
}

/** Plans, writes and settles one stage; returns the error that stops the apply, if any. */
async function applyStage(
  run: ApplyRun,
  stage: 1 | 2 | 3,
  context: Parameters<typeof planObjects>[0],
): Promise<string | undefined> {
  const inStage = run.members.filter((o) => stageOf(refOf(o)) === stage);
  if (inStage.length === 0 && stage !== 1) return undefined;
  let plans: ObjectPlan[];
  try {
    plans = await planObjects(context, inStage, run.concurrency);
  } catch (error) {
    notApplied(run, stage);
    return `stage ${stage}: ${errorMessage(error)}`;
  }
  run.allPlans.push(...plans);
  const failedPlans = plans.filter((p) => p.action === 'error');
  if (failedPlans.length > 0) {
    for (const plan of plans) {
      run.results.push({
        ref: plan.ref,
        status: plan.action === 'error' ? 'failed' : 'not-applied',
        reason: plan.reason,
      });
    }
    notApplied(run, stage + 1);
    const first = failedPlans[0];
    return `dry run failed for ${failedPlans.length} object(s) in stage ${stage}, nothing in it was written${first === undefined ? '' : `: ${describeRef(first.ref)}: ${first.reason ?? ''}`}`;
  }
  const written = await writeStage(run, stage, plans);
  if (written !== undefined) return written;
  return stage === 1 ? settleFirstStage(run, inStage, plans) : undefined;
}

/** Deletes the ApplySet members no longer rendered, and records what is left. */
async function pruneMembers(run: ApplyRun, applySet: ApplySetRef, state: NonNullable<ApplyRun['state']>) {
  const { client, results, allPlans, log } = run;
  const currentKinds = allPlans.map((p) => groupKindOf(p.ref));
  const currentNamespaces = allPlans.map((p) => p.ref.namespace);
  const candidates = await findPruneCandidates(client, applySet, state, {
    groupKinds: currentKinds,
    namespaces: currentNamespaces,
    keep: new Set(allPlans.map((p) => identityKey(p.ref))),
  });
  const deleted = new Set((await pruneCandidates(client, candidates, run.concurrency)).map(identityKey));
  for (const candidate of candidates) {
    if (candidate.keptBecause !== undefined) {
      results.push({
        ref: candidate.ref,
        status: 'skipped',
        reason: `not pruned: ${candidate.keptBecause}`,
      });
    } else if (deleted.has(identityKey(candidate.ref))) {
      log?.info(`${describeRef(candidate.ref)} deleted`);
      results.push({ ref: candidate.ref, status: 'deleted', reason: 'no longer rendered (prune)' });
    }
  }
  const kept = candidates.filter((c) => c.keptBecause !== undefined);
  await recordApplySet(
    run,
    applySet,
    [...currentKinds, ...kept.map((c) => groupKindOf(c.ref))],
    [...currentNamespaces, ...kept.map((c) => c.ref.namespace)],
  );
}

/**
 * Applies rendered objects (Secrets already decrypted). Returns a report of every object;
 * apply failures are in the report (ok false), so callers can say what was and was not applied.
 */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const id = options.applySet === undefined ? undefined : applySetId(options.applySet);
  const members = objects.map((o) => {
    refOf(o);
    return id === undefined ? o : labelMember(o, id);
  });
  const state = options.applySet === undefined ? undefined : await readApplySet(client, options.applySet);
  const run: ApplyRun = {
    client,
    fieldManager,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
    log: options.logger,
    members,
    applySet: options.applySet,
    state,
    recorded:
      state === undefined || !state.exists
        ? undefined
        : { groupKinds: new Set(state.groupKinds), namespaces: new Set(state.namespaces) },
    results: [],
    applied: [],
    allPlans: [],
  };
  // Apply reads a dry run's result only to compare it with a live object.
  const context = {
    client,
    fieldManager,
    force: options.force ?? false,
    ...changeScope(members),
    keepCreated: false,
  };

  for (const stage of [1, 2, 3] as const) {
    const error = await applyStage(run, stage, context);
    if (error !== undefined) return finish(run.results, error);
  }

  if (options.applySet !== undefined && state !== undefined && options.prune === true) {
    try {
      await pruneMembers(run, options.applySet, state);
    } catch (error) {
      return finish(run.results, `prune: ${errorMessage(error)}`);
    }
  }

  if (options.wait === true) {
    try {
      const health = await waitForHealth(client, run.applied, { timeoutMs: run.timeoutMs });
      return finish(run.results, undefined, health);
    } catch (error) {
      return finish(run.results, errorMessage(error));
    }
  }
  return finish(run.results, undefined);
}

const APPLIED: readonly ApplyStatus[] = ['created', 'configured', 'recreated', 'deleted'];

/**
 * The error for a failed apply (code APPLY_FAILED), or undefined when it succeeded. The
 * message counts what was applied, failed and not applied; the report names each object.
 */
export function applyFailure(report: ApplyReport): UserError | undefined {
  if (report.ok) return undefined;
  const named = (statuses: readonly ApplyStatus[]): string[] =>
    report.objects.filter((o) => statuses.includes(o.status)).map((o) => describeRef(o.ref));
  const applied = named(APPLIED);
  const failed = named(['failed']);
  const notApplied = named(['not-applied']);
  const list = (title: string, refs: readonly string[]): string[] =>
    refs.length === 0 ? [] : [`${title}:`, ...refs.map((r) => `  ${r}`)];
  return new UserError(
    'APPLY_FAILED',
    `apply failed: ${(report.error ?? 'see the report').replace(/\s*\n\s*/g, ' ')}; ${applied.length} object(s) applied, ${failed.length} failed, ${notApplied.length} not applied`,
    {
      report: [
        ...list('applied', applied),
        ...list('failed', failed),
        ...list('not applied', notApplied),
      ].join('\n'),
      hint: 'fix the objects named above and run apply again; objects already applied are left as they are',
    },
  );
}

/**
 * The report with every decrypted value masked in its reasons and error: the apiserver
 * quotes a field's value when it refuses it, and that value may have come from a Secret.
 */
export function redactApplyReport(report: ApplyReport, secrets: SecretText): ApplyReport {
  const redact = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : secrets.redact(text);
  return {
    ...report,
    objects: report.objects.map((o) => ({ ...o, reason: redact(o.reason) })),
    error: redact(report.error),
    health: report.health?.map((h) => ({ ...h, reason: secrets.redact(h.reason) })),
  };
}

/** One line per object and a count line. */
export function renderApplyText(report: ApplyReport): string {
  const lines = report.objects.map(
    (r) => `${describeRef(r.ref)} ${r.status}${r.reason === undefined ? '' : ` (${r.reason})`}`,
  );
  const c = report.counts;
  lines.push(
    `${c.created} created, ${c.configured} configured, ${c.recreated} recreated, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.skipped} skipped, ${c.failed} failed, ${c['not-applied']} not applied`,
  );
  if (report.error !== undefined) lines.push(`error: ${report.error}`);
  return `${lines.join('\n')}\n`;
}
