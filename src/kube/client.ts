/**
 * The Kubernetes client: @kubernetes/client-node only loads the kubeconfig and authenticates
 * (client certificates, tokens, exec credential plugins); every request body is raw JSON
 * sent here, because client-node's typed models silently drop fields they do not know.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { UserError } from '../errors.ts';
import type { Env } from '../ports.ts';

/** A Kubernetes object as parsed JSON. */
export type KubeObject = Record<string, unknown>;

/** Where a kind is served, from discovery. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/**
 * A non-2xx answer from the apiserver, with the Status fields that matter for decisions. It
 * is a UserError (code KUBE_API): one that reaches the shell is the cluster refusing, not a bug.
 */
export class KubeApiError extends UserError {
  readonly status: number;
  /** metav1.Status reason, e.g. NotFound, Conflict, Invalid, AlreadyExists. */
  readonly reason: string;
  /** The fields the server blamed (Status details causes), e.g. spec.selector. */
  readonly fields: readonly string[];
  readonly causes: readonly {
    readonly field?: string;
    readonly message?: string;
    readonly reason?: string;
  }[];

  constructor(status: number, reason: string, message: string, causes: KubeApiError['causes']) {
    super('KUBE_API', message);
    this.status = status;
    this.reason = reason;
    this.causes = causes;
    this.fields = causes.flatMap((c) => (c.field === undefined || c.field === '' ? [] : [c.field]));
  }
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  /**
   * The Accept header (default JSON). Requests whose answer is not read can ask for less,
   * e.g. METADATA_ONLY; a body that is not JSON comes back as undefined.
   */
  readonly accept?: string;
}

/**
 * Accept header asking for the object's metadata only (PartialObjectMetadata), which every
 * resource, custom ones included, can answer: for writes whose response body is not read.
 */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json';

/** The raw response: status and parsed JSON body. */
export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface KubeClient {
  /** The apiserver URL from the kubeconfig. */
  readonly server: string;
  /** The context's namespace (default: `default`), for namespaced objects that name none. */
  readonly namespace: string;
  /** Sends a request with retries; throws KubeApiError for any status other than 2xx. */
  request(method: string, path: string, options?: RequestOptions): Promise<KubeResponse>;
  /** Discovery for an apiVersion/kind, cached per client; undefined when the server does not serve it. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Forgets cached discovery, e.g. after CRDs became Established. */
  resetDiscovery(): void;
  /** Closes idle connections. */
  close(): void;
}

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface KubeClientOptions {
  /** A kubeconfig file; otherwise KUBECONFIG, ~/.kube/config or the in-cluster config. */
  readonly kubeconfig?: string | undefined;
  /**
   * The kubeconfig's text (wins over `kubeconfig`): loaded from memory, so the credentials
   * in it are never written to a file.
   */
  readonly kubeconfigContent?: string | undefined;
  readonly context?: string | undefined;
  readonly env: Env;
  readonly retry?: RetryPolicy;
  /** Parallel connections to the apiserver. */
  readonly maxSockets?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };
/** A server asking for longer than this is not worth waiting for inside one run. */
const MAX_RETRY_AFTER_MS = 30_000;
const RETRIABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

function loadKubeConfig(options: KubeClientOptions, KubeConfigClass: new () => KubeConfig): KubeConfig {
  const config = new KubeConfigClass();
  try {
    if (options.kubeconfigContent !== undefined) config.loadFromString(options.kubeconfigContent);
    else if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
    else if (options.env['KUBECONFIG'] !== undefined && options.env['KUBECONFIG'] !== '') {
      // loadFromDefault reads process.env itself; the injected env decides here instead.
      const files = options.env['KUBECONFIG'].split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
      const [first, ...rest] = files;
      if (first !== undefined) config.loadFromFile(first);
      for (const file of rest) {
        const more = new KubeConfigClass();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    } else config.loadFromDefault();
  } catch (cause) {
    throw new UserError('USAGE', `cannot load the kubeconfig: ${(cause as Error).message}`, {
      cause,
      hint: 'pass --kubeconfig FILE or set KUBECONFIG',
    });
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      throw new UserError('USAGE', `the kubeconfig has no context "${options.context}"`, {
        hint: `contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(', ') || '(none)'
        }`,
      });
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new UserError('USAGE', 'the kubeconfig has no current cluster', {
      hint: 'pass --context NAME or set current-context in the kubeconfig',
    });
  }
  return config;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(seconds * 1000, MAX_RETRY_AFTER_MS));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.min(date - now, MAX_RETRY_AFTER_MS));
}

