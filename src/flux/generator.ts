/**
 * Flux's kustomization generator (fluxcd/pkg `kustomize/kustomize_generator.go`, as
 * kustomize-controller v1 of Flux 2.9 runs it), so a Kustomization's path renders exactly
 * as Flux renders it:
 *
 * - A directory with no kustomization file gets one listing, as `./rel` resources and in
 *   walk order, every `.yaml`/`.yml` file below it (each must parse as Kubernetes YAML:
 *   a stray values file is an error, as in Flux, not skipped) and
 *   every sub-directory that holds a kustomization file (not descended into). An empty
 *   listing becomes `namespace: _placeholder`, Flux's way round "kustomization.yaml is empty".
 * - An existing file with no `resources` gets `buildMetadata: [originAnnotations]` (Flux's
 *   same workaround).
 * - Then the spec goes on top: `targetNamespace`, `namePrefix`, `nameSuffix`, `patches`,
 *   `components` (local and relative; missing ones skipped with `ignoreMissingComponents`),
 *   the v1beta2 `patchesStrategicMerge`/`patchesJson6902`, `images` (merged into entries of
 *   the same name) and `buildMetadata`.
 *
 * Written here rather than taken from a library because no JavaScript port exists; the
 * walk skips what source-controller leaves out of every artifact (`.git/`, CI folders,
 * `.sops.yaml`...), since Flux never sees those files.
 */
import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/graph.ts';
import { defaultSourceIgnore } from './source-ignore.ts';

const DEFAULT_EXCLUSIONS = defaultSourceIgnore();

/**
 * Whether source-controller's default exclusions (source-ignore.ts) leave out an entry of this
 * base name; without a slash a gitignore pattern matches at any depth. Used when no source's
 * own .sourceignore is known.
 */
export function isIgnoredBySource(name: string, isDir: boolean): boolean {
  return DEFAULT_EXCLUSIONS.ignores(name, isDir);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** The kustomization file in `dir`, in kustomize's order of names. */
export async function findKustomizationFileName(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) if (await isFile(path.join(dir, name))) return name;
  return undefined;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Why kustomize's resource factory would refuse a document, as Flux's scan checks each file:
 * every object needs metadata, a kind and a name; empty documents and Lists pass.
 */
function resourceProblem(object: unknown): string | undefined {
  if (object === null || object === undefined) return undefined;
  if (!isRecord(object)) return 'not a Kubernetes object (a map)';
  if (
    typeof object['kind'] === 'string' &&
    object['kind'].endsWith('List') &&
    Array.isArray(object['items'])
  ) {
    return undefined;
  }
  if (!isRecord(object['metadata'])) return 'missing Resource metadata';
  if (typeof object['kind'] !== 'string' || object['kind'] === '') return 'missing kind';
  const name = object['metadata']['name'];
  if (typeof name !== 'string' || name === '') return 'missing metadata.name';
  return undefined;
}

/** Whether the source artifact leaves out a path (absolute); source-ignore.ts decides. */
export type IgnoredBySource = (abs: string, isDir: boolean) => boolean;

/** Flux's scanManifests: the resources of a generated kustomization, as `./rel` paths. */
export async function scanManifests(dir: string, ignored?: IgnoredBySource): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = (await readdir(current, { withFileTypes: true })).sort(byName);
    for (const entry of entries) {
      const abs = path.join(current, entry.name);
      const rel = `./${path.relative(dir, abs).split(path.sep).join('/')}`;
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(abs)).isDirectory());
      if (ignored === undefined ? isIgnoredBySource(entry.name, isDir) : ignored(abs, isDir)) continue;
      if (isDir) {
        if ((await findKustomizationFileName(abs)) !== undefined) found.push(rel);
        else await walk(abs);
        continue;
      }
      const ext = path.extname(entry.name);
      if (ext !== '.yaml' && ext !== '.yml') continue;
      const docs = parseAllDocuments(await readFile(abs, 'utf8'));
      const list = Array.isArray(docs) ? docs : [docs];
      const bad = list.find((doc) => doc.errors.length > 0);
      if (bad !== undefined) {
        throw new UserError(
          'BAD_FORMAT',
          `failed to decode Kubernetes YAML from ${abs}: ${bad.errors[0]?.message.split('\n')[0] ?? ''}`,
          { hint: 'Flux lists every .yaml/.yml file of a folder without a kustomization.yaml' },
        );
      }
      for (const doc of list) {
        const problem = resourceProblem(doc.toJS() as unknown);
        if (problem !== undefined) {
          throw new UserError('BAD_FORMAT', `failed to decode Kubernetes YAML from ${abs}: ${problem}`, {
            hint: 'Flux lists every .yaml/.yml file of a folder without a kustomization.yaml; add a kustomization.yaml that lists the manifests, or move this file out',
          });
        }
      }
      found.push(rel);
    }
  };
  await walk(dir);
  return found;
}

