/**
 * A TCP proxy that adds a fixed delay each way, so a benchmark meets the apiserver over a
 * network like a CI runner's (10-80 ms away) instead of loopback. Bytes pass through
 * untouched (TLS stays end to end, and the apiserver's certificate still names 127.0.0.1);
 * each chunk is held for half the round trip, and order is kept per direction.
 *
 * It runs in a process of its own (`spawnLatencyProxy`), as a network would: in the benchmark's
 * process its timers and socket copies would take event-loop time from our client, which is
 * the process being measured, but not from kubectl.
 *
 * Hand-written: a few lines of node:net, where a library would add nothing.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';

export interface LatencyProxy {
  /** `https://127.0.0.1:PORT`, to put in a kubeconfig in place of the apiserver's URL. */
  readonly url: string;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each chunk `delayMs` later than it arrived, in order. */
function pipeDelayed(from: net.Socket, to: net.Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
}

/** Starts a proxy to `target` (host:port) with `rttMs` added to every round trip. */
export async function startLatencyProxy(
  target: { host: string; port: number },
  rttMs: number,
): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    pipeDelayed(client, upstream, rttMs / 2);
    pipeDelayed(upstream, client, rttMs / 2);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts the proxy in a child process; `close` ends it. */
export async function spawnLatencyProxy(
  target: { host: string; port: number },
  rttMs: number,
): Promise<LatencyProxy> {
  const child = spawn(
    process.execPath,
    [import.meta.filename, target.host, String(target.port), String(rttMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`latency proxy exited with ${String(code)}`)));
  });
  lines.close();
  return {
    url,
    close: async () => {
      child.kill();
      await exited;
    },
  };
}

if (import.meta.main) {
  const [host = '127.0.0.1', port = '0', rtt = '20'] = process.argv.slice(2);
  const proxy = await startLatencyProxy({ host, port: Number(port) }, Number(rtt));
  console.log(proxy.url);
  process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
}
