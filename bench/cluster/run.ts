/**
 * bench/cluster: 1,000 objects (300 ConfigMaps, 300 Secrets, 400 Deployments) against the
 * local kube-apiserver from test/env, measured in the same run as `kubectl apply
 * --server-side` and `kubectl diff --server-side` on the same manifests: first apply, a
 * re-apply with no changes (which must write nothing), a diff with 10 changes, and a prune
 * of 100 objects. Ours runs in this process (the same code the CLI runs); kubectl runs as a
 * child. Each side gets its own namespace so neither sees the other's objects.
 *
 * Targets: ≤ 0.5× kubectl for the first apply and the diff, ≤ 0.3× for the no-change
 * re-apply, peak RSS ≤ 300 MB. Run: `KSD_CACHE_DIR=... node bench/cluster/run.ts`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient, type KubeClient, type KubeObject } from '../../src/kube/client.ts';
import { DEFAULT_CONCURRENCY } from '../../src/kube/concurrency.ts';
import { diffObjects } from '../../src/kube/diff.ts';
import { kube } from '../../test/env/components/kube.ts';
import { toolPath } from '../../test/env/paths.ts';
import { spawnLatencyProxy } from './latency-proxy.ts';

const execFileAsync = promisify(execFile);
const kubectl = toolPath('kubectl');

function objects(ns: string, changed = 0, drop = 0): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < 300; i++) {
    const data: Record<string, string> = {};
    for (let j = 0; j < 6; j++) data[`setting_${j}`] = `value ${i}-${j}${i < changed ? '-changed' : ''}`;
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cfg-${i}`, namespace: ns }, data });
  }
  for (let i = 0; i < 300; i++) {
    const stringData = { password: `bench-password-${i}`, token: `bench-token-${i}-0123456789` };
    const data = Object.fromEntries(
      Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    );
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `sec-${i}`, namespace: ns },
      type: 'Opaque',
      data,
    });
  }
  for (let i = 0; i < 400; i++) {
    const labels = { 'app.kubernetes.io/name': `web-${i}` };
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `web-${i}`, namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: `ghcr.io/example/web:1.${i % 40}.0`,
                ports: [{ containerPort: 8080 }],
                env: [{ name: 'DB_HOST', value: `db.${ns}.svc` }],
                resources: { limits: { memory: '256Mi' } },
              },
            ],
          },
        },
      },
    });
  }
  // Prune drops the last `drop` ConfigMaps and Secrets (not Deployments: their ReplicaSets
  // would make deletion slower for reasons that are not ours).
  return out.filter((o) => {
    const name = (o['metadata'] as { name: string }).name;
    const n = Number(/-(\d+)$/.exec(name)?.[1]);
    return o['kind'] === 'Deployment' || n < 300 - drop / 2;
  });
}

function toYaml(list: readonly KubeObject[]): string {
  return list.map((o) => stringify(o)).join('---\n');
}

/** The kube component's folder: its apiserver's and etcd's command lines name it. */
let serverDir = '';

/**
 * CPU time (user + system) the apiserver and etcd of this run have used so far, from /proc.
 * A phase's share is far less sensitive to other work on a shared machine than wall time.
 */
function serverCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!/(kube-apiserver|etcd)$/.test(argv[0] ?? '') || !argv.some((a) => a.includes(serverDir))) continue;
      // Fields after "pid (comm) ": utime and stime are the 12th and 13th, in clock ticks (100 Hz).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

interface Timed<T> {
  ms: number;
  /** apiserver + etcd CPU during the phase. */
  serverCpuMs: number;
  /** This process's CPU during the phase (ours runs in it; kubectl does not). */
  clientCpuMs: number;
  value: T;
}

async function time<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const server = serverCpuMs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, serverCpuMs: serverCpuMs() - server, clientCpuMs: (used.user + used.system) / 1000, value };
}

