/**
 * `lint --rendered`: the gate looks at what kustomize would deploy, not only at files. Every
 * kustomization root under the linted paths (a kustomization no other one there includes) is
 * built without keys: SOPS files are staged with the placeholders `diff` uses for files no key
 * opens, so any Secret value in the rendering that is not a placeholder did not come from a
 * SOPS source and would reach the cluster in plaintext. kustomize's origin annotations name
 * the file (or the kustomization whose generator made it), so each finding points at what to
 * fix. This catches what no file-by-file rule can: a value patched or replaced into a Secret,
 * a generator reading a plaintext file, a component adding keys.
 *
 * Builds run with remote resources refused (a pull request is untrusted) and never abort the
 * lint: a root that does not build is a warning naming it, and the other roots are checked.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { BuildConfig } from '../config/build.ts';
import { errorMessage, UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { buildTarget, splitDocuments, type KustomizeTool } from '../kustomize/build.ts';
import { KUSTOMIZATION_FILE_NAMES, walkGraph, type KustomizeGraph } from '../kustomize/graph.ts';
import { originOf } from '../kustomize/origin-annotations.ts';
import type { RemotePolicy } from '../kustomize/remote-policy.ts';
import { UndecryptedFiles } from '../kustomize/placeholder.ts';
import { IGNORE_ANNOTATION } from '../lint/check-manifest.ts';
import type { Finding } from '../lint/rules.ts';
import { parseIgnoreAnnotation, type Waiver } from '../lint/suppress.ts';
import { isTemplate } from '../lint/template.ts';
import { listFiles } from '../lint/walk-files.ts';
import { mapLimit } from '../map-limit.ts';
import { findRepositoryRoot } from '../bounded-read.ts';
import { isUndecryptedString } from '../sops/undecrypted.ts';
import type { CommandDeps } from './command.ts';
import { prepareKustomize } from './kustomize-tool.ts';

/** What the rendered check needs from the lint config: the paths and the kustomize to use. */
export interface RenderedLintInputs {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly kustomize: Pick<BuildConfig, 'kustomizePath' | 'kustomizeRelease' | 'env'>;
  /**
   * `rendered: auto`: when no kustomize is named and none is on PATH, the check is skipped
   * with a note instead of failing the lint.
   */
  readonly ifAvailable?: boolean;
}

const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(KUSTOMIZATION_FILE_NAMES);

/** A pull request is untrusted: its kustomizations fetch nothing. */
const NO_REMOTES: RemotePolicy = { kind: 'none' };

/**
 * Every folder holding a kustomization file under the paths, with its repository root, and
 * every file under the paths (what the file rules check).
 */
async function kustomizationDirs(
  inputs: RenderedLintInputs,
  deps: CommandDeps,
): Promise<{ dirs: Map<string, string>; files: Set<string> }> {
  const dirs = new Map<string, string>();
  const files = new Set<string>();
  for (const target of inputs.paths) {
    const absolute = path.resolve(inputs.cwd, target);
    const root = await findRepositoryRoot(absolute);
    for (const file of await listFiles(absolute, deps.exec)) {
      files.add(file);
      if (KUSTOMIZATION_NAMES.has(path.basename(file))) dirs.set(path.dirname(file), root);
    }
  }
  return { dirs, files };
}

/**
 * Whether building a root can show more than the file rules saw: a kustomization in its graph
 * rewrites values (KustomizeGraph.rewritesValues: patches, replacements, generators...), or the
 * graph reaches a file the file rules did not check (outside the linted paths). When it cannot,
 * the build is skipped: in most repositories most roots only list resources, and building them
 * all cost 2–3 times a plain kustomize build.
 */
function rendersMoreThanItsFiles(graph: KustomizeGraph, linted: ReadonlySet<string>): boolean {
  if (graph.remote.length > 0 || graph.rewritesValues) return true;
  for (const file of graph.files.values()) {
    if (file.role.kind === 'kustomization') continue;
    const absolute = path.join(graph.root, ...file.rel.split('/'));
    if (!linted.has(absolute) && !linted.has(file.source)) return true;
  }
  return false;
}

