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
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient, type KubeClient, type KubeObject } from '../../src/kube/client.ts';
import { diffObjects } from '../../src/kube/diff.ts';
import { kube } from '../../test/env/components/kube.ts';
import { toolPath } from '../../test/env/paths.ts';

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

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
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

await kube.install();
const started = await kube.start!();
const dir = await mkdtemp(path.join(tmpdir(), 'ksd-bench-cluster-'));
try {
  const kubeconfig = started.info['kubeconfig']!;
  const raw = await createKubeClient({ kubeconfig, env: {}, maxSockets: 16 });
  const { client, take } = counting(raw);
  const nsObjects = ['ours', 'theirs', 'warm-ours', 'warm-theirs'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  await applyObjects(client, nsObjects);
  const files = {
    base: path.join(dir, 'base.yaml'),
    changed: path.join(dir, 'changed.yaml'),
    pruned: path.join(dir, 'pruned.yaml'),
  };
  await writeFile(files.base, toYaml(objects('theirs')));
  await writeFile(files.changed, toYaml(objects('theirs', 10)));
  await writeFile(files.pruned, toYaml(objects('theirs', 0, 100)));
  // Warm-up, not measured: one object of each kind per side, in namespaces of their own, so
  // that neither side's first phase pays for a cold apiserver (schemas for server-side apply,
  // caches) or, for kubectl, a cold discovery cache.
  const sample = (ns: string): KubeObject[] =>
    objects(ns).filter((o) => /-0$/.test((o['metadata'] as { name: string }).name));
  const warmFile = path.join(dir, 'warm.yaml');
  await writeFile(warmFile, toYaml(sample('warm-theirs')));
  await runKubectl(['apply', '--server-side', '-f', warmFile], kubeconfig);
  await applyObjects(raw, sample('warm-ours'));
  await sleep(2_000);
  const applySet = { name: 'bench', namespace: 'ours' };
  const options = { applySet, prune: true };

  // SETTLE=0 measures back to back, as the first version of this benchmark did.
  const settleOn = process.env['SETTLE'] !== '0';
  const calm = async (namespace: string): Promise<void> => {
    if (settleOn) await settle(raw, namespace, 400);
  };
  const kFirst = await time(() => runKubectl(['apply', '--server-side', '-f', files.base], kubeconfig));
  await calm('theirs');
  take();
  const oFirst = await time(() => applyObjects(client, objects('ours'), options));
  const cFirst = take();
  await calm('ours');
  const kAgain = await time(() => runKubectl(['apply', '--server-side', '-f', files.base], kubeconfig));
  take();
  const oAgain = await time(() => applyObjects(client, objects('ours'), options));
  const cAgain = take();
  const written = oAgain.value.objects.filter((o) => o.status !== 'unchanged').length;
  const kDiff = await time(() => runKubectl(['diff', '--server-side', '-f', files.changed], kubeconfig));
  take();
  const oDiff = await time(() => diffObjects(client, objects('ours', 10), options));
  const cDiff = take();
  const oPrune = await time(() => applyObjects(client, objects('ours', 0, 100), options));
  const cPrune = take();
  const pruned = oPrune.value.counts.deleted;
  raw.close();

  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const line = (name: string, ours: number, theirs: number | undefined, target: string) =>
    console.log(
      `${name.padEnd(22)} ours ${ours.toFixed(0).padStart(6)} ms` +
        (theirs === undefined
          ? ''
          : `   kubectl ${theirs.toFixed(0).padStart(6)} ms   ratio ${ratio(ours, theirs)} (target ${target})`),
    );
  console.log(
    `1,000 objects (300 ConfigMaps, 300 Secrets, 400 Deployments), kube ${started.info['version'] ?? ''}`,
  );
  const requests = (c: Counts) => `  requests: ${c.reads} reads, ${c.dryRuns} dry runs, ${c.writes} writes`;
  console.log(`settle between phases: ${settleOn ? 'yes' : 'no (SETTLE=0)'}`);
  line('first apply', oFirst.ms, kFirst.ms, '≤ 0.5');
  console.log(requests(cFirst));
  line('no-change re-apply', oAgain.ms, kAgain.ms, '≤ 0.3');
  console.log(`  re-apply objects written: ${written} (expected 0); first apply ok: ${oFirst.value.ok}`);
  console.log(requests(cAgain));
  line('diff, 10 changes', oDiff.ms, kDiff.ms, '≤ 0.5');
  console.log(`  diff: ${oDiff.value.counts.configured} configured (expected 10)`);
  console.log(requests(cDiff));
  line('prune 100', oPrune.ms, undefined, '');
  console.log(`  pruned: ${pruned} (expected 100)`);
  console.log(requests(cPrune));
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (target ≤ 300)`);
} finally {
  clearInterval(sampler);
  await started.stop();
  await rm(dir, { recursive: true, force: true });
}
