/**
 * The test side of the environment: a test that needs a component waits for global setup
 * to report it ready (or failed) in the state file, then gets its connection info.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateFile } from './paths.ts';

export type ComponentState =
  | { readonly status: 'ready'; readonly info: Readonly<Record<string, string>> }
  | { readonly status: 'failed'; readonly error: string };

export type EnvState = Readonly<Record<string, ComponentState>>;

export function readState(): EnvState {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as EnvState;
  } catch {
    return {};
  }
}

/**
 * Waits until global setup has installed (and, for servers, started) `name`, and returns
 * its info. Throws with the setup error if it failed, so the test fails with the reason.
 */
export async function requireComponent(
  name: string,
  timeoutMs = 60 * 60_000,
): Promise<Readonly<Record<string, string>>> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  for (;;) {
    if (!existsSync(stateFile) && Date.now() - started > 10_000) {
      throw new Error(
        `test component ${name}: no test environment is running (run the test through npm test, which starts it)`,
      );
    }
    const state = readState()[name];
    if (state?.status === 'ready') return state.info;
    if (state?.status === 'failed') throw new Error(`test component ${name} is unavailable: ${state.error}`);
    if (Date.now() > deadline) throw new Error(`test component ${name} was not ready after ${timeoutMs} ms`);
    await sleep(250);
  }
}
