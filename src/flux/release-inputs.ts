/**
 * What a HelmRelease's rendering depends on in the repository, as one digest, so a diff
 * between two git refs can tell that a release it could not render on either side renders
 * the same on both: helm-controller's output is a function of the HelmRelease, its chart
 * source objects (HelmRepository, OCIRepository, HelmChart) and its valuesFrom ConfigMaps and
 * Secrets, and both sides of one run resolve a chart version at the same moment.
 *
 * There is no digest (the release is never taken as "the same") when the chart comes from a
 * folder of a checkout (GitRepository flux-system/flux-system, or a `--flux-source` folder),
 * whose files can differ between the two sides, or when any input holds a value this run could
 * not decrypt: every such value is staged as the same placeholder (kustomize/placeholder.ts),
 * so two different secrets would look alike.
 *
 * The digest is compared, never shown: a values Secret's decrypted data goes into it.
 */
import { createHash } from 'node:crypto';
import { isHelmRelease, parseHelmRelease, type SourceRef } from '../helm/helm-release.ts';
import type { ObjectIndex } from '../helm/object-index.ts';
import { isRecord } from '../is-record.ts';
import { hasUndecryptedValues } from '../kube/mask.ts';

/** JSON with every map's keys sorted, so equal objects give equal text whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** A HelmChart's own source, in the HelmChart's namespace. */
function helmChartSource(chart: Readonly<Record<string, unknown>>, namespace: string): SourceRef | undefined {
  const spec = isRecord(chart['spec']) ? chart['spec'] : {};
  const source = isRecord(spec['sourceRef']) ? spec['sourceRef'] : {};
  return typeof source['kind'] === 'string' && typeof source['name'] === 'string'
    ? { kind: source['kind'], name: source['name'], namespace }
    : undefined;
}

/**
 * The digest of `object`'s inputs, or undefined when they include files of a checkout.
 * `sourceDirs` keys are `KIND/NAMESPACE/NAME`, as `--flux-source` gives them.
 */
export function releaseInputs(
  object: Readonly<Record<string, unknown>>,
  objects: ObjectIndex,
  sourceDirs: ReadonlyMap<string, string>,
): string | undefined {
  const parts: unknown[] = [object];
  if (isHelmRelease(object)) {
    const release = parseHelmRelease(object);
    // Follow the chart's sources down to the one that holds it (a HelmChart names another).
    let ref = release.chart?.sourceRef ?? release.chartRef;
    for (let depth = 0; ref !== undefined && depth < 4; depth++) {
      const local =
        sourceDirs.has(`${ref.kind}/${ref.namespace}/${ref.name}`) ||
        (ref.kind === 'GitRepository' && ref.namespace === 'flux-system' && ref.name === 'flux-system');
      if (local) return undefined;
      const source = objects.get(ref.kind, ref.namespace, ref.name);
      parts.push(source ?? null);
      ref =
        ref.kind === 'HelmChart' && source !== undefined ? helmChartSource(source, ref.namespace) : undefined;
    }
    for (const from of release.valuesFrom) {
      parts.push(objects.get(from.kind, release.namespace, from.name) ?? null);
    }
  }
  if (parts.some((part) => isRecord(part) && hasUndecryptedValues(part))) return undefined;
  return createHash('sha256').update(canonical(parts)).digest('hex');
}
