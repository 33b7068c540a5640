/**
 * HelmReleases whose chart comes from an OCI registry, end to end through the commands,
 * against the real registry of the oci-registry component (distribution, the demo chart pushed
 * by helm): `spec.chartRef` to an OCIRepository (tag, semver, pinned digest) and `spec.chart`
 * on a HelmRepository of `type: oci` (a version range). `build --flux` renders them as
 * `helm template oci://…` does; `diff --flux --against` shows what a version bump does to the
 * Deployment; `allow-remote` governs the registry as it does HTTPS chart repositories; a
 * pinned digest the registry does not serve leaves the release not rendered.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildCommand } from '../../src/commands/build.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL } from '../../src/helm/post-render.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import type { DiffReport } from '../../src/kube/diff.ts';
import { requireComponent } from '../env/state.ts';
import { commandDeps } from '../support/command-deps.ts';
import { commit, gitIn } from '../support/flux-helm-repo.ts';
import { helmBinary, helmTemplate, withHelmOwnership } from '../support/helm.ts';
import { tool } from '../support/tools.ts';

let kustomize: string;
let helm: string;
let registry: Readonly<Record<string, string>>;

before(async () => {
  kustomize = await tool('kustomize');
  helm = await helmBinary();
  registry = await requireComponent('oci-registry');
});

type Obj = Record<string, unknown>;

/** `spec.ref` of the OCIRepository, as YAML lines under `ref:`. */
function ociRepository(ref: Readonly<Record<string, string>>, chart = 'demo'): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: demo
  namespace: flux-system
spec:
  interval: 1h
  url: ${registry['url'] ?? ''}/${chart}
  insecure: true
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
${Object.entries(ref)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
`;
}

function repoRelease(version: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo-repo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: demo
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: oci-charts
        namespace: flux-system
  values:
    replicaCount: 3
`;
}

const refRelease = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo-ref
  namespace: apps
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: demo
    namespace: flux-system
  values:
    replicaCount: 2
`;

/** A Flux repository with both releases: demo-ref on `ociRef`, demo-repo at `repoVersion`. */
async function ociFluxRepo(
  ociRef: Readonly<Record<string, string>>,
  repoVersion: string,
  chart = 'demo',
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-oci-'));
  await gitIn(dir, 'init', '--quiet', '--initial-branch=main');
  await commit(
    dir,
    {
      'clusters/main/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: oci-charts
  namespace: flux-system
spec:
  type: oci
  interval: 1h
  url: ${registry['url'] ?? ''}
  insecure: true
---
${ociRepository(ociRef, chart)}`,
      'clusters/main/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
      'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
      'apps/demo-ref.yaml': refRelease,
      'apps/demo-repo.yaml': repoRelease(repoVersion),
    },
    'base',
  );
  return dir;
}

function inputsFor(dir: string, extra: Record<string, string>): Record<string, string> {
  return {
    path: path.join(dir, 'clusters/main'),
    flux: 'true',
    'kustomize-path': kustomize,
    'helm-path': helm,
    'allow-remote': '127.0.0.1',
    ...extra,
  };
}

const env = (dir: string): Record<string, string> => ({ PATH: process.env['PATH'] ?? '', HOME: dir });

async function runBuild(dir: string, extra: Record<string, string> = {}) {
  const output = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-oci-out-')), 'out.yaml');
  const inputs = inputsFor(dir, { output, ...extra });
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  await buildCommand.run(config, commandDeps(host));
  const yaml = await readFile(output, 'utf8');
  const objects = parseAllDocuments(yaml)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null);
  return { yaml, objects, logs: host.logs.join('\n') };
}

async function runDiff(dir: string, extra: Record<string, string>) {
  const inputs = inputsFor(dir, extra);
  const config = diffCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  const deps = commandDeps(host);
  const code = await diffCommand.run(config, deps);
  const reported = deps.reporter.reported.find((r) => r.command === 'diff');
  assert.ok(reported?.command === 'diff');
  const report: DiffReport = reported.result.report;
  return { code, report, stdout: Buffer.concat(host.stdout).toString('utf8') };
}

function fromRelease(objects: readonly Obj[], name: string): Obj[] {
  return objects.filter((o) => {
    const labels = ((o['metadata'] as Obj)['labels'] ?? {}) as Record<string, string>;
    return labels[HELM_NAME_LABEL] === name && labels[HELM_NAMESPACE_LABEL] === 'apps';
  });
}

/** An object without the labels helm-controller adds, for comparing with `helm template`. */
function withoutControllerLabels(object: Obj): Obj {
  const copy = structuredClone(object);
  const metadata = copy['metadata'] as Obj;
  const labels = Object.fromEntries(
    Object.entries(metadata['labels'] as Record<string, string>).filter(
      ([name]) => name !== HELM_NAME_LABEL && name !== HELM_NAMESPACE_LABEL,
    ),
  );
  // helm-controller's labels were the only ones when the chart itself set none.
  if (Object.keys(labels).length === 0) delete metadata['labels'];
  else metadata['labels'] = labels;
  return copy;
}

function lineOf(stdout: string, start: string): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith(start));
}

