/**
 * Renders one Flux Kustomization as kustomize-controller v1 does: the generator's
 * kustomization file over `spec.path` (generator.ts), kustomize with
 * `LoadRestrictionsNone`, SOPS decryption only for `spec.decryption.provider: sops`,
 * post-build substitution, `commonMetadata`, then Flux's owner labels on every object.
 *
 * The build itself is the project's pipeline (src/kustomize/: walkGraph, the private staged
 * root with decryption and MAC checks, decryptAfterBuild, substituteDocument). `buildTarget`
 * cannot take a prepared graph, so `buildFluxGraph` and `runKustomize` below are the small
 * adapter this layer needs (see the lead note in the report: a `buildGraph(graph, ...)` entry
 * in src/kustomize/build.ts would remove it).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import { UserError, withContext } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { kustomizeEnv, kustomizeFailure, type BuildDeps } from '../kustomize/build.ts';
import { withEgress } from '../kustomize/egress-proxy.ts';
import { PUBLIC_REMOTES } from '../kustomize/remote-policy.ts';
import { formatForRole, walkGraph, type GraphFile, type KustomizeGraph } from '../kustomize/graph.ts';
import { decryptAfterBuild } from '../kustomize/post-build.ts';
import { stageGraph } from '../kustomize/stage.ts';
import { detectSopsFormat } from '../sops/formats.ts';
import { substituteDocument } from '../kustomize/substitute.ts';
import { generateKustomization, type GeneratedKustomization, type IgnoredBySource } from './generator.ts';
import { loadSourceIgnore, type SourceIgnore } from './source-ignore.ts';
import { kustomizationId, type FluxKustomization } from './kustomization.ts';
import { markUndecryptedUses } from './substitute-from.ts';

export const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

export type RenderDeps = BuildDeps;

export interface RenderedKustomization {
  readonly kustomization: FluxKustomization;
  /** The directory that was built. */
  readonly dir: string;
  /** The built objects, in kustomize's order. */
  readonly objects: readonly Record<string, unknown>[];
  /** Multi-document YAML of the same objects. */
  readonly yaml: string;
  /** SOPS files decrypted for it, relative to the source root. */
  readonly decrypted: readonly string[];
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/') || '.';
}

function mergeGraph(
  into: {
    files: Map<string, GraphFile>;
    generated: Map<string, string>;
    dirs: Set<string>;
    remote: string[];
  },
  graph: KustomizeGraph,
): void {
  for (const [rel, file] of graph.files) if (!into.files.has(rel)) into.files.set(rel, file);
  for (const [rel, content] of graph.generated)
    if (!into.generated.has(rel)) into.generated.set(rel, content);
  for (const dir of graph.dirs) into.dirs.add(dir);
  into.remote.push(...graph.remote);
}

/**
 * The kustomization graph of `dir` with Flux's generated kustomization file in place of the
 * directory's own, and everything the spec adds (components, files only Flux's walk lists).
 */
export async function buildFluxGraph(
  dir: string,
  root: string,
  generated: GeneratedKustomization,
  remote: Pick<RenderDeps, 'remotePolicy' | 'resolveHost'> = {},
): Promise<KustomizeGraph> {
  const walkOptions = {
    root,
    ...(remote.remotePolicy === undefined ? {} : { remotePolicy: remote.remotePolicy }),
    ...(remote.resolveHost === undefined ? {} : { resolveHost: remote.resolveHost }),
  };
  const base = await walkGraph(dir, walkOptions);
  const acc = {
    files: new Map(base.files),
    generated: new Map(base.generated),
    dirs: new Set(base.dirs),
    remote: [...base.remote],
  };
  for (const component of generated.components) {
    mergeGraph(acc, await walkGraph(path.resolve(dir, component), walkOptions));
  }
  if (generated.created) {
    for (const resource of generated.resources) {
      const abs = path.resolve(dir, resource);
      const rel = toRel(root, abs);
      if (acc.files.has(rel)) continue;
      if ((await stat(abs)).isDirectory()) {
        mergeGraph(acc, await walkGraph(abs, walkOptions));
      } else {
        acc.files.set(rel, {
          rel,
          source: await realpath(abs),
          role: { kind: 'manifest' },
          via: `${toRel(root, dir)} (Flux's generated kustomization)`,
        });
      }
    }
  }
  acc.generated.set(toRel(root, path.join(dir, generated.fileName)), generated.content);
  return { ...base, ...acc };
}

