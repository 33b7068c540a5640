/**
 * bench/startup: cold start of the entry points as users start them, against `node -e 0` and
 * the real `sops -d` measured in the same run (so machine speed and load cancel out).
 *
 * - `decrypt` of the demo Secret with the demo age key (the age-only path), as a whole process:
 *   target ≤ 60 ms.
 * - `lint` of a small repository (16 files): target ≤ 80 ms.
 * - the Action's `lint` (dist/index.js shape) on the same repository.
 *
 * The CLI is bundled from the current source by scripts/bundle.ts into a temporary folder
 * (dist/ is left alone). CLI cases run as shipped (dist/bin.js: decrypt and lint from their
 * single-file bundles with the code cache of src/host/code-cached-script.ts, warmed by the
 * untimed first run), as shipped on a first run (a new, empty cache folder each time: what the
 * first run after an install pays), and as the ES module CLI (dist/cli.js) two ways: with
 * Node's compile cache off (NODE_DISABLE_COMPILE_CACHE=1) and with it on from the start
 * (NODE_COMPILE_CACHE).
 *
 * Each case runs RUNS times (default 15), interleaved so drift in machine load hits all of them
 * alike; medians are reported with the load average. Run: `node bench/startup/run.ts`. With
 * BENCH_STARTUP_BASELINE set to the dist folder of an earlier bundle, its shipped decrypt, lint
 * and Action lint run in the same rounds: a before/after under the same load.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, toolPath } from '../../test/env/paths.ts';

const RUNS = Number(process.env['BENCH_STARTUP_RUNS'] ?? 15);
/** An earlier bundle (e.g. `KSD_BUNDLE_OUTDIR=/tmp/before node scripts/bundle.ts` at another commit). */
const baselineDist = process.env['BENCH_STARTUP_BASELINE'];
const execFileAsync = promisify(execFile);

interface Case {
  readonly name: string;
  /** The program; node when absent. */
  readonly command?: string;
  readonly target?: number;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The exit code a correct run ends with. */
  readonly code: number;
  /** Each run gets a new, empty XDG_CACHE_HOME: no code cache yet. */
  readonly freshCache?: boolean;
}

