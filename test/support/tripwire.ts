/** A TCP listener that only counts connections: a refused stanza must leave it at zero. */
import { createServer, type Server } from 'node:net';

export interface Tripwire {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Starts a listener on a free loopback port that closes every connection it counts. */
export async function startTripwire(): Promise<Tripwire> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('tripwire has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
