/**
 * An output path checked against what the run reads, before anything is read or written.
 * `decrypt X --output X` used to replace the encrypted file with its plaintext and exit 0,
 * and `build --output` into a target directory put the manifests, Secrets in clear, among the
 * sources of the next build. The comparison is by what the paths are, not how they are
 * spelled: a symlink or a hard link to an input is that input, and a path through a symlinked
 * folder into a target is inside it.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.ts';

/** Something the run reads, and how to name it in the error ("the input", "the build target"). */
export interface ReadPath {
  readonly path: string;
  readonly what: string;
}

/**
 * Refuses `output` when it is one of the `inputs` that are files (the same file, through any
 * link) or lies inside one of those that are directories. Inputs that do not exist are
 * skipped: reading them fails on its own, with its own message.
 */
export async function refuseOutputOverInputs(
  output: string,
  inputs: readonly ReadPath[],
  hint: string,
): Promise<void> {
  const outReal = await realpathLoose(output);
  const outInfo = await stat(output).catch(() => undefined);
  for (const input of inputs) {
    const info = await stat(input.path).catch(() => undefined);
    if (info === undefined) continue;
    const inReal = await realpath(input.path);
    if (info.isDirectory()) {
      const rel = path.relative(inReal, outReal);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
        throw new UserError('USAGE', `output ${output} is inside ${input.what} ${input.path}`, { hint });
      }
      continue;
    }
    const sameFile =
      inReal === outReal || (outInfo !== undefined && outInfo.dev === info.dev && outInfo.ino === info.ino);
    if (sameFile) {
      throw new UserError('USAGE', `output ${output} is ${input.what} ${input.path}`, { hint });
    }
  }
}

/**
 * The real path of `file` when it exists; else the real path of its nearest existing ancestor
 * with the rest appended, so a new file under a symlinked folder still resolves to where it
 * would be written.
 */
async function realpathLoose(file: string): Promise<string> {
  const rest: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(file);
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}
