/**
 * bench/diff: the unified diff of one large object, as `diff` and `apply` print it, against
 * two peers measured in the same run on the same files:
 *  - `diff -u` from GNU diffutils (the floor: C, the same algorithm family, with heuristics);
 *  - the previous implementation (bench/diff/previous-myers.ts), the "before" of issue 13.
 *
 * Cases, on a generated 20,000-line CRD-like object (many repeated lines such as
 * `type: string`, the hard case for matching):
 *  - new: the object is created (one side empty). Target < 1 s and < 200 MB peak RSS.
 *  - 1%: two versions with 1% of the lines changed (modified, inserted and deleted). Target < 2 s.
 *  - rewrite: every line re-indented, so the sides share no line (no target; shows that such
 *    a diff costs no search).
 *
 * Each measurement is its own child process, so each peak RSS (getrusage's maxRSS for node,
 * GNU time's %M for diff) belongs to one diff alone; node's own baseline (about 45 MB) is
 * included, as it is on a runner. Times are the median of RUNS runs: for node the diff call
 * alone, for `diff -u` the whole process (its start-up included, which flatters our ratio
 * by a millisecond or two). The previous implementation runs the "new" case only with
 * BENCH_DIFF_PREVIOUS_NEW=1: it needs about 3.3 GB.
 *
 * Run: `npm run bench:diff` (`node bench/diff/run.ts`); LINES and RUNS change the size and count.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { unifiedDiff } from '../../src/kube/unified-diff.ts';
import { unifiedDiff as previousDiff } from './previous-myers.ts';

const LINES = Number(process.env['LINES'] ?? 20_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const self = fileURLToPath(import.meta.url);

type Algo = 'ours' | 'previous';
type Case = 'new' | '1%' | 'rewrite';
interface Measure {
  readonly ms: number;
  readonly rssMb: number;
  /** Lines of diff output, to check that every side printed the same amount. */
  readonly lines: number;
}

/** A CRD-like object of about `lines` lines. */
function crd(lines: number): string[] {
  const out = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    '  versions:',
    '    - name: v1',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    '          properties:',
  ];
  const types = ['string', 'integer', 'boolean', 'string'];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `            field${i}:`,
      `              description: Field ${i} sets how the widget handles case ${i % 97}.`,
      `              type: ${types[i % types.length] ?? 'string'}`,
    );
    if (i % 3 === 0) out.push('              nullable: true');
    if (i % 5 === 0) out.push(`              default: ${i % 7}`);
  }
  return out.slice(0, lines);
}

/** 1% of the lines changed, spread out by a fixed pseudo-random sequence: 4 in 6 modified, 1 inserted, 1 deleted. */
function changeOnePercent(lines: readonly string[]): string[] {
  let seed = 13;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out = [...lines];
  const count = Math.round(lines.length / 100);
  for (let c = 0; c < count; c++) {
    const at = Math.floor(random() * out.length);
    const kind = c % 6;
    if (kind === 4) out.splice(at, 0, `              x-added-${c}: true`);
    else if (kind === 5) out.splice(at, 1);
    else out[at] = `${out[at] ?? ''} # v2`;
  }
  return out;
}

const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

/** In a child: one diff of the two files, timed, with this process's peak RSS. */
function child(algo: Algo, a: string, b: string): void {
  const before = readFileSync(a, 'utf8');
  const after = readFileSync(b, 'utf8');
  const run = algo === 'ours' ? unifiedDiff : previousDiff;
  const start = performance.now();
  const out = run(before, after, 'a', 'b');
  const ms = performance.now() - start;
  const measure: Measure = {
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
    lines: out.split('\n').length - 1,
  };
  process.stdout.write(JSON.stringify(measure));
}

function spawnText(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0 && command === process.execPath)
        reject(new Error(`child failed (${String(code)}): ${stderr}`));
      else resolve({ stdout, stderr, ms: performance.now() - start });
    });
  });
}

async function measureNode(algo: Algo, a: string, b: string): Promise<Measure> {
  const { stdout } = await spawnText(process.execPath, [self, 'child', algo, a, b]);
  return JSON.parse(stdout) as Measure;
}

