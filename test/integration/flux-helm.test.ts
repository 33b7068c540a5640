/**
 * HelmReleases in Flux mode, end to end through the commands: a small Flux repository in a
 * temporary git repository, whose HelmRelease takes its chart from the test environment's
 * HTTPS chart repository (the helm-repo component, reached through `allow-remote`) and its
 * values from a SOPS-encrypted Secret. `build --flux` adds the chart's objects under the
 * HelmRelease; `diff --flux --against REF` shows what a chart version bump and a values
 * Secret change do to them, the Secret's value masked everywhere; a HelmRelease whose source
 * is not in the repository, or whose values Secret this run cannot decrypt, is listed as not
 * rendered and counted unknown, never as unchanged.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildCommand } from '../../src/commands/build.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { renderDiffComment, renderDiffSummary } from '../../src/github/diff-report.ts';
import { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL } from '../../src/helm/post-render.ts';
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host.ts';
import type { DiffReport } from '../../src/kube/diff.ts';
import { privateRootParent } from '../../src/private-file.ts';
import { commandDeps } from '../support/command-deps.ts';
import {
  appsKustomization,
  CANARY,
  CANARY_AFTER,
  commit,
  demoRelease,
  fluxHelmEnv,
  fluxHelmInputs,
  fluxHelmRepo,
  valuesSecret,
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

function inputsFor(dir: string, extra: Record<string, string>): Record<string, string> {
  return fluxHelmInputs(dir, { key, kustomize, helm }, extra);
}

const env = fluxHelmEnv;

async function runDiff(dir: string, extra: Record<string, string>) {
  const inputs = inputsFor(dir, extra);
  const config = diffCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  const deps = commandDeps(host);
  const code = await diffCommand.run(config, deps);
  const reported = deps.reporter.reported.find((r) => r.command === 'diff');
  assert.ok(reported?.command === 'diff');
  const report: DiffReport = reported.result.report;
  return { code, host, report, stdout: Buffer.concat(host.stdout).toString('utf8') };
}

/**
 * Every file below `dir`, for the leftover check; none when it is gone (another test file's
 * scratch folder can disappear while it is read, or be another user's).
 */
async function filesBelow(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

async function scratchEntries(): Promise<Set<string>> {
  const parents = [...new Set([tmpdir(), privateRootParent({})])];
  const names = await Promise.all(
    parents.map(async (p) => (await readdir(p)).map((name) => path.join(p, name))),
  );
  return new Set(names.flat());
}

/** No file the run left in the scratch folders holds a value. */
async function assertNoLeftover(before: ReadonlySet<string>, values: readonly string[]): Promise<void> {
  for (const entry of await scratchEntries()) {
    if (before.has(entry)) continue;
    const info = await stat(entry).catch(() => undefined);
    const files = info?.isDirectory() === true ? await filesBelow(entry) : info?.isFile() ? [entry] : [];
    for (const file of files) {
      const text = await readFile(file).catch(() => Buffer.alloc(0));
      for (const value of values) {
        assert.ok(!text.includes(value), `${file} holds a decrypted value`);
        assert.ok(!text.includes(Buffer.from(value).toString('base64')), `${file} holds a value in base64`);
      }
    }
  }
}

function assertNoValue(text: string, what: string): void {
  for (const value of [CANARY, CANARY_AFTER]) {
    assert.ok(!text.includes(value), `${what}: a values Secret value leaked`);
    assert.ok(!text.includes(Buffer.from(value).toString('base64')), `${what}: leaked in base64`);
  }
}

/** Everything a reader sees of a diff: stdout, the log, the comment and the summary. */
function assertDiffHidesValues(result: Awaited<ReturnType<typeof runDiff>>): void {
  assertNoValue(result.stdout, 'stdout');
  assertNoValue(result.host.allText(), 'the log');
  assertNoValue(renderDiffComment(result.report, 'clusters/main') ?? '', 'the comment');
  assertNoValue(renderDiffSummary(result.report, 'clusters/main'), 'the summary');
  assertNoValue(JSON.stringify(result.report), 'the report');
}

function lineOf(stdout: string, start: string): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith(start));
}

type Obj = Record<string, unknown>;

