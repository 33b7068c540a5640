/**
 * The temporary worktree of `diff --against REF`: the commit checked out detached inside a
 * private (0700) temp directory that is removed whatever happens, and the mapping of the
 * working tree's paths into it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Env, Exec } from '../ports.ts';
import { openPrivateRoot } from '../private-file.ts';
import { againstGit } from './resolve-ref.ts';

/** A detached checkout of a commit, inside a private temp directory. */
export interface RefTree {
  /** The checkout's top level (mirrors the repository's). */
  readonly dir: string;
  readonly commit: string;
  /** Removes the worktree and its directory; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Checks out `commit` of `repo` as a detached worktree in a new 0700 temp directory under
 * `parentDir` (the caller's private root parent: tmpfs where there is one).
 */
export async function checkoutRef(
  repo: string,
  commit: string,
  options: { readonly exec: Exec; readonly env: Env; readonly parentDir: string },
): Promise<RefTree> {
  const root = await openPrivateRoot(options.parentDir, 'against');
  const dir = path.join(root.dir, 'tree');
  const git = againstGit(options.exec, options.env, repo);
  let removed = false;
  const cleanup = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await git(['worktree', 'remove', '--force', dir]);
    await root.cleanup();
    await git(['worktree', 'prune']);
  };
  const added = await git(['worktree', 'add', '--detach', '--quiet', dir, commit]);
  if (!added.ok) {
    await cleanup();
    throw new UserError('UNSUPPORTED', `against: cannot check out ${commit.slice(0, 12)} (${added.reason})`);
  }
  return { dir, commit, cleanup };
}

/** Maps a path of the working tree to the same path in the ref's checkout. */
export function mapIntoTree(target: string, repo: string, tree: string): string {
  const relative = path.relative(repo, path.resolve(target));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new UserError('USAGE', `against: ${target} is outside the repository ${repo}`);
  }
  return path.join(tree, relative);
}

/** Whether the target exists at the ref (a new directory has no base build). */
export function existsInTree(target: string): boolean {
  return existsSync(target);
}
