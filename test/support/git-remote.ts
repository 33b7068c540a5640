/**
 * Repositories served by the `git-http` component: a history of commits built in a scratch
 * clone and pushed as a bare repository under the server's root, the way a GitHub repository
 * looks to the runner.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireComponent } from '../env/state.ts';

const execFileAsync = promisify(execFile);

/** An environment for git with an identity and no user or system config. */
export function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
}

/** Runs git in `cwd`; returns trimmed stdout. Async, so an in-process server can answer. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: gitEnv(cwd) });
  return stdout.trim();
}

/** One commit: files to write (relative path → content; null deletes). */
export type CommitFiles = Readonly<Record<string, string | null>>;

export interface Remote {
  /** owner/name, as GITHUB_REPOSITORY holds it. */
  readonly repository: string;
  /** The server's base URL, as GITHUB_SERVER_URL holds it. */
  readonly serverUrl: string;
  readonly token: string;
  /** The bare repository on disk, and its file:// URL. */
  readonly bare: string;
  readonly fileUrl: string;
  /** Commit SHAs of `main`, oldest first. */
  readonly commits: readonly string[];
}

/**
 * Creates `main` with one commit per entry of `history`, plus branches (name → index into
 * history) and pushes them to a new bare repository on the git-http server.
 */
export async function createRemote(
  history: readonly CommitFiles[],
  branches: Readonly<Record<string, number>> = {},
): Promise<Remote> {
  const server = await requireComponent('git-http');
  const work = await mkdtemp(path.join(tmpdir(), 'ksd-remote-'));
  await git(work, 'init', '--quiet', '--initial-branch=main');
  const commits: string[] = [];
  for (const [i, files] of history.entries()) {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(work, file);
      if (content === null) await rm(target, { force: true });
      else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '--allow-empty', '-m', `commit ${i + 1}`);
    commits.push(await git(work, 'rev-parse', 'HEAD'));
  }
  for (const [branch, index] of Object.entries(branches)) {
    await git(work, 'branch', branch, commits[index] ?? 'HEAD');
  }
  const repository = `ksd-test/repo-${randomBytes(6).toString('hex')}`;
  const bare = path.join(server['root'] ?? '', `${repository}.git`);
  await mkdir(path.dirname(bare), { recursive: true });
  await git(work, 'clone', '--quiet', '--bare', work, bare);
  await rm(work, { recursive: true, force: true });
  return {
    repository,
    serverUrl: server['url'] ?? '',
    token: server['token'] ?? '',
    bare,
    fileUrl: `file://${bare}`,
    commits,
  };
}

/** Every file under a directory, as text, for searching it for a token. */
export async function readTree(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      parts.push((await readFile(path.join(entry.parentPath, entry.name))).toString('latin1'));
  }
  return parts.join('\n');
}
