/**
 * bench/startup: cold start of the bundled entry points, as the runner and users start them,
 * against the floor of `node -e 0` measured in the same run (so machine speed cancels out).
 *
 * - `node dist/index.js` with `INPUT_COMMAND=lint` on a tiny temp repository (one ConfigMap),
 *   with the INPUT_* variables and file commands the runner sets. Target: ≤ 150 ms.
 * - `node dist/cli.js decrypt` of the demo Secret with the demo age key (age-only path).
 *
 * Each case runs RUNS times (default 20), interleaved with the baseline so drift in machine
 * load hits all of them alike; the median is reported. Run: `node bench/startup/run.ts`
 * (after `npm run bundle`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../test/env/paths.ts';

const RUNS = Number(process.env['BENCH_STARTUP_RUNS'] ?? 20);
const LINT_TARGET_MS = 150;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The exit code a correct run ends with. */
  readonly code: number;
}

/** Wall time of one child process from spawn to exit, with its output discarded. */
function timeOnce(c: Case): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, c.args, {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...c.env },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === c.code) resolve(ms);
      else reject(new Error(`${c.name}: exit ${String(code)}, expected ${String(c.code)}`));
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  for (const entry of ['index.js', 'cli.js']) {
    if (!existsSync(path.join(repoRoot, 'dist', entry)))
      throw new Error(`dist/${entry} is missing; run npm run bundle`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-startup-'));
  try {
    const workspace = path.join(dir, 'repo');
    await mkdir(path.join(workspace, 'apps'), { recursive: true });
    await writeFile(
      path.join(workspace, 'apps', 'web.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: fast\n',
    );
    const runnerFiles = {
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    };
    await writeFile(runnerFiles.GITHUB_OUTPUT, '');
    await writeFile(runnerFiles.GITHUB_STEP_SUMMARY, '');

    const baseline: Case = { name: 'node -e 0', args: ['-e', '0'], env: {}, code: 0 };
    const cases: Case[] = [
      {
        name: 'action lint (dist/index.js)',
        args: [path.join(repoRoot, 'dist', 'index.js')],
        env: {
          ...runnerFiles,
          GITHUB_ACTIONS: 'true',
          GITHUB_WORKSPACE: workspace,
          RUNNER_TEMP: dir,
          INPUT_COMMAND: 'lint',
          INPUT_PATH: 'apps',
          INPUT_FORMAT: 'github',
        },
        code: 0,
      },
      {
        name: 'cli decrypt, age (dist/cli.js)',
        args: [
          path.join(repoRoot, 'dist', 'cli.js'),
          'decrypt',
          path.join(repoRoot, 'examples', 'demo', 'base', 'secret.enc.yaml'),
          '--age-key-file',
          path.join(repoRoot, 'examples', 'demo', 'demo-age-key.txt'),
        ],
        env: {},
        code: 0,
      },
    ];

    // One warm-up of each so the file system cache, not the disk, is what every timed run sees.
    for (const c of [baseline, ...cases]) await timeOnce(c);
    const times = new Map<string, number[]>([baseline, ...cases].map((c) => [c.name, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const c of [baseline, ...cases]) times.get(c.name)!.push(await timeOnce(c));
    }

    const floor = median(times.get(baseline.name)!);
    console.log(`bench/startup: ${RUNS} runs each, node ${process.version}, median wall time`);
    console.log(`  ${baseline.name.padEnd(32)} ${floor.toFixed(1).padStart(7)} ms`);
    let ok = true;
    for (const c of cases) {
      const m = median(times.get(c.name)!);
      const target = c.name.startsWith('action lint') ? LINT_TARGET_MS : undefined;
      const verdict =
        target === undefined ? '' : m <= target ? `  ≤ ${target} ms: ok` : `  > ${target} ms: MISSED`;
      if (target !== undefined && m > target) ok = false;
      console.log(
        `  ${c.name.padEnd(32)} ${m.toFixed(1).padStart(7)} ms  (+${(m - floor).toFixed(1)} ms over node -e 0)${verdict}`,
      );
    }
    if (!ok) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