/**
 * The kustomizations no other one under the paths includes (what a deploy would build), with
 * the graph of each that walked, so its build does not walk it again.
 */
async function rootsOf(
  dirs: ReadonlyMap<string, string>,
): Promise<{ roots: string[]; graphs: Map<string, KustomizeGraph> }> {
  const included = new Set<string>();
  const graphs = new Map<string, KustomizeGraph>();
  for (const [dir, root] of dirs) {
    try {
      const graph = await walkGraph(dir, { root, remotePolicy: NO_REMOTES });
      graphs.set(dir, graph);
      for (const rel of graph.dirs) {
        const abs = path.join(graph.root, ...rel.split('/'));
        if (abs !== dir) included.add(abs);
      }
    } catch {
      // A kustomization that does not walk is built below, where its error becomes a finding.
    }
  }
  return { roots: [...dirs.keys()].filter((dir) => !included.has(dir)).sort(), graphs };
}

/** The line of `key` in `text` (its first mention as a key or a `key=` literal), else 1. */
function lineOf(text: string, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(`(^|[\\s"'-])${escaped}(\\s*:|=)`);
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

interface SecretValue {
  readonly key: string;
  readonly plain: string;
}

/** The values of a Secret as they would be stored, each decoded. */
function secretValues(object: Record<string, unknown>): SecretValue[] {
  const out: SecretValue[] = [];
  const data = object['data'];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string' || isUndecryptedString(value)) continue;
      out.push({ key, plain: Buffer.from(value, 'base64').toString('utf8') });
    }
  }
  const stringData = object['stringData'];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === 'string') out.push({ key, plain: value });
    }
  }
  return out.filter(({ plain }) => plain.trim() !== '' && !isUndecryptedString(plain) && !isTemplate(plain));
}

function display(cwd: string, absolute: string): string {
  return path.relative(cwd, absolute).split(path.sep).join('/');
}

/**
 * The Secrets of a rendering. Only documents that mention `Secret` are parsed: a root renders
 * far more other objects, and parsing every one cost more than the whole check of the Secrets.
 * A rendering that does not parse fails like a build (a warning naming the root).
 */
function secretsOf(yaml: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const text of splitDocuments(yaml)) {
    if (!text.includes('Secret')) continue;
    const object: unknown = parseYaml(text);
    if (isRecord(object) && object['kind'] === 'Secret') out.push(object);
  }
  return out;
}

/**
 * A rendered finding with what can waive it: the `lint-ignore` annotation of the rendered
 * object (kustomize keeps the source object's annotations) and the absolute file it maps to,
 * for the lint config's `ignore` globs, the same two ways a file rule's finding is waived.
 */
export interface RenderedFinding {
  readonly finding: Finding;
  readonly absolute: string;
  readonly waivers: readonly Waiver[];
}

function waiversOf(object: Record<string, unknown>): Waiver[] {
  const metadata = object['metadata'];
  const annotations = isRecord(metadata) ? metadata['annotations'] : undefined;
  const value = isRecord(annotations) ? annotations[IGNORE_ANNOTATION] : undefined;
  return typeof value === 'string' ? parseIgnoreAnnotation(value) : [];
}

