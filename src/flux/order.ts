/**
 * `dependsOn` order: Flux reconciles a Kustomization only after everything it depends on is
 * ready, so apply follows a topological order. Ties keep discovery order, so the result is
 * stable. A cycle is an error naming it; a dependency that no rendered Kustomization has is
 * reported by the caller (Flux would wait for it forever).
 */
import { UserError } from '../errors.ts';
import { kustomizationId, type FluxKustomization } from './kustomization.ts';

/** Dependencies of `k` that are not among `known`. */
export function missingDependencies(k: FluxKustomization, known: ReadonlySet<string>): string[] {
  return k.dependsOn.map(kustomizationId).filter((id) => !known.has(id));
}

/** `items` ordered so each comes after what it depends on (unknown dependencies ignored). */
export function orderByDependencies<T extends { readonly kustomization: FluxKustomization }>(
  items: readonly T[],
): T[] {
  const byId = new Map(items.map((item) => [kustomizationId(item.kustomization), item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (item: T, chain: readonly string[]): void => {
    const id = kustomizationId(item.kustomization);
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(id)), id];
      throw new UserError('USAGE', `Kustomizations depend on each other in a cycle: ${cycle.join(' -> ')}`, {
        hint: 'Flux would never reconcile any of them; remove one dependsOn entry of the cycle',
      });
    }
    state.set(id, 'visiting');
    for (const dep of item.kustomization.dependsOn) {
      const target = byId.get(kustomizationId(dep));
      if (target !== undefined) visit(target, [...chain, id]);
    }
    state.set(id, 'done');
    out.push(item);
  };
  for (const item of items) visit(item, []);
  return out;
}
