/**
 * `--flux` for build, diff and apply: the entry folders (or files) are rendered the way Flux
 * reconciles the repository (src/flux/), and the manifests are every rendered Kustomization's
 * objects, each carrying Flux's `kustomize.toolkit.fluxcd.io/name` and `/namespace` labels,
 * in `dependsOn` order. Findings (cycles, duplicates, missing paths, sources not in the
 * repository) are warnings on the log and in annotations; they never stop the others.
 */
import { readFile, stat } from 'node:fs/promises';
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
import { decryptDocument } from '../kustomize/document.ts';
import { findRepositoryRoot } from '../kustomize/graph.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { detectSopsFormat } from '../sops/formats.ts';
import { createKeySources } from '../keys/key-sources.ts';
import { cacheKeySources } from '../kustomize/key-cache.ts';
import type { SecretRegistry } from '../masking.ts';
import type { CommandDeps } from './command.ts';
import { prepareKustomize } from './kustomize-tool.ts';

export interface FluxRenderContext {
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly tool: KustomizeTool;
  readonly undecrypted?: UndecryptedFiles;
  readonly nameTarget: (target: string) => string;
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
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new UserError('FILE_NOT_FOUND', `substitute-from ${file} cannot be read`, { cause });
    }
    const format = detectSopsFormat(text);
    if (format !== undefined) {
      try {
        const plain = await decryptDocument(text, format, format, context);
        text = Buffer.from(plain).toString('utf8');
      } catch (error) {
        throw withContext(`substitute-from ${file}`, error, file);
      }
    }
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

function selected(
  rendered: readonly RenderedKustomization[],
  wanted: readonly string[],
  entry: string,
): readonly RenderedKustomization[] {
  if (wanted.length === 0) return rendered;
  const matches = (r: RenderedKustomization, name: string): boolean =>
    name.includes('/') ? kustomizationId(r.kustomization) === name : r.kustomization.name === name;
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
 * Discovers and renders every entry in Flux mode: the selected Kustomizations, entry by entry,
 * each entry's in dependsOn order. Findings are logged as warnings.
 */
export async function renderFlux(
  config: BuildConfig,
  deps: CommandDeps,
  context: FluxRenderContext,
): Promise<RenderedKustomization[]> {
  if (config.substitute.size > 0) {
    throw new UserError(
      'USAGE',
      '--substitute does not apply with --flux: each Kustomization substitutes its own spec.postBuild',
      { hint: 'give the ConfigMaps and Secrets that substituteFrom names with --substitute-from FILE' },
    );
  }
  const substituteObjects = await loadSubstituteObjects(config.substituteFrom, context);
  const out: RenderedKustomization[] = [];
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
          ...(context.undecrypted === undefined ? {} : { undecrypted: context.undecrypted }),
        },
      );
    } catch (error) {
      throw withContext(`building ${name} (Flux mode)`, error);
    }
    for (const finding of discovery.findings) deps.host.warning(`${name}: ${finding.message}`);
    for (const r of selected(discovery.rendered, config.fluxKustomizations, name)) {
      deps.host.info(
        `${name}: Kustomization ${kustomizationId(r.kustomization)}: ${r.objects.length} objects, ${r.decrypted.length} SOPS files decrypted with MAC verified`,
      );
      out.push(r);
    }
  }
  return out;
}

/** Renders every entry in Flux mode; returns the joined multi-document YAML, headed by Kustomization. */
export async function renderFluxManifests(
  config: BuildConfig,
  deps: CommandDeps,
  context: FluxRenderContext,
): Promise<string> {
  const parts: string[] = [];
  for (const r of await renderFlux(config, deps, context)) {
    if (r.yaml.trim() === '') continue;
    const yaml = r.yaml.endsWith('\n') ? r.yaml : `${r.yaml}\n`;
    parts.push(`# Flux Kustomization ${kustomizationId(r.kustomization)}\n${yaml}`);
  }
  return parts.join('---\n');
}