function backoffMs(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Jitter spreads a burst of concurrent retries so they do not hit the server together.
  return exp / 2 + Math.random() * (exp / 2);
}

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

function parseError(status: number, text: string): KubeApiError {
  try {
    const body = JSON.parse(text) as {
      kind?: string;
      reason?: string;
      message?: string;
      details?: { causes?: { field?: string; message?: string; reason?: string }[] };
    };
    if (body.kind === 'Status') {
      return new KubeApiError(
        status,
        body.reason ?? '',
        body.message ?? `HTTP ${status}`,
        body.details?.causes ?? [],
      );
    }
  } catch {
    // Not JSON: a proxy or load balancer answered.
  }
  return new KubeApiError(status, '', `HTTP ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`, []);
}

/** How to reach the apiserver: its URL, the agent with the kubeconfig's TLS, and the auth. */
interface Connection {
  readonly server: string;
  readonly base: URL;
  readonly isHttps: boolean;
  readonly agent: http.Agent;
  /** The auth headers for one request. */
  authHeaders(): Promise<Record<string, string>>;
}

async function connect(config: KubeConfig, maxSockets: number): Promise<Connection> {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new UserError('USAGE', 'the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const base = new URL(server);
  const user = config.getCurrentUser();
  // Exec plugins and auth providers hand out short-lived tokens: ask again per request
  // (they cache until expiry). Static credentials are resolved once.
  const dynamicAuth = user !== null && (user.exec !== undefined || user.authProvider !== undefined);
  const tlsOptions: https.RequestOptions = {};
  try {
    await config.applyToHTTPSOptions(tlsOptions);
  } catch (cause) {
    throw new UserError('USAGE', `cannot use the kubeconfig's credentials: ${(cause as Error).message}`, {
      cause,
    });
  }
  const staticHeaders = { ...(tlsOptions.headers as Record<string, string> | undefined) };
  const isHttps = base.protocol === 'https:';
  const agent = isHttps
    ? new https.Agent({
        keepAlive: true,
        maxSockets,
        ...(tlsOptions.ca === undefined ? {} : { ca: tlsOptions.ca }),
        ...(tlsOptions.cert === undefined ? {} : { cert: tlsOptions.cert }),
        ...(tlsOptions.key === undefined ? {} : { key: tlsOptions.key }),
        ...(tlsOptions.rejectUnauthorized === undefined
          ? {}
          : { rejectUnauthorized: tlsOptions.rejectUnauthorized }),
        ...(tlsOptions.servername === undefined ? {} : { servername: tlsOptions.servername }),
      })
    : new http.Agent({ keepAlive: true, maxSockets });
  return {
    server,
    base,
    isHttps,
    agent,
    async authHeaders() {
      if (!dynamicAuth) return staticHeaders;
      const fresh: https.RequestOptions = {};
      await config.applyToHTTPSOptions(fresh);
      return { ...(fresh.headers as Record<string, string> | undefined) };
    },
  };
}

/** One HTTP exchange, no retries. */
function send(
  connection: Connection,
  method: string,
  url: URL,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = (connection.isHttps ? https : http).request(
      url,
      {
        method,
        agent: connection.agent,
        headers:
          payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () =>
      req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

type Request = KubeClient['request'];

/** Sends requests with retries on connection errors, 429 and 5xx (honouring Retry-After). */
function requester(connection: Connection, retry: RetryPolicy): Request {
  const { server, base } = connection;
  return async (method, path, requestOptions = {}) => {
    const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
    for (const [key, value] of Object.entries(requestOptions.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const payload = requestOptions.body === undefined ? undefined : JSON.stringify(requestOptions.body);
    let lastError: unknown;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      const headers: Record<string, string> = {
        ...(await connection.authHeaders()),
        accept: requestOptions.accept ?? 'application/json',
      };
      if (payload !== undefined) headers['content-type'] = requestOptions.contentType ?? 'application/json';
      let response: RawResponse;
      try {
        response = await send(connection, method, url, headers, payload);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!RETRIABLE_CODES.has(code) && (error as Error).message !== 'socket hang up') {
          throw new UserError(
            'KUBE_API',
            `cannot reach the Kubernetes API at ${server}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        lastError = error;
        if (attempt + 1 < retry.attempts) await sleep(backoffMs(retry, attempt));
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        const type = response.headers['content-type'] ?? 'application/json';
        return {
          status: response.status,
          body:
            response.text === '' || !type.startsWith('application/json')
              ? undefined
              : (JSON.parse(response.text) as unknown),
        };
      }
      const error = parseError(response.status, response.text);
      if (response.status !== 429 && response.status < 500) throw error;
      lastError = error;
      if (attempt + 1 < retry.attempts) {
        const header: string | undefined = response.headers['retry-after'];
        await sleep(retryAfterMs(header) ?? backoffMs(retry, attempt));
      }
    }
    if (lastError instanceof KubeApiError) throw lastError;
    throw new UserError(
      'KUBE_API',
      `cannot reach the Kubernetes API at ${server} after ${retry.attempts} attempts: ${(lastError as Error).message}`,
      { cause: lastError },
    );
  };
}

/** Discovery per apiVersion, cached; a failed lookup is forgotten so the next one retries. */
function discovery(request: Request): {
  discover(apiVersion: string): Promise<readonly ResourceInfo[] | undefined>;
  reset(): void;
} {
  const groupVersions = new Map<string, Promise<readonly ResourceInfo[] | undefined>>();
  return {
    discover(apiVersion) {
      let pending = groupVersions.get(apiVersion);
      if (pending === undefined) {
        const slash = apiVersion.indexOf('/');
        const group = slash < 0 ? '' : apiVersion.slice(0, slash);
        const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
        const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
        pending = request('GET', path).then(
          ({ body }) => {
            const list = body as { resources?: { name: string; kind: string; namespaced: boolean }[] };
            return (list.resources ?? [])
              .filter((r) => !r.name.includes('/'))
              .map((r) => ({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced }));
          },
          (error: unknown) => {
            if (error instanceof KubeApiError && error.status === 404) return undefined;
            groupVersions.delete(apiVersion);
            throw error;
          },
        );
        groupVersions.set(apiVersion, pending);
      }
      return pending;
    },
    reset() {
      groupVersions.clear();
    },
  };
}

/** Creates the client for one run. Nothing is contacted until the first request. */
export async function createKubeClient(options: KubeClientOptions): Promise<KubeClient> {
  // Only the kubeconfig module of client-node, and only for diff and apply: the package's
  // index pulls in every generated API model (17 MB bundled) that we never use.
  const { KubeConfig: KubeConfigClass } = await import('@kubernetes/client-node/dist/config.js');
  const config = loadKubeConfig(options, KubeConfigClass);
  const connection = await connect(config, options.maxSockets ?? 16);
  const request = requester(connection, options.retry ?? DEFAULT_RETRY);
  const resources = discovery(request);
  const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
  return {
    server: connection.server,
    namespace: contextNamespace === undefined || contextNamespace === '' ? 'default' : contextNamespace,
    request,
    async resourceFor(apiVersion, kind) {
      const found = await resources.discover(apiVersion);
      return found?.find((r) => r.kind === kind);
    },
    resetDiscovery() {
      resources.reset();
    },
    close() {
      connection.agent.destroy();
    },
  };
}
