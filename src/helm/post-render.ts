/**
 * What helm-controller does to `helm template`'s output before applying it
 * (internal/postrender): each `postRenderers[].kustomize` in order (a kustomization over the
 * output with the entry's `patches` and `images`, built with LoadRestrictionsNone as Flux
 * does), then `spec.commonMetadata`, then the origin labels `helm.toolkit.fluxcd.io/name` and
 * `/namespace` on every object's metadata (CRDs included: helm-controller labels those the
 * same way when it applies them).
 *
 * Last, what helm's install and upgrade set on every object of the release manifest before
 * creating it (pkg/action/validate.go, setMetadataVisitor, over anything the chart set): the
 * label `app.kubernetes.io/managed-by: Helm` and the annotations `meta.helm.sh/release-name`
 * and `meta.helm.sh/release-namespace`. With them, a helm-controller (or helm) that later
 * installs the release adopts what `apply --flux` created instead of refusing it as owned by
 * someone else (checkOwnership). The CRDs of the chart's `crds/` folder are not part of the
 * release manifest (helm installs them apart), so they do not get them.
 *
 * kustomize gets the output in a private 0700 folder (it may hold decrypted values), removed
 * whatever happens.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type { KubeObject } from '../kube/client.ts';
import { parseManifests } from '../kube/manifests.ts';
import type { KustomizeTool } from '../kustomize/build.ts';
import type { SecretRegistry } from '../masking.ts';
import type { Env, Exec } from '../ports.ts';
import { openPrivateRoot, privateRootParent, writePrivateFile } from '../private-file.ts';
import { HELM_RELEASE_GROUP } from './helm-release.ts';
import type { HelmRelease, PostRenderer } from './helm-release.ts';

export const HELM_NAME_LABEL = `${HELM_RELEASE_GROUP}/name`;
export const HELM_NAMESPACE_LABEL = `${HELM_RELEASE_GROUP}/namespace`;
/** What helm's checkOwnership requires of an object before it adopts it into a release. */
export const HELM_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const HELM_RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const HELM_RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';

/** The key `chartCrdKey` gives a CRD, to tell the `crds/` folder's apart. */
export function chartCrdKey(object: Readonly<Record<string, unknown>>): string | undefined {
  if (object['kind'] !== 'CustomResourceDefinition') return undefined;
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  return typeof metadata['name'] === 'string' ? metadata['name'] : undefined;
}

export interface PostRenderDeps {
  readonly exec: Exec;
  readonly env: Env;
  readonly registry: SecretRegistry;
  /** Needed only when a HelmRelease has postRenderers. */
  readonly kustomize?: KustomizeTool | undefined;
}

export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

async function kustomizeOnce(
  release: HelmRelease,
  renderer: PostRenderer,
  objects: readonly KubeObject[],
  deps: PostRenderDeps,
): Promise<KubeObject[]> {
  const tool = deps.kustomize;
  if (tool === undefined) {
    throw new UserError(
      'HELM_FAILED',
      `HelmRelease ${release.id}: postRenderers need kustomize, which was not found`,
      {
        hint: 'install kustomize, or pass its path as kustomize-path',
      },
    );
  }
  const root = await openPrivateRoot(privateRootParent(deps.env), 'helm-post');
  const dir = root.dir;
  try {
    await writePrivateFile(path.join(dir, 'helm-output.yaml'), toYaml(objects));
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['helm-output.yaml'],
      ...(renderer.patches.length > 0 ? { patches: renderer.patches } : {}),
      ...(renderer.images.length > 0 ? { images: renderer.images } : {}),
    };
    await writePrivateFile(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
    const result = await deps.exec.run(
      tool.command,
      [...tool.prefix, dir, '--load-restrictor', 'LoadRestrictionsNone'],
      { timeoutMs: 300_000 },
    );
    if (result.exitCode !== 0) {
      const reason = deps.registry
        .redact(result.stderr.trim().split('\n').slice(-3).join(' '))
        .replaceAll(dir, '<post-render>');
      throw new UserError(
        'HELM_FAILED',
        `HelmRelease ${release.id}: a kustomize post-renderer failed: ${reason}`,
      );
    }
    return parseManifests(
      Buffer.from(result.stdout).toString('utf8'),
      `HelmRelease ${release.id} post-rendered`,
    );
  } finally {
    await root.cleanup();
  }
}

function setMetadata(
  object: KubeObject,
  field: 'labels' | 'annotations',
  values: Readonly<Record<string, string>>,
): void {
  if (Object.keys(values).length === 0) return;
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  object['metadata'] = metadata;
  const existing = isRecord(metadata[field]) ? metadata[field] : {};
  metadata[field] = { ...existing, ...values };
}

/**
 * Applies the HelmRelease's post-renderers, helm-controller's labels and helm's ownership
 * metadata; `folderCrds` names the CRDs that came from the chart's `crds/` folder.
 */
export async function postRender(
  release: HelmRelease,
  rendered: readonly KubeObject[],
  deps: PostRenderDeps,
  folderCrds: ReadonlySet<string> = new Set(),
): Promise<KubeObject[]> {
  let objects = [...rendered];
  for (const renderer of release.postRenderers)
    objects = await kustomizeOnce(release, renderer, objects, deps);
  for (const object of objects) {
    setMetadata(object, 'labels', release.commonMetadata.labels);
    setMetadata(object, 'annotations', release.commonMetadata.annotations);
    setMetadata(object, 'labels', {
      [HELM_NAME_LABEL]: release.name,
      [HELM_NAMESPACE_LABEL]: release.namespace,
    });
    const crd = chartCrdKey(object);
    if (crd !== undefined && folderCrds.has(crd)) continue;
    setMetadata(object, 'labels', { [HELM_MANAGED_BY_LABEL]: 'Helm' });
    setMetadata(object, 'annotations', {
      [HELM_RELEASE_NAME_ANNOTATION]: release.releaseName,
      [HELM_RELEASE_NAMESPACE_ANNOTATION]: release.releaseNamespace,
    });
  }
  return objects;
}
