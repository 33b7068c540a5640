/**
 * bench/build: our `build` against the same job done with the real tools, in one run.
 *
 * The generated repository has 200 kustomizations, each with 5 age-encrypted Secrets (1,000,
 * encrypted once by the real sops and cached under $KSD_CACHE_DIR/bench/build) and 10 other
 * objects (2,000), a namespace and a common label.
 *
 *  - ours: one `build '<repo>/apps/*'` process of the CLI as it ships (bundled by
 *    scripts/bundle.ts into a temporary folder, not dist/), timed from spawn to exit, node
 *    start-up and module loading included, output to a file. Its peak RSS is GNU time's %M
 *    (the node process; kustomize children are separate, smaller processes).
 *  - floor: plain `kustomize build` of each kustomization of an already-decrypted copy of the
 *    same tree (decrypted once, untimed, by our engine), with as many in flight as ours
 *    (twice the cores).
 *    This is the kustomize we wrap: ours ÷ floor is what our staging, decryption, process
 *    handling and post-processing add.
 *  - real tools: for each kustomization, a plaintext copy made with `sops -d` on each encrypted
 *    file, then `kustomize build` on the copy, with as many kustomizations in flight as ours
 *    builds concurrently (twice the cores).
 *
 * ours and the floor are run BENCH_RUNS times (default 5), alternating, and their medians are
 * reported with the load average, since the machine may be shared; the real tools run once
 * (BENCH_REAL=0 skips them). All outputs are compared byte for byte.
 * Run: `node bench/build/run.ts`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { loadavg } from 'node:os';
import { buildLocalKeySources } from '../../src/keys/local-keys.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { decryptDocument } from '../../src/kustomize/document.ts';
import { SecretRegistry } from '../../src/masking.ts';
import { cacheRoot, repoRoot, toolPath } from '../../test/env/paths.ts';

const execFileAsync = promisify(execFile);
const APPS = Number(process.env['BENCH_APPS'] ?? 200);
export const SECRETS_PER_APP = 5;
const OBJECTS_PER_APP = 10;
const benchDir = path.join(cacheRoot, 'bench', 'build');
export const repo = path.join(benchDir, 'repo');
const sops = toolPath('sops');
const kustomize = toolPath('kustomize');
export const width = availableParallelism();
/** Kustomizations in flight, as ours builds them (src/commands/build.ts: twice the cores). */
export const inFlight = width * 2;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

const appName = (i: number): string => `app-${String(i).padStart(3, '0')}`;

function secretYaml(app: string, j: number): string {
  const values = Array.from(
    { length: 4 },
    (_, k) =>
      `    key${k}: ${Buffer.from(`${app}-secret-${j}-value-${k}-${'x'.repeat(24)}`).toString('base64')}`,
  );
  return `apiVersion: v1\nkind: Secret\nmetadata:\n    name: secret-${j}\ntype: Opaque\ndata:\n${values.join('\n')}\n`;
}

function objectsYaml(app: string): string {
  const docs: string[] = [];
  for (let j = 0; j < OBJECTS_PER_APP; j++) {
    if (j % 3 === 0) {
      docs.push(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${j}\ndata:\n  app: ${app}\n  level: info\n  items: "${j}"\n`,
      );
    } else if (j % 3 === 1) {
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${j}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-${j}\n  template:\n    metadata:\n      labels:\n        app: web-${j}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          envFrom:\n            - secretRef:\n                name: secret-0\n`,
      );
    } else {
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: web-${j}\nspec:\n  selector:\n    app: web-${j - 1}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
      );
    }
  }
  return docs.join('---\n');
}

