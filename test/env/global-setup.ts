/**
 * Global setup for `npm test` (node --test --test-global-setup). It installs and starts
 * every component in the background and returns at once, so unit tests run while the
 * control plane boots; tests that need a component wait for it (state.ts). Teardown stops
 * everything that started, even when tests failed.
 */
import { closeSharedOidcIssuer } from './components/oidc.ts';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { components } from './components/index.ts';
import type { Started } from './component.ts';
import { runDir, runsRoot, stateFile } from './paths.ts';
import type { ComponentState } from './state.ts';

const state: Record<string, ComponentState> = {};
const started: Started[] = [];
let preparing: Promise<void> | undefined;

function record(name: string, value: ComponentState): void {
  state[name] = value;
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

async function prepare(
  name: string,
  install: () => Promise<void>,
  start?: () => Promise<Started>,
): Promise<void> {
  const t0 = Date.now();
  try {
    await install();
    const t1 = Date.now();
    let info: Readonly<Record<string, string>> = {};
    if (start !== undefined) {
      const s = await start();
      started.push(s);
      info = s.info;
    }
    record(name, { status: 'ready', info });
    process.stderr.write(
      `test-env: ${name} ready (install ${((t1 - t0) / 1000).toFixed(1)} s, start ${((Date.now() - t1) / 1000).toFixed(1)} s)\n`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    record(name, { status: 'failed', error: message });
    process.stderr.write(
      `test-env: ${name} FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${message}\n`,
    );
  }
}

/** Removes the folders of earlier runs whose runner process is gone. */
function pruneOldRuns(): void {
  for (const entry of existsSync(runsRoot) ? readdirSync(runsRoot) : []) {
    const pid = Number(entry);
    let alive = false;
    try {
      alive = Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) continue;
    try {
      rmSync(path.join(runsRoot, entry), { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // Best effort: a leftover server of a killed run may still be writing there.
      process.stderr.write(`test-env: cannot remove ${entry} of an earlier run yet: ${String(error)}\n`);
    }
  }
}

export function globalSetup(): void {
  pruneOldRuns();
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  writeFileSync(stateFile, '{}');
  // Components are prepared in dependency order within each entry's own install/start.
  // KSD_COMPONENTS=kube,cli-tools prepares only those (for a quick run of a few test files);
  // tests that need another component then fail fast in requireComponent, naming it.
  const only = (process.env['KSD_COMPONENTS'] ?? '').split(',').filter((name) => name !== '');
  const chosen = only.length === 0 ? components : components.filter((c) => only.includes(c.name));
  for (const c of components) {
    if (!chosen.includes(c))
      record(c.name, { status: 'failed', error: `not prepared (KSD_COMPONENTS=${only.join(',')})` });
  }
  preparing = Promise.all(chosen.map((c) => prepare(c.name, () => c.install(), c.start?.bind(c)))).then(
    () => undefined,
  );
}

export async function globalTeardown(): Promise<void> {
  await preparing;
  await Promise.allSettled(started.map((s) => s.stop()));
  await closeSharedOidcIssuer();
}
