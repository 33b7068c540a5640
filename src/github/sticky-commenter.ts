/**
 * The Octokit side of the sticky comment: posts to the run's pull request. Built by the
 * Action shell for its Reporter (publish.ts); commands never see it.
 */
import { upsertStickyComment } from './comment.ts';
import type { PullRequestContext } from '../config/pull-request.ts';

/** What a sticky-comment update did; `skipped` where there is no pull request or comments are off. */
export type StickyCommentResult = 'created' | 'updated' | 'deleted' | 'unchanged' | 'skipped';

/**
 * Creates or updates the sticky comment for `tag` (the `comment-tag` input may replace it, so
 * the body is rendered for the final tag), or deletes it when `render` returns null.
 */
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
