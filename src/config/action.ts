/**
 * Inputs only the Action has (action.yml, no CLI flag): the pull-request comment, the token,
 * and whether a diff with changes fails the step; and what the runner's environment says
 * about the run (its pull request, the API URL, RUNNER_TEMP). The CLI reads the inputs as
 * empty, which gives the defaults below, and never uses them.
 */
import type { Env } from '../ports.ts';
import { lines, optional, parseBoolean, type InputReader } from './inputs.ts';
import { pullRequestFromEnv, type PullRequestContext } from './pull-request.ts';

export interface ActionSettings {
  /** `comment`; undefined (the input left empty) means on for a pull request. */
  readonly comment: boolean | undefined;
  /** `comment-tag`: names the sticky comment instead of the target paths. */
  readonly commentTag: string | undefined;
  /** `github-token`, for the comment, the self-checkout and `diff --against` fetches. */
  readonly githubToken: string | undefined;
  /** `fail-on-changes`: a diff that finds changes fails the step (a drift check). */
  readonly failOnChanges: boolean;
  /**
   * `require-decryption`, as the notice for a pull request from a fork or Dependabot names it
   * (for every command; only diff acts on it, through its own config).
   */
  readonly requireDecryption: boolean;
  /** The pull request the run belongs to (from the event payload), if any. */
  readonly pullRequest: PullRequestContext | undefined;
  /** `GITHUB_API_URL`; github.com's API when unset. */
  readonly apiUrl: string | undefined;
  /** `RUNNER_TEMP`, where report files go. */
  readonly tempDir: string | undefined;
}

/** Reads the Action-only inputs; a malformed boolean names the input. */
export function parseActionSettings(read: InputReader, env: Env): ActionSettings {
  const tag = lines(read('comment-tag')).join(', ');
  return {
    comment: optional(read('comment')) === undefined ? undefined : parseBoolean(read, 'comment'),
    commentTag: tag === '' ? undefined : tag,
    githubToken: optional(read('github-token')),
    failOnChanges: parseBoolean(read, 'fail-on-changes'),
    requireDecryption: parseBoolean(read, 'require-decryption'),
    pullRequest: pullRequestFromEnv(env),
    apiUrl: optional(env['GITHUB_API_URL'] ?? ''),
    tempDir: env['RUNNER_TEMP'],
  };
}