/** The findings of one root's keyless rendering. */
async function checkRoot(
  dir: string,
  root: string,
  inputs: RenderedLintInputs,
  tool: KustomizeTool,
  deps: CommandDeps,
  graph: KustomizeGraph | undefined,
): Promise<RenderedFinding[]> {
  let secrets: Record<string, unknown>[];
  try {
    const result = await buildTarget(
      {
        target: dir,
        root,
        originAnnotations: true,
        remotePolicy: NO_REMOTES,
        // As Flux builds: a root may list files beside it (`../../base/app/ks.yaml`), which
        // kustomize's default refuses. The graph walk still keeps every file in the repository.
        loadRestrictor: 'LoadRestrictionsNone',
        ...(graph === undefined ? {} : { graph }),
      },
      {
        host: deps.host,
        exec: deps.exec,
        keySources: [],
        registry: deps.secrets,
        tool,
        env: inputs.kustomize.env,
        undecrypted: new UndecryptedFiles({ keyless: true }),
      },
    );
    secrets = secretsOf(result.yaml);
  } catch (error) {
    const absolute = path.join(dir, 'kustomization.yaml');
    const finding: Finding = {
      file: display(inputs.cwd, absolute),
      line: 1,
      column: 1,
      rule: 'unchecked-file',
      severity: 'warning',
      message: `not checked in its rendering: ${errorMessage(error).split('\n')[0] ?? ''}`,
      hint: 'lint --rendered builds each kustomization root without keys and without remote resources; fix the build or lint the files alone',
    };
    return [{ finding, absolute, waivers: [] }];
  }
  const findings: RenderedFinding[] = [];
  for (const object of secrets) {
    const values = secretValues(object);
    if (values.length === 0) continue;
    const origin = originOf(object);
    const file = origin === undefined ? dir : path.resolve(dir, origin.file);
    const text = origin === undefined ? '' : await readFile(file, 'utf8').catch(() => '');
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const name = `${typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : ''}${String(metadata['name'])}`;
    const from = origin?.generator === undefined ? '' : ` (made by a ${origin.generator})`;
    const absolute = origin === undefined ? path.join(dir, 'kustomization.yaml') : file;
    const waivers = waiversOf(object);
    for (const { key } of values) {
      const finding: Finding = {
        file: display(inputs.cwd, absolute),
        line: lineOf(text, key),
        column: 1,
        rule: 'rendered-plaintext-secret',
        severity: 'error',
        message: `Secret ${name}${from} key "${key}" is plaintext in the rendering of ${display(inputs.cwd, dir) || '.'}`,
        hint: 'the value does not come from a SOPS file: encrypt its source with sops (or generate the Secret from a SOPS-encrypted file)',
      };
      findings.push({ finding, absolute, waivers });
    }
  }
  return findings;
}

/** The rendered check over every kustomization root under the paths. */
export async function lintRendered(
  inputs: RenderedLintInputs,
  deps: CommandDeps,
): Promise<RenderedFinding[]> {
  const { dirs, files } = await kustomizationDirs(inputs, deps);
  if (dirs.size === 0) return [];
  const { roots, graphs } = await rootsOf(dirs);
  // Only roots whose rendering can show more than their files are built (and only then is a
  // kustomize needed).
  const toBuild = roots.filter((dir) => {
    const graph = graphs.get(dir);
    return graph === undefined || rendersMoreThanItsFiles(graph, files);
  });
  if (toBuild.length === 0) return [];
  let tool: KustomizeTool;
  try {
    tool = await prepareKustomize(inputs.kustomize, deps);
  } catch (error) {
    const named =
      inputs.kustomize.kustomizePath !== undefined || inputs.kustomize.kustomizeRelease !== undefined;
    if (
      inputs.ifAvailable !== true ||
      named ||
      !(error instanceof UserError) ||
      error.code !== 'FILE_NOT_FOUND'
    ) {
      throw error;
    }
    deps.host.info(
      `lint: the rendered check is skipped: ${error.message} (rendered: auto checks the rendering when a kustomize is available; set kustomize-version to install one)`,
    );
    return [];
  }
  // As many roots in flight as `build` has targets (build-run.ts): node stages each root while
  // kustomize builds others, and kustomize alone does not fill the cores.
  const perRoot = await mapLimit(toBuild, availableParallelism() * 2, (dir) =>
    checkRoot(dir, dirs.get(dir) ?? dir, inputs, tool, deps, graphs.get(dir)),
  );
  // A Secret a base renders is found again through each overlay: one finding each.
  const seen = new Set<string>();
  return perRoot.flat().filter(({ finding: f }) => {
    const id = `${f.file}:${String(f.line)}:${f.message.replace(/ in the rendering of .*$/, '')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
