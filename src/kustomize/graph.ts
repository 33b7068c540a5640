/**
 * The kustomization graph: every local file kustomize could read for a target, found by
 * walking each field that names a file, recursively. Whatever is not in this graph is not
 * copied into the private build root, so kustomize cannot read it; whatever is in it must stay
 * inside the repository root, symlinks resolved, because the repository is untrusted input in
 * a PR run and a `../../` entry must not pull a runner file into a Secret.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { findRepositoryRootSync, readFileBounded, tryReadFileBoundedSync } from '../bounded-read.ts';
import { UserError } from '../errors.ts';
import { formatFromPath } from '../sops/formats.ts';
import type { Format } from '../sops/tree.ts';
import {
  checkRemote,
  PUBLIC_REMOTES,
  RemoteRefusal,
  type RemotePolicy,
  type ResolveHost,
} from './remote-policy.ts';

/** Kustomization files and the manifests a generated kustomization lists are read up to this. */
/** The largest file a kustomization may reach: read (graph) and staged (stage.ts) under this cap. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The file names kustomize recognises, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/**
 * Why a file is in the graph, which decides how a SOPS file in it is decrypted: manifests by
 * their own extension, generator `files` by the key's extension (as Flux), env files as dotenv.
 */
export type FileRole =
  | { readonly kind: 'kustomization' }
  | { readonly kind: 'manifest' }
  | { readonly kind: 'generator-file'; readonly key: string }
  | { readonly kind: 'env' }
  | { readonly kind: 'config' };

export interface GraphFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly rel: string;
  /** The real file to copy (symlinks resolved, checked to be inside the root). */
  readonly source: string;
  readonly role: FileRole;
  /** The kustomization file and field that first reached it, for error messages. */
  readonly via: string;
}

export interface KustomizeGraph {
  /** The repository root every path must stay in (real path). */
  readonly root: string;
  /** The target directory relative to the root (`.` for the root itself). */
  readonly target: string;
  /** Every file to copy, by `rel`. The first role that reached a file wins. */
  readonly files: ReadonlyMap<string, GraphFile>;
  /** Directories copied whole (helm chart homes), relative to the root. */
  readonly dirs: ReadonlySet<string>;
  /**
   * Kustomization files to write because the directory had none (Flux generates one for a
   * directory of plain manifests), by rel path, with their content.
   */
  readonly generated: ReadonlyMap<string, string>;
  /** Remote resources left to kustomize (allowed by the remote policy), for the log. */
  readonly remote: readonly string[];
  /**
   * Whether a kustomization of the graph uses a field through which a rendered object can hold
   * a value that is in no file as it is (VALUE_FIELDS). Without one, every rendered object is
   * one of the graph's files with the same values (lint --rendered builds only when needed).
   */
  readonly rewritesValues: boolean;
}

/**
 * The kustomization fields that write values (patches, replacements, vars), make objects
 * (generators, transformers, helm charts) or change how the others merge (configurations,
 * crds, openapi). resources, namespace, name prefixes, labels and images change no value.
 */
const VALUE_FIELDS = [
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'replacements',
  'vars',
  'secretGenerator',
  'generators',
  'transformers',
  'validators',
  'helmCharts',
  'helmChartInflationGenerator',
  'configurations',
  'crds',
  'openapi',
] as const;

