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
import type { Exec } from '../ports.ts';
import { gitAuthEnv, type GitAuth } from '../github/git-auth.ts';
import { privateRootParent } from '../private-file.ts';
import type { KubeObject } from './client.ts';
import { joinReasons, summarizeDiff, UNDECRYPTED_REASON, type DiffReport, type ObjectDiff } from './diff.ts';
import { hasUndecryptedValues, maskSecretPair, sameExceptUndecrypted } from './mask.ts';
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
export async function resolveRef(
  repo: string,
  ref: string,
  exec: Exec,
  env: Env,
  auth?: GitAuth,
): Promise<string> {
  const ctx = { exec, env, cwd: repo };
  const verify = (name: string) =>
    git(ctx, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
  const found = await verify(ref);
  if (found.ok) return found.out;
  const fetched = await fetchMissingRef(ctx, ref, auth);
  for (const name of fetched.names) {
    const again = await verify(name);
    if (again.ok) return again.out;
  }
  throw new UserError('USAGE', `against: git ref "${ref}" is not in ${repo}${fetched.note}`, {
    hint: 'name a branch, tag or commit that exists, or fetch it first (actions/checkout with fetch-depth: 0)',
  });
}

/** `main~2` → `main` and 2: the name before any `~N`/`^N`, and how many generations back it reaches. */
function splitAncestry(ref: string): { base: string; suffix: string; generations: number } {
  const match = /^(.*?)((?:[~^]\d*)*)$/.exec(ref);
  const base = match?.[1] ?? ref;
  const suffix = match?.[2] ?? '';
  let generations = 0;
  for (const [, op, n] of suffix.matchAll(/([~^])(\d*)/g)) {
    // `~N` walks N first parents; `^N` picks the Nth parent, one generation (`^0` is the commit).
    generations += op === '~' ? (n === '' ? 1 : Number(n)) : n === '0' ? 0 : 1;
  }
  return { base, suffix, generations };
}

/**
 * Fetches what a ref that does not resolve needs from origin, and returns the names to try
 * again. actions/checkout clones one commit deep (and only that ref), so `main` is missing and
 * `HEAD~1` is past the shallow boundary: a branch or tag is fetched by name (a branch then
 * also answers as `origin/NAME`), and the history behind a commit that is present is deepened.
 * Only called when the ref does not resolve, so a complete clone never fetches. `auth` (the
 * Action's github-token) authenticates the fetch; without it git uses the user's own
 * credentials.
 */
export async function fetchMissingRef(
  ctx: GitContext,
  ref: string,
  auth?: GitAuth,
): Promise<{ readonly names: readonly string[]; readonly note: string }> {
  if (!(await git(ctx, ['remote', 'get-url', 'origin'])).ok) return { names: [], note: '' };
  const shallow = (await git(ctx, ['rev-parse', '--is-shallow-repository'])).out === 'true';
  const fetchCtx = auth === undefined ? ctx : { ...ctx, env: { ...ctx.env, ...gitAuthEnv(auth, ctx.env) } };
  const fetch = (options: readonly string[], refspec: string) =>
    git(fetchCtx, ['fetch', '--no-tags', '--quiet', ...options, 'origin', '--end-of-options', refspec]);
  const { base, suffix, generations } = splitAncestry(ref);
  const failed = (err: string) => ({
    names: [],
    note: `, and fetching it from origin failed (${err || 'no such ref'})`,
  });

  const present = await git(ctx, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${base}^{commit}`,
  ]);
  if (present.ok) {
    // The name is here but its ancestors are not: only a shallow clone can lack them.
    if (!shallow || generations === 0) return { names: [], note: '' };
    const deepened = await fetch([`--deepen=${generations}`], present.out);
    return deepened.ok ? { names: [ref], note: '' } : failed(deepened.err);
  }
  // Enough history for the suffix, from the fetched tip; all of it when the clone is complete.
  const depth = shallow ? [`--depth=${generations + 1}`] : [];
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(base)) {
    const bySha = await fetch(depth, base);
    return bySha.ok ? { names: [ref], note: '' } : failed(bySha.err);
  }
  if (base.startsWith('refs/')) {
    const full = await fetch(depth, `+${base}:${base}`);
    return full.ok ? { names: [ref], note: '' } : failed(full.err);
  }
  const name = base.replace(/^(?:origin\/|refs\/remotes\/origin\/)/, '');
  const branch = await fetch(depth, `+refs/heads/${name}:refs/remotes/origin/${name}`);
  if (branch.ok) return { names: [ref, `origin/${name}${suffix}`], note: '' };
  const tag = await fetch(depth, `+refs/tags/${name}:refs/tags/${name}`);
  if (tag.ok) return { names: [ref, `refs/tags/${name}${suffix}`], note: '' };
  return failed(tag.err || branch.err);
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
    // Values this run could not decrypt are unknown on either side: not a change by themselves.
    const unknown = hasUndecryptedValues(object) || hasUndecryptedValues(old);
    const marks = unknown ? { reason: UNDECRYPTED_REASON, undecrypted: true } : { reason: undefined };
    if (old === undefined) {
      entries.push({ ref, class: 'created', ...marks, diff: render(name, undefined, object) });
      continue;
    }
    const same = unknown
      ? sameExceptUndecrypted(comparable(old), comparable(object))
      : deepEqual(comparable(old), comparable(object));
    entries.push({
      ref,
      class: same ? 'unchanged' : 'configured',
      ...marks,
      diff: same ? '' : render(name, old, object),
    });
  }
  for (const [key, object] of before) {
    if (seen.has(key)) continue;
    const ref = refOf(object);
    const deletedReason = 'no longer rendered; apply deletes it only with prune';
    const unknown = hasUndecryptedValues(object);
    entries.push({
      ref,
      class: 'deleted',
      reason: unknown ? joinReasons(deletedReason, UNDECRYPTED_REASON) : deletedReason,
      ...(unknown ? { undecrypted: true } : {}),
      diff: render(describeRef(ref), object, undefined),
    });
  }
  return summarizeDiff(entries);
}