async function runKubectl(args: readonly string[], kubeconfig: string): Promise<void> {
  try {
    await execFileAsync(kubectl, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    // kubectl diff exits 1 when there are differences.
    if ((error as { code?: number }).code !== 1 || args[0] !== 'diff') throw error;
  }
}

/** Requests our side sent in one phase, by what they cost the apiserver. */
interface Counts {
  reads: number;
  dryRuns: number;
  writes: number;
}

function counting(client: KubeClient): { client: KubeClient; take: () => Counts } {
  let counts: Counts = { reads: 0, dryRuns: 0, writes: 0 };
  return {
    client: {
      ...client,
      request(method, p, options = {}) {
        if (method === 'GET') counts.reads++;
        else if (options.query?.['dryRun'] !== undefined) counts.dryRuns++;
        else counts.writes++;
        return client.request(method, p, options);
      },
    },
    take() {
      const taken = counts;
      counts = { reads: 0, dryRuns: 0, writes: 0 };
      return taken;
    },
  };
}

/**
 * Waits until the controller-manager has made the ReplicaSet and Pod of every Deployment
 * in `namespace`, so that its catch-up after one side's first apply (about as many writes
 * as the apply itself) is not billed to the phase measured next.
 */
async function settle(client: KubeClient, namespace: string, pods: number): Promise<void> {
  const count = async (): Promise<number> => {
    const { body } = await client.request('GET', `/api/v1/namespaces/${namespace}/pods`, {
      query: { limit: '1' },
    });
    const list = body as { items?: unknown[]; metadata?: { remainingItemCount?: number } };
    return (list.items?.length ?? 0) + (list.metadata?.remainingItemCount ?? 0);
  };
  const deadline = Date.now() + 180_000;
  while ((await count()) < pods && Date.now() < deadline) await sleep(250);
  await sleep(1_000);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

/**
 * `--concurrency` values for our side (CONCURRENCY=8,default: each is measured in the same
 * run, against the same kubectl phases; `default` or unset: the CLI's default), with twice as
 * many sockets, as the CLI opens.
 */
const CONCURRENCIES: readonly (number | undefined)[] = (process.env['CONCURRENCY'] ?? 'default')
  .split(',')
  .map((c) => (c === 'default' ? undefined : Number(c)));

/** The targets per round trip: loopback measures the machine, 20 ms what a runner meets. */
const TARGETS: Record<string, { first: string; again: string; diff: string }> = {
  '0': { first: '≤ 0.6', again: '≤ 0.3', diff: '≤ 0.5' },
  '20': { first: '≤ 0.25', again: '≤ 0.05', diff: '≤ 0.1' },
};

/** A copy of the kubeconfig that reaches the apiserver through `url` (the latency proxy). */
async function kubeconfigVia(kubeconfig: string, url: string, dir: string): Promise<string> {
  // The test environment writes its kubeconfig as JSON.
  const config = JSON.parse(await readFile(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  for (const entry of config.clusters) entry.cluster.server = url;
  const out = path.join(dir, `kubeconfig-${url.split(':').at(-1) ?? ''}`);
  await writeFile(out, JSON.stringify(config), { mode: 0o600 });
  return out;
}

/** One of our sides: a concurrency, its namespace, and a client that counts its requests. */
interface Ours {
  readonly label: string;
  readonly namespace: string;
  readonly raw: KubeClient;
  readonly client: KubeClient;
  readonly take: () => Counts;
  readonly options: { applySet: { name: string; namespace: string }; prune: boolean; concurrency?: number };
}

/** What one of our sides measured. */
type Phase = Omit<Timed<unknown>, 'value'> & { counts: Counts };
interface OursResult {
  first: Phase & { ok: boolean };
  again: Phase & { written: number };
  diff: Phase & { configured: number };
  prune: Phase & { deleted: number };
}

/** kubectl's phases. */
interface Theirs {
  first: Timed<unknown>;
  again: Timed<unknown>;
  diff: Timed<unknown>;
}

function report(
  rttMs: number,
  version: string,
  settleOn: boolean,
  kubectl: Theirs,
  results: readonly { side: Ours; result: OursResult }[],
): void {
  const targets = TARGETS[String(rttMs)] ?? { first: '-', again: '-', diff: '-' };
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const line = (name: string, ours: number, theirs: number | undefined, target: string) =>
    console.log(
      `${name.padEnd(22)} ours ${ours.toFixed(0).padStart(6)} ms` +
        (theirs === undefined
          ? ''
          : `   kubectl ${theirs.toFixed(0).padStart(6)} ms   ratio ${ratio(ours, theirs)} (target ${target})`),
    );
  const requests = (c: Counts) => `  requests: ${c.reads} reads, ${c.dryRuns} dry runs, ${c.writes} writes`;
  const cpu = (ours: Phase, theirs: Timed<unknown>) =>
    `  CPU: apiserver+etcd ${ours.serverCpuMs.toFixed(0)} ms (kubectl's phase ${theirs.serverCpuMs.toFixed(0)} ms), our client ${ours.clientCpuMs.toFixed(0)} ms`;
  console.log(
    `\n## round trip ${rttMs === 0 ? 'loopback (no proxy)' : `${rttMs} ms (latency proxy)`}: 1,000 objects (300 ConfigMaps, 300 Secrets, 400 Deployments), kube ${version}`,
  );
  console.log(
    `settle between phases: ${settleOn ? 'yes' : 'no (SETTLE=0)'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const { side, result: r } of results) {
    console.log(`### our concurrency: ${side.label}`);
    line('first apply', r.first.ms, kubectl.first.ms, targets.first);
    console.log(requests(r.first.counts));
    console.log(cpu(r.first, kubectl.first));
    line('no-change re-apply', r.again.ms, kubectl.again.ms, `${targets.again}, no writes`);
    console.log(`  re-apply objects written: ${r.again.written} (expected 0); first apply ok: ${r.first.ok}`);
    console.log(requests(r.again.counts));
    console.log(cpu(r.again, kubectl.again));
    line('diff, 10 changes', r.diff.ms, kubectl.diff.ms, targets.diff);
    console.log(`  diff: ${r.diff.configured} configured (expected 10)`);
    console.log(requests(r.diff.counts));
    console.log(cpu(r.diff, kubectl.diff));
    line('prune 100', r.prune.ms, undefined, '');
    console.log(`  pruned: ${r.prune.deleted} (expected 100)`);
    console.log(requests(r.prune.counts));
  }
}

/** Every phase, kubectl's and each of our sides', over one round-trip time (0: loopback, no proxy). */
async function measure(rttMs: number, direct: string, dir: string, version: string): Promise<void> {
  const config = JSON.parse(await readFile(direct, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  const server = new URL(config.clusters[0]?.cluster.server ?? '');
  const proxy =
    rttMs === 0
      ? undefined
      : await spawnLatencyProxy({ host: server.hostname, port: Number(server.port) }, rttMs);
  const kubeconfig = proxy === undefined ? direct : await kubeconfigVia(direct, proxy.url, dir);
  const ns = (name: string): string => `${name}-${rttMs}ms`;
  const sides: Ours[] = [];
  for (const [index, concurrency] of CONCURRENCIES.entries()) {
    const label = concurrency === undefined ? `default (${DEFAULT_CONCURRENCY})` : String(concurrency);
    // The CLI opens twice as many sockets as requests in flight (src/commands/open-kube-client.ts).
    const raw = await createKubeClient({
      kubeconfig,
      env: {},
      maxSockets: (concurrency ?? DEFAULT_CONCURRENCY) * 2,
    });
    // Indexed: CONCURRENCY=8,32,8,32 interleaves repeated measurements.
    const namespace = ns(`ours-${index}-${concurrency ?? 'default'}`);
    sides.push({
      label,
      namespace,
      raw,
      ...counting(raw),
      options: {
        applySet: { name: 'bench', namespace },
        prune: true,
        ...(concurrency === undefined ? {} : { concurrency }),
      },
    });
  }
  // Settling reads go straight to the apiserver: they are not measured.
  const settler = await createKubeClient({ kubeconfig: direct, env: {} });
  try {
    const namespaces = [
      ns('theirs'),
      ns('warm-theirs'),
      ...sides.flatMap((s) => [s.namespace, `warm-${s.namespace}`]),
    ];
    await applyObjects(
      settler,
      namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    );
    const files = {
      base: path.join(dir, `base-${rttMs}.yaml`),
      changed: path.join(dir, `changed-${rttMs}.yaml`),
    };
    await writeFile(files.base, toYaml(objects(ns('theirs'))));
    await writeFile(files.changed, toYaml(objects(ns('theirs'), 10)));
    // Warm-up, not measured: one object of each kind per side, in namespaces of their own, so
    // that neither side's first phase pays for a cold apiserver (schemas for server-side apply,
    // caches) or, for kubectl, a cold discovery cache.
    const sample = (namespace: string): KubeObject[] =>
      objects(namespace).filter((o) => /-0$/.test((o['metadata'] as { name: string }).name));
    const warmFile = path.join(dir, `warm-${rttMs}.yaml`);
    await writeFile(warmFile, toYaml(sample(ns('warm-theirs'))));
    await runKubectl(['apply', '--server-side', '-f', warmFile], kubeconfig);
    for (const side of sides) await applyObjects(side.raw, sample(`warm-${side.namespace}`));
    await sleep(2_000);

    // SETTLE=0 measures back to back, as the first version of this benchmark did.
    const settleOn = process.env['SETTLE'] !== '0';
    const calm = async (namespace: string): Promise<void> => {
      if (settleOn) await settle(settler, namespace, 400);
    };
    const results = new Map<Ours, Partial<OursResult>>(sides.map((s) => [s, {}]));
    const at = (side: Ours): Partial<OursResult> => results.get(side) ?? {};

    const kFirst = await time(() => runKubectl(['apply', '--server-side', '-f', files.base], kubeconfig));
    await calm(ns('theirs'));
    for (const side of sides) {
      side.take();
      const { value, ...timed } = await time(() =>
        applyObjects(side.client, objects(side.namespace), side.options),
      );
      at(side).first = { ...timed, counts: side.take(), ok: value.ok };
      await calm(side.namespace);
    }
    const kAgain = await time(() => runKubectl(['apply', '--server-side', '-f', files.base], kubeconfig));
    for (const side of sides) {
      side.take();
      const { value, ...timed } = await time(() =>
        applyObjects(side.client, objects(side.namespace), side.options),
      );
      const written = value.objects.filter((o) => o.status !== 'unchanged').length;
      at(side).again = { ...timed, counts: side.take(), written };
    }
    const kDiff = await time(() => runKubectl(['diff', '--server-side', '-f', files.changed], kubeconfig));
    for (const side of sides) {
      side.take();
      const { value, ...timed } = await time(() =>
        diffObjects(side.client, objects(side.namespace, 10), side.options),
      );
      at(side).diff = { ...timed, counts: side.take(), configured: value.counts.configured };
    }
    for (const side of sides) {
      side.take();
      const { value, ...timed } = await time(() =>
        applyObjects(side.client, objects(side.namespace, 0, 100), side.options),
      );
      at(side).prune = { ...timed, counts: side.take(), deleted: value.counts.deleted };
    }
    report(
      rttMs,
      version,
      settleOn,
      { first: kFirst, again: kAgain, diff: kDiff },
      sides.map((side) => ({ side, result: at(side) as OursResult })),
    );
  } finally {
    for (const side of sides) side.raw.close();
    settler.close();
    await proxy?.close();
  }
}

await kube.install();
const started = await kube.start!();
serverDir = started.info['dir'] ?? '';
const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-cluster-'));
try {
  // RTT=0,20,80 by default: loopback, then what a runner 20 ms and 80 ms from its cluster meets.
  const rtts = (process.env['RTT'] ?? '0,20,80').split(',').map(Number);
  for (const rtt of rtts) await measure(rtt, started.info['kubeconfig']!, dir, started.info['version'] ?? '');
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  console.log(`\npeak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (target ≤ 300)`);
} finally {
  clearInterval(sampler);
  await started.stop();
  await rm(dir, { recursive: true, force: true });
}