function isEmptyField(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

/** How the graph treats entries that are not local files. */
export interface GraphOptions {
  /** The repository root paths must stay in (see findRepositoryRoot). */
  readonly root?: string;
  /** Which remote resources kustomize may fetch; `public` by default. */
  readonly remotePolicy?: RemotePolicy;
  /** Host name resolution for the policy (tests pass a double). */
  readonly resolveHost?: ResolveHost;
}

/** An inline document where a path could also stand (patchesStrategicMerge, transformers). */
function isInline(entry: string): boolean {
  return entry.includes('\n');
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/') || '.';
}

function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface WalkState {
  readonly root: string;
  readonly realRoot: string;
  readonly files: Map<string, GraphFile>;
  readonly dirs: Set<string>;
  readonly generated: Map<string, string>;
  readonly remote: string[];
  readonly visited: Set<string>;
  readonly remotePolicy: RemotePolicy;
  readonly resolveHost: ResolveHost | undefined;
  rewritesValues: boolean;
}

type Entry = { readonly where: string; readonly value: string };

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/**
 * Resolves an entry to an absolute lexical path and its real path, refusing anything that
 * leaves the root either lexically (`..`) or through a symlink.
 */
function resolveEntry(
  state: WalkState,
  dir: string,
  entry: Entry,
  kustomizationRel: string,
): { abs: string; real: string; isDir: boolean } | undefined {
  const abs = path.resolve(dir, entry.value);
  const where = `${kustomizationRel}: ${entry.where} "${entry.value}"`;
  if (!inside(state.root, abs)) {
    throw new UserError('PATH_ESCAPE', `${where} leaves the repository root ${state.root}`, {
      hint: 'kustomize may only read files inside the repository; move the file in or build from a higher directory',
    });
  }
  if (inGitDir(state.root, abs)) throw gitDirRefusal(where);
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError('FILE_NOT_FOUND', `${where} cannot be read`, { cause });
  }
  if (!inside(state.realRoot, real)) {
    throw new UserError(
      'PATH_ESCAPE',
      `${where} is a symlink that leaves the repository root ${state.root}`,
      {
        hint: 'replace the symlink with the file itself',
      },
    );
  }
  if (inGitDir(state.realRoot, real)) throw gitDirRefusal(where);
  const info = statSync(real);
  if (!info.isDirectory() && !info.isFile()) {
    // A FIFO or device (outside git, a work tree can hold one) would hang or never end.
    throw new UserError('UNSUPPORTED', `${where} is not a regular file`);
  }
  return { abs, real, isDir: info.isDirectory() };
}

/**
 * `.git/` holds the credentials actions/checkout stores (an AUTHORIZATION header in
 * `.git/config`) and the whole history: no kustomization field may read from it.
 */
function inGitDir(root: string, abs: string): boolean {
  return path
    .relative(root, abs)
    .split(path.sep)
    .some((segment) => segment.toLowerCase() === '.git');
}

function gitDirRefusal(where: string): UserError {
  return new UserError('PATH_ESCAPE', `${where} is inside .git/, which is never read`, {
    hint: 'kustomize may not read git metadata; copy what you need into a file in the repository',
  });
}

/**
 * Whether an entry is a remote resource the policy allows (then kustomize fetches it). A
 * remote entry the policy refuses, or any `file://`, is an error naming the entry and why.
 */
async function allowedRemote(
  state: WalkState,
  entry: Entry,
  kustomizationRel: string,
  remoteOk: boolean,
): Promise<boolean> {
  if (entry.value.startsWith('./') || entry.value.startsWith('../')) return false;
  const where = `${kustomizationRel}: ${entry.where} "${entry.value}"`;
  let target;
  try {
    target = await checkRemote(entry.value, state.remotePolicy, state.resolveHost);
  } catch (error) {
    if (!(error instanceof RemoteRefusal)) throw error;
    throw new UserError('PATH_ESCAPE', `${where} is refused: ${error.message}`, {
      hint: 'remote resources must be https or ssh on an allowed host (the allow-remote input: none, public or a host list)',
    });
  }
  if (target === undefined) return false;
  if (!remoteOk) {
    throw new UserError(
      'UNSUPPORTED',
      `${where} is a remote URL; kustomize reads this field only from local files`,
    );
  }
  return true;
}

function addFile(state: WalkState, abs: string, real: string, role: FileRole, via: string): void {
  const rel = toRel(state.root, abs);
  if (!state.files.has(rel)) state.files.set(rel, { rel, source: real, role, via });
}

function findKustomizationFile(dir: string): string | undefined {
  const found: string[] = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    try {
      const file = path.join(dir, name);
      const link = lstatSync(file, { throwIfNoEntry: false });
      if (link !== undefined && (link.isFile() || statSync(file).isFile())) found.push(name);
    } catch {
      // absent
    }
  }
  if (found.length > 1) {
    throw new UserError('BAD_FORMAT', `${dir} holds more than one kustomization file (${found.join(', ')})`, {
      hint: 'keep exactly one of kustomization.yaml, kustomization.yml or Kustomization',
    });
  }
  return found[0];
}

