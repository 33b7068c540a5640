/**
 * `diff --against REF`: the build at a git ref, compared with the build of the working tree,
 * with no cluster. The ref is checked out as a detached worktree inside a private (0700)
 * temp directory that is removed whatever happens; objects are compared in the same normal
 * form as the cluster diff, Secrets decrypted and shown masked.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../errors.ts';
import type { Exec } from '../host/exec.ts';
import { privateRootParent } from '../kustomize/stage.ts';
import type { KubeObject } from './client.ts';
import { summarizeDiff, type DiffReport, type ObjectDiff } from './diff.ts';
import { maskSecretPair } from './mask.ts';
import { deepEqual, describeRef, identityKey, normalizeObject, refOf, toApplyForm } from './normalize.ts';
import { skipReason } from './ssa.ts';
import { unifiedDiff } from './unified-diff.ts';

type Env = Readonly<Record<string, string | undefined>>;

interface GitContext {
  readonly exec: Exec;
  readonly env: Env;
  readonly cwd: string;
}

async function git(
  ctx: GitContext,
  args: readonly string[],
): Promise<{ ok: boolean; out: string; err: string }> {
  let result;
  try {
    result = await ctx.exec.run('git', args, {
      cwd: ctx.cwd,
      // Never prompt for credentials in CI; a missing ref must fail, not hang.
      env: { ...ctx.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', LC_ALL: 'C' },
      timeoutMs: 300_000,
    });
  } catch (cause) {
    throw new UserError('UNSUPPORTED', 'against needs git on PATH, and it cannot be started', { cause });
  }
  return {
    ok: result.exitCode === 0,
    out: Buffer.from(result.stdout).toString('utf8').trim(),
    err: result.stderr.trim().split('\n').at(-1) ?? '',
  };
}

/** The repository top level above a target (a directory or a file in it). */
export async function repositoryRoot(target: string, exec: Exec, env: Env): Promise<string> {
  let dir = path.resolve(target);
  try {
    if (!(await stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `${target} does not exist`, { cause });
  }
  const top = await git({ exec, env, cwd: dir }, ['rev-parse', '--show-toplevel']);
  if (!top.ok || top.out === '') {
    throw new UserError('USAGE', `against needs ${target} to be inside a git repository`);
  }
  return realpath(top.out);
}

/**
 * The commit a ref names. In a shallow or single-branch checkout (actions/checkout's default)
 * a missing ref is fetched from origin first.
 */
export async function resolveRef(repo: string, ref: string, exec: Exec, env: Env): Promise<string> {
  const ctx = { exec, env, cwd: repo };
  const verify = (name: string) =>
    git(ctx, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
  let found = await verify(ref);
  if (found.ok) return found.out;
  let fetchNote = '';
  const remote = await git(ctx, ['remote', 'get-url', 'origin']);
  if (remote.ok) {
    const shallow = (await git(ctx, ['rev-parse', '--is-shallow-repository'])).out === 'true';
    const fetched = await git(ctx, [
      'fetch',
      '--no-tags',
      '--quiet',
      ...(shallow ? ['--depth=1'] : []),
      'origin',
      '--end-of-options',
      ref,
    ]);
    if (fetched.ok) {
      found = await verify('FETCH_HEAD');
      if (found.ok) return found.out;
    }
    fetchNote = `, and fetching it from origin failed (${fetched.err || 'no such ref'})`;
  }
  throw new UserError('USAGE', `against: git ref "${ref}" is not in ${repo}${fetchNote}`, {
    hint: 'name a branch, tag or commit that exists, or fetch it first (actions/checkout with fetch-depth: 0)',
  });
}

/** A detached checkout of a commit, inside a private temp directory. */
export interface RefTree {
  /** The checkout's top level (mirrors the repository's). */
  readonly dir: string;
  readonly commit: string;
  /** Removes the worktree and its directory; safe to call twice. */
  cleanup(): Promise<void>;
}

/** Checks out `commit` of `repo` as a detached worktree in a new 0700 temp directory. */
export async function checkoutRef(repo: string, commit: string, exec: Exec, env: Env): Promise<RefTree> {
  const parent = await mkdtemp(path.join(privateRootParent(env), 'ksd-against-'));
  await chmod(parent, 0o700);
  const dir = path.join(parent, 'tree');
  const ctx = { exec, env, cwd: repo };
  let removed = false;
  const cleanup = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await git(ctx, ['worktree', 'remove', '--force', dir]);
    await rm(parent, { recursive: true, force: true });
    await git(ctx, ['worktree', 'prune']);
  };
  const added = await git(ctx, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  if (!added.ok) {
    await cleanup();
    throw new UserError('UNSUPPORTED', `against: cannot check out ${commit.slice(0, 12)} (${added.err})`);
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

function toYaml(object: KubeObject | undefined): string {
  return object === undefined ? '' : stringify(object, { lineWidth: 0, sortMapEntries: false });
}

function comparable(object: KubeObject): KubeObject {
  return normalizeObject(toApplyForm(object));
}

/**
 * Compares the objects rendered at the ref (`base`) with those of the working tree
 * (`head`), the way the cluster diff compares live and dry-run objects. `labels` name the
 * two sides in the unified diff headers.
 */
export function compareRendered(
  base: readonly KubeObject[],
  head: readonly KubeObject[],
  labels: { readonly base: string; readonly head: string },
): DiffReport {
  const before = new Map<string, KubeObject>();
  for (const object of base) before.set(identityKey(refOf(object)), object);
  const seen = new Set<string>();
  const entries: ObjectDiff[] = [];
  const render = (name: string, a: KubeObject | undefined, b: KubeObject | undefined): string => {
    const masked = maskSecretPair(
      a === undefined ? undefined : comparable(a),
      b === undefined ? undefined : comparable(b),
    );
    return unifiedDiff(
      toYaml(masked.before),
      toYaml(masked.after),
      a === undefined ? '/dev/null' : `${name} (${labels.base})`,
      b === undefined ? '/dev/null' : `${name} (${labels.head})`,
    );
  };
  for (const object of head) {
    const ref = refOf(object);
    const key = identityKey(ref);
    seen.add(key);
    const old = before.get(key);
    const name = describeRef(ref);
    const skip = skipReason(object, old);
    if (skip !== undefined) {
      entries.push({ ref, class: 'skipped', reason: skip, diff: '' });
      continue;
    }
    if (old === undefined) {
      entries.push({ ref, class: 'created', reason: undefined, diff: render(name, undefined, object) });
      continue;
    }
    const same = deepEqual(comparable(old), comparable(object));
    entries.push({
      ref,
      class: same ? 'unchanged' : 'configured',
      reason: undefined,
      diff: same ? '' : render(name, old, object),
    });
  }
  for (const [key, object] of before) {
    if (seen.has(key)) continue;
    const ref = refOf(object);
    entries.push({
      ref,
      class: 'deleted',
      reason: `no longer rendered; apply deletes it only with prune`,
      diff: render(describeRef(ref), object, undefined),
    });
  }
  return summarizeDiff(entries);
}
