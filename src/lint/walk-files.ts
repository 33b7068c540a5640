/**
 * Which files lint reads: inside a git work tree, what git tracks or would track
 * (`git ls-files --cached --others --exclude-standard`), so ignored build output and local
 * secrets files are skipped as git skips them; elsewhere a plain walk. `.git/` and
 * `node_modules/` are never read.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Exec } from '../ports.ts';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

function skipped(relative: string): boolean {
  return relative.split(/[\\/]/).some((segment) => SKIPPED_DIRS.has(segment));
}

async function gitFiles(root: string, exec: Exec): Promise<string[] | undefined> {
  let result;
  try {
    result = await exec.run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      timeoutMs: 60_000,
    });
  } catch {
    return undefined; // no git on PATH
  }
  if (result.exitCode !== 0) return undefined; // not a work tree
  const names = Buffer.from(result.stdout).toString('utf8').split('\0');
  return names.filter((name) => name !== '' && !skipped(name)).map((name) => path.join(root, name));
}

async function walkDirectory(root: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      // Symlinks are not followed: a link out of the tree must not pull in files from elsewhere.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(path.join(dir, entry.name));
      } else if (entry.isFile()) {
        out.push(path.join(dir, entry.name));
      }
    }
  }
  return out.sort();
}

/** The absolute paths of the files to lint under `target` (a file or a directory). */
export async function listFiles(target: string, exec: Exec): Promise<string[]> {
  let info;
  try {
    info = await stat(target);
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `${target}: no such file or directory`, { cause });
  }
  if (info.isFile()) return [path.resolve(target)];
  const root = path.resolve(target);
  return (await gitFiles(root, exec)) ?? (await walkDirectory(root));
}