/** The manifests Flux's generator would list for a directory without a kustomization file. */
async function generateKustomization(dir: string, dirRel: string, root: string): Promise<string[]> {
  const resources: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(current, entry.name);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (findKustomizationFile(abs) !== undefined) resources.push(rel);
        else await walk(abs);
        continue;
      }
      if (!/\.(ya?ml|json)$/.test(entry.name)) continue;
      // Flux lists only files that hold Kubernetes objects, so stray YAML (values files,
      // CI config) does not break the build.
      // Bounded and inside the root: `zero.yaml -> /dev/zero` is refused, not read forever.
      const bounds = { maxBytes: MAX_MANIFEST_BYTES, root, name: rel };
      const text = (tryReadFileBoundedSync(abs, bounds) ?? (await readFileBounded(abs, bounds))).toString(
        'utf8',
      );
      // logLevel 'error': the library's warnings go to stderr and quote the file's lines.
      const docs = parseAllDocuments(text, { logLevel: 'error' });
      const list = Array.isArray(docs) ? docs : [docs];
      const isObject = list.some((doc) => {
        let value: Record<string, unknown>;
        try {
          value = record(doc.toJS() as unknown);
        } catch (cause) {
          // toJS refuses an alias bomb with a ReferenceError; kustomize refuses the file too.
          const fileRel = dirRel === '.' ? rel : `${dirRel}/${rel}`;
          throw new UserError('BAD_FORMAT', `${fileRel}: the YAML could not be read as an object`, {
            cause,
            hint: 'it uses more aliases than a manifest needs (an alias bomb?); remove the file or fix it',
          });
        }
        return typeof value['apiVersion'] === 'string' && typeof value['kind'] === 'string';
      });
      if (isObject) resources.push(rel);
    }
  };
  await walk(dir);
  return resources;
}

async function walkDirectory(
  state: WalkState,
  dir: string,
  via: string,
  allowGenerate: boolean,
): Promise<void> {
  const real = realpathSync.native(dir);
  if (state.visited.has(real)) return;
  state.visited.add(real);
  const dirRel = toRel(state.root, dir);
  const fileName = findKustomizationFile(dir);
  if (fileName === undefined) {
    if (!allowGenerate) {
      throw new UserError('FILE_NOT_FOUND', `${via} is a directory with no kustomization file`, {
        hint: 'add a kustomization.yaml there, or list its files instead of the directory',
      });
    }
    const resources = await generateKustomization(dir, dirRel, state.realRoot);
    const relFile = dirRel === '.' ? 'kustomization.yaml' : `${dirRel}/kustomization.yaml`;
    const content = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      ...resources.map((r) => `  - ${JSON.stringify(r)}`),
      '',
    ].join('\n');
    state.generated.set(
      relFile,
      resources.length === 0 ? content.replace('resources:\n', 'resources: []\n') : content,
    );
    for (const resource of resources) {
      const abs = path.join(dir, resource);
      const resolved = resolveEntry(state, dir, { where: 'resources', value: resource }, relFile);
      if (resolved === undefined) continue;
      if (resolved.isDir) await walkDirectory(state, abs, `${relFile}: resources "${resource}"`, false);
      else addFile(state, abs, resolved.real, { kind: 'manifest' }, `${relFile}: resources`);
    }
    return;
  }
  const fileAbs = path.join(dir, fileName);
  const kustomizationRel = toRel(state.root, fileAbs);
  const fileReal = realpathSync.native(fileAbs);
  if (!inside(state.realRoot, fileReal)) {
    throw new UserError(
      'PATH_ESCAPE',
      `${kustomizationRel} is a symlink that leaves the repository root ${state.root}`,
    );
  }
  addFile(state, fileAbs, fileReal, { kind: 'kustomization' }, via);
  let doc: Record<string, unknown>;
  try {
    const bounds = { maxBytes: MAX_MANIFEST_BYTES, root: state.realRoot, name: kustomizationRel };
    const text = tryReadFileBoundedSync(fileReal, bounds) ?? (await readFileBounded(fileReal, bounds));
    doc = record(parseYaml(text.toString('utf8'), { logLevel: 'error' }) as unknown);
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError('BAD_FORMAT', `${kustomizationRel} is not valid YAML`, { cause });
  }
  await walkKustomization(state, dir, kustomizationRel, doc);
}

