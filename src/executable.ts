/**
 * Finding the tools we run (kustomize, helm): whether a path may be executed, and the first
 * executable of a name on PATH, as a shell would find it.
 */
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from './ports.ts';

/** Whether `file` exists and may be executed (a regular file, with `regularFile`). */
export async function isExecutable(
  file: string,
  options: { readonly regularFile?: boolean } = {},
): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return options.regularFile !== true || (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` in the folders of PATH, or undefined. */
export async function findOnPath(name: string, env: Env): Promise<string | undefined> {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * An explicitly named tool (`kustomize-path`, `helm-path`) as an absolute path: a path is taken
 * from the working directory (the tools run in staging folders, where a relative path would
 * name nothing), and a bare name is looked up on PATH, as a shell would. Undefined when there
 * is no executable file there.
 */
export async function resolveExplicitTool(explicit: string, env: Env): Promise<string | undefined> {
  const file = explicit.includes('/') ? path.resolve(explicit) : await findOnPath(explicit, env);
  return file !== undefined && (await isExecutable(file)) ? file : undefined;
}
