/**
 * The plumbing the in-repo HTTP doubles share: listen on a free loopback port, read a body,
 * answer JSON, close idempotently (dropping keep-alive connections so close does not hang).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void;

/** An HTTP server on 127.0.0.1; `url` has no trailing slash. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `handler` on a free loopback port. A handler that throws answers 500 with the
 * message, so a bug in a double shows up in the failing test instead of hanging it.
 */
export async function listenLoopback(handler: Handler): Promise<LoopbackServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      Promise.resolve()
        .then(() => handler(req, res, body))
        .catch((error: unknown) => {
          if (!res.headersSent)
            sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
          else res.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('loopback server has no port');
  const port = address.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Answers with a JSON body and any extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses a JSON request body, or returns undefined when it is empty or not JSON. */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The bearer credential of `Authorization: Bearer X` or `Authorization: token X`. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** True when `value` is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