/** Wall time of one child process from spawn to exit, with its output discarded. */
async function timeOnce(c: Case): Promise<number> {
  const fresh =
    c.freshCache === true ? { XDG_CACHE_HOME: await mkdtemp(path.join(tmpdir(), 'ksd-bench-xdg-')) } : {};
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(c.command ?? process.execPath, c.args, {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...c.env, ...fresh },
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
  const dist = await mkdtemp(path.join(tmpdir(), 'ksd-bench-dist-'));
  await execFileAsync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.ts')], {
    cwd: repoRoot,
    env: { ...process.env, KSD_BUNDLE_OUTDIR: dist },
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-startup-'));
  try {
    const workspace = path.join(dir, 'repo');
    await mkdir(path.join(workspace, '.git'), { recursive: true });
    for (let i = 0; i < 8; i++) {
      const app = path.join(workspace, 'apps', `app-${i}`);
      await mkdir(app, { recursive: true });
      await writeFile(path.join(app, 'kustomization.yaml'), 'resources:\n  - web.yaml\n');
      await writeFile(
        path.join(app, 'web.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-${i}\ndata:\n  mode: fast\n`,
      );
    }
    const runnerFiles = {
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    };
    await writeFile(runnerFiles.GITHUB_OUTPUT, '');
    await writeFile(runnerFiles.GITHUB_STEP_SUMMARY, '');
    const demoSecret = path.join(repoRoot, 'examples', 'demo', 'base', 'secret.enc.yaml');
    const demoKey = path.join(repoRoot, 'examples', 'demo', 'demo-age-key.txt');
    const baseline: Case = { name: 'node -e 0', args: ['-e', '0'], env: {}, code: 0 };
    const cases: Case[] = [
      {
        name: 'sops -d (real sops)',
        command: toolPath('sops'),
        args: ['--disable-version-check', 'decrypt', demoSecret],
        env: { SOPS_AGE_KEY_FILE: demoKey },
        code: 0,
      },
    ];
    const shipped = path.join(dist, 'bin.js');
    const esm = path.join(dist, 'cli.js');
    const ways: {
      readonly mode: string;
      readonly entry: string;
      readonly env: Record<string, string>;
      readonly freshCache?: boolean;
    }[] = [
      { mode: 'as shipped', entry: shipped, env: { XDG_CACHE_HOME: path.join(dir, 'xdg') } },
      { mode: 'as shipped, first run', entry: shipped, env: {}, freshCache: true },
      { mode: 'cli.js, cache off', entry: esm, env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
      {
        mode: 'cli.js, cache from the start',
        entry: esm,
        env: { NODE_COMPILE_CACHE: path.join(dir, 'node-cc') },
      },
    ];
    for (const way of ways) {
      cases.push({
        name: `decrypt, age, ${way.mode}`,
        args: [way.entry, 'decrypt', demoSecret, '--age-key-file', demoKey],
        env: way.env,
        code: 0,
        ...(way.mode === 'as shipped' ? { target: 60 } : {}),
        ...(way.freshCache === true ? { freshCache: true } : {}),
      });
      cases.push({
        name: `lint 16 files, ${way.mode}`,
        args: [way.entry, 'lint', path.join(workspace, 'apps')],
        env: way.env,
        code: 0,
        ...(way.mode === 'as shipped' ? { target: 80 } : {}),
        ...(way.freshCache === true ? { freshCache: true } : {}),
      });
    }
    const actionLint = (entry: string, name: string): Case => ({
      name,
      args: [entry],
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
    });
    cases.push(actionLint(path.join(dist, 'index.js'), 'Action lint (index.js)'));
    if (baselineDist !== undefined) {
      // The same entries from an earlier bundle, interleaved with these: a before/after in one run.
      const xdg = { XDG_CACHE_HOME: path.join(dir, 'xdg-baseline') };
      const bin = path.join(baselineDist, 'bin.js');
      cases.push(
        {
          name: 'baseline: decrypt, age, as shipped',
          args: [bin, 'decrypt', demoSecret, '--age-key-file', demoKey],
          env: xdg,
          code: 0,
        },
        {
          name: 'baseline: lint 16 files, as shipped',
          args: [bin, 'lint', path.join(workspace, 'apps')],
          env: xdg,
          code: 0,
        },
        actionLint(path.join(baselineDist, 'index.js'), 'baseline: Action lint (index.js)'),
      );
    }

    // One warm-up of each: the file system cache (and the compile caches) are what timed runs see.
    for (const c of [baseline, ...cases]) await timeOnce(c);
    const load = [loadavg()[0]!];
    const times = new Map<string, number[]>([baseline, ...cases].map((c) => [c.name, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const c of [baseline, ...cases]) times.get(c.name)!.push(await timeOnce(c));
      load.push(loadavg()[0]!);
    }

    const floor = median(times.get(baseline.name)!);
    const sops = median(times.get('sops -d (real sops)')!);
    console.log(
      `bench/startup: median of ${RUNS} runs each, Node ${process.version}, 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
    );
    console.log('| process | median | ÷ node -e 0 | ÷ sops -d | target |');
    console.log('|---|---|---|---|---|');
    for (const c of [baseline, ...cases]) {
      const m = median(times.get(c.name)!);
      const verdict = c.target === undefined ? '' : `≤ ${c.target} ms: ${m <= c.target ? 'met' : 'NOT met'}`;
      console.log(
        `| ${c.name} | ${m.toFixed(1)} ms | ${(m / floor).toFixed(2)}× | ${(m / sops).toFixed(2)}× | ${verdict} |`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(dist, { recursive: true, force: true });
  }
}

await main();