/** The source exclusions of each source folder, read once per run (per RenderDeps). */
const sourceIgnores = new WeakMap<RenderDeps, Map<string, Promise<SourceIgnore>>>();

function sourceIgnoreFor(sourceDir: string, deps: RenderDeps): Promise<SourceIgnore> {
  let byDir = sourceIgnores.get(deps);
  if (byDir === undefined) {
    byDir = new Map();
    sourceIgnores.set(deps, byDir);
  }
  let found = byDir.get(sourceDir);
  if (found === undefined) {
    found = loadSourceIgnore(sourceDir);
    byDir.set(sourceDir, found);
  }
  return found;
}

/**
 * The graph without the files the source artifact leaves out (.sourceignore, Flux's default
 * exclusions): Flux's build does not have them, so ours must not either. When kustomize then
 * fails for want of one, `left` names them.
 */
function withoutIgnored(
  graph: KustomizeGraph,
  ignored: IgnoredBySource,
): { readonly graph: KustomizeGraph; readonly left: readonly string[] } {
  const left = [...graph.files.keys()].filter((rel) =>
    ignored(path.join(graph.root, ...rel.split('/')), false),
  );
  if (left.length === 0) return { graph, left };
  const files = new Map([...graph.files].filter(([rel]) => !left.includes(rel)));
  return { graph: { ...graph, files }, left };
}

/** Refuses SOPS files in a Kustomization Flux would not decrypt: they would reach the cluster encrypted. */
async function refuseEncrypted(graph: KustomizeGraph, k: FluxKustomization): Promise<void> {
  for (const file of graph.files.values()) {
    if (formatForRole(file) === undefined) continue;
    const text = await readFile(file.source, 'utf8');
    if (detectSopsFormat(text) !== undefined) {
      throw new UserError(
        'BAD_FORMAT',
        `Kustomization ${kustomizationId(k)} renders ${file.rel}, which is SOPS-encrypted, but has no spec.decryption.provider: sops`,
        {
          hint: 'add spec.decryption (provider: sops, secretRef: ...) to the Kustomization, as Flux needs it to decrypt this file',
          location: { file: file.source },
        },
      );
    }
  }
}

async function runKustomize(
  graph: KustomizeGraph,
  k: FluxKustomization,
  deps: RenderDeps,
): Promise<{ output: string; decrypted: readonly string[] }> {
  const staged = await stageGraph(graph, {
    keySources: deps.keySources,
    registry: deps.registry,
    ...(deps.stagingParent === undefined ? {} : { parent: deps.stagingParent }),
    ...(deps.signals === undefined ? {} : { signals: deps.signals }),
    ...(deps.undecrypted === undefined ? {} : { undecrypted: deps.undecrypted }),
  });
  try {
    const args = [...deps.tool.prefix, staged.target, '--load-restrictor', 'LoadRestrictionsNone'];
    const result = await withEgress(
      graph.remote,
      deps.remotePolicy ?? PUBLIC_REMOTES,
      kustomizeEnv(deps.env),
      deps,
      (env) => deps.exec.run(deps.tool.command, args, { cwd: staged.target, env }),
    );
    if (result.exitCode !== 0) {
      throw kustomizeFailure(`Kustomization ${kustomizationId(k)}: kustomize build failed`, result, {
        registry: deps.registry,
        staged: staged.dir,
        root: graph.root,
      });
    }
    return { output: Buffer.from(result.stdout).toString('utf8'), decrypted: staged.decrypted };
  } finally {
    await staged.cleanup();
  }
}

/** Sets one label or annotation, creating the map when the object has none. */
function setMeta(doc: Document, field: 'labels' | 'annotations', key: string, value: string): void {
  if (!isRecord(doc.getIn(['metadata', field]))) {
    if (!isRecord(doc.get('metadata'))) doc.set('metadata', doc.createNode({}));
    doc.setIn(['metadata', field], doc.createNode({}));
  }
  doc.setIn(['metadata', field, key], value);
}

function isDocRecord(doc: Document): boolean {
  return isRecord(doc.toJS() as unknown);
}

/**
 * Renders `k` from the source folder `sourceDir` (confined to `root`), with `vars` the
 * substitution variables already gathered (substituteFrom, then spec.postBuild.substitute).
 */
