/**
 * Measures what a first run on a fresh machine pays to install the test environment:
 * `KSD_CACHE_DIR=<empty folder> node test/env/install-times.ts` installs every component in
 * the order global setup builds them, one component at a time (global setup runs two Go builds
 * at a time), and prints, per component, the
 * wall time and the CPU time of the processes it ran (Go, pip, npm), then the totals.
 * CPU time is what a shared machine barely disturbs; on an idle machine a Go build's wall time
 * is about its CPU time divided by the cores (docs/test-environment.md has the results).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { components } from './components/index.ts';
import { cacheRoot } from './paths.ts';

/** CPU seconds of this process's waited-for children (utime + stime of /proc/self/stat). */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5) (cutime, cstime) are at 13 and 14 after the command name.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

const rows: string[] = [];
let wallTotal = 0;
let cpuTotal = 0;
process.stdout.write(
  `install times into ${cacheRoot} (${String(os.cpus().length)} cores, Node ${process.version})\n`,
);
for (const component of components) {
  const t0 = performance.now();
  const c0 = childCpuSeconds();
  await component.install();
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpuSeconds() - c0;
  wallTotal += wall;
  cpuTotal += cpu;
  const row = `| ${component.name} | ${wall.toFixed(0)} s | ${cpu.toFixed(0)} s |`;
  rows.push(row);
  process.stdout.write(`${row}\n`);
}
process.stdout.write(
  `| **total** | **${wallTotal.toFixed(0)} s** | **${cpuTotal.toFixed(0)} s** |\nload average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
