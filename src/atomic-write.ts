/**
 * Replaces a file atomically: the new content goes to a temp file in the same folder (so the
 * rename cannot cross file systems), is flushed to disk, optionally checked, and only then
 * renamed over the target; the folder is flushed so the rename itself survives a crash. A
 * reader sees the old file or the new one, never half of either, and a failed check leaves
 * the original untouched. The target keeps its mode (an in-place edit, as sops's `-i` does).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, UserError } from './errors.ts';

export interface AtomicWriteOptions {
  /**
   * Called with the temp file's path after it is written and flushed, before the rename; a
   * throw leaves the target as it was (the temp file is removed) and is rethrown.
   */
  readonly verify?: (tempPath: string) => Promise<void>;
  /** Mode for a new file; an existing target keeps its own. Default 0600. */
  readonly mode?: number;
}

/** Flushes a folder's entry table, so a rename into it is durable (a no-op where unsupported). */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems (and Windows) cannot open or fsync a folder; the rename still happened.
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `target` atomically (see the module comment). */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = options.mode ?? 0o600;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    // A new file: the default mode.
  }
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.verify !== undefined) await options.verify(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (error instanceof UserError) throw error;
    throw new UserError('FILE_NOT_FOUND', `cannot write ${target}: ${errorMessage(error)}`, { cause: error });
  }
  await syncDirectory(dir);
}
