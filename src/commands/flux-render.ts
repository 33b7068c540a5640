/**
 * `--flux` for build, diff and apply: the entry folders (or files) are rendered the way Flux
 * reconciles the repository (src/flux/), and the manifests are every rendered Kustomization's
 * objects, each carrying Flux's `kustomize.toolkit.fluxcd.io/name` and `/namespace` labels,
 * in `dependsOn` order, each followed by what its HelmReleases render (src/flux/helm-releases.ts),
 * under the HelmRelease's name. Findings (cycles, duplicates, missing paths, sources not in the
 * repository, HelmReleases not rendered) are warnings on the log and in annotations; they never
 * stop the others.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { BuildConfig } from '../config/build.ts';
import { UserError, withContext } from '../errors.ts';
import { discoverFlux } from '../flux/discover.ts';
import { kustomizationId } from '../flux/kustomization.ts';
import type { RenderedKustomization } from '../flux/render.ts';
import { isRecord } from '../is-record.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { KustomizeTool } from '../kustomize/build.ts';
import { readSubstituteFrom } from '../kustomize/substitute.ts';
import { ChartCache } from '../helm/chart-source.ts';
import { resolveHelm, type HelmTool } from '../helm/helm-tool.ts';
import {
  chartRemotePolicy,
  renderHelmReleases,
  type FluxHelmRelease,
  UnrenderedReleases,
} from '../flux/helm-releases.ts';
import { findRepositoryRoot } from '../bounded-read.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { createKeySources } from '../keys/key-sources.ts';
import { cacheKeySources } from '../kustomize/key-cache.ts';
import type { SecretRegistry } from '../masking.ts';
import type { CommandDeps } from './command.ts';
import { prepareKustomize } from './kustomize-tool.ts';
import type { ClusterCapabilities } from './flux-helm-diff.ts';

export interface FluxRenderContext {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly tool: KustomizeTool;
  readonly undecrypted?: UndecryptedFiles;
  readonly nameTarget: (target: string) => string;
  /** Diff only: HelmReleases that could not be rendered are recorded here (their objects are unknown). */
  readonly unrendered?: UnrenderedReleases;
  /** The cluster's version and API versions, when the run reads a cluster; else `kube-version`. */
  readonly cluster?: ClusterCapabilities | undefined;
  /** Charts fetched once for the whole run (both builds of a diff); else one cache per render. */
  readonly charts?: ChartCache | undefined;
  /** Diff only: the suspended Kustomizations (`NAMESPACE/NAME`) are recorded here. */
  readonly suspended?: Set<string> | undefined;
}

/** Why a suspended Kustomization's changes do not reach the cluster. */
export function suspendedReason(id: string): string {
  return `Kustomization ${id} is suspended (spec.suspend: true): Flux applies none of its changes until it is resumed`;
}

/**
 * A suspended Kustomization applies nothing, its HelmRelease objects included, so
 * helm-controller keeps reconciling the specs the cluster already has: its releases are not
 * rendered, as suspended, and what their charts would render is unknown.
 */
function suspendReleases(releases: readonly FluxHelmRelease[], id: string): FluxHelmRelease[] {
  return releases.map((h) =>
    h.result.status === 'rendered' || h.result.suspended !== true
      ? {
          ...h,
          result: {
            status: 'not-rendered',
            release: h.result.release,
            reason: `suspended: ${suspendedReason(id)}, so helm-controller keeps the HelmRelease the cluster has`,
            suspended: true,
          },
        }
      : h,
  );
}

/** A rendered Kustomization and what its HelmReleases came to. */
export interface FluxRendered extends RenderedKustomization {
  readonly helmReleases: readonly FluxHelmRelease[];
}

/**
 * `--substitute-from` files in Flux mode: ConfigMap and Secret manifests (SOPS-encrypted or
 * not) that stand for what the cluster holds, found by namespace and name.
 */
export async function loadSubstituteObjects(
  files: readonly string[],
  context: Pick<FluxRenderContext, 'keySources' | 'registry'>,
): Promise<Record<string, unknown>[]> {
  const objects: Record<string, unknown>[] = [];
  for (const file of files) {
    const text = await readSubstituteFrom(file, context);
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as unknown;
      if (object === null) continue;
      if (!isRecord(object) || (object['kind'] !== 'ConfigMap' && object['kind'] !== 'Secret')) {
        throw new UserError(
          'USAGE',
          `substitute-from ${file}: in Flux mode it must hold ConfigMap or Secret manifests`,
          {
            hint: "Flux's substituteFrom names ConfigMaps and Secrets by namespace and name; give them as manifests",
          },
        );
      }
      objects.push({ apiVersion: 'v1', ...object });
    }
  }
  return objects;
}

