/**
 * bench/flux: discover and render a Flux repository of 100 Kustomizations, against the job a
 * CI script does with the real Flux CLI, in one run.
 *
 * The generated repository is home-ops-shaped: `clusters/bench` renders a `cluster-apps`
 * Kustomization whose path holds 100 `apps/app-NNN/ks.yaml`, each a Kustomization with
 * targetNamespace, commonMetadata and postBuild.substitute over an `app/` folder of 8 objects.
 *
 *  - ours: one `node bench/flux/render.ts` process (discoverFlux over the real kustomize),
 *    timed from spawn to exit, node start-up included.
 *  - Flux: for each of the 102 Kustomizations, `flux build kustomization NAME --path DIR
 *    --kustomization-file FILE --dry-run`, one after the other, as a CI loop runs it.
 *
 * Target (issue 14): ours at most 0.5x Flux's. Run: `node bench/flux/run.ts` after the test
 * environment has built flux and kustomize (`npm test` or the warm-up).
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { cacheRoot, repoRoot, toolPath } from '../../test/env/paths.ts';

const execFileAsync = promisify(execFile);
const APPS = Number(process.env['BENCH_APPS'] ?? 100);
const benchDir = path.join(cacheRoot, 'bench', 'flux');
const repo = path.join(benchDir, 'repo');
const flux = toolPath('flux');
const appName = (i: number): string => `app-${String(i).padStart(3, '0')}`;

function ks(name: string, spec: Record<string, unknown>): string {
  return `${JSON.stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '1h', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
  })}\n`;
}

function appObjects(): string {
  const docs: string[] = [];
  for (let j = 0; j < 8; j++) {
    docs.push(
      j % 2 === 0
        ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \${APP}-config-${j}\ndata:\n  host: "\${APP}.\${DOMAIN:=example.com}"\n`
        : `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \${APP}-web-${j}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-${j}\n  template:\n    metadata:\n      labels:\n        app: web-${j}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`,
    );
  }
  return docs.join('---\n');
}

async function write(rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
  await writeFile(path.join(repo, rel), content);
}

async function generate(): Promise<{ name: string; spec: Record<string, unknown> }[]> {
  await rm(repo, { recursive: true, force: true });
  await mkdir(path.join(repo, '.git'), { recursive: true });
  const list: { name: string; spec: Record<string, unknown> }[] = [];
  const root = { path: './clusters/bench' };
  const apps = { path: './apps' };
  await write('clusters/bench/cluster-apps.yaml', ks('cluster-apps', apps));
  list.push({ name: 'flux-system', spec: root }, { name: 'cluster-apps', spec: apps });
  for (let i = 0; i < APPS; i++) {
    const name = appName(i);
    const spec = {
      path: `./apps/${name}/app`,
      targetNamespace: name,
      commonMetadata: { labels: { 'app.kubernetes.io/name': name } },
      postBuild: { substitute: { APP: name } },
    };
    await write(`apps/${name}/ks.yaml`, ks(name, spec));
    await write(`apps/${name}/app/kustomization.yaml`, 'resources:\n  - objects.yaml\n');
    await write(`apps/${name}/app/objects.yaml`, appObjects());
    list.push({ name, spec });
  }
  // As in home-ops repositories: the apps folder lists the ks.yaml files, not the app folders.
  const resources = Array.from({ length: APPS }, (_, i) => `  - ./${appName(i)}/ks.yaml`);
  await write('apps/kustomization.yaml', `resources:\n${resources.join('\n')}\n`);
  return list;
}

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

const list = await generate();
const ours = await timeIt(() =>
  execFileAsync(
    process.execPath,
    [path.join(repoRoot, 'bench', 'flux', 'render.ts'), repo, 'clusters/bench'],
    {
      env: { ...process.env, PATH: `${path.dirname(toolPath('kustomize'))}:${process.env['PATH'] ?? ''}` },
      maxBuffer: 256 * 1024 * 1024,
    },
  ),
);
const theirs = await timeIt(async () => {
  const files = path.join(benchDir, 'ks');
  await mkdir(files, { recursive: true });
  for (const { name, spec } of list) {
    const file = path.join(files, `${name}.yaml`);
    await writeFile(file, ks(name, spec));
    await execFileAsync(
      flux,
      [
        'build',
        'kustomization',
        name,
        '--path',
        path.join(repo, String(spec['path'])),
        '--kustomization-file',
        file,
        '--dry-run',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  }
});
const ratio = ours / theirs;
console.log(`Kustomizations: ${list.length}`);
console.log(`ours (one process, discover + render): ${ours.toFixed(2)} s`);
console.log(`flux build kustomization, one per Kustomization: ${theirs.toFixed(2)} s`);
console.log(`ratio: ${ratio.toFixed(2)} (target <= 0.5)`);
