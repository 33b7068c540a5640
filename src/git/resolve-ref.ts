/**
 * Finding the commit `diff --against REF` compares with: the repository above a target, and
 * the commit a ref names, fetched from origin first when a shallow or single-branch checkout
 * (actions/checkout's default) lacks it.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Env, Exec } from '../ports.ts';
import { gitAuthEnv, type GitAuth } from './auth.ts';
import { gitIn, type Git } from './runner.ts';

/** Worktree steps are local and quick; a fetch of one ref with its history may take minutes. */
const TIMEOUT_MS = 300_000;

/** The git runner of `--against`, in one directory. */
export function againstGit(exec: Exec, env: Env, cwd: string): Git {
  return gitIn({
    exec,
    env,
    cwd,
    timeoutMs: TIMEOUT_MS,
    unavailable: (cause) =>
      new UserError('UNSUPPORTED', 'against needs git on PATH, and it cannot be started', { cause }),
  });
}

/** The repository top level above a target (a directory or a file in it). */
export async function repositoryRoot(target: string, exec: Exec, env: Env): Promise<string> {
  let dir = path.resolve(target);
  try {
    if (!(await stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `${target} does not exist`, { cause });
  }
  const top = await againstGit(exec, env, dir)(['rev-parse', '--show-toplevel']);
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
  const git = againstGit(exec, env, repo);
  const verify = (name: string) =>
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
  const found = await verify(ref);
  if (found.ok) return found.out;
  const fetched = await fetchMissingRef({ exec, env, cwd: repo }, ref, auth);
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
  ctx: { readonly exec: Exec; readonly env: Env; readonly cwd: string },
  ref: string,
  auth?: GitAuth,
): Promise<{ readonly names: readonly string[]; readonly note: string }> {
  const git = againstGit(ctx.exec, ctx.env, ctx.cwd);
  if (!(await git(['remote', 'get-url', 'origin'])).ok) return { names: [], note: '' };
  const shallow = (await git(['rev-parse', '--is-shallow-repository'])).out === 'true';
  // Only the fetches carry the token; local steps never need it.
  const fetchGit =
    auth === undefined ? git : againstGit(ctx.exec, { ...ctx.env, ...gitAuthEnv(auth, ctx.env) }, ctx.cwd);
  const fetch = (options: readonly string[], refspec: string) =>
    fetchGit(['fetch', '--no-tags', '--quiet', ...options, 'origin', '--end-of-options', refspec]);
  const { base, suffix, generations } = splitAncestry(ref);
  const failed = (err: string) => ({
    names: [],
    note: `, and fetching it from origin failed (${err || 'no such ref'})`,
  });

  const present = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`]);
  if (present.ok) {
    // The name is here but its ancestors are not: only a shallow clone can lack them.
    if (!shallow || generations === 0) return { names: [], note: '' };
    const deepened = await fetch([`--deepen=${generations}`], present.out);
    return deepened.ok ? { names: [ref], note: '' } : failed(deepened.reason);
  }
  // Enough history for the suffix, from the fetched tip; all of it when the clone is complete.
  const depth = shallow ? [`--depth=${generations + 1}`] : [];
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(base)) {
    const bySha = await fetch(depth, base);
    return bySha.ok ? { names: [ref], note: '' } : failed(bySha.reason);
  }
  if (base.startsWith('refs/')) {
    const full = await fetch(depth, `+${base}:${base}`);
    return full.ok ? { names: [ref], note: '' } : failed(full.reason);
  }
  const name = base.replace(/^(?:origin\/|refs\/remotes\/origin\/)/, '');
  const branch = await fetch(depth, `+refs/heads/${name}:refs/remotes/origin/${name}`);
  if (branch.ok) return { names: [ref, `origin/${name}${suffix}`], note: '' };
  const tag = await fetch(depth, `+refs/tags/${name}:refs/tags/${name}`);
  if (tag.ok) return { names: [ref, `refs/tags/${name}${suffix}`], note: '' };
  return failed(tag.reason || branch.reason);
}
