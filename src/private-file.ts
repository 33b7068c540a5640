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
import { errorMessage, UserError } from './errors.ts';
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
    // The temp file may not exist, or its path may be impossible (ENOTDIR): the write's error matters.
    await rm(temp, { force: true }).catch(() => undefined);
    const { why, hint } = describeWriteError(cause, target);
    throw new UserError('FILE_NOT_FOUND', `cannot write ${target}: ${why}`, { cause, hint });
  }
}

/** Why a write failed, in words, from the errno code (the message repeats the temp path). */
function describeWriteError(cause: unknown, target: string): { why: string; hint: string | undefined } {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return { why: 'its folder does not exist', hint: `create ${path.dirname(target)} first` };
    case 'ENOTDIR':
      return { why: 'part of its path is a file, not a folder', hint: undefined };
    case 'EACCES':
    case 'EPERM':
      return { why: 'permission denied', hint: `check that you may create files in ${path.dirname(target)}` };
    case 'EISDIR':
      return { why: 'it is a folder', hint: 'give the path of a file to write' };
    case 'EROFS':
      return { why: 'the file system is read-only', hint: undefined };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: 'no space left on the device', hint: undefined };
    default:
      return { why: code ?? errorMessage(cause), hint: undefined };
  }
}