/**
 * `diff -u` under GNU time, whose %M is the peak RSS in KB. The time is the wall time of the
 * whole process from spawn to exit (GNU time's %e counts only in 10 ms steps).
 */
async function measureDiffU(a: string, b: string): Promise<Measure> {
  const { stdout, stderr, ms } = await spawnText('/usr/bin/time', ['-f', 'rss=%M', 'diff', '-u', a, b]);
  const m = /rss=(\d+)/.exec(stderr);
  if (m === null) throw new Error(`no peak RSS from GNU time: ${stderr}`);
  return { ms, rssMb: Number(m[1]) / 1024, lines: stdout.split('\n').length - 1 };
}

async function median(measure: () => Promise<Measure>): Promise<Measure> {
  const all: Measure[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await measure());
  const byTime = [...all].sort((x, y) => x.ms - y.ms);
  const mid = byTime[Math.floor(byTime.length / 2)] ?? all[0];
  if (mid === undefined) throw new Error('RUNS must be at least 1');
  return { ...mid, rssMb: Math.max(...all.map((m) => m.rssMb)) };
}

const fmt = (m: Measure): string =>
  `${m.ms.toFixed(0).padStart(6)} ms ${m.rssMb.toFixed(0).padStart(5)} MB ${String(m.lines).padStart(6)} lines`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ksd-bench-diff-'));
  try {
    const base = crd(LINES);
    const files: Record<string, string> = {
      empty: '',
      base: text(base),
      changed: text(changeOnePercent(base)),
      reindented: text(base.map((l) => `  ${l}`)),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const f = (name: string): string => path.join(dir, name);
    const cases: { name: Case; a: string; b: string; targetMs?: number; targetMb?: number }[] = [
      { name: 'new', a: f('empty'), b: f('base'), targetMs: 1000, targetMb: 200 },
      { name: '1%', a: f('base'), b: f('changed'), targetMs: 2000 },
      { name: 'rewrite', a: f('base'), b: f('reindented') },
    ];
    const report = [`diff bench: a ${LINES}-line object, ${RUNS} runs each, median time, peak RSS`];
    let failed = false;
    for (const c of cases) {
      const ours = await median(() => measureNode('ours', c.a, c.b));
      const floor = await median(() => measureDiffU(c.a, c.b));
      const runPrevious = c.name === '1%' || process.env['BENCH_DIFF_PREVIOUS_NEW'] === '1';
      const previous =
        runPrevious && c.name !== 'rewrite'
          ? await median(() => measureNode('previous', c.a, c.b))
          : undefined;
      const targets = [
        c.targetMs === undefined ? '' : `< ${c.targetMs} ms`,
        c.targetMb === undefined ? '' : `< ${c.targetMb} MB`,
      ].filter((t) => t !== '');
      const met =
        (c.targetMs === undefined || ours.ms < c.targetMs) &&
        (c.targetMb === undefined || ours.rssMb < c.targetMb);
      if (!met) failed = true;
      report.push(
        `  ${c.name}${targets.length > 0 ? ` (target ${targets.join(', ')}: ${met ? 'met' : 'MISSED'})` : ''}`,
        `    ours          ${fmt(ours)}`,
        `    diff -u       ${fmt(floor)}   ratio ours/diff -u: time ${(ours.ms / floor.ms).toFixed(1)}x, RSS ${(ours.rssMb / floor.rssMb).toFixed(1)}x`,
        previous === undefined
          ? `    previous      (not run${c.name === 'new' ? '; BENCH_DIFF_PREVIOUS_NEW=1 runs it, about 3.3 GB' : ''})`
          : `    previous      ${fmt(previous)}   ratio ours/previous: time ${(ours.ms / previous.ms).toFixed(2)}x, RSS ${(ours.rssMb / previous.rssMb).toFixed(2)}x`,
      );
    }
    process.stdout.write(`${report.join('\n')}\n`);
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const [, , , algo, a, b] = process.argv;
  child(algo === 'previous' ? 'previous' : 'ours', a ?? '', b ?? '');
} else await main();