/** One entry that must name an existing local file (or, when `dirOk`, a kustomization directory). */
async function visitPath(
  state: WalkState,
  dir: string,
  kustomizationRel: string,
  entry: Entry,
  role: FileRole,
  options: { readonly dirOk?: boolean; readonly remoteOk?: boolean; readonly optional?: boolean } = {},
): Promise<void> {
  if (await allowedRemote(state, entry, kustomizationRel, options.remoteOk === true)) {
    state.remote.push(entry.value);
    return;
  }
  const resolved = resolveEntry(state, dir, entry, kustomizationRel);
  if (resolved === undefined) {
    if (options.optional === true) return;
    throw new UserError(
      'FILE_NOT_FOUND',
      `${kustomizationRel}: ${entry.where} "${entry.value}" does not exist`,
    );
  }
  if (resolved.isDir) {
    if (options.dirOk !== true) {
      throw new UserError(
        'BAD_FORMAT',
        `${kustomizationRel}: ${entry.where} "${entry.value}" is a directory, expected a file`,
      );
    }
    await walkDirectory(state, resolved.abs, `${kustomizationRel}: ${entry.where} "${entry.value}"`, false);
    return;
  }
  addFile(state, resolved.abs, resolved.real, role, `${kustomizationRel}: ${entry.where}`);
}

async function visitWholeDir(
  state: WalkState,
  dir: string,
  kustomizationRel: string,
  entry: Entry,
): Promise<void> {
  const resolved = resolveEntry(state, dir, entry, kustomizationRel);
  if (resolved === undefined || !resolved.isDir) return;
  // Every file under the chart home is checked like any other entry: a chart may not carry
  // a symlink out of the repository either.
  const walk = async (current: string): Promise<void> => {
    for (const child of readdirSync(current, { withFileTypes: true })) {
      // A vendored chart may be a git checkout: its .git/ is never copied.
      if (child.name.toLowerCase() === '.git') continue;
      const abs = path.join(current, child.name);
      const sub = resolveEntry(state, current, { where: entry.where, value: child.name }, kustomizationRel);
      if (sub === undefined) continue;
      if (sub.isDir) await walk(abs);
      else addFile(state, abs, sub.real, { kind: 'config' }, `${kustomizationRel}: ${entry.where}`);
    }
  };
  state.dirs.add(toRel(state.root, resolved.abs));
  await walk(resolved.abs);
}

/** `key=path` or `path`; the key defaults to the file's base name, as kustomize does. */
export function parseFileSource(source: string): { key: string; file: string } {
  const eq = source.indexOf('=');
  if (eq < 0) return { key: path.posix.basename(source), file: source };
  return { key: source.slice(0, eq), file: source.slice(eq + 1) };
}