/** Whether `--flux-kustomization` (empty: all) names the Kustomization `id` (`name` alone also matches). */
function isWanted(id: string, name: string, wanted: readonly string[]): boolean {
  return wanted.length === 0 || wanted.some((w) => (w.includes('/') ? w === id : w === name));
}

function selected(
  rendered: readonly RenderedKustomization[],
  wanted: readonly string[],
  entry: string,
): readonly RenderedKustomization[] {
  if (wanted.length === 0) return rendered;
  const matches = (r: RenderedKustomization, name: string): boolean =>
    isWanted(kustomizationId(r.kustomization), r.kustomization.name, [name]);
  for (const name of wanted) {
    if (!rendered.some((r) => matches(r, name))) {
      throw new UserError(
        'USAGE',
        `flux-kustomization ${name}: ${entry} renders no Kustomization of that name`,
        {
          hint: `rendered: ${rendered.map((r) => kustomizationId(r.kustomization)).join(', ')}`,
        },
      );
    }
  }
  return rendered.filter((r) => wanted.some((name) => matches(r, name)));
}

/** The keys, mask registry and kustomize of a run, for `apply --flux` (build and diff pass theirs). */
export async function createFluxContext(config: BuildConfig, deps: CommandDeps): Promise<FluxRenderContext> {
  const tool = await prepareKustomize(config, deps);
  return {
    keySources: cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec })),
    registry: deps.secrets,
    tool,
    nameTarget: (target) => target,
  };
}

/**
 * The helm binary, found and logged (with the Kubernetes version charts see) once, on first
 * use. Without helm on PATH the HelmReleases are not rendered, and say why; an explicit
 * helm-path that is not there is an error.
 */
