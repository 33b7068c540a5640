/**
 * bench/lint: the lint gate on a generated repository of 10,000 YAML files (20% Secrets, half
 * of those sops-encrypted), run as users run it (`node dist/cli.js lint`), against the floor
 * of a plain `grep -r 'kind: Secret'` (gitleaks has no Debian package here).
 *
 * Targets: ≤ 2 s wall time and ≤ 200 MB peak RSS. The encrypted Secrets are copies of a file
 * the real sops wrote (test/fixtures/lint/secret.enc.yaml) with the object name changed;
 * lint never checks MACs, so the copies are as good as fresh encryptions for it.
 * Run: `node bench/lint/run.ts` (after `npm run bundle`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cacheRoot, repoRoot } from '../../test/env/paths.ts';

const FILES = Number(process.env['BENCH_LINT_FILES'] ?? 10_000);
const RUNS = Number(process.env['BENCH_LINT_RUNS'] ?? 5);
const repo = path.join(cacheRoot, 'bench', 'lint', `repo-${FILES}`);

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 50}
  labels:
    app.kubernetes.io/name: web-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-${i}
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.${i % 40}.0
          ports:
            - containerPort: 8080
          env:
            - name: DB_HOST
              value: db.team-${i % 50}.svc
          resources:
            limits:
              memory: 256Mi
`;
}

function configMap(i: number): string {
  const keys = Array.from({ length: 8 }, (_, j) => `  setting_${j}: "value ${i}-${j}"`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\n  namespace: team-${i % 50}\ndata:\n${keys}\n`;
}

function plainSecret(i: number): string {
  const keys = Array.from(
    { length: 4 },
    (_, j) => `  key${j}: ${Buffer.from(`bench-${i}-${j}-${'x'.repeat(16)}`).toString('base64')}`,
  ).join('\n');
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}\n  namespace: team-${i % 50}\ntype: Opaque\ndata:\n${keys}\n`;
}

async function generate(): Promise<void> {
  if (existsSync(path.join(repo, '.complete')) && existsSync(path.join(repo, '.git', 'HEAD'))) return;
  await rm(repo, { recursive: true, force: true });
  const encrypted = await readFile(path.join(repoRoot, 'test/fixtures/lint/secret.enc.yaml'), 'utf8');
  process.stderr.write(`bench: generating ${FILES} files in ${repo}...\n`);
  const dirs = 100;
  for (let d = 0; d < dirs; d++) await mkdir(path.join(repo, `team-${d}`), { recursive: true });
  // A git repository of its own: lint lists what git would track, and inside a checkout that
  // ignores the cache (KSD_CACHE_DIR=<clone>/.cache) it would otherwise list nothing.
  execFileSync('git', ['init', '-q', repo]);
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(repo, `team-${i % dirs}`);
    let name: string;
    let text: string;
    if (i % 10 === 0) [name, text] = [`secret-${i}.enc.yaml`, encrypted.replace('name: db', `name: s${i}`)];
    else if (i % 10 === 5) [name, text] = [`secret-${i}.yaml`, plainSecret(i)];
    else if (i % 2 === 0) [name, text] = [`deploy-${i}.yaml`, deployment(i)];
    else [name, text] = [`config-${i}.yaml`, configMap(i)];
    await writeFile(path.join(dir, name), text);
  }
  // The Flux guide's broad rule: every YAML file matches, so every file is considered.
  await writeFile(
    path.join(repo, '.sops.yaml'),
    'creation_rules:\n  - path_regex: .*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: age1x\n',
  );
  await writeFile(path.join(repo, '.complete'), '');
}

interface Run {
  readonly ms: number;
  readonly stdout: string;
  readonly maxRssKb: number | undefined;
}

function timed(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const rss = /maxrss=(\d+)/.exec(err)?.[1];
      resolve({
        ms: performance.now() - start,
        stdout: Buffer.concat(out).toString(),
        maxRssKb: rss === undefined ? undefined : Number(rss),
      });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

await generate();
// Reports the child's peak RSS at exit, without a platform-specific `time` binary.
const rssHook = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`;
const cli = path.join(repoRoot, 'dist', 'cli.js');
const lintRuns: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  lintRuns.push(await timed(process.execPath, ['--import', rssHook, cli, 'lint', repo, '--format', 'json']));
}
const findings = (JSON.parse(lintRuns[0]?.stdout ?? '{}') as { findings?: unknown[] }).findings?.length;
const grepRuns: Run[] = [];
for (let i = 0; i < RUNS; i++) grepRuns.push(await timed('grep', ['-rl', 'kind: Secret', repo]));

const lintMs = median(lintRuns.map((r) => r.ms));
const grepMs = median(grepRuns.map((r) => r.ms));
const rssMb = Math.max(...lintRuns.map((r) => r.maxRssKb ?? 0)) / 1024;
const expected = FILES / 10;
process.stdout.write(
  [
    `lint bench: ${FILES} YAML files (${FILES / 5} Secrets, ${FILES / 10} encrypted), ${RUNS} runs, median`,
    `  kustomize-sops-deploy lint: ${lintMs.toFixed(0)} ms  (target ≤ 2000 ms)  peak RSS ${rssMb.toFixed(0)} MB (target ≤ 200 MB)`,
    `  grep -rl 'kind: Secret' (floor): ${grepMs.toFixed(0)} ms`,
    `  ratio lint/grep: ${(lintMs / grepMs).toFixed(1)}x`,
    `  findings: ${String(findings)} (expected ${expected}: one per plaintext Secret)`,
    '',
  ].join('\n'),
);
if (findings !== expected) {
  process.stderr.write('bench: unexpected number of findings\n');
  process.exitCode = 1;
}
