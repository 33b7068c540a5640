/**
 * Flux-mode discovery: render the entry as Flux's root Kustomization would, collect the
 * Kustomizations it yields, render each from its source, and follow what they yield in turn,
 * the way Flux reconciles a repository. Problems are reported, never looped on: a
 * Kustomization that yields an ancestor (a cycle), a name found twice, a path that does not
 * exist, a source not in this repository, a substituteFrom object nothing renders.
 *
 * Kustomizations whose source or substituteFrom objects are not known yet (an ArtifactGenerator
 * or a ConfigMap rendered by a sibling further on) wait until the others have rendered.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError, errorMessage } from '../errors.ts';
import { mapLimit } from '../map-limit.ts';
import { isArtifactGenerator, parseArtifactGenerator } from './artifact-generator.ts';
import {
  isFluxKustomization,
  kustomizationId,
  parseFluxKustomization,
  type FluxKustomization,
} from './kustomization.ts';
import { missingDependencies, orderByDependencies } from './order.ts';
import { renderKustomization, type RenderDeps, type RenderedKustomization } from './render.ts';
import { FluxSources } from './sources.ts';
import { gatherVariables, SubstitutionPool } from './substitute-from.ts';

export type FluxFindingKind =
  'cycle' | 'duplicate' | 'missing-path' | 'not-rendered' | 'missing-dependency' | 'dependency-cycle';

/** A problem with the repository's Flux objects, reported rather than thrown. */
export interface FluxFinding {
  readonly kind: FluxFindingKind;
  /** `NAMESPACE/NAME` of the Kustomization concerned. */
  readonly kustomization: string;
  readonly message: string;
}

export interface NotRendered {
  readonly kustomization: FluxKustomization;
  readonly reason: string;
}

export interface FluxDiscovery {
  /** Rendered Kustomizations in dependsOn order (discovery order when dependsOn has a cycle). */
  readonly rendered: readonly RenderedKustomization[];
  readonly notRendered: readonly NotRendered[];
  readonly findings: readonly FluxFinding[];
}

export interface DiscoverOptions {
  /** An entry folder (`clusters/<name>`), or a file holding Flux Kustomizations. */
  readonly entry: string;
  /** The repository root: GitRepository flux-system/flux-system. */
  readonly repoRoot: string;
  /** `--flux-source`: `KIND/NAMESPACE/NAME` to an absolute folder. */
  readonly sources?: ReadonlyMap<string, string>;
  /** ConfigMaps and Secrets from `--substitute-from`, found before any rendered ones. */
  readonly substituteObjects?: readonly Record<string, unknown>[];
  /**
   * Called for each rendered Kustomization with the folder it was built from, while that
   * folder (an assembled artifact) still exists: for streaming output and for the oracle tests.
   */
  readonly onRendered?: (rendered: RenderedKustomization, sourceDir: string) => Promise<void>;
  /**
   * Flux's StrictPostBuildSubstitutions feature gate: an undefined variable without a default
   * is an error. Off by default in Flux 2.9, where it becomes empty.
   */
  readonly strictSubstitution?: boolean;
  /** Kustomizations rendered at once (each runs one kustomize); default 4. */
  readonly concurrency?: number;
}

export const ROOT_ID = 'flux-system/flux-system';

interface Item {
  readonly k: FluxKustomization;
  /** Ancestors' ids, root first. */
  readonly chain: readonly string[];
}

