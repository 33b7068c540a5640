/**
 * A HelmRelease's values, composed in helm-controller's order (chartutil.ChartValuesFromReferences):
 * each `valuesFrom` entry in turn (a ConfigMap's or Secret's `valuesKey`, merged as a map, or
 * placed at `targetPath` through helm's `--set` parser; a missing object or key is skipped when
 * `optional`), then `spec.values` on top. Maps merge deeply, anything else replaces (fluxcd/pkg
 * transform.MergeMaps). The chart's own defaults go under all of it inside `helm template`,
 * which coalesces them the way the install action does.
 *
 * Values read from a Secret are registered with the run's SecretRegistry the moment they are
 * read. A Secret this run could not decrypt (the diff's placeholder, or a document still
 * carrying SOPS metadata) makes the values unknown: the release is reported, never rendered
 * with wrong values.
 */
import { parse } from 'yaml';
import { UserError, errorMessage } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type { SecretRegistry } from '../masking.ts';
import { UNDECRYPTED_TEXT, isUndecryptedString } from '../sops/undecrypted.ts';
import type { HelmRelease, ValuesReference } from './helm-release.ts';
import type { KubeRecord, ObjectIndex } from './object-index.ts';
import { parseInto } from './strvals.ts';

type Values = Record<string, unknown>;

export type ComposedValues =
  { readonly kind: 'known'; readonly values: Values } | { readonly kind: 'unknown'; readonly reason: string };

/** fluxcd/pkg transform.MergeMaps: `b` over `a`, maps merged deeply, a copy. */
export function mergeMaps(a: Readonly<Values>, b: Readonly<Values>): Values {
  const out: Values = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isRecord(value) && isRecord(existing) ? mergeMaps(existing, value) : value;
  }
  return out;
}

/** A Secret's or ConfigMap's entry as text; `undefined` when the key is absent. */
function entryOf(object: KubeRecord, key: string): string | undefined {
  const stringData = isRecord(object['stringData']) ? object['stringData'] : {};
  const data = isRecord(object['data']) ? object['data'] : {};
  if (object['kind'] === 'Secret') {
    // The apiserver folds stringData into data, stringData winning.
    const plain = stringData[key];
    if (typeof plain === 'string') return plain;
    const encoded = data[key];
    return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
  }
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

function undecrypted(object: KubeRecord, text: string): boolean {
  return 'sops' in object || isUndecryptedString(text) || text.includes(UNDECRYPTED_TEXT);
}

/** Every string leaf of parsed values (and the numbers and booleans as written), for the mask. */
function leaves(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (isRecord(value)) for (const item of Object.values(value)) leaves(item, out);
  return out;
}

function referenceError(release: HelmRelease, ref: ValuesReference, reason: string): UserError {
  return new UserError(
    'BAD_FORMAT',
    `HelmRelease ${release.id}: could not resolve ${ref.kind} chart values reference '${release.namespace}/${ref.name}' with key '${ref.valuesKey}': ${reason}`,
    {
      hint: 'the ConfigMap or Secret must be rendered by a Kustomization of this repository, or the entry marked optional',
    },
  );
}

function readValues(text: string): Values {
  const parsed: unknown = parse(text, { maxAliasCount: 100 });
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new Error('the values are not a map');
  return parsed;
}

/** Composes the values; throws a UserError for a missing required reference or unreadable values. */
export function composeValues(
  release: HelmRelease,
  objects: ObjectIndex,
  registry: SecretRegistry,
): ComposedValues {
  let result: Values = {};
  for (const ref of release.valuesFrom) {
    const object = objects.get(ref.kind, release.namespace, ref.name);
    if (object === undefined) {
      if (ref.optional) continue;
      throw referenceError(release, ref, 'resource not found');
    }
    const text = entryOf(object, ref.valuesKey);
    if (text === undefined) {
      if (ref.optional) continue;
      throw referenceError(release, ref, 'key not found');
    }
    if (ref.kind === 'Secret') {
      if (undecrypted(object, text)) {
        return {
          kind: 'unknown',
          reason: `Secret ${release.namespace}/${ref.name} could not be decrypted in this run`,
        };
      }
      registry.add(text, { lines: false });
    }
    try {
      if (ref.targetPath !== '') {
        const quoted = /^(['"]).*\1$/s.test(text) || (text.startsWith("'") && text.endsWith("'"));
        const value = quoted ? text.replace(/^['"]+|['"]+$/g, '') : text;
        if (ref.kind === 'Secret') registry.add(value);
        parseInto(`${ref.targetPath}=${value}`, result, quoted);
        continue;
      }
      const values = readValues(text);
      if (ref.kind === 'Secret') for (const leaf of leaves(values, [])) registry.add(leaf);
      result = mergeMaps(result, values);
    } catch (error) {
      // The message names the reference, never the content.
      throw referenceError(
        release,
        ref,
        ref.kind === 'Secret' ? 'the values could not be read' : errorMessage(error),
      );
    }
  }
  return { kind: 'known', values: mergeMaps(result, release.values) };
}
