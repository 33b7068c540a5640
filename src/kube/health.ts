/**
 * Readiness with kstatus-equivalent rules: workloads by observedGeneration and replica
 * counts, Jobs by their Complete/Failed conditions, PVCs by phase, LoadBalancer Services by
 * an ingress address, CRDs by Established, and anything else by a Ready condition when it
 * has one. A Failed status ends the wait at once.
 */
import type { KubeClient, KubeObject } from './client.ts';
import { describeRef, metadataOf, refOf } from './normalize.ts';
import type { ObjectRef } from './normalize.ts';
import { getLive } from './ssa.ts';
import { UserError } from '../errors.ts';

export type HealthState = 'ready' | 'in-progress' | 'failed' | 'missing';

export interface HealthStatus {
  readonly ref: ObjectRef;
  readonly state: HealthState;
  /** Why it is not ready (or '' when it is). */
  readonly reason: string;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

function conditions(status: Record<string, unknown>): Condition[] {
  return Array.isArray(status['conditions']) ? (status['conditions'] as Condition[]) : [];
}

function condition(status: Record<string, unknown>, type: string): Condition | undefined {
  return conditions(status).find((c) => c.type === type);
}

function conditionText(c: Condition): string {
  return [c.reason, c.message].filter((s) => s !== undefined && s !== '').join(': ');
}

type Health = { state: HealthState; reason: string };

/** What the per-kind rules read from one object. */
interface Facts {
  readonly spec: Record<string, unknown>;
  readonly status: Record<string, unknown>;
  /** Why the controller has not caught up with the spec yet, or undefined when it has. */
  readonly generationPending: () => string | undefined;
}

const ready = (): Health => ({ state: 'ready', reason: '' });

function deploymentHealth({ spec, status, generationPending }: Facts): Health {
  const pending = generationPending();
  if (pending !== undefined) return { state: 'in-progress', reason: pending };
  const progressing = condition(status, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { state: 'failed', reason: `ProgressDeadlineExceeded: ${progressing.message ?? ''}` };
  const want = num(spec['replicas'], 1);
  for (const [field, label] of [
    ['updatedReplicas', 'updated'],
    ['readyReplicas', 'ready'],
    ['availableReplicas', 'available'],
  ] as const) {
    const have = num(status[field]);
    if (have < want) return { state: 'in-progress', reason: `${label} replicas ${have}/${want}` };
  }
  if (num(status['replicas']) > want)
    return {
      state: 'in-progress',
      reason: `${num(status['replicas']) - want} old replicas pending termination`,
    };
  return ready();
}

function statefulSetHealth({ spec, status, generationPending }: Facts): Health {
  const pending = generationPending();
  if (pending !== undefined) return { state: 'in-progress', reason: pending };
  const want = num(spec['replicas'], 1);
  const readyCount = num(status['readyReplicas']);
  if (readyCount < want) return { state: 'in-progress', reason: `ready replicas ${readyCount}/${want}` };
  const strategy = record(spec['updateStrategy'])['type'];
  if (
    strategy !== 'OnDelete' &&
    status['updateRevision'] !== undefined &&
    status['currentRevision'] !== status['updateRevision']
  ) {
    return { state: 'in-progress', reason: `updated replicas ${num(status['updatedReplicas'])}/${want}` };
  }
  return ready();
}

function daemonSetHealth({ status, generationPending }: Facts): Health {
  const pending = generationPending();
  if (pending !== undefined) return { state: 'in-progress', reason: pending };
  const want = num(status['desiredNumberScheduled']);
  for (const [field, label] of [
    ['updatedNumberScheduled', 'updated'],
    ['numberAvailable', 'available'],
    ['numberReady', 'ready'],
  ] as const) {
    const have = num(status[field]);
    if (have < want) return { state: 'in-progress', reason: `${label} pods ${have}/${want}` };
  }
  return ready();
}

function replicaSetHealth({ spec, status, generationPending }: Facts): Health {
  const pending = generationPending();
  if (pending !== undefined) return { state: 'in-progress', reason: pending };
  const want = num(spec['replicas'], 1);
  const readyCount = num(status['readyReplicas']);
  const available = num(status['availableReplicas']);
  if (readyCount < want) return { state: 'in-progress', reason: `ready replicas ${readyCount}/${want}` };
  if (available < want) return { state: 'in-progress', reason: `available replicas ${available}/${want}` };
  return ready();
}

function jobHealth({ spec, status }: Facts): Health {
  const failed = condition(status, 'Failed');
  if (failed?.status === 'True') return { state: 'failed', reason: `Failed: ${conditionText(failed)}` };
  const complete = condition(status, 'Complete');
  if (complete?.status === 'True') return ready();
  return {
    state: 'in-progress',
    reason: `succeeded ${num(status['succeeded'])}/${num(spec['completions'], 1)}`,
  };
}

function claimHealth({ status }: Facts): Health {
  const phase = status['phase'];
  if (phase === 'Bound') return ready();
  if (phase === 'Lost') return { state: 'failed', reason: 'phase Lost' };
  return { state: 'in-progress', reason: `phase ${typeof phase === 'string' ? phase : 'unknown'}` };
}

/** A running Pod is judged by its Ready condition (undefined: fall through to it). */
function podHealth({ status }: Facts): Health | undefined {
  const phase = status['phase'];
  if (phase === 'Failed') return { state: 'failed', reason: 'phase Failed' };
  if (phase === 'Succeeded') return ready();
  return undefined;
}

function serviceHealth({ spec, status }: Facts): Health {
  if (spec['type'] !== 'LoadBalancer') return ready();
  const ingress = record(status['loadBalancer'])['ingress'];
  if (Array.isArray(ingress) && ingress.length > 0) return ready();
  return { state: 'in-progress', reason: 'no load balancer address yet' };
}

function crdHealth({ status }: Facts): Health {
  const established = condition(status, 'Established');
  if (established?.status === 'True') return ready();
  return {
    state: 'in-progress',
    reason:
      established === undefined ? 'not Established yet' : `not Established: ${conditionText(established)}`,
  };
}

/** The kinds with rules of their own; any other kind is judged by its Ready condition. */
const KIND_HEALTH: Readonly<Record<string, (facts: Facts) => Health | undefined>> = {
  Deployment: deploymentHealth,
  StatefulSet: statefulSetHealth,
  DaemonSet: daemonSetHealth,
  ReplicaSet: replicaSetHealth,
  Job: jobHealth,
  PersistentVolumeClaim: claimHealth,
  Pod: podHealth,
  Service: serviceHealth,
  CustomResourceDefinition: crdHealth,
};

/** The readiness of one live object (pure: no requests). */
export function computeHealth(object: KubeObject): Health {
  const kind = object['kind'];
  const metadata = metadataOf(object);
  const spec = record(object['spec']);
  const status = record(object['status']);
  const generation = num(metadata['generation'], 0);
  const observed = status['observedGeneration'];
  if (metadata['deletionTimestamp'] !== undefined) return { state: 'in-progress', reason: 'being deleted' };

  // kstatus treats a Stalled=True or Failed=True condition as terminal for any kind.
  for (const type of ['Stalled', 'Failed']) {
    const c = condition(status, type);
    if (c?.status === 'True' && kind !== 'Job')
      return { state: 'failed', reason: `${type}: ${conditionText(c)}` };
  }

  const generationPending = (): string | undefined =>
    typeof observed === 'number' && observed < generation
      ? `observedGeneration ${observed} < generation ${generation}`
      : observed === undefined &&
          ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(String(kind))
        ? 'the controller has not observed it yet'
        : undefined;

  const rule = typeof kind === 'string' && Object.hasOwn(KIND_HEALTH, kind) ? KIND_HEALTH[kind] : undefined;
  const byKind = rule?.({ spec, status, generationPending });
  if (byKind !== undefined) return byKind;
  const readyCondition = condition(status, 'Ready');
  if (readyCondition !== undefined) {
    if (typeof observed === 'number' && observed < generation) {
      return { state: 'in-progress', reason: `observedGeneration ${observed} < generation ${generation}` };
    }
    if (readyCondition.status === 'True') return ready();
    return {
      state: 'in-progress',
      reason: `Ready=${readyCondition.status ?? 'Unknown'}${conditionText(readyCondition) === '' ? '' : `: ${conditionText(readyCondition)}`}`,
    };
  }
  return ready();
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/** Reads each object once and returns its status. */
export async function checkHealth(
  client: KubeClient,
  objects: readonly KubeObject[],
): Promise<HealthStatus[]> {
  return Promise.all(
    objects.map(async (object) => {
      const rendered = refOf(object);
      const info = await client.resourceFor(rendered.apiVersion, rendered.kind);
      if (info === undefined) return { ref: rendered, state: 'missing' as const, reason: 'kind not served' };
      const ref = { ...rendered, namespace: info.namespaced ? rendered.namespace || client.namespace : '' };
      const live = await getLive(client, info, ref);
      if (live === undefined) return { ref, state: 'missing' as const, reason: 'not found' };
      return { ref, ...computeHealth(live) };
    }),
  );
}

/**
 * Polls until every object is ready. Fails at once when one has failed, and after the
 * timeout with every object that is not ready and why.
 */
export async function waitForHealth(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: WaitOptions,
): Promise<HealthStatus[]> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const statuses = await checkHealth(client, objects);
    const failed = statuses.filter((s) => s.state === 'failed');
    const waiting = statuses.filter((s) => s.state !== 'ready');
    if (failed.length > 0) {
      throw new UserError(
        'NOT_READY',
        `${failed.length} object(s) failed: ${failed.map((s) => `${describeRef(s.ref)} (${s.reason})`).join('; ')}`,
        {
          report: statuses
            .filter((s) => s.state !== 'ready')
            .map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`)
            .join('\n'),
        },
      );
    }
    if (waiting.length === 0) return statuses;
    if (Date.now() >= deadline) {
      throw new UserError(
        'NOT_READY',
        `${waiting.length} object(s) not ready after ${Math.round(options.timeoutMs / 1000)} s: ${waiting.map((s) => `${describeRef(s.ref)} (${s.reason})`).join('; ')}`,
        {
          report: waiting.map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`).join('\n'),
          hint: 'raise --timeout or check the objects above',
        },
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(options.intervalMs ?? 1_000, Math.max(0, deadline - Date.now()))),
    );
  }
}
