/**
 * `apply --flux`: one staged server-side apply per Kustomization, in `dependsOn` order, as
 * Flux reconciles them. Each Kustomization prunes through its own ApplySet (named after it,
 * in `applyset-namespace`) when its spec says `prune: true`; `wait` and `timeout` (else the
 * interval) come from its spec, and `spec.force` adds `--force`. A failure stops the
 * Kustomizations that depend on the failed one, and no others; the report lists which were
 * applied, failed, or not attempted.
 */
import type { ApplyConfig } from '../config/apply.ts';
import { UserError } from '../errors.ts';
import {
  applyInOrder,
  applySetNameFor,
  kustomizationTimeoutMs,
  renderOutcomes,
} from '../flux/apply-order.ts';
import { isFluxKustomization, kustomizationId } from '../flux/kustomization.ts';
import { applyFailure, applyObjects, redactApplyReport, renderApplyText } from '../kube/apply.ts';
import type { KubeObject } from '../kube/client.ts';
import { secretValues } from '../kube/manifests.ts';
import type { CommandDeps } from './command.ts';
import { createFluxContext, renderFlux } from './flux-render.ts';

const FLUX_KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

export async function applyFlux(config: ApplyConfig, deps: CommandDeps): Promise<number> {
  const { host } = deps;
  const build = config.build;
  if (build === undefined)
    throw new UserError('USAGE', 'apply --flux needs the cluster folder as PATH, not --manifests');
  const rendered = await host.group('build', async () =>
    renderFlux(build, deps, await createFluxContext(build, deps)),
  );
  for (const r of rendered) for (const value of secretValues(r.objects)) deps.secrets.add(value);
  const client = await deps.kubeClient(config.kube);
  try {
    // Without Flux in the cluster, its Kustomization kind is not served: we apply what each
    // Kustomization renders ourselves, so the objects themselves are left out, and said so.
    const fluxServed = (await client.resourceFor(FLUX_KUSTOMIZATION_API, 'Kustomization')) !== undefined;
    const outcomes = await applyInOrder(rendered, async (r) => {
      const k = r.kustomization;
      const id = kustomizationId(k);
      const objects = fluxServed ? r.objects : r.objects.filter((o) => !isFluxKustomization(o));
      if (objects.length < r.objects.length) {
        host.info(
          `Kustomization ${id}: ${r.objects.length - objects.length} Flux Kustomization object(s) not applied: the cluster does not serve kustomize.toolkit.fluxcd.io (no Flux); apply --flux applies what they render instead`,
        );
      }
      const applied = await host.group(`apply Kustomization ${id}`, () =>
        applyObjects(client, objects as KubeObject[], {
          fieldManager: config.kube.fieldManager,
          concurrency: config.kube.concurrency,
          force: config.kube.force || k.force,
          applySet: { name: applySetNameFor(k), namespace: config.kube.applySet?.namespace ?? 'default' },
          prune: k.prune,
          wait: k.wait || config.wait,
          timeoutMs: kustomizationTimeoutMs(k),
        }),
      );
      const report = redactApplyReport(applied, deps.secrets);
      host.writeStdout(`# Kustomization ${id}\n${renderApplyText(report)}`);
      const failure = applyFailure(report);
      if (failure !== undefined) throw failure;
    });
    const summary = renderOutcomes(outcomes);
    host.writeStdout(`${summary}\n`);
    const failed = outcomes.filter((o) => o.status !== 'applied');
    if (failed.length > 0) {
      throw new UserError(
        'APPLY_FAILED',
        `apply --flux: ${outcomes.length - failed.length} of ${outcomes.length} Kustomizations applied; ${failed.map((o) => `${o.id} ${o.status}`).join(', ')}`,
        { report: summary },
      );
    }
    return 0;
  } finally {
    client.close();
  }
}
