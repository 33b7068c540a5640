/**
 * The one way out for kustomize's remote fetches. The graph walk checks each remote entry
 * against `allow-remote` before kustomize runs (remote-policy.ts), but kustomize then fetches
 * by itself: it resolves the name again (a DNS answer can change in between, pointing the
 * fetch at the runner's own network) and follows HTTP redirects and git submodules we never
 * see. So kustomize runs with this loopback proxy as its only route (HTTPS_PROXY for its HTTP
 * client, the same for git, and git's `http.proxy` set through the environment, which outranks
 * any gitconfig): every connection is a CONNECT that is vetted here, at connect time, and
 * connected to the very addresses that were checked. Plain-HTTP proxy requests are refused, as
 * plain http is. ssh remotes do not go through a proxy; the walk's check is all they get.
 *
 * Hand-written on node:net: a CONNECT proxy is a few lines, and a library would add a
 * dependency to the one place that must be easy to audit.
 */
import net from 'node:net';
import { errorMessage } from '../errors.ts';
import type { Host } from '../ports.ts';
import { vetHost, type RemotePolicy, type ResolveHost } from './remote-policy.ts';

export interface EgressProxy {
  /** `http://127.0.0.1:PORT`, for HTTPS_PROXY. */
  readonly url: string;
  /** What was refused, one line each, for the error when kustomize then fails. */
  readonly refused: readonly string[];
  close(): Promise<void>;
}

/** `host:port` of a CONNECT request line, IPv6 literals in brackets. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

function refuse(socket: net.Socket, status: string, reason: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
}

/** Connects to the first of `addresses` that answers. */
function connectAny(addresses: readonly string[], port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let index = 0;
    const attempt = (): void => {
      const address = addresses[index++];
      if (address === undefined) {
        reject(new Error('no address answered'));
        return;
      }
      const upstream = net.connect({ host: address, port });
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        resolve(upstream);
      });
      upstream.once('error', attempt);
    };
    attempt();
  });
}

/** Handles one client connection: a CONNECT request, vetted, then a byte pipe. */
function handle(
  client: net.Socket,
  policy: RemotePolicy,
  resolve: ResolveHost | undefined,
  refused: string[],
): void {
  let head = Buffer.alloc(0);
  client.on('error', () => client.destroy());
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 16 * 1024) refuse(client, '431 Request Header Fields Too Large', 'header too large');
      return;
    }
    client.off('data', onData);
    const [requestLine = ''] = head.subarray(0, end).toString('latin1').split('\r\n');
    const rest = head.subarray(end + 4);
    const [method, authority = ''] = requestLine.split(' ');
    if (method !== 'CONNECT') {
      refused.push(`${requestLine.slice(0, 200)}: only https through CONNECT is allowed`);
      refuse(client, '403 Forbidden', 'only https (CONNECT) is allowed');
      return;
    }
    const target = parseAuthority(authority);
    if (target === undefined) {
      refuse(client, '400 Bad Request', 'bad CONNECT target');
      return;
    }
    void (async () => {
      let upstream: net.Socket;
      try {
        const addresses = await vetHost(target.host, policy, resolve);
        upstream = await connectAny(addresses, target.port);
      } catch (error) {
        refused.push(`${target.host}: ${errorMessage(error)}`);
        refuse(client, '403 Forbidden', errorMessage(error));
        return;
      }
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    })();
  };
  client.on('data', onData);
}

/** Starts the proxy on loopback; `resolve` replaces DNS in tests. */
export async function startEgressProxy(policy: RemotePolicy, resolve?: ResolveHost): Promise<EgressProxy> {
  const refused: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    handle(client, policy, resolve, refused);
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/**
 * The environment kustomize runs in when it may fetch remotes: every proxy variable its HTTP
 * client and git read, pointing at `proxyUrl`, and no exceptions.
 */
export function proxiedEnv(
  env: Readonly<Record<string, string | undefined>>,
  proxyUrl: string,
): Record<string, string | undefined> {
  return {
    ...env,
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    HTTP_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    ALL_PROXY: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.proxy',
    GIT_CONFIG_VALUE_0: proxyUrl,
  };
}

/**
 * Runs `fn` with the environment kustomize should get: unchanged when nothing remote is
 * fetched, else routed through a fresh proxy that is closed afterwards. What the proxy refused
 * is logged, so a kustomize failure that follows can be understood.
 */
export async function withEgress<T>(
  remote: readonly string[],
  policy: RemotePolicy,
  env: Record<string, string | undefined>,
  deps: { readonly host: Host; readonly resolveHost?: ResolveHost },
  fn: (env: Record<string, string | undefined>) => Promise<T>,
): Promise<T> {
  if (remote.length === 0 || policy.kind === 'none') return fn(env);
  const proxy = await startEgressProxy(policy, deps.resolveHost);
  try {
    return await fn(proxiedEnv(env, proxy.url));
  } finally {
    await proxy.close();
    for (const line of proxy.refused)
      deps.host.warning(`a remote fetch was refused by allow-remote: ${line}`);
  }
}
