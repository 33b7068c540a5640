/**
 * kustomize's origin annotations (`buildMetadata: [originAnnotations]`): each built object
 * says which file it came from (`path: base/secret.yaml`) or which kustomization's generator
 * made it (`configuredIn: base/kustomization.yaml`, `configuredBy: {kind: SecretGenerator}`).
 * `lint --rendered` builds with them on, in the staged copy only, to point a finding in the
 * rendering at the file a user can fix.
 */
import path from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import { readFileBounded } from '../bounded-read.ts';
import { isRecord } from '../is-record.ts';
import { MAX_MANIFEST_BYTES, type KustomizeGraph } from './graph.ts';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

/** The graph with `originAnnotations` added to the target's kustomization (staged copy only). */
export async function withOriginAnnotations(graph: KustomizeGraph): Promise<KustomizeGraph> {
  const inTarget = (rel: string): boolean => path.posix.dirname(rel) === graph.target;
  let rel = [...graph.generated.keys()].find(inTarget);
  let text = rel === undefined ? undefined : graph.generated.get(rel);
  if (rel === undefined) {
    const file = [...graph.files.values()].find((f) => f.role.kind === 'kustomization' && inTarget(f.rel));
    if (file === undefined) return graph;
    rel = file.rel;
    text = (await readFileBounded(file.source, { maxBytes: MAX_MANIFEST_BYTES, name: file.rel })).toString(
      'utf8',
    );
  }
  const doc = parseDocument(text ?? '');
  const content: unknown = doc.toJS();
  const existing = isRecord(content) ? content['buildMetadata'] : undefined;
  const values = Array.isArray(existing) ? existing.map(String) : [];
  if (!values.includes('originAnnotations')) doc.set('buildMetadata', [...values, 'originAnnotations']);
  const generated = new Map(graph.generated);
  generated.set(rel, doc.toString());
  return { ...graph, generated };
}

/** Where a built object came from, by its origin annotation; undefined without one. */
export interface Origin {
  /** The file, relative to the built target, `/`-separated. */
  readonly file: string;
  /** The generator kind when a kustomization made the object (`SecretGenerator`, ...). */
  readonly generator?: string;
}

export function originOf(object: Record<string, unknown>): Origin | undefined {
  const metadata = object['metadata'];
  const annotations = isRecord(metadata) ? metadata['annotations'] : undefined;
  const text = isRecord(annotations) ? annotations[ORIGIN_ANNOTATION] : undefined;
  if (typeof text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  if (typeof parsed['path'] === 'string') return { file: parsed['path'] };
  if (typeof parsed['configuredIn'] === 'string') {
    const by = parsed['configuredBy'];
    const kind = isRecord(by) && typeof by['kind'] === 'string' ? by['kind'] : undefined;
    return { file: parsed['configuredIn'], ...(kind === undefined ? {} : { generator: kind }) };
  }
  return undefined;
}
