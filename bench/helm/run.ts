/**
 * bench/helm: 50 HelmReleases of one chart with different values, rendered by src/helm/
 * (values composed, `helm template`, labels), against the sum of the same 50 `helm template`
 * calls run with the same width. The chart is the fixture chart as a GitRepository folder, so
 * neither side fetches anything (a repository chart is fetched once per run by ChartCache).
 * Target (issue 18): at most 1.2x. Run: `npm run bench:helm` (needs the built helm;
 * BENCH_RUNS alternating rounds after a warm-up, default 5). Results: bench/helm/README.md.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
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

/** CPU seconds of this process and its waited-for children (helm), from /proc/self/stat. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // proc(5) fields 14-17 (utime, stime, cutime, cstime) are at 11-14 after the command name.
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall and CPU milliseconds of one side. */
async function timed(side: () => Promise<number>): Promise<{ wall: number; cpu: number }> {
  const c0 = cpuSeconds();
  const wall = await side();
  return { wall, cpu: (cpuSeconds() - c0) * 1000 };
}

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-helm-'));
try {
  // One warm-up of each side, then alternating rounds so machine load falls on both alike.
  await real(dir);
  await ours();
  const baseline: number[] = [];
  const mine: number[] = [];
  const baselineCpu: number[] = [];
  const mineCpu: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const theirs = await timed(() => real(dir));
    const ourRun = await timed(ours);
    baseline.push(theirs.wall);
    baselineCpu.push(theirs.cpu);
    mine.push(ourRun.wall);
    mineCpu.push(ourRun.cpu);
    console.log(
      `round ${String(run + 1)}: wall ${(ourRun.wall / theirs.wall).toFixed(2)}x, CPU ${(ourRun.cpu / theirs.cpu).toFixed(2)}x`,
    );
  }
  console.log(
    `Node ${process.version}, ${String(width)} cores, 1-min load ${loadavg()[0]?.toFixed(1) ?? '?'}`,
  );
  console.log(
    `helm template x${String(RELEASES)} (width ${String(width)}), median: ${median(baseline).toFixed(0)} ms`,
  );
  console.log(`renderHelmRelease x${String(RELEASES)}, median: ${median(mine).toFixed(0)} ms`);
  console.log(`ratio of medians ${(median(mine) / median(baseline)).toFixed(2)}x (target <= 1.2x)`);
  console.log(
    `CPU (helm children included), median: helm template ${median(baselineCpu).toFixed(0)} ms, ours ${median(mineCpu).toFixed(0)} ms, ${(median(mineCpu) / median(baselineCpu)).toFixed(2)}x`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
