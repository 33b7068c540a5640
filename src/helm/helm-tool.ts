/**
 * The `helm` binary HelmReleases are rendered with (v3 or v4): the explicit `helm-path`, else
 * `helm` on PATH (GitHub's runner images ship it). Its version goes into the description the
 * run logs, as kustomize's does. helm runs without the run's key material in its environment,
 * and with its own empty config, cache and data folders, so a user's repositories, registry
 * logins and plugins on the machine do not change what a chart renders.
 */
import path from 'node:path';
import { UserError } from '../errors.ts';
import { findOnPath, resolveExplicitTool } from '../executable.ts';
import type { Env, Exec } from '../ports.ts';

export interface HelmTool {
  readonly command: string;
  /** For the log, e.g. `helm v4.3.2 (/usr/local/bin/helm)`. */
  readonly description: string;
}

async function versionOf(exec: Exec, command: string): Promise<string> {
  try {
    const result = await exec.run(command, ['version', '--short'], { timeoutMs: 30_000 });
    const text = Buffer.from(result.stdout).toString('utf8');
    return /v?\d+\.\d+(?:\.\d+)?[^\s"+]*/.exec(text)?.[0] ?? 'unknown version';
  } catch {
    return 'unknown version';
  }
}

/** The explicit path, else `helm` on PATH; a UserError with a hint when there is none. */
export async function resolveHelm(
  explicit: string | undefined,
  deps: { readonly exec: Exec; readonly env: Env },
): Promise<HelmTool> {
  let command: string | undefined;
  if (explicit !== undefined) {
    command = await resolveExplicitTool(explicit, deps.env);
    if (command === undefined) {
      throw new UserError('FILE_NOT_FOUND', `helm-path ${explicit} is not an executable file`);
    }
  } else {
    command = await findOnPath('helm', deps.env);
  }
  if (command === undefined) {
    throw new UserError('FILE_NOT_FOUND', 'helm was not found on PATH, and HelmReleases need it to render', {
      hint: 'install helm v3 or v4, or pass its path as helm-path',
    });
  }
  return { command, description: `helm ${await versionOf(deps.exec, command)} (${command})` };
}

/**
 * The environment helm runs in: the run's environment without key material, and `home` as
 * its config, cache and data folders.
 */
export function helmEnv(env: Env, home: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(SOPS_|VAULT_TOKEN$|AWS_SECRET_ACCESS_KEY$|AWS_SESSION_TOKEN$|INPUT_|HELM_)/.test(name)) continue;
    out[name] = value;
  }
  out['HELM_CONFIG_HOME'] = path.join(home, 'config');
  out['HELM_CACHE_HOME'] = path.join(home, 'cache');
  out['HELM_DATA_HOME'] = path.join(home, 'data');
  return out;
}
