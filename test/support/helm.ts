/** The real helm for tests, and `helm template` as the oracle runs it. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL } from '../../src/helm/post-render.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const execFileAsync = promisify(execFile);

/** The path of the pinned helm, once global setup built it. */
export async function helmBinary(): Promise<string> {
  await requireComponent('helm-cli');
  return toolPath('helm');
}

/**
 * The oracle: the real `helm template NAME CHART --namespace NS -f values.yaml` with the same
 * flags the renderer passes besides the values, parsed into objects (empty documents dropped).
 */
export async function helmTemplate(
  chart: string,
  name: string,
  namespace: string,
  values: unknown,
  flags: readonly string[] = ['--no-hooks'],
): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-helm-oracle-'));
  try {
    const valuesFile = path.join(dir, 'values.yaml');
    await writeFile(valuesFile, JSON.stringify(values));
    const { stdout } = await execFileAsync(
      await helmBinary(),
      ['template', name, chart, '--namespace', namespace, '-f', valuesFile, ...flags],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir }, maxBuffer: 64 * 1024 * 1024 },
    );
    return parseAllDocuments(stdout)
      .map((d) => d.toJS() as unknown)
      .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What helm's install adds to every object of the release manifest before creating it
 * (pkg/action/validate.go, setMetadataVisitor): the label `app.kubernetes.io/managed-by: Helm`
 * and the annotations `meta.helm.sh/release-name` and `/release-namespace`. The CRDs of a
 * chart's `crds/` folder are installed apart and get none; the fixture charts have no other
 * CRDs, so CRDs are left as they are.
 */
export function withHelmOwnership(
  objects: readonly Record<string, unknown>[],
  releaseName: string,
  releaseNamespace: string,
): Record<string, unknown>[] {
  return objects.map((o) => {
    if (o['kind'] === 'CustomResourceDefinition') return o;
    const copy = structuredClone(o);
    const metadata = copy['metadata'] as Record<string, unknown>;
    metadata['labels'] = {
      ...(metadata['labels'] as Record<string, unknown> | undefined),
      'app.kubernetes.io/managed-by': 'Helm',
    };
    metadata['annotations'] = {
      ...(metadata['annotations'] as Record<string, unknown> | undefined),
      'meta.helm.sh/release-name': releaseName,
      'meta.helm.sh/release-namespace': releaseNamespace,
    };
    return copy;
  });
}

/**
 * The oracle's objects with helm-controller's origin labels and the ownership metadata helm's
 * install sets (release name and namespace: the HelmRelease's unless `release` says), as the
 * renderer must produce them.
 */
export function withOrigin(
  objects: readonly Record<string, unknown>[],
  name: string,
  namespace: string,
  release: { readonly name: string; readonly namespace: string } = { name, namespace },
): Record<string, unknown>[] {
  return withHelmOwnership(objects, release.name, release.namespace).map((o) => {
    const copy = structuredClone(o);
    const metadata = copy['metadata'] as Record<string, unknown>;
    metadata['labels'] = {
      ...(metadata['labels'] as Record<string, unknown> | undefined),
      [HELM_NAME_LABEL]: name,
      [HELM_NAMESPACE_LABEL]: namespace,
    };
    return copy;
  });
}