test('build --flux adds the chart objects under the HelmRelease and names the one it could not render', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  const output = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-out-')), 'manifests.yaml');
  const inputs = inputsFor(dir, { output });
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host: MemoryHost = createMemoryHost();
  const scratch = await scratchEntries();
  await buildCommand.run(config, commandDeps(host));
  await assertNoLeftover(new Set([...scratch, path.dirname(output)]), [CANARY]);

  const yaml = await readFile(output, 'utf8');
  assert.match(yaml, /^# HelmRelease apps\/demo \(Kustomization flux-system\/apps\): chart demo 1\.0\.0$/m);
  assert.match(
    yaml,
    /^# HelmRelease apps\/orphan: not rendered: source HelmRepository flux-system\/elsewhere is not in this repository$/m,
  );
  const objects = parseAllDocuments(yaml)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null);
  const fromDemo = objects.filter((o) => {
    const labels = ((o['metadata'] as Obj)['labels'] ?? {}) as Record<string, string>;
    return labels[HELM_NAME_LABEL] === 'demo' && labels[HELM_NAMESPACE_LABEL] === 'apps';
  });
  assert.deepEqual(
    fromDemo.map((o) => `${String(o['kind'])}/${String((o['metadata'] as Obj)['name'])}`).sort(),
    ['ConfigMap/demo-config', 'Deployment/demo', 'Secret/demo-auth', 'Service/demo'],
  );
  const deployment = fromDemo.find((o) => o['kind'] === 'Deployment') as { spec: { replicas: number } };
  assert.equal(deployment.spec.replicas, 2, 'spec.values is applied');
  const auth = fromDemo.find((o) => o['kind'] === 'Secret') as { data: { password: string } };
  assert.equal(Buffer.from(auth.data.password, 'base64').toString('utf8'), CANARY, 'valuesFrom is applied');
  // The HelmReleases themselves are still there, with their Kustomization's labels.
  assert.equal(objects.filter((o) => o['kind'] === 'HelmRelease').length, 2);

  const logs = host.logs.join('\n');
  assert.match(logs, /building HelmReleases with helm v4\.\d+/);
  assert.match(
    logs,
    /HelmRelease apps\/demo \(Kustomization flux-system\/apps\): 4 objects, chart demo 1\.0\.0 from HelmRepository flux-system\/charts/,
  );
  assert.match(
    logs,
    /warning: .*HelmRelease apps\/orphan \(Kustomization flux-system\/apps\): not rendered: source HelmRepository flux-system\/elsewhere is not in this repository/,
  );
  assertNoValue(host.allText(), 'the build log');
});

test('diff --flux --against: a chart version bump shows the changed Deployment, from its HelmRelease', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(dir, { 'apps/demo.yaml': demoRelease('~1.2.0') }, 'bump demo');
  const scratch = await scratchEntries();
  const result = await runDiff(dir, { against: 'HEAD~1' });
  await assertNoLeftover(scratch, [CANARY]);
  assert.equal(result.code, 1, result.stdout);
  assert.equal(
    lineOf(result.stdout, 'Deployment/apps/demo '),
    'Deployment/apps/demo configured (from HelmRelease apps/demo)',
  );
  assert.match(result.stdout, /^-\s+helm\.sh\/chart: demo-1\.0\.0$/m);
  assert.match(result.stdout, /^\+\s+helm\.sh\/chart: demo-1\.2\.3$/m);
  // apps/orphan's source is not in the repository, so it is rendered on neither side; its
  // HelmRelease and valuesFrom objects are the same on both, so what it renders does not change
  // (it was listed as unknown before).
  assert.equal(lineOf(result.stdout, 'HelmRelease apps/orphan '), undefined);
  assert.match(result.stdout, /, 0 unknown\n/);
  assert.equal(result.report.unrendered, undefined);
  assert.match(
    result.host.logs.join('\n'),
    /1 HelmRelease not rendered in this run, with the same HelmRelease, chart source and valuesFrom objects at HEAD~1 as in the working tree, so what they render does not change: apps\/orphan/,
  );
  // The chart's Secret is rendered on both sides with the same value: unchanged, not unknown.
  const auth = result.report.objects.find((o) => o.ref.kind === 'Secret' && o.ref.name === 'demo-auth');
  assert.equal(auth?.class, 'unchanged');
  assertDiffHidesValues(result);
});

