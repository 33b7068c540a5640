/**
 * The `git-http` component: a real git smart-HTTP server (`git http-backend` behind GitHub's
 * token authentication, test/env/git-http-server.ts) for the Action's own checkout and for
 * `diff --against` fetches. Tests put bare repositories at `<root>/<owner>/<name>.git` (use a
 * name of your own: every test file shares the server), then point `GITHUB_SERVER_URL` at
 * `url` and send `token` as the github-token.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Component, Started } from '../component.ts';
import { GitHttpServer } from '../git-http-server.ts';
import { runDir } from '../paths.ts';

/** The token the server accepts, shaped like a runner's GITHUB_TOKEN. */
export const GIT_HTTP_TOKEN = 'ghs_ksdGitHttpToken000000000000000000';

/** Info: `{url, token, root}`. */
export const gitHttp: Component = {
  name: 'git-http',
  install: () => Promise.resolve(),
  async start(): Promise<Started> {
    const root = path.join(runDir, 'git-http');
    await mkdir(root, { recursive: true });
    const server = await GitHttpServer.start({ root, token: GIT_HTTP_TOKEN });
    return { info: { url: server.url, token: GIT_HTTP_TOKEN, root }, stop: () => server.close() };
  },
};
