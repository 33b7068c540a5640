/**
 * `spec.postBuild.substituteFrom` without a cluster: Flux reads the named ConfigMaps and
 * Secrets from the Kustomization's namespace in the cluster, and in a Flux repository those
 * are what the other Kustomizations render (or what `--substitute-from FILE` holds). This
 * pool holds them; `gatherVariables` follows Flux's LoadVariables and SubstituteVariables:
 * each reference in order, later keys win, then the inline `substitute` wins over all, and
 * every value loses its newlines.
 */
import { visit, type Document } from 'yaml';
import { isRecord } from '../is-record.ts';
import { isUndecryptedString, UNDECRYPTED_TEXT } from '../sops/undecrypted.ts';
import type { FluxKustomization, SubstituteRef } from './kustomization.ts';

type Variables = ReadonlyMap<string, string>;

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The data of a ConfigMap or Secret, as Flux reads it (a Secret's `data` decoded). */
export function variablesOf(object: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const data = isRecord(object['data']) ? object['data'] : {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    out.set(k, object['kind'] === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v);
  }
  // The apiserver folds stringData into data, so Flux sees it there.
  if (object['kind'] === 'Secret' && isRecord(object['stringData'])) {
    for (const [k, v] of Object.entries(object['stringData'])) if (typeof v === 'string') out.set(k, v);
  }
  return out;
}

export class SubstitutionPool {
  readonly #objects = new Map<string, { readonly vars: Variables; readonly from: string }>();

  /** Adds the ConfigMaps and Secrets among `objects`; `from` names who rendered them. */
  add(objects: readonly Record<string, unknown>[], from: string, defaultNamespace = 'default'): void {
    for (const object of objects) {
      const kind = object['kind'];
      if ((kind !== 'ConfigMap' && kind !== 'Secret') || object['apiVersion'] !== 'v1') continue;
      const meta = isRecord(object['metadata']) ? object['metadata'] : {};
      if (typeof meta['name'] !== 'string') continue;
      const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : defaultNamespace;
      this.#objects.set(key(kind, ns, meta['name']), { vars: variablesOf(object), from });
    }
  }

  get(kind: string, namespace: string, name: string): Variables | undefined {
    return this.#objects.get(key(kind, namespace, name))?.vars;
  }
}

export type Gathered =
  | { readonly ok: true; readonly vars: Variables }
  | { readonly ok: false; readonly missing: readonly SubstituteRef[] };

/** The variables for `k`, or the non-optional references the pool does not hold (yet). */
export function gatherVariables(k: FluxKustomization, pool: SubstitutionPool): Gathered {
  const vars = new Map<string, string>();
  const postBuild = k.postBuild;
  if (postBuild === undefined) return { ok: true, vars };
  const missing: SubstituteRef[] = [];
  for (const ref of postBuild.substituteFrom) {
    const found = pool.get(ref.kind, k.namespace, ref.name);
    if (found === undefined) {
      if (!ref.optional) missing.push(ref);
      continue;
    }
    for (const [name, value] of found) vars.set(name, value.replaceAll('\n', ''));
  }
  if (missing.length > 0) return { ok: false, missing };
  for (const [name, value] of postBuild.substitute) vars.set(name, value.replaceAll('\n', ''));
  return { ok: true, vars };
}

/**
 * Without keys (a fork's pull request, Dependabot), a SOPS Secret's values are placeholders,
 * so a variable taken from one is unknown. Every scalar of `doc` that uses such a variable
 * becomes the placeholder itself before substitution, so the diff counts the object as
 * unknown: never as unchanged, and never as changed. Returns whether anything was marked.
 */
export function markUndecryptedUses(doc: Document, vars: ReadonlyMap<string, string>): boolean {
  const unknown = [...vars].filter(([, value]) => isUndecryptedString(value)).map(([name]) => name);
  if (unknown.length === 0) return false;
  // `${NAME}`, `${NAME:=x}`, `${#NAME}`..., but not the escape `$${NAME}`.
  const uses = new RegExp(`(^|[^$])\\$\\{#?(${unknown.join('|')})(?![_a-zA-Z0-9])`);
  let marked = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && uses.test(node.value)) {
        node.value = UNDECRYPTED_TEXT;
        marked = true;
      }
    },
  });
  return marked;
}