test('diff --flux --against: a SOPS values Secret change shows the changed object, its value masked', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(dir, { 'apps/demo-values.sops.yaml': await valuesSecret(key, CANARY_AFTER) }, 'new password');
  const scratch = await scratchEntries();
  const result = await runDiff(dir, { against: 'HEAD~1' });
  await assertNoLeftover(scratch, [CANARY, CANARY_AFTER]);
  assert.equal(result.code, 1, result.stdout);
  assert.equal(
    lineOf(result.stdout, 'Secret/apps/demo-auth '),
    'Secret/apps/demo-auth configured (from HelmRelease apps/demo)',
  );
  assert.match(result.stdout, /^-\s+password: "\*\*\* \(before\)"$/m);
  assert.match(result.stdout, /^\+\s+password: "\*\*\* \(after\)"$/m);
  // The values Secret itself changed too, masked the same way.
  assert.match(result.stdout, /^Secret\/apps\/demo-values configured/m);
  // The chart also puts the value in a ConfigMap: the diff shows the line changed, masked.
  assert.equal(
    lineOf(result.stdout, 'ConfigMap/apps/demo-config '),
    'ConfigMap/apps/demo-config configured (from HelmRelease apps/demo)',
  );
  // (how much of the line the run's mask hides is the masking policy's; the value never shows)
  const configDiff = result.stdout.split('--- ConfigMap/apps/demo-config')[1]?.split('\n--- ')[0] ?? '';
  assert.match(configDiff, /^-\s+.*\*\*\*/m);
  assert.match(configDiff, /^\+\s+.*\*\*\*/m);
  assertDiffHidesValues(result);
});

test('diff --flux without the key: the release whose values Secret cannot be decrypted is unknown, never unchanged', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(dir, { 'apps/demo-values.sops.yaml': await valuesSecret(key, CANARY_AFTER) }, 'new password');
  const result = await runDiff(dir, { against: 'HEAD~1', 'age-key-file': '' });
  assert.equal(
    lineOf(result.stdout, 'HelmRelease apps/demo '),
    'HelmRelease apps/demo unknown (not rendered: values unknown: Secret apps/demo-values could not be decrypted in this run; the objects it renders are unknown)',
  );
  // apps/orphan renders the same on both sides (same inputs); apps/demo's values Secret holds
  // values no key opened, so its inputs are not known and it stays unknown.
  assert.deepEqual(result.report.unrendered?.map((u) => u.name).sort(), ['HelmRelease apps/demo']);
  // Its objects are left out of both sides rather than shown as unchanged or deleted.
  assert.deepEqual(
    result.report.objects
      .filter((o) => o.reason?.includes('from HelmRelease') === true || o.ref.kind === 'Deployment')
      .map((o) => o.ref.name),
    [],
  );
  // The values Secret itself is listed as not compared.
  const values = result.report.objects.find((o) => o.ref.name === 'demo-values');
  assert.equal(values?.undecrypted, true);
  const comment = renderDiffComment(result.report, 'clusters/main');
  assert.ok(comment !== null, 'the comment stays: what the releases render is unknown');
  assert.match(comment, /1 not rendered, so what (it|they) would change is unknown/);
  assertDiffHidesValues(result);
});

test('allow-remote governs chart repositories: the default refuses the loopback one, and the release is not rendered', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  await commit(dir, { 'apps/demo.yaml': demoRelease('~1.2.0') }, 'bump demo');
  const result = await runDiff(dir, { against: 'HEAD~1', 'allow-remote': '' });
  const line = lineOf(result.stdout, 'HelmRelease apps/demo ');
  assert.match(
    line ?? '',
    /^HelmRelease apps\/demo unknown \(not rendered: chart not fetched: HelmRepository flux-system\/charts index: 127\.0\.0\.1:\d+ is a loopback, link-local or private address/,
  );
  // Nothing was fetched from it.
  assert.equal(
    result.report.objects.filter((o) => o.reason?.includes('from HelmRelease') === true).length,
    0,
  );
});

