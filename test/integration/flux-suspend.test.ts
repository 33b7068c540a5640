/**
 * A suspended Flux Kustomization (`spec.suspend: true`) in Flux mode: Flux applies none of its
 * changes until it is resumed. `diff --flux` still shows what the repository renders (so the
 * change is reviewed) but says on each change that it will not be applied, and lists its
 * HelmReleases as suspended (unknown), never as unchanged; `build --flux` says so in the
 * Kustomization's header. (apply --flux leaving it alone: test/unit/flux/apply-order.test.ts.)
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildCommand } from '../../src/commands/build.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import type { DiffReport } from '../../src/kube/diff.ts';
import { commandDeps } from '../support/command-deps.ts';
import {
  appsKustomization,
  commit,
  demoRelease,
  fluxHelmEnv,
  fluxHelmInputs,
  fluxHelmRepo,
  fluxHelmSetup,
} from '../support/flux-helm-repo.ts';
import type { AgeKey } from '../support/tools.ts';

let key: AgeKey;
let kustomize: string;
let helm: string;
let chartRepo: Readonly<Record<string, string>>;

before(async () => {
  ({ key, kustomize, helm, chartRepo } = await fluxHelmSetup());
});

const SUSPENDED_APPS = appsKustomization({ suspend: true });

function inputsFor(dir: string, extra: Record<string, string>): Record<string, string> {
  return fluxHelmInputs(dir, { key, kustomize, helm }, extra);
}

const env = fluxHelmEnv;

test('diff --flux --against: changes of a suspended Kustomization say Flux will not apply them', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(
    dir,
    {
      'clusters/main/apps.yaml': SUSPENDED_APPS,
      'apps/namespace.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    team: a\n',
      'apps/demo.yaml': demoRelease('~1.2.0'),
    },
    'suspend apps, and change it',
  );
  const inputs = inputsFor(dir, { against: 'HEAD~1' });
  const config = diffCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  const deps = commandDeps(host);
  const code = await diffCommand.run(config, deps);
  const reported = deps.reporter.reported.find((r) => r.command === 'diff');
  assert.ok(reported?.command === 'diff');
  const report: DiffReport = reported.result.report;
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.equal(code, 1, stdout);
  const namespace = report.objects.find((o) => o.ref.kind === 'Namespace' && o.ref.name === 'apps');
  assert.equal(namespace?.class, 'configured');
  assert.match(
    namespace.reason ?? '',
    /Kustomization flux-system\/apps is suspended \(spec\.suspend: true\): Flux applies none of its changes until it is resumed/,
  );
  // Its HelmRelease is not rendered (helm-controller keeps the cluster's spec): unknown.
  assert.ok(
    report.unrendered?.some((u) => u.name === 'HelmRelease apps/demo' && /suspended/.test(u.reason)),
    JSON.stringify(report.unrendered),
  );
  assert.ok(!report.objects.some((o) => o.ref.kind === 'Deployment' && o.class === 'unchanged'));
  assert.match(host.allText(), /Kustomization flux-system\/apps is suspended/);
});

test('build --flux: a suspended Kustomization is built, its header says Flux does not apply it', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(dir, { 'clusters/main/apps.yaml': SUSPENDED_APPS }, 'suspend apps');
  const inputs = inputsFor(dir, {});
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  const code = await buildCommand.run(config, commandDeps(host));
  assert.equal(code, 0);
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.match(
    stdout,
    /^# Flux Kustomization flux-system\/apps\n# Kustomization flux-system\/apps is suspended \(spec\.suspend: true\)/m,
  );
  assert.match(stdout, /# HelmRelease apps\/demo: not rendered: suspended: /);
});
