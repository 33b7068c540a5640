/**
 * A DOUBLE of GitHub's REST API: a local HTTP server that speaks the issue-comment endpoints
 * the action's sticky PR comment uses, with GitHub's pagination (`per_page`, `page`, `Link`
 * headers), status codes and error bodies (422 for a body over 65,536 characters, 401 without
 * or with a wrong token, 404 for a missing comment).
 *
 * Test hooks, under `/_`: `GET /_requests` (every API call: method, path with query, parsed
 * body), `POST /_reset` (forget comments and requests), `POST /_comments` (seed a comment by
 * any user: `{owner, repo, issue, body, user?}`). The shared component serves every test file,
 * so use an issue number of your own there; in-process tests can `GithubApiDouble.start()`
 * their own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, isRecord, listenLoopback, parseJsonBody, sendJson } from './http-double.ts';
import type { LoopbackServer } from './http-double.ts';

/** GitHub's limit on an issue comment body, in characters. */
export const MAX_COMMENT_CHARACTERS = 65_536;
const DOCS = 'https://docs.github.com/rest/issues/comments';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** The login the token stood for, when it was valid. */
  readonly user?: string;
}

interface StoredComment {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly issue: number;
  body: string;
  readonly user: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface GithubApiDoubleOptions {
  /** Token → login of the user it authenticates. Defaults to one token for github-actions[bot]. */
  readonly tokens?: Readonly<Record<string, string>>;
}

/** The token the default double accepts, as a runner's GITHUB_TOKEN would be. */
export const DEFAULT_GITHUB_TOKEN = 'ghs_ksdTestToken0000000000000000000000';

function userObject(login: string): Record<string, unknown> {
  const id = Buffer.from(login).reduce((h, byte) => (h * 31 + byte) % 100_000_000, 7);
  const bot = login.endsWith('[bot]');
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    type: bot ? 'Bot' : 'User',
    site_admin: false,
    html_url: `https://github.com/${bot ? 'apps/' + login.replace('[bot]', '') : login}`,
  };
}

/** Characters as GitHub (Ruby) counts them: code points, so an emoji is one, not two UTF-16 units. */
function codePointCount(text: string): number {
  return Array.from(text).length;
}

export class GithubApiDouble {
  readonly #server: LoopbackServer;
  readonly #tokens: ReadonlyMap<string, string>;
  #comments: StoredComment[] = [];
  #nextId = 1_000_001;
  /** Every API call received since the last reset (test hooks excluded). */
  requests: RecordedRequest[] = [];

