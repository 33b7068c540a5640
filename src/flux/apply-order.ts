/**
 * `apply --flux` runs one staged apply per Kustomization, in `dependsOn` order, the way Flux
 * reconciles: a Kustomization whose dependency failed (or was itself not attempted) is not
 * attempted, and every other one still is. The report says which were applied, failed, or
 * not attempted, and why.
 */
import { errorMessage } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { releaseOf } from './helm-releases.ts';
import { kustomizationId, type FluxKustomization } from './kustomization.ts';
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from './render.ts';

export type KustomizationOutcome =
  | { readonly id: string; readonly status: 'applied' }
  | { readonly id: string; readonly status: 'failed'; readonly error: unknown }
  | { readonly id: string; readonly status: 'not-attempted'; readonly reason: string }
  /** `spec.suspend: true`: Flux does not reconcile it, so nothing of it is applied. */
  | { readonly id: string; readonly status: 'suspended' };

/**
 * Runs `applyOne` for each item, which must already be in dependsOn order
 * (orderByDependencies), skipping those with a failed or skipped dependency and leaving
 * suspended ones alone.
 */
export async function applyInOrder<T extends { readonly kustomization: FluxKustomization }>(
  items: readonly T[],
  applyOne: (item: T) => Promise<void>,
): Promise<KustomizationOutcome[]> {
  const blocked = new Map<string, string>();
  const outcomes: KustomizationOutcome[] = [];
  for (const item of items) {
    const id = kustomizationId(item.kustomization);
    const blocker = item.kustomization.dependsOn.map(kustomizationId).find((dep) => blocked.has(dep));
    if (blocker !== undefined) {
      const reason = `its dependency ${blocker} ${blocked.get(blocker) ?? ''}`.trim();
      blocked.set(id, 'was not attempted');
      outcomes.push({ id, status: 'not-attempted', reason });
      continue;
    }
    // Its dependents still go ahead: Flux checks a dependency's Ready condition, which a
    // suspended Kustomization keeps from its last reconciliation.
    if (item.kustomization.suspend) {
      outcomes.push({ id, status: 'suspended' });
      continue;
    }
    try {
      await applyOne(item);
      outcomes.push({ id, status: 'applied' });
    } catch (error) {
      blocked.set(id, 'failed');
      outcomes.push({ id, status: 'failed', error });
    }
  }
  return outcomes;
}

/** One line per Kustomization, for the log and the job summary. */
export function renderOutcomes(outcomes: readonly KustomizationOutcome[]): string {
  return outcomes
    .map((o) => {
      switch (o.status) {
        case 'applied':
          return `applied        ${o.id}`;
        case 'failed':
          return `failed         ${o.id}: ${errorMessage(o.error)}`;
        case 'not-attempted':
          return `not attempted  ${o.id}: ${o.reason}`;
        case 'suspended':
          return `suspended      ${o.id}: spec.suspend is true; Flux does not reconcile it, so its objects and HelmReleases were left as they are`;
      }
    })
    .join('\n');
}

/** The ApplySet parent name for a Kustomization's prune set: one set per Kustomization. */
export function applySetNameFor(k: { readonly namespace: string; readonly name: string }): string {
  return `flux-${k.namespace}-${k.name}`;
}

/**
 * The ApplySet parent name for the objects a HelmRelease (`NAMESPACE/NAME`) renders: one set
 * per release, pruned as a helm upgrade removes what the chart no longer renders.
 */
export function applySetNameForRelease(id: string): string {
  return `helm-${id.replace('/', '-')}`;
}

/**
 * The ApplySet `apply --flux` puts a rendered object in, from its origin labels: its
 * HelmRelease's set, else its Kustomization's; undefined for an object with neither.
 */
export function applySetNameOf(object: Readonly<Record<string, unknown>>): string | undefined {
  const release = releaseOf(object);
  if (release !== undefined) return applySetNameForRelease(release);
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
  const name = labels[FLUX_NAME_LABEL];
  const namespace = labels[FLUX_NAMESPACE_LABEL];
  return typeof name === 'string' && typeof namespace === 'string'
    ? applySetNameFor({ namespace, name })
    : undefined;
}

/** A Go duration (`1h30m`, `90s`, `500ms`, `1.5h`) in milliseconds, or undefined. */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    µs: 0.001,
    ns: 0.000001,
  };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let matched = 0;
  for (const match of text.matchAll(re)) {
    total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    matched += match[0].length;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}

/** Flux's GetTimeout: spec.timeout, else spec.interval; 5 minutes when neither reads. */
export function kustomizationTimeoutMs(k: FluxKustomization): number {
  for (const value of [k.timeout, k.spec['interval']]) {
    if (typeof value !== 'string') continue;
    const ms = parseGoDuration(value);
    if (ms !== undefined) return ms;
  }
  return 5 * 60_000;
}
