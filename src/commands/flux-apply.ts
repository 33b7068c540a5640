/**
 * `apply --flux`: one staged server-side apply per Kustomization, in `dependsOn` order, as
 * Flux reconciles them. Each Kustomization prunes through its own ApplySet (named after it,
 * in `applyset-namespace`) when its spec says `prune: true`; `wait` and `timeout` (else the
 * interval) come from its spec, and `spec.force` adds `--force`. A failure stops the
 * Kustomizations that depend on the failed one, and no others; the report lists which were
 * applied, failed, or not attempted.
 *
 * Each HelmRelease a Kustomization renders is applied right after it, as its own staged apply
 * with its own ApplySet (`helm-NAMESPACE-NAME`), always pruned, as a helm upgrade removes
 * what a chart no longer renders. Charts render for the cluster's Kubernetes and API
 * versions. A HelmRelease that failed fails its Kustomization; one that could not be rendered
 * is listed in the report (the HelmRelease object itself is applied with its Kustomization);
 * so is a suspended one, whose objects are left as they are, as helm-controller leaves them.
 * With `install.createNamespace`, the release namespace is applied first, outside the
 * release's ApplySet. No helm release Secret (`sh.helm.release.v1.*`) is written: the objects
 * carry helm's ownership metadata, so helm-controller adopts them when it installs.
 */
import type { ApplyConfig } from '../config/apply.ts';
import { UnrenderedReleases } from '../flux/helm-releases.ts';
import { UserError, withContext } from '../errors.ts';
import {
  applyInOrder,
  applySetNameFor,
  applySetNameForRelease,
  kustomizationTimeoutMs,
  renderOutcomes,
} from '../flux/apply-order.ts';
import { isFluxKustomization, kustomizationId } from '../flux/kustomization.ts';
import type { FluxKustomization } from '../flux/kustomization.ts';
import type { HelmReleaseRender } from '../helm/render.ts';
import { applyFailure, applyObjects, redactApplyReport, renderApplyText } from '../kube/apply.ts';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { secretValues } from '../kube/manifests.ts';
import type { CommandDeps } from './command.ts';
import { readClusterCapabilities } from './flux-helm-diff.ts';
import { createFluxContext, renderFlux } from './flux-render.ts';

const FLUX_KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

type RenderedRelease = Extract<HelmReleaseRender, { status: 'rendered' }>;

/**
 * Applies one rendered HelmRelease: the Namespace `install.createNamespace` makes (outside
 * the release, so never pruned with it, as helm never deletes it), then its objects.
 */
async function applyRelease(
  client: KubeClient,
  result: RenderedRelease,
  k: FluxKustomization,
  config: ApplyConfig,
  deps: CommandDeps,
): Promise<void> {
  const { host } = deps;
  const release = result.release;
  const created = result.createdNamespace;
  if (created !== undefined) {
    const nsApplied = await host.group(`apply HelmRelease ${release.id} namespace`, () =>
      applyObjects(client, [created], {
        fieldManager: config.kube.fieldManager,
        concurrency: config.kube.concurrency,
      }),
    );
    const nsReport = redactApplyReport(nsApplied, deps.secrets);
    host.writeStdout(`# HelmRelease ${release.id} install.createNamespace\n${renderApplyText(nsReport)}`);
    const nsFailure = applyFailure(nsReport);
    if (nsFailure !== undefined) throw withContext(`HelmRelease ${release.id}`, nsFailure);
  }
  const helmApplied = await host.group(`apply HelmRelease ${release.id}`, () =>
    applyObjects(client, result.objects, {
      fieldManager: config.kube.fieldManager,
      concurrency: config.kube.concurrency,
      force: config.kube.force || k.force,
      applySet: {
        name: applySetNameForRelease(release.id),
        namespace: config.kube.applySet?.namespace ?? 'default',
      },
      prune: true,
      wait: k.wait || config.wait,
      timeoutMs: kustomizationTimeoutMs(k),
    }),
  );
  const helmReport = redactApplyReport(helmApplied, deps.secrets);
  host.writeStdout(
    `# HelmRelease ${release.id} (Kustomization ${kustomizationId(k)})\n${renderApplyText(helmReport)}`,
  );
  const helmFailure = applyFailure(helmReport);
  if (helmFailure !== undefined) throw withContext(`HelmRelease ${release.id}`, helmFailure);
}

export async function applyFlux(config: ApplyConfig, deps: CommandDeps): Promise<number> {
  const { host } = deps;
  const build = config.build;
  if (build === undefined)
    throw new UserError('USAGE', 'apply --flux needs the cluster folder as PATH, not --manifests');
  const client = await deps.kubeClient(config.kube);
  try {
    const cluster = await readClusterCapabilities(client);
    // Kustomizations that cannot be rendered (a source not in the repository) are listed in
    // the summary, as releases that cannot be: nothing of theirs is applied.
    const notRendered = new UnrenderedReleases();
    const rendered = await host.group('build', async () =>
      renderFlux(build, deps, {
        ...(await createFluxContext(build, deps)),
        cluster,
        unrendered: notRendered,
      }),
    );
    for (const r of rendered) {
      for (const value of secretValues(r.objects)) deps.secrets.add(value);
      for (const { result } of r.helmReleases)
        if (result.status === 'rendered')
          for (const value of secretValues(result.objects)) deps.secrets.add(value);
    }
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
      for (const { result } of r.helmReleases)
        if (result.status === 'rendered') await applyRelease(client, result, k, config, deps);
    });
    const unrendered = rendered.flatMap((r) =>
      r.helmReleases.flatMap(({ result }) =>
        // A suspended Kustomization's outcome line already says its releases were left alone.
        result.status === 'rendered' || r.kustomization.suspend
          ? []
          : [`not rendered   HelmRelease ${result.release.id}: ${result.reason}`],
      ),
    );
    const kustomizations = notRendered
      .list()
      .filter((u) => u.kind === 'Kustomization')
      .map((u) => `not rendered   Kustomization ${u.id}: ${u.reason}`);
    const summary = [renderOutcomes(outcomes), ...kustomizations, ...unrendered].join('\n');
    host.writeStdout(`${summary}\n`);
    const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'not-attempted');
    if (failed.length > 0) {
      throw new UserError(
        'APPLY_FAILED',
        `apply --flux: ${outcomes.filter((o) => o.status === 'applied').length} of ${outcomes.length} Kustomizations applied; ${failed.map((o) => `${o.id} ${o.status}`).join(', ')}`,
        { report: summary },
      );
    }
    return 0;
  } finally {
    client.close();
  }
}
