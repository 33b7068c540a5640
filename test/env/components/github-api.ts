/**
 * The `github-api` component: the in-repo DOUBLE of GitHub's REST API
 * (test/env/doubles/github-api.ts), for the sticky PR comment. Point `GITHUB_API_URL` at
 * `url` and use `token` as `GITHUB_TOKEN`.
 */
import type { Component, Started } from '../component.ts';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../doubles/github-api.ts';

/** Info: `{url, token, user, requestsUrl, resetUrl, seedUrl}`. */
export const githubApi: Component = {
  name: 'github-api',
  install: () => Promise.resolve(),
  async start(): Promise<Started> {
    const double = await GithubApiDouble.start();
    return {
      info: {
        url: double.url,
        token: DEFAULT_GITHUB_TOKEN,
        user: 'github-actions[bot]',
        requestsUrl: `${double.url}/_requests`,
        resetUrl: `${double.url}/_reset`,
        seedUrl: `${double.url}/_comments`,
      },
      stop: () => double.close(),
    };
  },
};
