/**
 * The parts of a `helm.toolkit.fluxcd.io/v2` HelmRelease that decide what it renders, read
 * from the object a Kustomization rendered, and the names helm-controller derives from it:
 * the release name (`spec.releaseName`, else `[targetNamespace-]name`, shortened past 53
 * characters exactly as helm-controller's release.ShortenName does), the release and storage
 * namespaces, the CRD policy of the install and upgrade actions, `install.createNamespace` and
 * `suspend`.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';

export const HELM_RELEASE_GROUP = 'helm.toolkit.fluxcd.io';

/** A reference to a source object (HelmRepository, GitRepository, Bucket, OCIRepository, HelmChart). */
export interface SourceRef {
  readonly kind: string;
  readonly name: string;
  /** Defaults to the HelmRelease's namespace. */
  readonly namespace: string;
}

export interface ChartTemplate {
  /** A chart name in a repository, or a path in a GitRepository or Bucket. */
  readonly chart: string;
  /** Semver constraint; empty means the latest stable version. */
  readonly version: string;
  readonly sourceRef: SourceRef;
  readonly valuesFiles: readonly string[];
  /** A listed values file the chart does not hold is skipped rather than an error. */
  readonly ignoreMissingValuesFiles: boolean;
}

export interface ValuesReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly valuesKey: string;
  readonly targetPath: string;
  readonly optional: boolean;
}

export interface KustomizePatch {
  readonly patch: string;
  readonly target?: Readonly<Record<string, unknown>>;
}

export interface PostRenderer {
  readonly patches: readonly KustomizePatch[];
  readonly images: readonly Readonly<Record<string, unknown>>[];
}

export type CrdPolicy = 'Skip' | 'Create' | 'CreateReplace';

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  /** `ns/name`, for messages. */
  readonly id: string;
  readonly chart: ChartTemplate | undefined;
  readonly chartRef: SourceRef | undefined;
  readonly releaseName: string;
  readonly releaseNamespace: string;
  readonly storageNamespace: string;
  readonly valuesFrom: readonly ValuesReference[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly postRenderers: readonly PostRenderer[];
  readonly commonMetadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly installCrds: CrdPolicy;
  readonly upgradeCrds: CrdPolicy;
  /**
   * `spec.install.createNamespace` with a `targetNamespace`: helm creates that namespace on
   * install. helm-controller ignores the field without a targetNamespace.
   */
  readonly createNamespace: boolean;
  /** `spec.suspend`: helm-controller does not reconcile the release. */
  readonly suspend: boolean;
}

/** Whether an object is a HelmRelease this module renders. */
export function isHelmRelease(object: Readonly<Record<string, unknown>>): boolean {
  return object['kind'] === 'HelmRelease' && object['apiVersion'] === `${HELM_RELEASE_GROUP}/v2`;
}

