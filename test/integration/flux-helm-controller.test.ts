/**
 * What helm-controller does besides `helm template`, in `build --flux` and `diff --flux`,
 * with the real helm and the helm-repo component's private repository:
 * - `spec.install.createNamespace` (with a `targetNamespace`, as helm-controller requires): the
 *   Namespace helm creates (labelled `name`), under its HelmRelease, unless the repository
 *   renders that Namespace itself;
 * - `spec.suspend`: helm-controller does nothing, so the release is not rendered, noted as
 *   suspended (on the info log, not as a warning) and unknown in a diff;
 * - a chart whose archive does not have the digest its repository index records (the
 *   repository's `tampered` chart) is refused: not rendered, with both digests named.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { buildCommand } from '../../src/commands/build.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import {
  commit,
  fluxHelmEnv,
  fluxHelmInputs,
  fluxHelmRepo,
  fluxHelmSetup,
} from '../support/flux-helm-repo.ts';
import { commandDeps } from '../support/command-deps.ts';
import type { AgeKey } from '../support/tools.ts';

const PASSWORD = 'helm-controller-canary-61b0e4';
let key: AgeKey;
let kustomize: string;
let helm: string;
let chartRepo: Readonly<Record<string, string>>;

before(async () => {
  ({ key, kustomize, helm, chartRepo } = await fluxHelmSetup());
});

type Obj = Record<string, unknown>;

/** A HelmRelease in `apps` on the fixture's private repository, with `spec` added. */
function release(name: string, chart: string, version: string, spec: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
${spec}`;
}

const releases = {
  'apps/web.yaml': release(
    'web',
    'demo',
    '1.0.0',
    '  targetNamespace: web\n  install:\n    createNamespace: true\n',
  ),
  'apps/beside.yaml': release(
    'beside',
    'demo',
    '1.0.0',
    // The repository renders `apps` already: nothing more to create.
    '  targetNamespace: apps\n  install:\n    createNamespace: true\n',
  ),
  'apps/paused.yaml': release('paused', 'demo', '1.0.0', '  suspend: true\n'),
  'apps/tampered.yaml': release('tampered', 'tampered', '1.0.0', ''),
};

async function repository(): Promise<string> {
  const dir = await fluxHelmRepo({ key, chartRepo, password: PASSWORD });
  await commit(dir, releases, 'releases');
  return dir;
}

function inputsFor(dir: string, extra: Record<string, string>): Record<string, string> {
  return fluxHelmInputs(dir, { key, kustomize, helm }, extra);
}

const env = fluxHelmEnv;

/** The archive's and the index's sha256 of the `tampered` chart, as the server has them. */
async function tamperedDigests(): Promise<{ archive: string; index: string }> {
  const root = path.join(chartRepo['root'] ?? '', 'private');
  const archive = createHash('sha256')
    .update(await readFile(path.join(root, 'tampered-1.0.0.tgz')))
    .digest('hex');
  const index = parse(await readFile(path.join(root, 'index.yaml'), 'utf8')) as {
    entries: Record<string, { digest: string }[]>;
  };
  const recorded = index.entries['tampered']?.[0]?.digest ?? '';
  assert.notEqual(recorded, archive, 'the fixture is tampered');
  return { archive, index: recorded };
}

test('build --flux: createNamespace adds the Namespace helm creates, a suspended release and a tampered chart are not rendered', async () => {
  const dir = await repository();
  const output = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-ctl-out-')), 'out.yaml');
  const inputs = inputsFor(dir, { output });
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  await buildCommand.run(config, commandDeps(host));
  const yaml = await readFile(output, 'utf8');

  const digests = await tamperedDigests();
  assert.ok(
    yaml.includes(
      `# HelmRelease apps/tampered: not rendered: chart refused: HelmRepository flux-system/charts chart tampered 1.0.0: the archive's sha256 ${digests.archive} is not the digest ${digests.index} its repository index records\n`,
    ),
    yaml
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n'),
  );
  assert.match(
    yaml,
    /^# HelmRelease apps\/paused: not rendered: suspended: spec\.suspend is true, so helm-controller does not reconcile it$/m,
  );
  const logs = host.logs.join('\n');
  assert.match(
    logs,
    /^\/\S+: HelmRelease apps\/paused \(Kustomization flux-system\/apps\): not rendered: suspended/m,
  );
  assert.match(logs, /^warning: \/\S+: HelmRelease apps\/tampered .*: not rendered: chart refused/m);

  // The Namespace helm creates comes with its HelmRelease, labelled as helm labels it.
  const webPart = yaml.split(
    '# HelmRelease apps/web (Kustomization flux-system/apps): chart demo 1.0.0\n',
  )[1];
  assert.ok(webPart !== undefined);
  const webObjects = parseAllDocuments(webPart.split(/^# HelmRelease /m)[0] ?? '')
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
  assert.deepEqual(webObjects[0], {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'web', labels: { name: 'web' } },
  });
  const namespaces = parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o?.['kind'] === 'Namespace')
    .map((o) => (o['metadata'] as Obj)['name']);
  // `apps` once (the repository's, not a second one for beside), `web` once.
  assert.deepEqual(namespaces.sort(), ['apps', 'web']);
  assert.match(yaml, /^# HelmRelease apps\/beside \(Kustomization flux-system\/apps\): chart demo 1\.0\.0$/m);
});

test('diff --flux --against: a suspended release is unknown, whatever its spec changes to', async () => {
  const dir = await repository();
  await commit(
    dir,
    {
      'apps/paused.yaml': release(
        'paused',
        'demo',
        '1.2.3',
        '  suspend: true\n  values:\n    replicaCount: 7\n',
      ),
      'apps/web.yaml': release(
        'web',
        'demo',
        '1.1.0',
        '  targetNamespace: web\n  install:\n    createNamespace: true\n',
      ),
    },
    'bump',
  );
  const inputs = inputsFor(dir, { against: 'HEAD~1' });
  const config = diffCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  const code = await diffCommand.run(config, commandDeps(host));
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.equal(code, 1, stdout);
  const lines = stdout.split('\n');
  assert.ok(
    lines.includes(
      'HelmRelease apps/paused unknown (not rendered: suspended: spec.suspend is true, so helm-controller does not reconcile it; the objects it renders are unknown)',
    ),
    stdout,
  );
  assert.ok(!lines.some((l) => l.startsWith('Deployment/apps/paused ')), stdout);
  assert.ok(lines.includes('Deployment/web/web-web-demo configured (from HelmRelease apps/web)'), stdout);
  // On both sides: neither created nor deleted.
  assert.ok(!lines.some((l) => /^Namespace\/web (created|deleted)/.test(l)), stdout);
});