/** kustomize's selector from Flux's (the same fields; `undefined` drops the target). */
function adaptSelector(target: unknown): Record<string, unknown> | undefined {
  if (!isRecord(target)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of [
    'group',
    'version',
    'kind',
    'name',
    'namespace',
    'labelSelector',
    'annotationSelector',
  ]) {
    const value = target[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

/** Whether a component entry is a local relative path (Flux's IsLocalRelativePath). */
export function isLocalRelativePath(entry: string): boolean {
  if (path.isAbsolute(entry)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@')) return false;
  return true;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export interface GeneratedKustomization {
  /** The kustomization file's name in the directory (Flux writes over the existing one). */
  readonly fileName: string;
  /** The content Flux builds from. */
  readonly content: string;
  /** Whether the directory had no kustomization file. */
  readonly created: boolean;
  /** Resources of a generated file (for staging files the graph walk did not list). */
  readonly resources: readonly string[];
  /** Components the spec adds, relative to the directory (for staging). */
  readonly components: readonly string[];
}

/** Applies `spec` on top of the kustomization in `dir`, or of one generated for it. */
export async function generateKustomization(
  dir: string,
  spec: Readonly<Record<string, unknown>>,
  where: string,
  ignored?: IgnoredBySource,
): Promise<GeneratedKustomization> {
  const existing = await findKustomizationFileName(dir);
  let kus: Record<string, unknown>;
  let resources: string[] = [];
  if (existing !== undefined) {
    let parsed: unknown;
    try {
      parsed = parseYaml(await readFile(path.join(dir, existing), 'utf8'));
    } catch (cause) {
      throw new UserError('BAD_FORMAT', `${where}: ${existing} is not valid YAML`, { cause });
    }
    kus = isRecord(parsed) ? { ...parsed } : {};
    kus['apiVersion'] ??= 'kustomize.config.k8s.io/v1beta1';
    kus['kind'] ??= 'Kustomization';
    if (strings(kus['resources']).length === 0) kus['buildMetadata'] = ['originAnnotations'];
  } else {
    resources = await scanManifests(dir, ignored);
    kus = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
    if (resources.length === 0) kus['namespace'] = '_placeholder';
    else kus['resources'] = resources;
  }

  const setString = (field: string, target: string): void => {
    const value = spec[field];
    if (typeof value === 'string') kus[target] = value;
  };
  setString('targetNamespace', 'namespace');
  setString('namePrefix', 'namePrefix');
  setString('nameSuffix', 'nameSuffix');

  const patches = Array.isArray(kus['patches']) ? [...(kus['patches'] as unknown[])] : [];
  for (const patch of Array.isArray(spec['patches']) ? (spec['patches'] as unknown[]) : []) {
    if (!isRecord(patch)) continue;
    const target = adaptSelector(patch['target']);
    patches.push({ patch: patch['patch'], ...(target === undefined ? {} : { target }) });
  }
  if (patches.length > 0) kus['patches'] = patches;

  const components = strings(kus['components']);
  const added: string[] = [];
  for (const component of strings(spec['components'])) {
    if (!isLocalRelativePath(component)) {
      throw new UserError('BAD_FORMAT', `${where}: component path '${component}' must be local and relative`);
    }
    if (spec['ignoreMissingComponents'] === true && !(await exists(path.join(dir, component)))) continue;
    components.push(component);
    added.push(component);
  }
  if (components.length > 0) kus['components'] = components;

  const psm = strings(kus['patchesStrategicMerge']);
  for (const patch of Array.isArray(spec['patchesStrategicMerge'])
    ? (spec['patchesStrategicMerge'] as unknown[])
    : []) {
    psm.push(JSON.stringify(patch));
  }
  if (psm.length > 0) kus['patchesStrategicMerge'] = psm;

  const pj = Array.isArray(kus['patchesJson6902']) ? [...(kus['patchesJson6902'] as unknown[])] : [];
  for (const patch of Array.isArray(spec['patchesJson6902']) ? (spec['patchesJson6902'] as unknown[]) : []) {
    if (!isRecord(patch)) continue;
    const target = adaptSelector(patch['target']);
    pj.push({ patch: JSON.stringify(patch['patch'] ?? null), ...(target === undefined ? {} : { target }) });
  }
  if (pj.length > 0) kus['patchesJson6902'] = pj;

  const images = Array.isArray(kus['images'])
    ? (kus['images'] as unknown[]).map((i) => (isRecord(i) ? { ...i } : {}))
    : [];
  for (const image of Array.isArray(spec['images']) ? (spec['images'] as unknown[]) : []) {
    if (!isRecord(image)) continue;
    const name = typeof image['name'] === 'string' ? image['name'] : '';
    const field = (key: string): string => (typeof image[key] === 'string' ? image[key] : '');
    const index = images.findIndex((i) => i['name'] === name);
    const current = images[index];
    if (current !== undefined) {
      if (field('newName') !== '') current['newName'] = field('newName');
      // Tag and digest select the version together: setting one clears the other (Flux 2.9).
      if (field('newTag') !== '' || field('digest') !== '') {
        current['newTag'] = field('newTag');
        current['digest'] = field('digest');
        if (current['newTag'] === '') delete current['newTag'];
        if (current['digest'] === '') delete current['digest'];
      }
    } else {
      const entry: Record<string, string> = { name };
      for (const key of ['newName', 'newTag', 'digest']) if (field(key) !== '') entry[key] = field(key);
      images.push(entry);
    }
  }
  if (images.length > 0) kus['images'] = images;

  const buildMetadata = strings(spec['buildMetadata']);
  if (buildMetadata.length > 0) kus['buildMetadata'] = buildMetadata;

  return {
    fileName: existing ?? 'kustomization.yaml',
    content: stringify(kus, { lineWidth: 0 }),
    created: existing === undefined,
    resources,
    components: added,
  };
}