export async function renderKustomization(
  k: FluxKustomization,
  sourceDir: string,
  root: string,
  vars: ReadonlyMap<string, string>,
  deps: RenderDeps,
  /** Flux's StrictPostBuildSubstitutions feature gate (off by default in Flux 2.9). */
  strict = false,
): Promise<RenderedKustomization> {
  const id = kustomizationId(k);
  const dir = path.resolve(sourceDir, k.path);
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError('PATH_ESCAPE', `Kustomization ${id}: spec.path ${k.path} leaves its source`);
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UserError(
      'FILE_NOT_FOUND',
      `Kustomization ${id}: spec.path "${k.path}" is not a directory of its source`,
      {
        hint: 'spec.path is relative to the root of the source (the repository root for GitRepository flux-system)',
      },
    );
  }
  const exclusions = await sourceIgnoreFor(sourceDir, deps);
  const ignored = (abs: string, isDir: boolean): boolean =>
    exclusions.ignores(path.relative(sourceDir, abs).split(path.sep).join('/'), isDir);
  const generated = await generateKustomization(dir, k.spec, `Kustomization ${id}`, ignored);
  let graph: KustomizeGraph;
  try {
    graph = await buildFluxGraph(dir, root, generated, deps);
  } catch (error) {
    throw withContext(`Kustomization ${id}`, error);
  }
  const artifact = withoutIgnored(graph, ignored);
  graph = artifact.graph;
  const decrypt = k.decryptionProvider === 'sops';
  if (!decrypt) await refuseEncrypted(graph, k);
  for (const remote of graph.remote)
    deps.host.info(`Kustomization ${id}: remote resource ${remote} is fetched by kustomize`);
  let built: Awaited<ReturnType<typeof runKustomize>>;
  try {
    built = await runKustomize(graph, k, deps);
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== 'KUSTOMIZE_FAILED' || artifact.left.length === 0)
      throw error;
    throw new UserError(error.code, error.message, {
      ...(error.report === undefined ? {} : { report: error.report }),
      hint: `the source artifact leaves out ${artifact.left.join(', ')} (.sourceignore or Flux's default exclusions), as Flux's would: un-ignore what the kustomization needs, or stop referring to it`,
    });
  }
  const { output, decrypted } = built;

  const docs = parseAllDocuments(output).filter((doc) => doc.contents !== null);
  if (docs.some((doc) => doc.errors.length > 0)) {
    throw new UserError(
      'KUSTOMIZE_FAILED',
      `Kustomization ${id}: kustomize printed YAML that does not parse`,
    );
  }
  if (decrypt) {
    await decryptAfterBuild(docs, {
      keySources: deps.keySources,
      registry: deps.registry,
      log: deps.host,
      ...(deps.undecrypted === undefined ? {} : { undecrypted: deps.undecrypted }),
    });
  } else {
    for (const doc of docs) {
      const object = doc.toJS() as unknown;
      if (isRecord(object) && object['sops'] !== undefined) {
        const meta = isRecord(object['metadata']) ? object['metadata'] : {};
        throw new UserError(
          'BAD_FORMAT',
          `Kustomization ${id}: ${String(object['kind'])} ${String(meta['name'])} is still SOPS-encrypted and the Kustomization has no spec.decryption.provider: sops`,
        );
      }
    }
  }
  // Flux substitutes only with variables, or always with substituteStrategy: Always.
  if (k.postBuild !== undefined && (vars.size > 0 || k.postBuild.always)) {
    for (const doc of docs) {
      markUndecryptedUses(doc, vars);
      substituteDocument(doc, { vars, strict, isSecret: (text) => deps.registry.touches(text) });
    }
  }
  for (const doc of docs) {
    if (!isDocRecord(doc)) continue;
    for (const [key, value] of Object.entries(k.commonMetadata.labels)) setMeta(doc, 'labels', key, value);
    for (const [key, value] of Object.entries(k.commonMetadata.annotations))
      setMeta(doc, 'annotations', key, value);
    setMeta(doc, 'labels', FLUX_NAME_LABEL, k.name);
    setMeta(doc, 'labels', FLUX_NAMESPACE_LABEL, k.namespace);
  }
  const objects = docs.map((doc) => doc.toJS() as unknown).filter(isRecord);
  return {
    kustomization: k,
    dir,
    objects,
    // A document after the first remembers its `---` marker; the join puts one back.
    yaml: docs.map((doc) => doc.toString({ lineWidth: 0 }).replace(/^---\n/, '')).join('---\n'),
    decrypted,
  };
}