function kustomizationYaml(app: string): string {
  const secrets = Array.from({ length: SECRETS_PER_APP }, (_, j) => `  - secret-${j}.enc.yaml`);
  return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${app}\nlabels:\n  - pairs:\n      app.kubernetes.io/part-of: ${app}\nresources:\n  - objects.yaml\n${secrets.join('\n')}\n`;
}

export async function runPool<T>(
  items: readonly T[],
  n: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function ensureAgeKey(): Promise<{ file: string; recipient: string }> {
  const file = path.join(benchDir, 'age-key.txt');
  if (!existsSync(file)) {
    await mkdir(benchDir, { recursive: true });
    await execFileAsync(toolPath('age-keygen'), ['-o', file]);
  }
  const text = await readFile(file, 'utf8');
  return { file, recipient: /public key: (age1\S+)/.exec(text)![1]! };
}

/** Writes the repository; encrypted files are made by the real sops once and then reused. */
export async function ensureRepo(recipient: string): Promise<string[]> {
  // A real git repository, not just a `.git` folder: lint lists what git would track, and a
  // marker folder inside a checkout that ignores the cache (KSD_CACHE_DIR=<clone>/.cache)
  // made git answer for that checkout, so lint saw no file at all.
  if (!existsSync(path.join(repo, '.git', 'HEAD'))) {
    await rm(path.join(repo, '.git'), { recursive: true, force: true });
    await mkdir(repo, { recursive: true });
    await execFileAsync('git', ['init', '-q', repo]);
  }
  const apps = Array.from({ length: APPS }, (_, i) => appName(i));
  const pending: { plain: string; file: string }[] = [];
  for (const app of apps) {
    const dir = path.join(repo, 'apps', app);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'kustomization.yaml'), kustomizationYaml(app));
    await writeFile(path.join(dir, 'objects.yaml'), objectsYaml(app));
    for (let j = 0; j < SECRETS_PER_APP; j++) {
      const file = path.join(dir, `secret-${j}.enc.yaml`);
      if (!existsSync(file)) pending.push({ plain: secretYaml(app, j), file });
    }
  }
  if (pending.length > 0) {
    process.stderr.write(`bench: encrypting ${pending.length} Secrets with the real sops (cached)...\n`);
    const scratch = await mkdtemp(path.join(tmpdir(), 'ksd-bench-plain-'));
    try {
      await runPool(pending, width, async ({ plain, file }) => {
        const input = path.join(scratch, `${path.basename(path.dirname(file))}-${path.basename(file)}`);
        await writeFile(input, plain);
        const { stdout } = await execFileAsync(sops, [
          '--disable-version-check',
          'encrypt',
          '--encrypted-regex',
          '^(data|stringData)$',
          '--age',
          recipient,
          input,
        ]);
        await writeFile(file, stdout);
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return apps.map((app) => path.join(repo, 'apps', app));
}

/** sops -d into a plaintext copy, then kustomize build, per kustomization. */
async function realTools(apps: readonly string[], ageKeyFile: string): Promise<{ ms: number; yaml: string }> {
  const parent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const work = await mkdtemp(path.join(parent, 'ksd-bench-real-'));
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', SOPS_AGE_KEY_FILE: ageKeyFile };
  const outputs: string[] = new Array<string>(apps.length);
  try {
    const start = performance.now();
    await runPool(
      apps.map((dir, i) => ({ dir, i })),
      inFlight,
      async ({ dir, i }) => {
        const copy = path.join(work, path.basename(dir));
        await cp(dir, copy, { recursive: true });
        for (let j = 0; j < SECRETS_PER_APP; j++) {
          const file = `secret-${j}.enc.yaml`;
          const { stdout } = await execFileAsync(
            sops,
            ['--disable-version-check', 'decrypt', path.join(dir, file)],
            {
              env,
            },
          );
          await writeFile(path.join(copy, file), stdout);
        }
        const { stdout } = await execFileAsync(kustomize, ['build', copy], {
          env,
          maxBuffer: 64 * 1024 * 1024,
        });
        outputs[i] = stdout;
      },
    );
    const ms = performance.now() - start;
    return { ms, yaml: outputs.map((y) => (y.endsWith('\n') ? y : `${y}\n`)).join('---\n') };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A plaintext copy of the tree, decrypted once (untimed) by our engine, for the floor. */
export async function decryptedCopy(apps: readonly string[], ageKeyFile: string): Promise<string> {
  const parent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const work = await mkdtemp(path.join(parent, 'ksd-bench-floor-'));
  const keySources = await buildLocalKeySources({
    ageKeyFiles: [ageKeyFile],
    env: {},
    exec: nodeExec,
    mask: () => undefined,
  });
  const registry = new SecretRegistry(() => undefined);
  for (const dir of apps) {
    const copy = path.join(work, path.basename(dir));
    await cp(dir, copy, { recursive: true });
    for (let j = 0; j < SECRETS_PER_APP; j++) {
      const file = `secret-${j}.enc.yaml`;
      const text = await readFile(path.join(dir, file), 'utf8');
      await writeFile(
        path.join(copy, file),
        await decryptDocument(text, 'yaml', 'yaml', { keySources, registry }),
      );
    }
  }
  return work;
}

/** The floor: kustomize build of each decrypted kustomization, same parallelism as ours. */
export async function floor(
  work: string,
  apps: readonly string[],
): Promise<{ ms: number; cpu: number; yaml: string }> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
  const outputs: string[] = new Array<string>(apps.length);
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  await runPool(
    apps.map((dir, i) => ({ dir, i })),
    inFlight,
    async ({ dir, i }) => {
      const copy = path.join(work, path.basename(dir));
      const { stdout } = await execFileAsync(kustomize, ['build', copy], {
        cwd: copy,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
      outputs[i] = stdout;
    },
  );
  const ms = performance.now() - start;
  const cpu = childrenCpuSeconds() - cpuBefore;
  return { ms, cpu, yaml: outputs.map((y) => (y.endsWith('\n') ? y : `${y}\n`)).join('---\n') };
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * User + system CPU seconds of every child this process has waited for so far (cutime and
 * cstime of /proc/self/stat), and of their waited-for children. The kernel sums them before
 * rounding to clock ticks; GNU time's %U and %S, taken per process, round each run down to
 * 10 ms, which made 200 kustomize runs of about 17 ms each look like 1.5 s instead of 3.5 s.
 */
export function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which may hold spaces: state is field 3, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / clockTicks;
}

/** User + system CPU seconds from GNU time's `BENCH_CPU=%U %S` line. */
export function cpuSeconds(stderr: string): number {
  const m = /BENCH_CPU=([\d.]+) ([\d.]+)/.exec(stderr);
  return m === null ? NaN : Number(m[1]) + Number(m[2]);
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The CLI bundled as it ships, into a temporary folder (dist/ is left alone). */
export async function bundleCli(): Promise<string> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-dist-'));
  await execFileAsync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.ts')], {
    cwd: repoRoot,
    env: { ...process.env, KSD_BUNDLE_OUTDIR: outdir },
  });
  return outdir;
}

let cli = path.join(repoRoot, 'src', 'cli.ts');

/** One `build` process over the glob; wall time, and peak RSS from GNU time. */
async function ours(
  ageKeyFile: string,
  cliFile = cli,
): Promise<{ ms: number; cpu: number; rssMb: number; yaml: string }> {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-bench-out-')), 'manifests.yaml');
  try {
    const cpuBefore = childrenCpuSeconds();
    const start = performance.now();
    const { stderr } = await execFileAsync(
      '/usr/bin/time',
      [
        '-f',
        'BENCH_RSS_KB=%M BENCH_CPU=%U %S',
        process.execPath,
        cliFile,
        'build',
        path.join(repo, 'apps', '*'),
        '--age-key-file',
        ageKeyFile,
        '--kustomize',
        kustomize,
        '--output',
        out,
      ],
      { env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const ms = performance.now() - start;
    const kb = Number(/BENCH_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
    // Node's own CPU and its children's: the kustomize processes, and the helper that starts
    // them, which node reaps before it exits (src/host/spawner-exec.ts).
    const cpu = childrenCpuSeconds() - cpuBefore;
    return { ms, cpu, rssMb: kb / 1024, yaml: await readFile(out, 'utf8') };
  } finally {
    await rm(path.dirname(out), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(sops) || !existsSync(kustomize)) {
    throw new Error(
      `the real sops and kustomize are not built yet (${path.dirname(sops)}); run npm test once first`,
    );
  }
  const age = await ensureAgeKey();
  const apps = await ensureRepo(age.recipient);
  if (process.env['BENCH_PREPARE_ONLY'] === '1') return;
  const plain = await decryptedCopy(apps, age.file);
  const dist = await bundleCli();
  cli = path.join(dist, 'cli.js');
  try {
    const load = [loadavg()[0]!];
    // One warm-up of each, so both start with the files in the page cache.
    const warm = await ours(age.file);
    const floorWarm = await floor(plain, apps);
    const oursMs: number[] = [];
    const floorMs: number[] = [];
    const ratios: number[] = [];
    const oursCpu: number[] = [];
    const floorCpu: number[] = [];
    let rss = warm.rssMb;
    let identical = warm.yaml === floorWarm.yaml;
    // BENCH_BASELINE=<dist folder of an earlier bundle>: timed in the same rounds, so a change
    // is measured before and after under the same load.
    const baselineCli =
      process.env['BENCH_BASELINE'] === undefined
        ? undefined
        : path.join(process.env['BENCH_BASELINE'], 'cli.js');
    const baselineMs: number[] = [];
    const baselineCpu: number[] = [];
    if (baselineCli !== undefined) await ours(age.file, baselineCli);
    for (let r = 0; r < RUNS; r++) {
      const f = await floor(plain, apps);
      if (baselineCli !== undefined) {
        const b = await ours(age.file, baselineCli);
        baselineMs.push(b.ms);
        baselineCpu.push(b.cpu);
        identical &&= b.yaml === f.yaml;
      }
      const m = await ours(age.file);
      floorMs.push(f.ms);
      oursMs.push(m.ms);
      ratios.push(m.ms / f.ms);
      oursCpu.push(m.cpu);
      floorCpu.push(f.cpu);
      rss = Math.max(rss, m.rssMb);
      identical &&= m.yaml === f.yaml;
      load.push(loadavg()[0]!);
    }
    const real = process.env['BENCH_REAL'] === '0' ? undefined : await realTools(apps, age.file);
    if (real !== undefined) identical &&= real.yaml === warm.yaml;
    const mine = median(oursMs);
    const base = median(floorMs);
    const { stdout: version } = await execFileAsync(kustomize, ['version']);
    console.log(
      `bench/build on Node ${process.version}, kustomize ${version.trim()}, ${width} cores, 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} during the run: ${apps.length} kustomizations, ${apps.length * SECRETS_PER_APP} age-encrypted Secrets, ${apps.length * OBJECTS_PER_APP} other objects; medians of ${RUNS} alternating runs`,
    );
    console.log('| run | wall time (median) | runs | peak RSS |');
    console.log('|---|---|---|---|');
    console.log(
      `| floor: plain kustomize build of the decrypted copy, ${inFlight} in flight | ${(base / 1000).toFixed(2)} s | ${floorMs.map((x) => (x / 1000).toFixed(2)).join(', ')} | |`,
    );
    console.log(
      `| ours: one \`build\` process (bundled CLI, start-up included) | ${(mine / 1000).toFixed(2)} s | ${oursMs.map((x) => (x / 1000).toFixed(2)).join(', ')} | ${rss.toFixed(1)} MB |`,
    );
    if (baselineCli !== undefined)
      console.log(
        `| baseline: ${process.env['BENCH_BASELINE'] ?? ''} | ${(median(baselineMs) / 1000).toFixed(2)} s (${(median(baselineMs) / base).toFixed(2)}× floor; CPU ${median(baselineCpu).toFixed(2)} s) | ${baselineMs.map((x) => (x / 1000).toFixed(2)).join(', ')} | |`,
      );
    if (real !== undefined)
      console.log(
        `| real tools: sops -d each file + kustomize build each copy | ${(real.ms / 1000).toFixed(2)} s | 1 | |`,
      );
    const ratio = median(ratios);
    console.log(
      `ratio ours ÷ floor: median ${ratio.toFixed(2)}× of per-run ratios ${ratios.map((x) => x.toFixed(2)).join(', ')} (target ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'NOT met'})`,
    );
    if (real !== undefined) {
      const vsReal = mine / real.ms;
      console.log(
        `ratio ours ÷ real tools: ${vsReal.toFixed(2)}× (target ≤ 0.5×: ${vsReal <= 0.5 ? 'met' : 'NOT met'})`,
      );
    }
    const cpuRatio = median(oursCpu) / median(floorCpu);
    console.log(
      `CPU (user + system, children included): ours ${median(oursCpu).toFixed(2)} s, floor ${median(floorCpu).toFixed(2)} s, ours ÷ floor ${cpuRatio.toFixed(2)}× (less sensitive to a shared machine than wall time)`,
    );
    console.log(`peak RSS: ${rss.toFixed(1)} MB (target ≤ 300 MB: ${rss <= 300 ? 'met' : 'NOT met'})`);
    console.log(`outputs byte-identical: ${identical ? 'yes' : 'NO'}`);
    if (!identical) process.exitCode = 1;
  } finally {
    await rm(plain, { recursive: true, force: true });
    await rm(dist, { recursive: true, force: true });
  }
}

// Other benches import the tree generator and the floor; only `node bench/build/run.ts` runs it.
if (import.meta.main) await main();
