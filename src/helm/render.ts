/**
 * Renders one HelmRelease as helm-controller v1 (Flux 2.9) would install it, from the objects
 * its Kustomization rendered: the chart resolved from its source (chart-source.ts), the values
 * composed in helm-controller's order (values.ts), `helm template` with the release name and
 * namespace, the CRDs the install (or upgrade) CRD policy applies, hooks left out (helm runs
 * them and they are not part of the release), then the post-renderers, labels and helm's
 * ownership metadata (post-render.ts).
 *
 * Two more things helm-controller does are decided here:
 * - `spec.suspend: true`: helm-controller does not reconcile the release at all, so it is not
 *   rendered (`suspended`), and `apply --flux` leaves its objects as they are;
 * - `spec.install.createNamespace: true`: helm creates the release namespace before it
 *   installs (pkg/action/install.go: a Namespace labelled `name: <namespace>`, not part of the
 *   release, never deleted by helm). It comes back as `createdNamespace` unless the
 *   repository or the chart renders that Namespace itself.
 *
 * The values reach helm on stdin (`--values -`), never through argv or a file: they may hold
 * decrypted Secret values. helm's stderr is redacted with the run's registry before it can
 * reach an error.
 *
 * A release that cannot be rendered truthfully (its source is elsewhere, or its values need
 * a Secret this run could not decrypt) comes back as `not-rendered` with the reason; errors a
 * user must fix (a missing required values reference, a failing chart) are UserErrors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type { KubeObject } from '../kube/client.ts';
import { parseManifests } from '../kube/manifests.ts';
import type { KustomizeTool } from '../kustomize/build.ts';
import type { Env, Exec } from '../ports.ts';
import { resolveChart } from './chart-source.ts';
import type { ChartSourceDeps } from './chart-source.ts';
import { parseHelmRelease } from './helm-release.ts';
import type { HelmRelease } from './helm-release.ts';
import { helmEnv } from './helm-tool.ts';
import type { HelmTool } from './helm-tool.ts';
import { chartCrdKey, postRender, toYaml } from './post-render.ts';
import { composeValues } from './values.ts';

export interface HelmRenderOptions {
  /** `--kube-version`: from the cluster when diffing against one, else the flag. */
  readonly kubeVersion?: string | undefined;
  /** `--api-versions`, likewise. */
  readonly apiVersions?: readonly string[];
  /** Whose CRD policy decides: `install` (default: Create) or `upgrade` (default: Skip). */
  readonly action?: 'install' | 'upgrade';
}

export interface HelmRenderDeps extends ChartSourceDeps {
  readonly exec: Exec;
  readonly env: Env;
  readonly helm: HelmTool;
  readonly kustomize?: KustomizeTool | undefined;
}

export interface ReleaseIdentity {
  /** `namespace/name` of the HelmRelease. */
  readonly id: string;
  readonly releaseName: string;
  readonly releaseNamespace: string;
  readonly storageNamespace: string;
}

export type HelmReleaseRender =
  | {
      readonly status: 'rendered';
      readonly release: ReleaseIdentity;
      readonly chart: { readonly name: string; readonly version: string; readonly source: string };
      readonly objects: readonly KubeObject[];
      /** The Namespace helm creates (`install.createNamespace`), not one of the release's objects. */
      readonly createdNamespace?: KubeObject | undefined;
      /** `createdNamespace` and `objects`, as YAML. */
      readonly yaml: string;
    }
  | {
      readonly status: 'not-rendered';
      readonly release: ReleaseIdentity;
      readonly reason: string;
      /** Not rendered because helm-controller does not reconcile it (`spec.suspend`). */
      readonly suspended?: true;
    };

type Rendered = Extract<HelmReleaseRender, { status: 'rendered' }>;

/** A rendered release with other objects (its YAML made again, the created Namespace first). */
export function withObjects(rendered: Rendered, objects: readonly KubeObject[]): Rendered {
  const all = rendered.createdNamespace === undefined ? objects : [rendered.createdNamespace, ...objects];
  return { ...rendered, objects, yaml: toYaml(all) };
}

/** What a suspended release comes to, if `release` is suspended. */
export function suspendedRelease(release: HelmRelease): HelmReleaseRender | undefined {
  if (!release.suspend) return undefined;
  return {
    status: 'not-rendered',
    release: identity(release),
    reason: 'suspended: spec.suspend is true, so helm-controller does not reconcile it',
    suspended: true,
  };
}

