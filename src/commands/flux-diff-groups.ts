/**
 * `diff --flux` by Kustomization: each object belongs to the Kustomization whose owner labels
 * it carries (Flux's `kustomize.toolkit.fluxcd.io/name` and `/namespace`, set by the render),
 * and Kustomization objects that are created or deleted in the diff are the Kustomizations
 * added or removed. The report and the comment then read per Kustomization.
 */
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from '../flux/render.ts';
import { isRecord } from '../is-record.ts';
import type { KubeObject } from '../kube/client.ts';
import { joinReasons, type DiffReport } from '../kube/diff.ts';
import { suspendedReason } from './flux-render.ts';

/** `namespace/name` of the Flux Kustomization that renders `object`, from its owner labels. */
export function fluxOwner(object: KubeObject): string | undefined {
  const metadata = object['metadata'];
  const labels = isRecord(metadata) ? metadata['labels'] : undefined;
  if (!isRecord(labels)) return undefined;
  const name = labels[FLUX_NAME_LABEL];
  const namespace = labels[FLUX_NAMESPACE_LABEL];
  return typeof name === 'string' && typeof namespace === 'string' ? `${namespace}/${name}` : undefined;
}

const isFluxKustomizationRef = (ref: { apiVersion: string; kind: string }): boolean =>
  ref.kind === 'Kustomization' && ref.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');

/** The report grouped by Kustomization, with the Kustomizations added and removed. */
export function withFluxGrouping(report: DiffReport): DiffReport {
  const named = (cls: 'created' | 'deleted'): string[] =>
    report.objects
      .filter((o) => o.class === cls && isFluxKustomizationRef(o.ref))
      .map((o) => `${o.ref.namespace}/${o.ref.name}`)
      .sort();
  return {
    ...report,
    grouping: { title: 'Kustomization', added: named('created'), removed: named('deleted') },
  };
}

/**
 * The report with each change of a suspended Kustomization saying that Flux will not apply
 * it (the diff still shows what the repository renders, so the change is reviewed).
 */
export function noteSuspended(report: DiffReport, suspended: ReadonlySet<string>): DiffReport {
  if (suspended.size === 0) return report;
  return {
    ...report,
    objects: report.objects.map((entry) =>
      entry.group === undefined || !suspended.has(entry.group) || entry.class === 'unchanged'
        ? entry
        : { ...entry, reason: joinReasons(entry.reason, suspendedReason(entry.group)) },
    ),
  };
}
