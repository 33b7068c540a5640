/**
 * A real Helm chart repository for the tests: charts packaged by the real `helm package`,
 * indexed by `helm repo index`, served over HTTPS on loopback by node's https server with a
 * throwaway CA (test/env/pki.ts). Two repositories share the server:
 *
 * - `/public/`  answers anyone;
 * - `/private/` needs HTTP basic auth with the component's username and password. It also
 *   holds the chart `tampered` 1.0.0 (the demo chart renamed), whose archive was replaced
 *   after indexing by demo 1.1.0's, so it no longer has the digest index.yaml records. It is
 *   in the private repository, so that only authorized requests to `/private/` reach the
 *   server while helm-render.test.ts counts them.
 *
 * Every request is appended to `<root>/requests.jsonl` (path and whether it carried
 * credentials), so a test, which runs in another process, can prove that credentials went
 * only where they should and that a chart was fetched once.
 */
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.ts';

const run = promisify(execFile);

/** One chart version to package: the fixture folder and the version stamped into it. */
export interface ChartBuild {
  readonly source: string;
  readonly version: string;
}

export interface HelmRepoOptions {
  readonly helm: string;
  /** The folder the repositories are written into. */
  readonly root: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly username: string;
  readonly password: string;
  readonly charts: readonly ChartBuild[];
}

/** One line of `requests.jsonl`. */
export interface RecordedRequest {
  readonly path: string;
  readonly authorized: boolean;
}

/** The requests the server has answered so far, oldest first. */
export function recordedRequests(root: string): RecordedRequest[] {
  const file = path.join(root, 'requests.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RecordedRequest);
}

/** Packages `build` into `repoDir` with `helm package --version`. */
async function packageChart(helm: string, build: ChartBuild, work: string, repoDir: string): Promise<void> {
  const name = path.basename(build.source);
  const copy = path.join(work, `${name}-${build.version}`, name);
  cpSync(build.source, copy, { recursive: true });
  await run(helm, [
    'package',
    copy,
    '--version',
    build.version,
    '--app-version',
    build.version,
    '-d',
    repoDir,
  ]);
}

/**
 * The demo chart renamed `tampered`, packaged at 1.0.0 into `repoDir` (see the module comment;
 * the oci-registry component pushes it too).
 */
export async function packageTampered(helm: string, work: string, repoDir: string): Promise<void> {
  const copy = path.join(work, 'tampered');
  const demo = path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts', 'demo');
  cpSync(demo, copy, { recursive: true });
  const chartFile = path.join(copy, 'Chart.yaml');
  writeFileSync(chartFile, readFileSync(chartFile, 'utf8').replace(/^name: demo$/m, 'name: tampered'));
  await run(helm, ['package', copy, '--version', '1.0.0', '-d', repoDir]);
}

export class HelmRepoServer {
  readonly url: string;
  readonly #server: Server;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(options: HelmRepoOptions): Promise<HelmRepoServer> {
    const work = path.join(options.root, 'work');
    const repos = ['public', 'private'];
    for (const repo of repos) {
      const dir = path.join(options.root, repo);
      mkdirSync(dir, { recursive: true });
      for (const build of options.charts) await packageChart(options.helm, build, path.join(work, repo), dir);
    }
    await packageTampered(options.helm, path.join(work, 'tampered'), path.join(options.root, 'private'));
    const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    const log = path.join(options.root, 'requests.jsonl');
    const server = createServer(
      { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) },
      (req, res) => {
        const url = new URL(req.url ?? '/', 'https://localhost');
        const authorized = req.headers.authorization === expected;
        const entry: RecordedRequest = { path: url.pathname, authorized };
        appendFileSync(log, `${JSON.stringify(entry)}\n`);
        const [, repo, file] = /^\/([a-z]+)\/([^/]+)$/.exec(url.pathname) ?? [];
        if (repo === undefined || file === undefined || !repos.includes(repo)) {
          res.writeHead(404).end('not found\n');
          return;
        }
        if (repo === 'private' && !authorized) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end('unauthorized\n');
          return;
        }
        const full = path.join(options.root, repo, file);
        if (!existsSync(full) || !statSync(full).isFile()) {
          res.writeHead(404).end('not found\n');
          return;
        }
        res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' });
        createReadStream(full).pipe(res);
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address !== 'object') throw new Error('helm repo: no port');
    const base = `https://127.0.0.1:${String(address.port)}`;
    for (const repo of repos) {
      const dir = path.join(options.root, repo);
      await run(options.helm, ['repo', 'index', dir, '--url', `${base}/${repo}`]);
    }
    const privateDir = path.join(options.root, 'private');
    cpSync(path.join(privateDir, 'demo-1.1.0.tgz'), path.join(privateDir, 'tampered-1.0.0.tgz'));
    writeFileSync(path.join(options.root, 'url'), `${base}\n`);
    return new HelmRepoServer(server, base);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
