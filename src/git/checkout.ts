/**
 * The Action's own checkout, so a one-step workflow works: when GITHUB_WORKSPACE holds no
 * repository and the command reads repository files, the triggering commit is fetched over
 * HTTPS with the github-token and checked out detached, the way actions/checkout does it
 * (`git init`, `git remote add origin`, `git fetch --no-tags --depth=1 origin <sha>`,
 * `git checkout --force <sha>`). The token reaches git only through the environment
 * (auth.ts), so neither argv, .git/config nor any file ever holds it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Env, Exec, Host } from '../ports.ts';
import { basicCredential, gitAuthEnv, serverUrlOf, type GitAuth } from './auth.ts';
import { gitIn, type Git } from './runner.ts';

/** Set in the .git/config of a checkout we made, so a later job on the same runner updates it. */
const MARKER = 'kustomize-sops-deploy.checkout';
const OWN_MARKER = /^\s*\[kustomize-sops-deploy\]\s*\n(?:\s*[^[\s].*\n)*?\s*checkout\s*=\s*true\s*$/m;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
const HINT =
  'add actions/checkout before this step, or give the job `permissions: contents: read` so github-token can read the repository';

/** What GITHUB_WORKSPACE holds before the command runs. */
export type WorkspaceState = 'missing' | 'empty' | 'checkout' | 'own-checkout' | 'files';

/** What the Action's checkout needs. */
export interface CheckoutRequest {
  /** GITHUB_WORKSPACE. */
  readonly workspace: string;
  /** The runner's environment: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF. */
  readonly env: Env;
  /** The repository paths the command reads (globs allowed); empty when it needs none. */
  readonly paths: readonly string[];
  /** The github-token input as given; empty for none. */
  readonly token: string;
  readonly host: Host;
  readonly exec: Exec;
}

/**
 * Classifies GITHUB_WORKSPACE without touching it. Our marker is read from .git/config as
 * text rather than with `git config`: this runs on every step, and a process start would
 * cost the lint path's cold start.
 */
export async function workspaceState(workspace: string): Promise<WorkspaceState> {
  if (!existsSync(workspace)) return 'missing';
  const dotGit = path.join(workspace, '.git');
  if (existsSync(dotGit)) {
    // A .git file (a worktree or submodule) is never one of ours.
    const config = await readFile(path.join(dotGit, 'config'), 'utf8').catch(() => '');
    return OWN_MARKER.test(config) ? 'own-checkout' : 'checkout';
  }
  return (await readdir(workspace)).length === 0 ? 'empty' : 'files';
}

/** Whether a path (a glob: its fixed leading part) exists under the workspace. */
function pathExists(workspace: string, target: string): boolean {
  const fixed = target.split(/[*?[{]/)[0] ?? '';
  return existsSync(path.resolve(workspace, fixed === '' ? '.' : fixed));
}

/** The one-line reason a fetch failed, from git's stderr. */
function fetchFailure(stderr: string): { reason: string; auth: boolean } {
  if (
    /returned error: 401|Authentication failed|could not read Username|Invalid username or password/i.test(
      stderr,
    )
  )
    return { reason: 'the github-token was rejected (HTTP 401)', auth: true };
  if (/returned error: 403/i.test(stderr))
    return { reason: 'the github-token may not read this repository (HTTP 403)', auth: true };
  if (/returned error: 404|repository .* not found|Repository not found/i.test(stderr))
    return {
      reason: 'the repository was not found, or the github-token cannot see it (HTTP 404)',
      auth: true,
    };
  return { reason: stderr.split('\n').at(-1) ?? 'git fetch failed', auth: false };
}

interface Target {
  readonly auth: GitAuth;
  readonly repository: string;
  readonly sha: string;
  readonly ref: string | undefined;
}

/** The commit to check out, from the runner's variables, validated before git sees them. */
function targetOf(env: Env, token: string | undefined): Target {
  const repository = env['GITHUB_REPOSITORY']?.trim() ?? '';
  const sha = env['GITHUB_SHA']?.trim().toLowerCase() ?? '';
  const rawRef = env['GITHUB_REF']?.trim() ?? '';
  if (!REPOSITORY.test(repository) || !SHA.test(sha)) {
    throw new UserError(
      'CHECKOUT_FAILED',
      `checkout: GITHUB_REPOSITORY is "${repository}" and GITHUB_SHA is "${sha}"; expected owner/name and a commit SHA, as the runner sets them`,
      { hint: HINT },
    );
  }
  if (token === undefined || token === '') {
    throw new UserError(
      'CHECKOUT_FAILED',
      `checkout: GITHUB_WORKSPACE is not a git checkout and github-token is empty, so ${repository} cannot be fetched`,
      { hint: HINT },
    );
  }
  // A ref is only a fallback for the SHA; anything git could read as an option is dropped.
  const ref = /^refs\/[^\s:?*[\\~^]+$/.test(rawRef) ? rawRef : undefined;
  return { auth: { serverUrl: serverUrlOf(env), token }, repository, sha, ref };
}

/** Fetches the commit by SHA, or through GITHUB_REF where a server refuses SHAs. */
async function fetchCommit(git: Git, target: Target): Promise<void> {
  const fetchOne = (what: string) =>
    git(['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', '--end-of-options', what]);
  const bySha = await fetchOne(target.sha);
  if (bySha.ok) return;
  let failure = fetchFailure(bySha.err);
  let report = bySha.err;
  if (!failure.auth && target.ref !== undefined) {
    const byRef = await fetchOne(target.ref);
    if (byRef.ok) {
      if ((await git(['cat-file', '-e', `${target.sha}^{commit}`])).ok) return;
      throw new UserError(
        'CHECKOUT_FAILED',
        `checkout: ${target.ref} of ${target.repository} no longer points at ${target.sha.slice(0, 12)}, the commit that triggered the run`,
        { hint: 're-run the workflow for the current commit' },
      );
    }
    failure = fetchFailure(byRef.err);
    report = `${report}\n${byRef.err}`;
  }
  throw new UserError(
    'CHECKOUT_FAILED',
    `checkout: cannot fetch ${target.repository}@${target.sha.slice(0, 12)} from ${target.auth.serverUrl}: ${failure.reason}`,
    { hint: HINT, report },
  );
}

/**
 * Makes GITHUB_WORKSPACE hold the triggering commit when the command needs repository files
 * and nothing checked it out. Returns true when it checked out (the workspace may have just
 * been created). A workspace that already has a checkout is left alone; one with other files
 * is never overwritten: the command uses them when its paths are there, and fails otherwise.
 */
export async function checkoutRepository(request: CheckoutRequest): Promise<boolean> {
  const { workspace, env, paths, host, exec } = request;
  const token = request.token.trim();
  // Masked first: later git calls (diff --against fetches) use the same credential.
  if (token !== '') {
    host.setSecret(token);
    host.setSecret(basicCredential(token));
  }
  if (paths.length === 0) return false;
  const state = await workspaceState(workspace);
  if (state === 'checkout') return false;
  if (state === 'files') {
    if (paths.every((p) => pathExists(workspace, p))) {
      host.info(`GITHUB_WORKSPACE is not a git checkout; using the files already in it`);
      return false;
    }
    throw new UserError(
      'CHECKOUT_FAILED',
      `checkout: GITHUB_WORKSPACE ${workspace} has files but no git checkout, and ${paths.filter((p) => !pathExists(workspace, p)).join(', ')} is not there; not checking out over the files`,
      { hint: 'add actions/checkout before this step, or start from an empty workspace' },
    );
  }
  const target = targetOf(env, token);
  const url = `${target.auth.serverUrl}/${target.repository}.git`;
  await mkdir(workspace, { recursive: true });
  const git = gitIn({
    exec,
    env: { ...env, ...gitAuthEnv(target.auth, env) },
    cwd: workspace,
    // A whole repository at depth 1 over a slow runner's network: more than a worktree step.
    timeoutMs: 600_000,
    unavailable: (cause) =>
      new UserError(
        'CHECKOUT_FAILED',
        'checkout: git is not on PATH, so the repository cannot be checked out',
        {
          cause,
          hint: 'add actions/checkout before this step, or install git on the runner',
        },
      ),
  });
  return host.group('checkout', async () => {
    if (state === 'own-checkout') {
      // A later job on a reused (self-hosted) runner: move our checkout to this run's commit.
      const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      if (head.ok && head.out === target.sha) {
        host.info(`${target.repository} is already checked out at ${target.sha} in ${workspace}`);
        return false;
      }
      await must(git, ['remote', 'set-url', 'origin', url]);
    } else {
      await must(git, ['init', '--quiet']);
      await must(git, ['remote', 'add', 'origin', url]);
      await must(git, ['config', '--local', MARKER, 'true']);
    }
    await fetchCommit(git, target);
    await must(git, ['checkout', '--force', '--quiet', '--detach', target.sha]);
    if (state === 'own-checkout') await must(git, ['clean', '-ffdxq']);
    host.info(
      `checked out ${target.repository} at ${target.sha}${target.ref === undefined ? '' : ` (${target.ref})`} into ${workspace}, depth 1, with github-token`,
    );
    return true;
  });
}

/** Runs a local git step that should not fail; when it does, says which. */
async function must(git: Git, args: readonly string[]): Promise<void> {
  const result = await git(args);
  if (!result.ok) {
    throw new UserError('CHECKOUT_FAILED', `checkout: git ${args[0] ?? ''} failed: ${result.reason}`, {
      hint: HINT,
      report: result.err,
    });
  }
}
