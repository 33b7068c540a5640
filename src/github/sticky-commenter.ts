/**
 * The Octokit side of `Host.stickyComment`: posts to the run's pull request. Built by the
 * Action shell; domain code only sees the Host method.
 */
import type { StickyCommentResult } from '../ports.ts';
import { upsertStickyComment } from './comment.ts';
import type { PullRequestContext } from './pull-request.ts';

/** Posts, updates or deletes one sticky comment. */
export type StickyCommenter = (
  tag: string,
  render: (tag: string) => string | null,
) => Promise<StickyCommentResult>;

export interface StickyCommenterOptions {
  readonly token: string;
  /** `GITHUB_API_URL`; github.com's API when unset. */
  readonly apiUrl: string | undefined;
  readonly pullRequest: PullRequestContext;
  /** The `comment-tag` input; wins over the tag the command proposes. */
  readonly tag: string | undefined;
}

/** A commenter bound to one pull request and token. */
export function createStickyCommenter(options: StickyCommenterOptions): StickyCommenter {
  // Loaded on first use, so lint and build runs never load the REST client.
  let client: Promise<import('@octokit/rest').Octokit> | undefined;
  const octokit = (): Promise<import('@octokit/rest').Octokit> =>
    (client ??= import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: options.token,
          baseUrl: options.apiUrl ?? 'https://api.github.com',
          userAgent: 'kustomize-sops-deploy',
          // Octokit logs failures itself; we report them once, as a warning.
          log: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
          },
        }),
    ));
  return async (proposed, render) => {
    const tag = options.tag ?? proposed;
    return upsertStickyComment(
      await octokit(),
      {
        owner: options.pullRequest.owner,
        repo: options.pullRequest.repo,
        issueNumber: options.pullRequest.number,
        tag,
      },
      render(tag),
    );
  };
}