async function walkKustomization(
  state: WalkState,
  dir: string,
  kustomizationRel: string,
  k: Record<string, unknown>,
): Promise<void> {
  if (VALUE_FIELDS.some((field) => !isEmptyField(k[field]))) state.rewritesValues = true;
  const manifest: FileRole = { kind: 'manifest' };
  const config: FileRole = { kind: 'config' };
  const visit = (where: string, value: string, role: FileRole, options?: Parameters<typeof visitPath>[5]) =>
    visitPath(state, dir, kustomizationRel, { where, value }, role, options);

  for (const field of ['resources', 'bases', 'components'] as const) {
    for (const value of stringList(k[field])) {
      await visit(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  for (const field of ['secretGenerator', 'configMapGenerator'] as const) {
    for (const generator of records(k[field])) {
      for (const source of stringList(generator['files'])) {
        const { key, file } = parseFileSource(source);
        // kustomize fetches an https source itself (Grafana dashboards are often kept that way).
        await visit(`${field} files`, file, { kind: 'generator-file', key }, { remoteOk: true });
      }
      for (const env of [...stringList(generator['envs']), ...stringList([generator['env']])]) {
        await visit(`${field} envs`, env, { kind: 'env' });
      }
    }
  }
  for (const patch of records(k['patches'])) {
    if (typeof patch['path'] === 'string') await visit('patches', patch['path'], manifest);
  }
  for (const value of stringList(k['patchesStrategicMerge'])) {
    if (!isInline(value)) await visit('patchesStrategicMerge', value, manifest);
  }
  for (const patch of records(k['patchesJson6902'])) {
    if (typeof patch['path'] === 'string') await visit('patchesJson6902', patch['path'], manifest);
  }
  for (const value of stringList(k['crds'])) await visit('crds', value, config);
  const openapi = record(k['openapi']);
  if (typeof openapi['path'] === 'string') await visit('openapi.path', openapi['path'], config);
  for (const value of stringList(k['configurations'])) await visit('configurations', value, config);
  for (const replacement of records(k['replacements'])) {
    if (typeof replacement['path'] === 'string') await visit('replacements', replacement['path'], config);
  }
  for (const field of ['transformers', 'generators', 'validators'] as const) {
    for (const value of stringList(k[field])) {
      if (!isInline(value)) await visit(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  const helmGlobals = record(k['helmGlobals']);
  const chartHome = typeof helmGlobals['chartHome'] === 'string' ? helmGlobals['chartHome'] : 'charts';
  if (typeof helmGlobals['configHome'] === 'string') {
    await visitWholeDir(state, dir, kustomizationRel, {
      where: 'helmGlobals.configHome',
      value: helmGlobals['configHome'],
    });
  }
  const charts = records(k['helmCharts']);
  if (charts.length > 0) {
    await visitWholeDir(state, dir, kustomizationRel, { where: 'helmGlobals.chartHome', value: chartHome });
  }
  for (const chart of charts) {
    if (typeof chart['valuesFile'] === 'string') {
      await visit('helmCharts valuesFile', chart['valuesFile'], config, { remoteOk: true });
    }
    for (const value of stringList(chart['additionalValuesFiles'])) {
      await visit('helmCharts additionalValuesFiles', value, config, { remoteOk: true });
    }
  }
}

/**
 * Walks the target's kustomization graph. `root` defaults to the repository root found from
 * the target (see findRepositoryRoot).
 */
export async function walkGraph(target: string, options: GraphOptions = {}): Promise<KustomizeGraph> {
  const absTarget = path.resolve(target);
  let info;
  try {
    info = statSync(absTarget);
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `build target ${target} does not exist`, { cause });
  }
  if (!info.isDirectory()) {
    throw new UserError('USAGE', `build target ${target} is not a directory`, {
      hint: 'pass the directory that holds kustomization.yaml',
    });
  }
  const root = path.resolve(options.root ?? findRepositoryRootSync(absTarget));
  if (!inside(root, absTarget)) {
    throw new UserError('PATH_ESCAPE', `build target ${target} is outside the root ${root}`);
  }
  const state: WalkState = {
    root,
    realRoot: realpathSync.native(root),
    files: new Map(),
    dirs: new Set(),
    generated: new Map(),
    remote: [],
    visited: new Set(),
    remotePolicy: options.remotePolicy ?? PUBLIC_REMOTES,
    resolveHost: options.resolveHost,
    rewritesValues: false,
  };
  const realTarget = realpathSync.native(absTarget);
  if (!inside(state.realRoot, realTarget)) {
    throw new UserError('PATH_ESCAPE', `build target ${target} is a symlink that leaves the root ${root}`);
  }
  await walkDirectory(state, absTarget, `build target ${target}`, true);
  return {
    root,
    target: toRel(root, absTarget),
    files: state.files,
    dirs: state.dirs,
    generated: state.generated,
    remote: state.remote,
    rewritesValues: state.rewritesValues,
  };
}

/**
 * The sops format to read a graph file in, or undefined for files kustomize reads as
 * configuration only. Generator `files` take the key's extension (Flux: `config.json=x.enc`
 * is JSON, a key with no known extension is binary); env files are dotenv.
 */
export function formatForRole(file: GraphFile): Format | undefined {
  switch (file.role.kind) {
    case 'kustomization':
      return undefined;
    case 'manifest':
    case 'config': {
      const format = formatFromPath(file.rel);
      return format === 'yaml' || format === 'json' ? format : undefined;
    }
    case 'generator-file':
      return formatFromPath(file.role.key);
    case 'env': {
      const format = formatFromPath(file.rel);
      return format === 'binary' ? 'dotenv' : format;
    }
  }
}
