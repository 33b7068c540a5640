/**
 * A TCP proxy that adds a fixed delay each way, so a benchmark meets the apiserver over a
 * network like a CI runner's (10-80 ms away) instead of loopback. Bytes pass through
 * untouched (TLS stays end to end, and the apiserver's certificate still names 127.0.0.1);
 * each chunk is held for half the round trip, and order is kept per direction.
 *
 * Hand-written: a few lines of node:net, where a library would add nothing.
 */
import net from 'node:net';

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
