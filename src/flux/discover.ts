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
import { isRecord } from '../is-record.ts';
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

export async function discoverFlux(options: DiscoverOptions, deps: RenderDeps): Promise<FluxDiscovery> {
  const repoRoot = path.resolve(options.repoRoot);
  const entry = path.resolve(options.entry);
  const sources = new FluxSources(repoRoot, options.sources ?? new Map(), deps.env);
  const pool = new SubstitutionPool();
  pool.add(options.substituteObjects ?? [], '--substitute-from');
  const findings: FluxFinding[] = [];
  const notRendered: NotRendered[] = [];
  const rendered: RenderedKustomization[] = [];
  const seen = new Map<string, FluxKustomization>();
  let queue: Item[] = [];

  const enqueue = (k: FluxKustomization, chain: readonly string[]): void => {
    const id = kustomizationId(k);
    if (chain.includes(id)) {
      findings.push({
        kind: 'cycle',
        kustomization: id,
        message: `Kustomization ${id} is rendered by its own descendant (${[...chain, id].join(' -> ')}); not followed again`,
      });
      return;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      findings.push({
        kind: 'duplicate',
        kustomization: id,
        message: `Kustomization ${id} is defined twice: in ${earlier.origin} and in ${k.origin}; the first is used`,
      });
      return;
    }
    seen.set(id, k);
    queue.push({ k, chain });
  };

  const entryIsDir = await isDirectory(entry);
  if (entryIsDir) {
    const rel = path.relative(repoRoot, entry).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UserError('PATH_ESCAPE', `Flux entry ${options.entry} is outside the repository ${repoRoot}`);
    }
    enqueue(syntheticRoot(rel === '' ? '.' : rel), []);
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
      if (isFluxKustomization(object)) enqueue(parseFluxKustomization(object, origin), []);
      else if (isArtifactGenerator(object))
        sources.addGenerator(parseArtifactGenerator(object, origin, 'flux-system'));
    }
    if (seen.size === 0) {
      throw new UserError(
        'USAGE',
        `Flux entry ${options.entry} holds no kustomize.toolkit.fluxcd.io Kustomization`,
        {
          hint: 'pass the cluster folder (clusters/<name>) or a file of Flux Kustomizations',
        },
      );
    }
  }

  const lastReason = new Map<string, string>();
  /** Renders one item; false when it must wait for objects not rendered yet. */
  const step = async (item: Item): Promise<boolean> => {
    const { k } = item;
    const id = kustomizationId(k);
    const source = await sources.resolve(k.sourceRef);
    if (!source.ok) {
      if (source.pending) {
        lastReason.set(id, source.reason);
        return false;
      }
      notRendered.push({ kustomization: k, reason: source.reason });
      findings.push({ kind: 'not-rendered', kustomization: id, message: `not rendered: ${source.reason}` });
      return true;
    }
    const gathered = gatherVariables(k, pool);
    if (!gathered.ok) {
      const names = gathered.missing.map((ref) => `${ref.kind} ${k.namespace}/${ref.name}`).join(', ');
      lastReason.set(
        id,
        `postBuild.substituteFrom names ${names}, which no Kustomization or --substitute-from file in this repository holds`,
      );
      return false;
    }
    if (!(await isDirectory(path.resolve(source.dir, k.path)))) {
      const reason = `spec.path "${k.path}" does not exist in its source`;
      notRendered.push({ kustomization: k, reason });
      findings.push({
        kind: 'missing-path',
        kustomization: id,
        message: `Kustomization ${id} (${k.origin}): ${reason}`,
      });
      return true;
    }
    const result = await renderKustomization(k, source.dir, source.dir, gathered.vars, deps);
    let current = result;
    for (const object of result.objects) {
      if (!isFluxKustomization(object) || !isRecord(object['metadata'])) continue;
      const child = parseFluxKustomization(object, `Kustomization ${id}`, k.namespace);
      if (kustomizationId(child) !== ROOT_ID || id !== ROOT_ID || item.chain.length > 0) continue;
      // The entry declares the root itself (bootstrap's gotk-sync.yaml): when it points at
      // the same folder, its spec (decryption, patches) is the one Flux uses.
      const childSource = await sources.resolve(child.sourceRef);
      if (childSource.ok && path.resolve(childSource.dir, child.path) === path.resolve(source.dir, k.path)) {
        const declared = { ...child, origin: k.origin };
        // Its substituteFrom may name what the entry itself renders (cluster-settings):
        // in the cluster those exist from the previous reconciliation.
        pool.add(result.objects, `Kustomization ${id}`, k.namespace);
        seen.set(ROOT_ID, declared);
        const declaredVars = gatherVariables(declared, pool);
        current = await renderKustomization(
          declared,
          source.dir,
          source.dir,
          declaredVars.ok ? declaredVars.vars : new Map<string, string>(),
          deps,
        );
      }
      break;
    }
    rendered.push(current);
    await options.onRendered?.(current, source.dir);
    pool.add(current.objects, `Kustomization ${id}`, current.kustomization.namespace);
    for (const object of current.objects) {
      if (isArtifactGenerator(object))
        sources.addGenerator(parseArtifactGenerator(object, `Kustomization ${id}`, k.namespace));
    }
    for (const object of current.objects) {
      if (!isFluxKustomization(object)) continue;
      const child = parseFluxKustomization(object, `Kustomization ${id}`, k.namespace);
      // Flux's CLI treats a Kustomization that renders itself as itself, not as a child.
      if (kustomizationId(child) === id) continue;
      enqueue(child, [...item.chain, id]);
    }
    return true;
  };

  try {
    for (;;) {
      const waiting: Item[] = [];
      let progressed = false;
      while (queue.length > 0) {
        const item = queue.shift() as Item;
        if (await step(item)) progressed = true;
        else waiting.push(item);
      }
      if (waiting.length === 0 || !progressed) {
        for (const item of waiting) {
          const id = kustomizationId(item.k);
          const reason = lastReason.get(id) ?? 'its inputs were never rendered';
          notRendered.push({ kustomization: item.k, reason });
          findings.push({ kind: 'not-rendered', kustomization: id, message: `not rendered: ${reason}` });
        }
        break;
      }
      queue = waiting;
    }
  } finally {
    await sources.cleanup();
  }

  const known = new Set([
    ...rendered.map((r) => kustomizationId(r.kustomization)),
    ...notRendered.map((n) => kustomizationId(n.kustomization)),
  ]);
  for (const r of rendered) {
    for (const dep of missingDependencies(r.kustomization, known)) {
      findings.push({
        kind: 'missing-dependency',
        kustomization: kustomizationId(r.kustomization),
        message: `Kustomization ${kustomizationId(r.kustomization)} depends on ${dep}, which is not in this repository`,
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