/** The Namespace helm's install creates, unless the repository or the chart renders it. */
function namespaceToCreate(
  release: HelmRelease,
  objects: readonly KubeObject[],
  deps: ChartSourceDeps,
): KubeObject | undefined {
  if (!release.createNamespace) return undefined;
  const name = release.releaseNamespace;
  // Cluster-scoped objects are indexed under `default` (object-index.ts).
  if (deps.objects.get('Namespace', 'default', name) !== undefined) return undefined;
  const inChart = objects.some(
    (o) => o['kind'] === 'Namespace' && isRecord(o['metadata']) && o['metadata']['name'] === name,
  );
  if (inChart) return undefined;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { name } } };
}

/**
 * The CRDs `helm template --include-crds` printed from the chart's `crds/` folder: each
 * document says where it came from (`# Source: <chart>/crds/…`); only those are parsed again.
 */
function folderCrds(output: string, what: string): Set<string> {
  const names = new Set<string>();
  for (const document of output.split(/^---[ \t]*$/m)) {
    if (!/^# Source: [^\n/]+\/crds\//m.test(document)) continue;
    for (const object of parseManifests(document, what)) {
      const name = chartCrdKey(object);
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** What a render result says of its release. */
export function identity(release: HelmRelease): ReleaseIdentity {
  return {
    id: release.id,
    releaseName: release.releaseName,
    releaseNamespace: release.releaseNamespace,
    storageNamespace: release.storageNamespace,
  };
}

/** The `helm template` arguments for a release, after the chart location. */
export function templateArgs(release: HelmRelease, options: HelmRenderOptions): string[] {
  const policy = options.action === 'upgrade' ? release.upgradeCrds : release.installCrds;
  const args = ['--namespace', release.releaseNamespace, '--values', '-', '--no-hooks'];
  if (policy !== 'Skip') args.push('--include-crds');
  if (options.kubeVersion !== undefined) args.push('--kube-version', options.kubeVersion);
  for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

async function helmTemplate(
  release: HelmRelease,
  location: string,
  values: Readonly<Record<string, unknown>>,
  deps: HelmRenderDeps,
  options: HelmRenderOptions,
): Promise<{ objects: KubeObject[]; folderCrds: Set<string> }> {
  const home = await mkdtemp(path.join(tmpdir(), 'ksd-helm-home-'));
  try {
    const result = await deps.exec.run(
      deps.helm.command,
      ['template', release.releaseName, location, ...templateArgs(release, options)],
      { input: JSON.stringify(values), env: helmEnv(deps.env, home), timeoutMs: 300_000 },
    );
    if (result.exitCode !== 0) {
      const reason = deps.registry
        .redact(result.stderr.trim().split('\n').slice(-3).join(' '))
        .replaceAll(location, '<chart>');
      throw new UserError('HELM_FAILED', `HelmRelease ${release.id}: helm template failed: ${reason}`, {
        hint: `rendered with ${deps.helm.description}`,
      });
    }
    const output = Buffer.from(result.stdout).toString('utf8');
    const what = `HelmRelease ${release.id} (helm template)`;
    return { objects: parseManifests(output, what), folderCrds: folderCrds(output, what) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Renders the HelmRelease `object`; see the module comment for what comes back. */
export async function renderHelmRelease(
  object: Readonly<Record<string, unknown>>,
  deps: HelmRenderDeps,
  options: HelmRenderOptions = {},
): Promise<HelmReleaseRender> {
  const release = parseHelmRelease(object);
  const suspended = suspendedRelease(release);
  if (suspended !== undefined) return suspended;
  const values = composeValues(release, deps.objects, deps.registry);
  if (values.kind === 'unknown') {
    return { status: 'not-rendered', release: identity(release), reason: `values unknown: ${values.reason}` };
  }
  const chart = await resolveChart(release, deps);
  if (chart.kind === 'not-rendered')
    return { status: 'not-rendered', release: identity(release), reason: chart.reason };
  const rendered = await helmTemplate(release, chart.location, values.values, deps, options);
  const objects = await postRender(release, rendered.objects, deps, rendered.folderCrds);
  return withObjects(
    {
      status: 'rendered',
      release: identity(release),
      chart: { name: chart.name, version: chart.version, source: chart.source },
      objects,
      createdNamespace: namespaceToCreate(release, objects, deps),
      yaml: '',
    },
    objects,
  );
}
