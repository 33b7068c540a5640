/**
 * bench/helm: 50 HelmReleases of one chart with different values, rendered by src/helm/
 * (values composed, `helm template`, labels), against the sum of the same 50 `helm template`
 * calls run with the same width. The chart is the fixture chart as a GitRepository folder, so
 * neither side fetches anything (a repository chart is fetched once per run by ChartCache).
 * Target (issue 18): at most 1.2x. Run: `node bench/helm/run.ts` (needs the built helm).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ChartCache } from '../../src/helm/chart-source.ts';
import { resolveHelm } from '../../src/helm/helm-tool.ts';
import { ObjectIndex } from '../../src/helm/object-index.ts';
import { renderHelmRelease } from '../../src/helm/render.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { mapLimit } from '../../src/map-limit.ts';
import { SecretRegistry } from '../../src/masking.ts';
import { repoRoot, toolPath } from '../../test/env/paths.ts';

const execFileAsync = promisify(execFile);
const RELEASES = Number(process.env['BENCH_RELEASES'] ?? 50);
const width = availableParallelism();
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'helm');
const helmPath = toolPath('helm');

const values = (i: number): Record<string, unknown> => ({
  replicaCount: (i % 5) + 1,
  config: { greeting: `hello-${String(i)}` },
  extraLabels: { team: `t${String(i % 7)}` },
});

async function real(dir: string): Promise<number> {
  const t0 = performance.now();
  await mapLimit([...Array(RELEASES).keys()], width, async (i) => {
    const file = path.join(dir, `values-${String(i)}.yaml`);
    await writeFile(file, JSON.stringify(values(i)));
    await execFileAsync(
      helmPath,
      [
        'template',
        `r${String(i)}`,
        path.join(fixtures, 'charts', 'demo'),
        '--namespace',
        'apps',
        '-f',
        file,
        '--no-hooks',
        '--include-crds',
      ],
      { maxBuffer: 64 << 20 },
    );
  });
  return performance.now() - t0;
}

async function ours(): Promise<number> {
  const helm = await resolveHelm(helmPath, { exec: nodeExec, env: process.env });
  const cache = new ChartCache();
  const t0 = performance.now();
  try {
    await mapLimit([...Array(RELEASES).keys()], width, async (i) => {
      const release = {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: `r${String(i)}`, namespace: 'apps' },
        spec: {
          chart: {
            spec: {
              chart: 'charts/demo',
              sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
            },
          },
          values: values(i),
        },
      };
      const result = await renderHelmRelease(release, {
        objects: new ObjectIndex([release]),
        cache,
        policy: { allowPrivateAddresses: false },
        registry: new SecretRegistry(() => undefined),
        repoRoot: fixtures,
        exec: nodeExec,
        env: process.env,
        helm,
      });
      if (result.status !== 'rendered') throw new Error(result.reason);
    });
  } finally {
    await cache.dispose();
  }
  return performance.now() - t0;
}

const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-helm-'));
try {
  const baseline = await real(dir);
  const mine = await ours();
  console.log(`helm template x${String(RELEASES)} (width ${String(width)}): ${baseline.toFixed(0)} ms`);
  console.log(`renderHelmRelease x${String(RELEASES)}: ${mine.toFixed(0)} ms`);
  console.log(`ratio ${(mine / baseline).toFixed(2)}x (target <= 1.2x)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