/** The root Kustomization bootstrap creates for an entry folder (gotk-sync.yaml). */
export function syntheticRoot(entryRel: string): FluxKustomization {
  return parseFluxKustomization(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: {
        path: `./${entryRel}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        // A repository that keeps SOPS files in the entry folder declares decryption in its
        // gotk-sync patch; the declared root replaces this one when it is found.
        decryption: { provider: 'sops' },
      },
    },
    "the entry folder (as bootstrap's root Kustomization)",
  );
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** What rendering one Kustomization came to; applied to the discovery in queue order. */
type Outcome =
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'skip'; readonly finding: FluxFinding; readonly reason: string }
  | { readonly kind: 'rendered'; readonly rendered: RenderedKustomization; readonly sourceDir: string };

/**
 * One discovery run. Kustomizations render in waves, several at once; each wave's outcomes
 * are applied in queue order, so the result never depends on which kustomize finished first.
 */
class Discovery {
  readonly findings: FluxFinding[] = [];
  readonly notRendered: NotRendered[] = [];
  readonly rendered: RenderedKustomization[] = [];
  readonly #seen = new Map<string, FluxKustomization>();
  readonly #pool = new SubstitutionPool();
  readonly #sources: FluxSources;
  readonly #options: DiscoverOptions;
  readonly #deps: RenderDeps;
  #queue: Item[] = [];

  constructor(options: DiscoverOptions, deps: RenderDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#sources = new FluxSources(path.resolve(options.repoRoot), options.sources ?? new Map(), deps.env);
    this.#pool.add(options.substituteObjects ?? [], '--substitute-from');
  }

  enqueue(k: FluxKustomization, chain: readonly string[]): void {
    const id = kustomizationId(k);
    if (chain.includes(id)) {
      this.findings.push({
        kind: 'cycle',
        kustomization: id,
        message: `Kustomization ${id} is rendered by its own descendant (${[...chain, id].join(' -> ')}); not followed again`,
      });
      return;
    }
    const earlier = this.#seen.get(id);
    if (earlier !== undefined) {
      this.findings.push({
        kind: 'duplicate',
        kustomization: id,
        message: `Kustomization ${id} is defined twice: in ${earlier.origin} and in ${k.origin}; the first is used`,
      });
      return;
    }
    this.#seen.set(id, k);
    this.#queue.push({ k, chain });
  }

  get size(): number {
    return this.#seen.size;
  }

  addGenerator(object: Record<string, unknown>, origin: string, namespace: string): void {
    this.#sources.addGenerator(parseArtifactGenerator(object, origin, namespace));
  }

  async run(): Promise<void> {
    const concurrency = this.#options.concurrency ?? 4;
    try {
      for (;;) {
        const waiting: { item: Item; reason: string }[] = [];
        let progressed = false;
        while (this.#queue.length > 0) {
          const wave = this.#queue;
          this.#queue = [];
          const outcomes = await mapLimit(wave, concurrency, (item) => this.#render(item));
          for (const [index, outcome] of outcomes.entries()) {
            const item = wave[index] as Item;
            if (outcome.kind === 'wait') waiting.push({ item, reason: outcome.reason });
            else {
              progressed = true;
              await this.#apply(item, outcome);
            }
          }
        }
        if (waiting.length === 0) break;
        if (!progressed) {
          for (const { item, reason } of waiting) {
            const id = kustomizationId(item.k);
            this.notRendered.push({ kustomization: item.k, reason });
            this.findings.push({
              kind: 'not-rendered',
              kustomization: id,
              message: `not rendered: ${reason}`,
            });
          }
          break;
        }
        this.#queue = waiting.map((w) => w.item);
      }
    } finally {
      await this.#sources.cleanup();
    }
  }

  async #apply(item: Item, outcome: Exclude<Outcome, { kind: 'wait' }>): Promise<void> {
    const id = kustomizationId(item.k);
    if (outcome.kind === 'skip') {
      this.notRendered.push({ kustomization: item.k, reason: outcome.reason });
      this.findings.push(outcome.finding);
      return;
    }
    const current = outcome.rendered;
    this.rendered.push(current);
    await this.#options.onRendered?.(current, outcome.sourceDir);
    this.#pool.add(current.objects, `Kustomization ${id}`, current.kustomization.namespace);
    for (const object of current.objects) {
      if (isArtifactGenerator(object)) this.addGenerator(object, `Kustomization ${id}`, item.k.namespace);
    }
    for (const object of current.objects) {
      if (!isFluxKustomization(object)) continue;
      const child = parseFluxKustomization(object, `Kustomization ${id}`, item.k.namespace);
      // Flux's CLI treats a Kustomization that renders itself as itself, not as a child.
      if (kustomizationId(child) === id) continue;
      this.enqueue(child, [...item.chain, id]);
    }
  }

  /** Renders one item, or says why it must wait for objects not rendered yet. */
  async #render(item: Item): Promise<Outcome> {
    const { k } = item;
    const id = kustomizationId(k);
    const source = await this.#sources.resolve(k.sourceRef);
    if (!source.ok) {
      if (source.pending) return { kind: 'wait', reason: source.reason };
      return {
        kind: 'skip',
        reason: source.reason,
        finding: { kind: 'not-rendered', kustomization: id, message: `not rendered: ${source.reason}` },
      };
    }
    const gathered = gatherVariables(k, this.#pool);
    if (!gathered.ok) {
      const names = gathered.missing.map((ref) => `${ref.kind} ${k.namespace}/${ref.name}`).join(', ');
      return {
        kind: 'wait',
        reason: `postBuild.substituteFrom names ${names}, which no Kustomization or --substitute-from file in this repository holds`,
      };
    }
    if (!(await isDirectory(path.resolve(source.dir, k.path)))) {
      const reason = `spec.path "${k.path}" does not exist in its source`;
      return {
        kind: 'skip',
        reason,
        finding: {
          kind: 'missing-path',
          kustomization: id,
          message: `Kustomization ${id} (${k.origin}): ${reason}`,
        },
      };
    }
    const result = await renderKustomization(
      k,
      source.dir,
      source.dir,
      gathered.vars,
      this.#deps,
      this.#options.strictSubstitution === true,
    );
    const rendered =
      id === ROOT_ID && item.chain.length === 0 ? await this.#declaredRoot(result, source.dir) : result;
    return { kind: 'rendered', rendered, sourceDir: source.dir };
  }

  /**
   * When the entry declares the root itself (bootstrap's gotk-sync.yaml) pointing at the same
   * folder, its spec (decryption, patches, postBuild) is the one Flux uses: render again with it.
   */
  async #declaredRoot(result: RenderedKustomization, sourceDir: string): Promise<RenderedKustomization> {
    const k = result.kustomization;
    const object = result.objects.find(
      (o) =>
        isFluxKustomization(o) &&
        kustomizationId(parseFluxKustomization(o, 'entry', k.namespace)) === ROOT_ID,
    );
    if (object === undefined) return result;
    const declared = { ...parseFluxKustomization(object, k.origin, k.namespace), origin: k.origin };
    const declaredSource = await this.#sources.resolve(declared.sourceRef);
    if (!declaredSource.ok || path.resolve(declaredSource.dir, declared.path) !== result.dir) return result;
    // Its substituteFrom may name what the entry itself renders (cluster-settings): in the
    // cluster those exist from the previous reconciliation.
    this.#pool.add(result.objects, `Kustomization ${ROOT_ID}`, k.namespace);
    this.#seen.set(ROOT_ID, declared);
    const vars = gatherVariables(declared, this.#pool);
    return renderKustomization(
      declared,
      sourceDir,
      sourceDir,
      vars.ok ? vars.vars : new Map<string, string>(),
      this.#deps,
      this.#options.strictSubstitution === true,
    );
  }
}

export async function discoverFlux(options: DiscoverOptions, deps: RenderDeps): Promise<FluxDiscovery> {
  const repoRoot = path.resolve(options.repoRoot);
  const entry = path.resolve(options.entry);
  const discovery = new Discovery(options, deps);
  if (await isDirectory(entry)) {
    const rel = path.relative(repoRoot, entry).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UserError('PATH_ESCAPE', `Flux entry ${options.entry} is outside the repository ${repoRoot}`);
    }
    discovery.enqueue(syntheticRoot(rel === '' ? '.' : rel), []);
  } else {
    let text: string;
    try {
      text = await readFile(entry, 'utf8');
    } catch (cause) {
      throw new UserError('FILE_NOT_FOUND', `Flux entry ${options.entry} does not exist`, { cause });
    }
    const origin = path.relative(repoRoot, entry) || entry;
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as unknown;
      if (isFluxKustomization(object)) discovery.enqueue(parseFluxKustomization(object, origin), []);
      else if (isArtifactGenerator(object)) discovery.addGenerator(object, origin, 'flux-system');
    }
    if (discovery.size === 0) {
      throw new UserError(
        'USAGE',
        `Flux entry ${options.entry} holds no kustomize.toolkit.fluxcd.io Kustomization`,
        {
          hint: 'pass the cluster folder (clusters/<name>) or a file of Flux Kustomizations',
        },
      );
    }
  }
  await discovery.run();

  const { rendered, notRendered, findings } = discovery;
  const known = new Set([
    ...rendered.map((r) => kustomizationId(r.kustomization)),
    ...notRendered.map((n) => kustomizationId(n.kustomization)),
  ]);
  for (const r of rendered) {
    const id = kustomizationId(r.kustomization);
    for (const dep of missingDependencies(r.kustomization, known)) {
      findings.push({
        kind: 'missing-dependency',
        kustomization: id,
        message: `Kustomization ${id} depends on ${dep}, which is not in this repository`,
      });
    }
  }
  let ordered: RenderedKustomization[] = rendered;
  try {
    ordered = orderByDependencies(rendered);
  } catch (error) {
    findings.push({ kind: 'dependency-cycle', kustomization: ROOT_ID, message: errorMessage(error) });
  }
  return { rendered: ordered, notRendered, findings };
}
