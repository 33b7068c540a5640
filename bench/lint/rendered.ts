/**
 * bench/lint/rendered.ts: `lint --rendered` on bench/build's tree (200 kustomizations, 1,000
 * age-encrypted Secrets, 2,000 other objects), against the floor of a plain `kustomize build`
 * of the same roots, in one run.
 *
 *  - floor: bench/build's floor, imported from it (not copied): `kustomize build` of each
 *    kustomization of a decrypted copy of the tree, as many in flight as ours builds (twice the
 *    cores), each under GNU time for its CPU.
 *  - ours: one `lint --rendered '<repo>/apps' --format json` process of the CLI as it ships
 *    (bundled into a temporary folder), start-up and the file-by-file rules included; CPU and
 *    peak RSS from GNU time (kustomize children included in the CPU).
 *  - ours without --rendered: the file rules alone, once per run, so the part the rendered check
 *    adds can be told apart.
 *
 * Floor and ours alternate, BENCH_RUNS times (default 5) after one warm-up; medians, per-run
 * ratios and the load average are printed. The tree holds no plaintext Secret, so the expected
 * result is no finding. Target: ours ÷ floor ≤ 1.3×.
 * Run: `KSD_CACHE_DIR=... node bench/lint/rendered.ts`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  bundleCli,
  cpuSeconds,
  decryptedCopy,
  ensureAgeKey,
  ensureRepo,
  floor,
  inFlight,
  median,
  repo,
  width,
} from '../build/run.ts';
import { toolPath } from '../../test/env/paths.ts';

const execFileAsync = promisify(execFile);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const kustomize = toolPath('kustomize');

interface LintRun {
  readonly ms: number;
  readonly cpu: number;
  readonly rssMb: number;
  readonly findings: number;
}

/** One `lint` process over the apps folder; wall time, CPU and peak RSS from GNU time. */
async function lint(cli: string, rendered: boolean): Promise<LintRun> {
  const args = [cli, 'lint', path.join(repo, 'apps'), '--format', 'json'];
  if (rendered) args.push('--rendered', '--kustomize-path', kustomize);
  const start = performance.now();
  const { stdout, stderr } = await execFileAsync(
    '/usr/bin/time',
    ['-f', 'BENCH_RSS_KB=%M BENCH_CPU=%U %S', process.execPath, ...args],
    {
      cwd: repo,
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = performance.now() - start;
  const kb = Number(/BENCH_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  const findings = (JSON.parse(stdout) as { findings: unknown[] }).findings.length;
  return { ms, cpu: cpuSeconds(stderr), rssMb: kb / 1024, findings };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  if (!existsSync(toolPath('sops')) || !existsSync(kustomize)) {
    throw new Error(`the real sops and kustomize are not built yet (${path.dirname(kustomize)})`);
  }
  const age = await ensureAgeKey();
  const apps = await ensureRepo(age.recipient);
  const plain = await decryptedCopy(apps, age.file);
  const dist = await bundleCli();
  const cli = path.join(dist, 'cli.js');
  try {
    const load = [loadavg()[0]!];
    await lint(cli, true);
    await floor(plain, apps);
    const ours: LintRun[] = [];
    const files: LintRun[] = [];
    const base: { ms: number; cpu: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      base.push(await floor(plain, apps));
      ours.push(await lint(cli, true));
      files.push(await lint(cli, false));
      load.push(loadavg()[0]!);
    }
    const ratios = ours.map((o, i) => o.ms / base[i]!.ms);
    const { stdout: version } = await execFileAsync(kustomize, ['version']);
    const oursMs = median(ours.map((o) => o.ms));
    const floorMs = median(base.map((b) => b.ms));
    const filesMs = median(files.map((o) => o.ms));
    const oursCpu = median(ours.map((o) => o.cpu));
    const floorCpu = median(base.map((b) => b.cpu));
    const ratio = median(ratios);
    const rss = Math.max(...ours.map((o) => o.rssMb));
    const findings = new Set(ours.map((o) => o.findings));
    console.log(
      `bench/lint/rendered on Node ${process.version}, kustomize ${version.trim()}, ${width} cores, 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}: ${apps.length} kustomizations; medians of ${RUNS} alternating runs`,
    );
    console.log('| run | wall (median) | runs | CPU (median) |');
    console.log('|---|---|---|---|');
    console.log(
      `| floor: plain kustomize build of each root, ${inFlight} in flight | ${seconds(floorMs)} s | ${base.map((b) => seconds(b.ms)).join(', ')} | ${floorCpu.toFixed(2)} s |`,
    );
    console.log(
      `| ours: \`lint --rendered\` (bundled CLI, start-up and file rules included) | ${seconds(oursMs)} s | ${ours.map((o) => seconds(o.ms)).join(', ')} | ${oursCpu.toFixed(2)} s |`,
    );
    console.log(
      `| \`lint\` without --rendered (file rules only) | ${seconds(filesMs)} s | ${files.map((o) => seconds(o.ms)).join(', ')} | ${median(files.map((o) => o.cpu)).toFixed(2)} s |`,
    );
    console.log(
      `ratio ours ÷ floor: median ${ratio.toFixed(2)}× of per-run ratios ${ratios.map((x) => x.toFixed(2)).join(', ')} (target ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `CPU (user + system, children included): ours ÷ floor ${(oursCpu / floorCpu).toFixed(2)}×; peak RSS ${rss.toFixed(1)} MB`,
    );
    console.log(`findings: ${[...findings].join(', ')} (expected 0: every Secret is SOPS-encrypted)`);
    if (findings.size !== 1 || !findings.has(0)) process.exitCode = 1;
  } finally {
    await rm(plain, { recursive: true, force: true });
    await rm(dist, { recursive: true, force: true });
  }
}

await main();