/** helm-controller's release.ShortenName: past 53 characters, 40 of them, `-`, 12 hex of the SHA-256. */
export function shortenReleaseName(name: string): string {
  if (name.length <= 53) return name;
  const sum = createHash('sha256').update(name, 'utf8').digest('hex');
  return `${name.slice(0, 53 - 13)}-${sum.slice(0, 12)}`;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function rec(value: unknown): Readonly<Record<string, unknown>> {
  return isRecord(value) ? value : {};
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

function crdPolicy(value: unknown, fallback: CrdPolicy, id: string, field: string): CrdPolicy {
  if (value === undefined || value === '') return fallback;
  if (value === 'Skip' || value === 'Create' || value === 'CreateReplace') return value;
  throw new UserError(
    'BAD_FORMAT',
    `HelmRelease ${id}: ${field} ${JSON.stringify(value)} is not a CRD policy`,
    {
      hint: 'use Skip, Create or CreateReplace',
    },
  );
}

function sourceRef(value: unknown, namespace: string, id: string, field: string): SourceRef {
  const ref = rec(value);
  const kind = str(ref['kind']);
  const name = str(ref['name']);
  if (kind === '' || name === '') {
    throw new UserError('BAD_FORMAT', `HelmRelease ${id}: ${field} needs a kind and a name`);
  }
  return { kind, name, namespace: str(ref['namespace']) || namespace };
}

function valuesReference(value: unknown, id: string): ValuesReference {
  const ref = rec(value);
  const kind = ref['kind'];
  const name = str(ref['name']);
  if ((kind !== 'ConfigMap' && kind !== 'Secret') || name === '') {
    throw new UserError(
      'BAD_FORMAT',
      `HelmRelease ${id}: a valuesFrom entry needs kind ConfigMap or Secret and a name`,
    );
  }
  return {
    kind,
    name,
    valuesKey: str(ref['valuesKey']) || 'values.yaml',
    targetPath: str(ref['targetPath']),
    optional: ref['optional'] === true,
  };
}

function postRenderer(value: unknown): PostRenderer | undefined {
  const kustomize = rec(rec(value)['kustomize']);
  if (Object.keys(kustomize).length === 0) return undefined;
  return {
    patches: list(kustomize['patches']).map((p) => {
      const patch = rec(p);
      const target = patch['target'];
      return { patch: str(patch['patch']), ...(isRecord(target) ? { target } : {}) };
    }),
    images: list(kustomize['images']).filter(isRecord),
  };
}

/** Reads a HelmRelease; errors name it and the field. */
export function parseHelmRelease(object: Readonly<Record<string, unknown>>): HelmRelease {
  const metadata = rec(object['metadata']);
  const name = str(metadata['name']);
  const namespace = str(metadata['namespace']) || 'default';
  const id = `${namespace}/${name}`;
  const spec = rec(object['spec']);
  const chartSpec = rec(rec(spec['chart'])['spec']);
  const chart: ChartTemplate | undefined =
    Object.keys(chartSpec).length === 0
      ? undefined
      : {
          chart: str(chartSpec['chart']),
          version: str(chartSpec['version']),
          sourceRef: sourceRef(chartSpec['sourceRef'], namespace, id, 'spec.chart.spec.sourceRef'),
          valuesFiles: [
            ...list(chartSpec['valuesFiles']).filter((f) => typeof f === 'string'),
            ...(typeof chartSpec['valuesFile'] === 'string' ? [chartSpec['valuesFile']] : []),
          ],
          ignoreMissingValuesFiles: chartSpec['ignoreMissingValuesFiles'] === true,
        };
  const chartRef =
    spec['chartRef'] === undefined ? undefined : sourceRef(spec['chartRef'], namespace, id, 'spec.chartRef');
  if (chart === undefined && chartRef === undefined) {
    throw new UserError('BAD_FORMAT', `HelmRelease ${id}: neither spec.chart nor spec.chartRef is set`);
  }
  const targetNamespace = str(spec['targetNamespace']);
  const commonMetadata = rec(spec['commonMetadata']);
  return {
    name,
    namespace,
    id,
    chart,
    chartRef,
    releaseName: shortenReleaseName(
      str(spec['releaseName']) || (targetNamespace === '' ? name : `${targetNamespace}-${name}`),
    ),
    releaseNamespace: targetNamespace || namespace,
    storageNamespace: str(spec['storageNamespace']) || namespace,
    valuesFrom: list(spec['valuesFrom']).map((v) => valuesReference(v, id)),
    values: rec(spec['values']),
    postRenderers: list(spec['postRenderers'])
      .map(postRenderer)
      .filter((p): p is PostRenderer => p !== undefined),
    commonMetadata: {
      labels: stringMap(commonMetadata['labels']),
      annotations: stringMap(commonMetadata['annotations']),
    },
    installCrds: crdPolicy(rec(spec['install'])['crds'], 'Create', id, 'spec.install.crds'),
    upgradeCrds: crdPolicy(rec(spec['upgrade'])['crds'], 'Skip', id, 'spec.upgrade.crds'),
    // helm-controller passes it to helm only with a targetNamespace (internal/action/install.go).
    createNamespace: targetNamespace !== '' && rec(spec['install'])['createNamespace'] === true,
    suspend: spec['suspend'] === true,
  };
}