test('without helm on PATH the releases are not rendered, and say why; a helm-path that is not there is an error', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  const build = async (extra: Record<string, string>) => {
    const inputs = inputsFor(dir, { root: dir, ...extra });
    const config = buildCommand.parse(
      (name) => inputs[name] ?? '',
      { PATH: '/nonexistent-bin', HOME: dir },
      {
        stdoutIsLog: false,
      },
    );
    const host = createMemoryHost();
    await buildCommand.run(config, commandDeps(host));
    return host;
  };
  const host = await build({ 'helm-path': '' });
  assert.match(
    host.logs.join('\n'),
    /warning: .*HelmRelease apps\/demo \(Kustomization flux-system\/apps\): not rendered: helm was not found on PATH, and HelmReleases need it to render \(install helm v3 or v4, or pass its path as helm-path\)/,
  );
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.match(stdout, /^kind: HelmRelease$/m, 'the HelmRelease itself is still built');
  assert.doesNotMatch(stdout, /^kind: Deployment$/m);
  await assert.rejects(
    build({ 'helm-path': path.join(dir, 'no-helm') }),
    /helm-path .*no-helm is not an executable file/,
  );
});

test('build --flux with api-versions renders what a chart gates on the capability', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  const kinds = async (extra: Record<string, string>): Promise<string[]> => {
    const output = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-api-')), 'manifests.yaml');
    const inputs = inputsFor(dir, { output, ...extra });
    const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
    await buildCommand.run(config, commandDeps(createMemoryHost()));
    return parseAllDocuments(await readFile(output, 'utf8'))
      .map((d) => d.toJS() as Obj | null)
      .filter((o): o is Obj => o !== null)
      .map((o) => String(o['kind']));
  };
  assert.ok(!(await kinds({})).includes('ServiceMonitor'), 'helm defaults: no ServiceMonitor');
  assert.ok(
    (await kinds({ 'api-versions': 'monitoring.coreos.com/v1/ServiceMonitor' })).includes('ServiceMonitor'),
    'the capability given: the ServiceMonitor renders',
  );
});

test('diff --flux --against: a Kustomization whose source is not in the repository is unknown, its objects neither deleted nor unchanged', async () => {
  const dir = await fluxHelmRepo({ key, chartRepo });
  // The apps Kustomization now reads an OCI artifact (built from this repository elsewhere,
  // say): what it applies cannot be known from here. It said "0 unknown" before.
  await commit(
    dir,
    {
      'clusters/main/apps.yaml': appsKustomization().replace(
        'kind: GitRepository\n    name: flux-system',
        'kind: OCIRepository\n    name: apps-artifact',
      ),
    },
    'apps from an OCI artifact',
  );
  const result = await runDiff(dir, { against: 'HEAD~1' });
  assert.deepEqual(
    result.report.unrendered?.map((u) => `${u.name}: ${u.reason}`),
    [
      'Kustomization flux-system/apps: not rendered: source OCIRepository flux-system/apps-artifact is not in this repository; the objects it renders are unknown',
    ],
  );
  assert.deepEqual(
    result.report.objects
      .filter((o) => o.ref.namespace === 'apps' || o.ref.name === 'apps')
      .map((o) => `${o.ref.kind}/${o.ref.name} ${o.class}`),
    // The Kustomization object itself changed (flux-system renders it); what apps rendered
    // at HEAD~1, its chart's objects included, is left out rather than shown as deleted.
    ['Kustomization/apps configured'],
  );
  assert.equal(result.code, 1, result.stdout);
  assert.match(
    result.host.logs.join('\n'),
    /warning: .*Kustomization flux-system\/apps: not rendered: source OCIRepository flux-system\/apps-artifact is not in this repository/,
  );
  // build says so in its output too, in a header of its own.
  const inputs = inputsFor(dir, {});
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  assert.equal(await buildCommand.run(config, commandDeps(host)), 0);
  assert.match(
    Buffer.concat(host.stdout).toString('utf8'),
    /^# Flux Kustomization flux-system\/apps: not rendered: source OCIRepository flux-system\/apps-artifact is not in this repository$/m,
  );
});