  private constructor(server: LoopbackServer, options: GithubApiDoubleOptions) {
    this.#server = server;
    this.#tokens = new Map(
      Object.entries(options.tokens ?? { [DEFAULT_GITHUB_TOKEN]: 'github-actions[bot]' }),
    );
  }

  static async start(options: GithubApiDoubleOptions = {}): Promise<GithubApiDouble> {
    const holder: { double?: GithubApiDouble } = {};
    const server = await listenLoopback((req, res, body) => {
      if (holder.double === undefined) sendJson(res, 503, {});
      else holder.double.#handle(req, res, body);
    });
    const double = new GithubApiDouble(server, options);
    holder.double = double;
    return double;
  }

  /** Base URL, what `GITHUB_API_URL` holds on a runner (no trailing slash). */
  get url(): string {
    return this.#server.url;
  }

  reset(): void {
    this.#comments = [];
    this.requests = [];
  }

  /** Adds a comment as if `user` had written it, without recording a request. */
  seedComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    user = 'octocat',
  ): Record<string, unknown> {
    return this.#render(this.#create(owner, repo, issue, body, user));
  }

  /** The bodies of an issue's comments, oldest first. */
  comments(owner: string, repo: string, issue: number): readonly Record<string, unknown>[] {
    return this.#comments
      .filter((c) => c.owner === owner && c.repo === repo && c.issue === issue)
      .map((c) => this.#render(c));
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  #create(owner: string, repo: string, issue: number, body: string, user: string): StoredComment {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const comment = { id: this.#nextId++, owner, repo, issue, body, user, createdAt: now, updatedAt: now };
    this.#comments.push(comment);
    return comment;
  }

  #render(c: StoredComment): Record<string, unknown> {
    const api = `${this.url}/repos/${c.owner}/${c.repo}`;
    return {
      url: `${api}/issues/comments/${c.id}`,
      html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issue}`,
      id: c.id,
      node_id: `IC_kwDO${Buffer.from(String(c.id)).toString('base64url')}`,
      user: userObject(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.endsWith('[bot]') ? 'NONE' : 'MEMBER',
      body: c.body,
      reactions: { url: `${api}/issues/comments/${c.id}/reactions`, total_count: 0 },
    };
  }

  #handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const body = parseJsonBody(raw);

    if (url.pathname === '/_requests' && method === 'GET') {
      sendJson(res, 200, this.requests);
      return;
    }
    if (url.pathname === '/_reset' && method === 'POST') {
      this.reset();
      sendJson(res, 200, {});
      return;
    }
    if (url.pathname === '/_comments' && method === 'POST') {
      if (!isRecord(body)) {
        sendJson(res, 400, { message: 'expected {owner, repo, issue, body, user?}' });
        return;
      }
      const seeded = this.seedComment(
        String(body['owner']),
        String(body['repo']),
        Number(body['issue']),
        String(body['body']),
        typeof body['user'] === 'string' ? body['user'] : 'octocat',
      );
      sendJson(res, 201, seeded);
      return;
    }

    const token = bearerToken(req);
    const user = token === undefined ? undefined : this.#tokens.get(token);
    this.requests.push({
      method,
      path: `${url.pathname}${url.search}`,
      body,
      ...(user === undefined ? {} : { user }),
    });
    const headers = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(5000 - this.requests.length),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': `KSD:${this.requests.length}`,
    };
    const fail = (status: number, message: string, extra: Record<string, unknown> = {}): void =>
      sendJson(res, status, { message, ...extra, documentation_url: DOCS, status: String(status) }, headers);

    if (token === undefined) {
      fail(401, 'Requires authentication');
      return;
    }
    if (user === undefined) {
      fail(401, 'Bad credentials');
      return;
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list !== null) {
      const [, owner = '', repo = '', issueText = ''] = list;
      const issue = Number(issueText);
      if (method === 'GET') {
        this.#list(res, url, owner, repo, issue, headers, fail);
        return;
      }
      if (method === 'POST') {
        if (this.#rejectsBody(body, fail)) return;
        const created = this.#render(this.#create(owner, repo, issue, (body as { body: string }).body, user));
        sendJson(res, 201, created, { ...headers, location: String(created['url']) });
        return;
      }
      fail(404, 'Not Found');
      return;
    }

    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (one !== null) {
      const [, owner, repo, idText] = one;
      const comment = this.#comments.find(
        (c) => c.id === Number(idText) && c.owner === owner && c.repo === repo,
      );
      if (comment === undefined) {
        fail(404, 'Not Found');
        return;
      }
      if (method === 'GET') {
        sendJson(res, 200, this.#render(comment), headers);
        return;
      }
      if (method === 'PATCH') {
        if (this.#rejectsBody(body, fail)) return;
        comment.body = (body as { body: string }).body;
        comment.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        sendJson(res, 200, this.#render(comment), headers);
        return;
      }
      if (method === 'DELETE') {
        this.#comments = this.#comments.filter((c) => c !== comment);
        res.writeHead(204, headers);
        res.end();
        return;
      }
    }
    fail(404, 'Not Found');
  }

  /** Answers GitHub's 422 and returns true when the body is missing or too long. */
  #rejectsBody(
    body: unknown,
    fail: (status: number, message: string, extra?: Record<string, unknown>) => void,
  ): boolean {
    if (!isRecord(body) || typeof body['body'] !== 'string') {
      fail(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
      return true;
    }
    // GitHub counts characters (code points), not UTF-16 units or bytes.
    if (codePointCount(body['body']) > MAX_COMMENT_CHARACTERS) {
      fail(422, 'Validation Failed', {
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_COMMENT_CHARACTERS} characters)`,
          },
        ],
      });
      return true;
    }
    return false;
  }

  #list(
    res: ServerResponse,
    url: URL,
    owner: string,
    repo: string,
    issue: number,
    headers: Readonly<Record<string, string>>,
    fail: (status: number, message: string) => void,
  ): void {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? '30') || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? '1') || 1, 1);
    if (!Number.isInteger(perPage) || !Number.isInteger(page)) {
      fail(422, 'Validation Failed');
      return;
    }
    const all = this.#comments.filter((c) => c.owner === owner && c.repo === repo && c.issue === issue);
    const lastPage = Math.max(Math.ceil(all.length / perPage), 1);
    const items = all.slice((page - 1) * perPage, page * perPage).map((c) => this.#render(c));
    // GitHub's order: prev, next, last, first; omitted when there is only one page.
    const link = (p: number, rel: string): string => {
      const target = new URL(url.pathname, this.url);
      for (const [k, v] of url.searchParams) if (k !== 'page') target.searchParams.set(k, v);
      target.searchParams.set('page', String(p));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'));
    if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    sendJson(res, 200, items, links.length > 0 ? { ...headers, link: links.join(', ') } : headers);
  }
}
