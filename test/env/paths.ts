/**
 * Where the test environment keeps what it installs. Everything lives under one gitignored
 * cache root so a reused machine rebuilds nothing; `KSD_CACHE_DIR` moves it (CI points it at a
 * machine-wide folder so a fresh clone on the same machine reuses the builds).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheRoot = path.resolve(process.env['KSD_CACHE_DIR'] ?? path.join(repoRoot, '.cache'));
/** Installed binaries: sops, kustomize, age, kube-apiserver, etcd, vault... */
export const toolsBin = path.join(cacheRoot, 'tools', 'bin');
/** Go module and build caches, kept with the tools so rebuilds are incremental. */
export const goModCache = path.join(cacheRoot, 'go', 'mod');
export const goBuildCache = path.join(cacheRoot, 'go', 'build');
/**
 * Per-run state: ports, kubeconfig, certificates, logs. One folder per test run (the runner's
 * pid), so two runs on one machine never clobber each other. The runner sets KSD_RUN_DIR when
 * this module first loads, and the test processes it spawns inherit it.
 */
process.env['KSD_RUN_DIR'] ??= path.join(cacheRoot, 'run', String(process.pid));
export const runDir = process.env['KSD_RUN_DIR'];
/** Where every run's folder lives, for pruning runs that are gone. */
export const runsRoot = path.join(cacheRoot, 'run');
/** The file global setup writes and tests read to find the started components. */
export const stateFile = path.join(runDir, 'state.json');

export function toolPath(name: string): string {
  return path.join(toolsBin, name);
}
