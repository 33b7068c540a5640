/**
 * Renders one HelmRelease as helm-controller v1 (Flux 2.9) would install it, from the objects
 * its Kustomization rendered: the chart resolved from its source (chart-source.ts), the values
 * composed in helm-controller's order (values.ts), `helm template` with the release name and
 * namespace, the CRDs the install (or upgrade) CRD policy applies, hooks left out (helm runs
 * them and they are not part of the release), then the post-renderers and labels
 * (post-render.ts).
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
import { postRender, toYaml } from './post-render.ts';
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
      readonly yaml: string;
    }
  | { readonly status: 'not-rendered'; readonly release: ReleaseIdentity; readonly reason: string };

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
): Promise<KubeObject[]> {
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
    return parseManifests(
      Buffer.from(result.stdout).toString('utf8'),
      `HelmRelease ${release.id} (helm template)`,
    );
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
  const values = composeValues(release, deps.objects, deps.registry);
  if (values.kind === 'unknown') {
    return { status: 'not-rendered', release: identity(release), reason: `values unknown: ${values.reason}` };
  }
  const chart = await resolveChart(release, deps);
  if (chart.kind === 'not-rendered')
    return { status: 'not-rendered', release: identity(release), reason: chart.reason };
  const rendered = await helmTemplate(release, chart.location, values.values, deps, options);
  const objects = await postRender(release, rendered, deps);
  return {
    status: 'rendered',
    release: identity(release),
    chart: { name: chart.name, version: chart.version, source: chart.source },
    objects,
    yaml: toYaml(objects),
  };
}