function lazyHelm(
  config: BuildConfig,
  deps: CommandDeps,
  context: FluxRenderContext,
): () => Promise<HelmTool | string> {
  const kube =
    context.cluster?.kubeVersion !== undefined
      ? `Kubernetes ${context.cluster.kubeVersion} and ${context.cluster.apiVersions.length} API versions (the cluster's)`
      : config.kubeVersion !== undefined
        ? `Kubernetes ${config.kubeVersion} (kube-version)`
        : "helm's default Kubernetes version (set kube-version to choose)";
  let found: Promise<HelmTool | string> | undefined;
  return () => {
    found ??= resolveHelm(config.helmPath, { exec: deps.exec, env: config.env }).then(
      (helm) => {
        deps.host.info(`building HelmReleases with ${helm.description} for ${kube}`);
        return helm;
      },
      (error: unknown) => {
        if (config.helmPath !== undefined || !(error instanceof UserError) || error.code !== 'FILE_NOT_FOUND')
          throw error;
        return `${error.message} (${error.hint ?? 'install helm'})`;
      },
    );
    return found;
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Logs what each HelmRelease came to; records the ones not rendered. */
function reportReleases(
  name: string,
  releases: readonly FluxHelmRelease[],
  deps: CommandDeps,
  context: FluxRenderContext,
): void {
  for (const { kustomization, result, inputs } of releases) {
    const what = `${name}: HelmRelease ${result.release.id} (Kustomization ${kustomization})`;
    if (result.status === 'rendered') {
      const version = result.chart.version === '' ? '' : ` ${result.chart.version}`;
      deps.host.info(
        `${what}: ${result.objects.length} objects, chart ${result.chart.name}${version} from ${result.chart.source}`,
      );
      continue;
    }
    // A suspended release is a choice in the repository, not a gap in this run.
    if (result.suspended === true) deps.host.info(`${what}: not rendered: ${oneLine(result.reason)}`);
    else deps.host.warning(`${what}: not rendered: ${oneLine(result.reason)}`);
    context.unrendered?.add({ id: result.release.id, kustomization, reason: oneLine(result.reason), inputs });
  }
}

/**
 * Discovers and renders every entry in Flux mode: the selected Kustomizations, entry by entry,
 * each entry's in dependsOn order, with their HelmReleases. Findings are logged as warnings.
 */
export async function renderFlux(
  config: BuildConfig,
  deps: CommandDeps,
  context: FluxRenderContext,
): Promise<FluxRendered[]> {
  if (config.substitute.size > 0) {
    throw new UserError(
      'USAGE',
      '--substitute does not apply with --flux: each Kustomization substitutes its own spec.postBuild',
      { hint: 'give the ConfigMaps and Secrets that substituteFrom names with --substitute-from FILE' },
    );
  }
  const substituteObjects = await loadSubstituteObjects(config.substituteFrom, context);
  const out: FluxRendered[] = [];
  const charts = context.charts ?? new ChartCache();
  const helm = lazyHelm(config, deps, context);
  try {
    for (const entry of config.paths) {
      const name = context.nameTarget(entry);
      const absolute = path.resolve(entry);
      const isDir = await stat(absolute).then(
        (s) => s.isDirectory(),
        () => false,
      );
      const repoRoot = config.root ?? (await findRepositoryRoot(isDir ? absolute : path.dirname(absolute)));
      let discovery;
      try {
        discovery = await discoverFlux(
          {
            entry: absolute,
            repoRoot,
            sources: config.fluxSources,
            substituteObjects,
            strictSubstitution: config.substituteStrict,
          },
          {
            host: deps.host,
            exec: deps.exec,
            keySources: context.keySources,
            registry: context.registry,
            tool: context.tool,
            env: config.env,
            remotePolicy: config.remotePolicy,
            ...(context.undecrypted === undefined ? {} : { undecrypted: context.undecrypted }),
          },
        );
      } catch (error) {
        throw withContext(`building ${name} (Flux mode)`, error);
      }
      for (const finding of discovery.findings) {
        // The other findings' messages name their Kustomizations themselves.
        const who = finding.kind === 'not-rendered' ? `Kustomization ${finding.kustomization}: ` : '';
        deps.host.warning(`${name}: ${who}${finding.message}`);
      }
      const chosen = selected(discovery.rendered, config.fluxKustomizations, name);
      // A Kustomization that could not be rendered (its source is not in the repository):
      // what it applies is unknown, never "no change".
      for (const { kustomization, reason } of discovery.notRendered) {
        const id = kustomizationId(kustomization);
        if (!isWanted(id, kustomization.name, config.fluxKustomizations)) continue;
        context.unrendered?.add({ kind: 'Kustomization', id, kustomization: id, reason: oneLine(reason) });
      }
      let releases;
      try {
        releases = await renderHelmReleases(
          chosen,
          discovery.rendered,
          {
            exec: deps.exec,
            env: config.env,
            registry: context.registry,
            kustomize: context.tool,
            helm,
            cache: charts,
            policy: chartRemotePolicy(config.remotePolicy),
            repoRoot,
            sourceDirs: config.fluxSources,
          },
          {
            kubeVersion: context.cluster?.kubeVersion ?? config.kubeVersion,
            apiVersions: context.cluster?.apiVersions ?? config.apiVersions,
            namespaced: context.cluster?.namespaced,
          },
        );
      } catch (error) {
        throw withContext(`building ${name} (Flux mode)`, error);
      }
      for (const r of chosen) {
        const id = kustomizationId(r.kustomization);
        deps.host.info(
          `${name}: Kustomization ${id}: ${r.objects.length} objects, ${r.decrypted.length} SOPS files decrypted with MAC verified`,
        );
        let mine = releases.filter((h) => h.kustomization === id);
        if (r.kustomization.suspend) {
          deps.host.info(`${name}: ${suspendedReason(id)}`);
          context.suspended?.add(id);
          mine = suspendReleases(mine, id);
        }
        reportReleases(name, mine, deps, context);
        out.push({ ...r, helmReleases: mine });
      }
    }
  } finally {
    if (context.charts === undefined) await charts.dispose();
  }
  return out;
}

function withNewline(yaml: string): string {
  return yaml.endsWith('\n') ? yaml : `${yaml}\n`;
}

/**
 * Renders every entry in Flux mode; returns the joined multi-document YAML, headed by
 * Kustomization, each followed by its HelmReleases' objects headed by HelmRelease. A
 * HelmRelease that was not rendered is named, with why, in its Kustomization's header; a
 * Kustomization that was not rendered, in a header of its own at the end.
 */
export async function renderFluxManifests(
  config: BuildConfig,
  deps: CommandDeps,
  context: FluxRenderContext,
): Promise<string> {
  const parts: string[] = [];
  const unrendered = context.unrendered ?? new UnrenderedReleases();
  for (const r of await renderFlux(config, deps, { ...context, unrendered })) {
    const id = kustomizationId(r.kustomization);
    if (r.yaml.trim() !== '') {
      const notes = r.helmReleases.flatMap(({ result }) =>
        result.status === 'rendered'
          ? []
          : [`# HelmRelease ${result.release.id}: not rendered: ${oneLine(result.reason)}\n`],
      );
      const suspended = r.kustomization.suspend ? `# ${suspendedReason(id)}\n` : '';
      parts.push(`# Flux Kustomization ${id}\n${suspended}${notes.join('')}${withNewline(r.yaml)}`);
    }
    for (const { result } of r.helmReleases) {
      if (result.status !== 'rendered' || result.yaml.trim() === '') continue;
      const version = result.chart.version === '' ? '' : ` ${result.chart.version}`;
      parts.push(
        `# HelmRelease ${result.release.id} (Kustomization ${id}): chart ${result.chart.name}${version}\n${withNewline(result.yaml)}`,
      );
    }
  }
  for (const k of unrendered.list()) {
    if (k.kind === 'Kustomization') parts.push(`# Flux Kustomization ${k.id}: not rendered: ${k.reason}\n`);
  }
  return parts.join('---\n');
}
