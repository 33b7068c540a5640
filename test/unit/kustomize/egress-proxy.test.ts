/**
 * The egress proxy vets each CONNECT at connect time, against the same policy as the graph
 * walk, and connects to the addresses it checked: a name that now resolves to loopback is
 * refused, a plain-HTTP request is refused, an allowed host is tunnelled.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { proxiedEnv, startEgressProxy } from '../../../src/kustomize/egress-proxy.ts';
import type { RemotePolicy, ResolveHost } from '../../../src/kustomize/remote-policy.ts';

/** Sends `request` to the proxy and returns everything it answers until it closes or `until` appears. */
function talk(url: string, request: string, until?: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (until !== undefined && answer.includes(until)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((s) => s.on('data', (d: Buffer) => s.write(`echo:${d.toString()}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

const rebinding: ResolveHost = (host) =>
  Promise.resolve(host === 'rebind.example' ? ['127.0.0.1'] : ['93.184.216.34']);

const cases: { name: string; policy: RemotePolicy; request: string; want: RegExp; refused: RegExp }[] = [
  {
    name: 'a name that resolves to loopback at connect time is refused (public)',
    policy: { kind: 'public' },
    request: 'CONNECT rebind.example:443 HTTP/1.1\r\nHost: rebind.example:443\r\n\r\n',
    want: /^HTTP\/1\.1 403 Forbidden[\s\S]*resolves to 127\.0\.0\.1, a loopback address/,
    refused: /rebind\.example: rebind\.example resolves to 127\.0\.0\.1/,
  },
  {
    name: 'the cloud metadata address is refused (public)',
    policy: { kind: 'public' },
    request: 'CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n',
    want: /^HTTP\/1\.1 403 Forbidden[\s\S]*link-local/,
    refused: /169\.254\.169\.254/,
  },
  {
    name: 'a host not in the list is refused (hosts)',
    policy: { kind: 'hosts', hosts: ['github.com'] },
    request: 'CONNECT localhost:8443 HTTP/1.1\r\n\r\n',
    want: /^HTTP\/1\.1 403 Forbidden[\s\S]*localhost is not in allow-remote/,
    refused: /localhost is not in allow-remote/,
  },
  {
    name: 'a plain-HTTP proxy request is refused',
    policy: { kind: 'public' },
    request: 'GET http://example.com/x.yaml HTTP/1.1\r\nHost: example.com\r\n\r\n',
    want: /^HTTP\/1\.1 403 Forbidden[\s\S]*only https/,
    refused: /GET http:\/\/example\.com\/x\.yaml/,
  },
];

for (const { name, policy, request, want, refused } of cases) {
  test(`egress proxy: ${name}`, async () => {
    const proxy = await startEgressProxy(policy, rebinding);
    try {
      assert.match(await talk(proxy.url, request), want);
      assert.match(proxy.refused.join('\n'), refused);
    } finally {
      await proxy.close();
    }
  });
}

test('egress proxy: an allowed host is tunnelled, bytes both ways', async () => {
  const echo = await echoServer();
  const proxy = await startEgressProxy({ kind: 'hosts', hosts: ['127.0.0.1'] });
  try {
    const answer = await talk(
      proxy.url,
      `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\n\r\nhello`,
      'echo:hello',
    );
    assert.match(answer, /^HTTP\/1\.1 200 Connection Established\r\n\r\necho:hello/);
    assert.deepEqual(proxy.refused, []);
  } finally {
    await proxy.close();
    echo.close();
  }
});

test('proxiedEnv routes every proxy variable and git through the proxy, with no exceptions', () => {
  const env = proxiedEnv(
    { PATH: '/bin', NO_PROXY: '*', https_proxy: 'http://elsewhere' },
    'http://127.0.0.1:9',
  );
  for (const name of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'ALL_PROXY',
    'GIT_CONFIG_VALUE_0',
  ])
    assert.equal(env[name], 'http://127.0.0.1:9', name);
  assert.equal(env['NO_PROXY'], '');
  assert.equal(env['no_proxy'], '');
  assert.equal(env['GIT_CONFIG_KEY_0'], 'http.proxy');
  assert.equal(env['PATH'], '/bin');
});
