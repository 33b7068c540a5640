/**
 * The Action's side of its own checkout (src/git/checkout.ts does the work): which repository
 * paths the command reads, and the github-token, taken from the raw inputs before the config
 * is parsed, because the files the config names must be there first.
 */
import { lines, type InputReader } from '../config/inputs.ts';
import { checkoutRepository } from '../git/checkout.ts';
import type { Env, Exec, Host } from '../ports.ts';

/** What the Action's checkout needs. */
export interface CheckoutRequest {
  /** GITHUB_WORKSPACE. */
  readonly workspace: string;
  /** The runner's environment: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF. */
  readonly env: Env;
  /** The Action's raw inputs: command, path, file and github-token. */
  readonly read: InputReader;
  readonly host: Host;
  readonly exec: Exec;
}

/**
 * The repository paths a command reads, from its raw inputs; empty when it needs none
 * (`decrypt` from stdin, `diff`/`apply` of rendered `manifests`, an unknown command that
 * the config parser will reject).
 */
export function repositoryPaths(read: InputReader): string[] {
  switch (read('command').trim()) {
    case 'lint': {
      const paths = lines(read('path'));
      return paths.length === 0 ? ['.'] : paths;
    }
    case 'build':
    case 'diff':
    case 'apply':
      return lines(read('path'));
    case 'decrypt': {
      const file = read('file').trim();
      return file === '' || file === '-' ? [] : [file];
    }
    default:
      return [];
  }
}

/**
 * Makes GITHUB_WORKSPACE hold the triggering commit when the command needs repository files
 * and nothing checked it out (git/checkout.ts). Returns true when it checked out.
 */
export function checkoutWorkspace(request: CheckoutRequest): Promise<boolean> {
  const { workspace, env, read, host, exec } = request;
  return checkoutRepository({
    workspace,
    env,
    paths: repositoryPaths(read),
    token: read('github-token'),
    host,
    exec,
  });
}