test('build --flux renders an OCIRepository chartRef and a type: oci HelmRepository chart as helm template oci:// does', async () => {
  const dir = await ociFluxRepo({ tag: '1.0.0' }, '~1.1.0');
  const { yaml, objects, logs } = await runBuild(dir);
  assert.match(
    yaml,
    /^# HelmRelease apps\/demo-ref \(Kustomization flux-system\/apps\): chart demo 1\.0\.0$/m,
  );
  assert.match(
    yaml,
    /^# HelmRelease apps\/demo-repo \(Kustomization flux-system\/apps\): chart demo 1\.1\.0$/m,
  );
  const digest = registry['digest-1.0.0'] ?? '';
  assert.ok(
    logs.includes(
      `HelmRelease apps/demo-ref (Kustomization flux-system/apps): 3 objects, chart demo 1.0.0 from OCIRepository flux-system/demo (${registry['url'] ?? ''}/demo@${digest})`,
    ),
    logs,
  );
  assert.match(
    logs,
    /HelmRelease apps\/demo-repo .*chart demo 1\.1\.0 from HelmRepository flux-system\/oci-charts/,
  );

  for (const [name, version, replicas] of [
    ['demo-ref', '1.0.0', 2],
    ['demo-repo', '1.1.0', 3],
  ] as const) {
    const ours = fromRelease(objects, name).map(withoutControllerLabels);
    const oracle = withHelmOwnership(
      await helmTemplate(`${registry['url'] ?? ''}/demo`, name, 'apps', { replicaCount: replicas }, [
        '--no-hooks',
        '--include-crds',
        '--version',
        version,
        '--plain-http',
      ]),
      name,
      'apps',
    );
    const key = (o: Obj) => `${String(o['kind'])}/${String((o['metadata'] as Obj)['name'])}`;
    assert.deepEqual(ours.map(key).sort(), oracle.map(key).sort(), name);
    for (const object of oracle) {
      assert.deepEqual(
        ours.find((o) => key(o) === key(object)),
        object,
        `${name} ${key(object)} is what helm template renders`,
      );
    }
  }
});

test('diff --flux --against: version bumps on both OCI sources show the changed Deployments', async () => {
  const dir = await ociFluxRepo({ tag: '1.0.0' }, '1.0.0');
  await commit(
    dir,
    {
      'clusters/main/sources.yaml': (
        await readFile(path.join(dir, 'clusters/main/sources.yaml'), 'utf8')
      ).replace(/ref:\n.*$/s, 'ref:\n    semver: "~1.2.0"\n'),
      'apps/demo-repo.yaml': repoRelease('1.1.0'),
    },
    'bump demo',
  );
  const result = await runDiff(dir, { against: 'HEAD~1' });
  assert.equal(result.code, 1, result.stdout);
  assert.equal(
    lineOf(result.stdout, 'Deployment/apps/demo-ref '),
    'Deployment/apps/demo-ref configured (from HelmRelease apps/demo-ref)',
  );
  assert.equal(
    lineOf(result.stdout, 'Deployment/apps/demo-repo '),
    'Deployment/apps/demo-repo configured (from HelmRelease apps/demo-repo)',
  );
  const section = (name: string): string =>
    result.stdout.split(`--- Deployment/apps/${name}`)[1]?.split('\n--- ')[0] ?? '';
  assert.match(section('demo-ref'), /^-\s+helm\.sh\/chart: demo-1\.0\.0$/m);
  assert.match(section('demo-ref'), /^\+\s+helm\.sh\/chart: demo-1\.2\.3$/m);
  assert.match(section('demo-repo'), /^-\s+helm\.sh\/chart: demo-1\.0\.0$/m);
  assert.match(section('demo-repo'), /^\+\s+helm\.sh\/chart: demo-1\.1\.0$/m);
  assert.equal(result.report.unrendered?.length ?? 0, 0);
});

test('a pinned digest wins over the tag; one the registry does not serve, or answers with other content, is not rendered', async () => {
  const pinned = registry['digest-1.2.3'] ?? '';
  assert.match(pinned, /^sha256:[0-9a-f]{64}$/);
  const dir = await ociFluxRepo({ tag: '1.0.0', digest: pinned }, '1.0.0');
  const { yaml } = await runBuild(dir);
  assert.match(
    yaml,
    /^# HelmRelease apps\/demo-ref \(Kustomization flux-system\/apps\): chart demo 1\.2\.3$/m,
  );

  // Not rendered: build says why in the release's header. (Diffed against HEAD itself, the
  // release has the same inputs on both sides and is not a change.)
  const other = `sha256:${'0'.repeat(64)}`;
  const wrong = await ociFluxRepo({ tag: '1.0.0', digest: other }, '1.0.0');
  assert.match(
    (await runBuild(wrong)).yaml,
    new RegExp(
      `^# HelmRelease apps/demo-ref: not rendered: chart not fetched: OCIRepository flux-system/demo: helm pull .*/demo failed: .*not found`,
      'm',
    ),
  );
  // The registry answers the pinned digest with other bytes (the component tampered with its
  // storage): refused, named as a digest mismatch.
  const tamperedDigest = registry['digest-tampered'] ?? '';
  const tampered = await ociFluxRepo({ digest: tamperedDigest }, '1.0.0', 'tampered');
  assert.match(
    (await runBuild(tampered)).yaml,
    new RegExp(
      `^# HelmRelease apps/demo-ref: not rendered: chart refused: OCIRepository flux-system/demo: the registry served content that does not match the pinned ${tamperedDigest} \\(helm pull: .*mismatched digest`,
      'm',
    ),
  );
});

test('allow-remote governs OCI registries: the default refuses the loopback one before helm runs', async () => {
  const dir = await ociFluxRepo({ tag: '1.0.0' }, '1.0.0');
  const result = await runBuild(dir, { 'allow-remote': '' });
  for (const [name, what] of [
    ['demo-ref', 'OCIRepository flux-system/demo'],
    ['demo-repo', 'HelmRepository flux-system/oci-charts chart demo'],
  ] as const) {
    assert.match(
      result.yaml,
      new RegExp(
        `^# HelmRelease apps/${name}: not rendered: chart not fetched: ${what}: 127\\.0\\.0\\.1:\\d+ is a loopback, link-local or private address`,
        'm',
      ),
    );
  }
  assert.equal(result.objects.filter((o) => o['kind'] === 'Deployment').length, 0);
});
