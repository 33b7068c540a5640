/**
 * Where plaintext may be written. `writePrivateFile` writes it (decrypted files, rendered
 * manifests, full diffs) to a file only the current user can read: the data goes to a 0600
 * temp file next to the target and is renamed over it, so a reader never sees half a secret
 * and an existing file's mode never leaks it. `privateRootParent` says where the private
 * build roots and worktrees go.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from './errors.ts';
import type { Env } from './ports.ts';

/**
 * Where private roots go: tmpfs first (plaintext never reaches a disk), then the runner's
 * temp, then the OS temp.
 */
export function privateRootParent(env: Env): string {
  if (existsSync('/dev/shm')) return '/dev/shm';
  const runnerTemp = env['RUNNER_TEMP'];
  if (runnerTemp !== undefined && runnerTemp !== '') return runnerTemp;
  return tmpdir();
}

export async function writePrivateFile(target: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new UserError('FILE_NOT_FOUND', `cannot write ${target}`, { cause });
  }
}
