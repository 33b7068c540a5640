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
