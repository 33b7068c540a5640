/**
 * A real git smart-HTTP server: git's own `git http-backend`, run as CGI behind a small node
 * HTTP server that authenticates the way github.com does for `GITHUB_TOKEN` (HTTP basic, any
 * user name, the token as the password; 401 with a `WWW-Authenticate` challenge without one
 * or with a wrong one, 404 for a repository that does not exist). Repositories are bare
 * repositories under `root`, served at `/<owner>/<name>.git`.
 *
 * Every request's method, path and whether it authenticated is recorded; the token itself is
 * never recorded, so tests can search the records for it.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';

export interface GitHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly authenticated: boolean;
}

function gitHttpBackend(): string {
  const execPath = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  const backend = path.join(execPath, 'git-http-backend');
  if (!existsSync(backend)) throw new Error(`git-http-backend is not at ${backend}`);
  return backend;
}

/** The token of `Authorization: Basic base64(user:token)`, as GitHub reads it. */
function basicPassword(req: IncomingMessage): string | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export class GitHttpServer {
  readonly url: string;
  readonly root: string;
  readonly requests: GitHttpRequest[] = [];
  readonly #close: () => Promise<void>;

  private constructor(url: string, root: string, close: () => Promise<void>) {
    this.url = url;
    this.root = root;
    this.#close = close;
  }

  /** Serves the bare repositories under `root` to clients that send `token`. */
  static async start(options: { root: string; token: string }): Promise<GitHttpServer> {
    const backend = gitHttpBackend();
    const holder: { server?: GitHttpServer } = {};
    const server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const authenticated = basicPassword(req) === options.token;
      holder.server?.requests.push({ method: req.method ?? 'GET', path: url.pathname, authenticated });
      const repo = /^\/([\w.-]+\/[\w.-]+\.git)(?:\/|$)/.exec(url.pathname)?.[1];
      if (!authenticated) {
        // GitHub answers 401 with a challenge, so git reports "Authentication failed".
        res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
        res.end('Invalid username or token.\n');
        return;
      }
      if (repo === undefined || repo.includes('..') || !existsSync(path.join(options.root, repo))) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Repository not found.\n');
        return;
      }
      await runCgi(backend, options.root, req, url, res);
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address !== 'object') throw new Error('git http server has no port');
    let closing: Promise<void> | undefined;
    const instance = new GitHttpServer(`http://127.0.0.1:${address.port}`, options.root, () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    });
    holder.server = instance;
    return instance;
  }

  close(): Promise<void> {
    return this.#close();
  }
}

/** Runs git-http-backend for one request (RFC 3875 CGI) and relays its answer. */
function runCgi(
  backend: string,
  root: string,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(backend, [], {
      env: {
        PATH: process.env['PATH'] ?? '',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        // Protocol v2 (fetch by SHA, as GitHub allows) is negotiated through this header.
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      const endLf = head.indexOf('\n\n');
      const split = end >= 0 ? { at: end, len: 4 } : endLf >= 0 ? { at: endLf, len: 2 } : undefined;
      if (split === undefined) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, split.at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(split.at + split.len));
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => {
      if (!headersDone) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
      resolve();
    });
  });
}
