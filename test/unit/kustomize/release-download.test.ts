/**
 * Where a release download may go: two local servers are two origins; a redirect is followed
 * only to an allowed one, a body is read only up to its cap, and a 404 is an answer.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { downloadAsset } from '../../../src/kustomize/release-download.ts';

let home: Server;
let elsewhere: Server;
let homeOrigin = '';
let elsewhereOrigin = '';
const hits: string[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  elsewhere = createServer((req, res) => {
    hits.push(`elsewhere ${req.url ?? ''}`);
    res.end('from elsewhere');
  });
  elsewhereOrigin = await listen(elsewhere);
  home = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(`home ${url}`);
    if (url === '/asset') res.end('the asset');
    else if (url === '/moved') res.writeHead(302, { location: '/asset' }).end();
    else if (url === '/away') res.writeHead(302, { location: `${elsewhereOrigin}/asset` }).end();
    else if (url === '/loop') res.writeHead(307, { location: '/loop' }).end();
    else if (url === '/big') res.writeHead(200, { 'content-length': '2000' }).end(Buffer.alloc(2000));
    else if (url === '/big-chunked') {
      res.write(Buffer.alloc(600));
      res.end(Buffer.alloc(600));
    } else if (url === '/broken') res.writeHead(500).end('oops');
    else res.writeHead(404).end('Not Found');
  });
  homeOrigin = await listen(home);
});

after(() => {
  home.close();
  elsewhere.close();
});

const get = (url: string, origins = [homeOrigin]) =>
  downloadAsset(url, { origins, maxBytes: 1000, fetch, timeoutMs: 10_000 });

test('a body, through redirects within the allowed origins', async () => {
  assert.equal(Buffer.from((await get(`${homeOrigin}/asset`)) ?? []).toString(), 'the asset');
  assert.equal(Buffer.from((await get(`${homeOrigin}/moved`)) ?? []).toString(), 'the asset');
  const both = [homeOrigin, elsewhereOrigin];
  assert.equal(Buffer.from((await get(`${homeOrigin}/away`, both)) ?? []).toString(), 'from elsewhere');
  assert.equal(await get(`${homeOrigin}/nothing-here`), undefined);
});

test('refused: other origins (first or redirected), redirect loops, large bodies, server errors', async () => {
  const cases: { url: string; message: RegExp; code: string }[] = [
    {
      url: `${elsewhereOrigin}/asset`,
      message: new RegExp(`^refusing to download ${elsewhereOrigin}/asset: only ${homeOrigin}$`),
      code: 'DOWNLOAD_FAILED',
    },
    {
      url: `${homeOrigin}/away`,
      message: new RegExp(`^refusing to download ${elsewhereOrigin}/asset: only ${homeOrigin}$`),
      code: 'DOWNLOAD_FAILED',
    },
    { url: `${homeOrigin}/loop`, message: /too many or empty redirects/, code: 'DOWNLOAD_FAILED' },
    { url: `${homeOrigin}/big`, message: /is 2000 bytes; the limit is 1000$/, code: 'TOO_LARGE' },
    { url: `${homeOrigin}/big-chunked`, message: /is more than 1000 bytes$/, code: 'TOO_LARGE' },
    { url: `${homeOrigin}/broken`, message: /answered HTTP 500$/, code: 'DOWNLOAD_FAILED' },
    { url: 'http://127.0.0.1:1/asset', message: /cannot reach/, code: 'DOWNLOAD_FAILED' },
  ];
  for (const c of cases) {
    const before = hits.filter((h) => h.startsWith('elsewhere')).length;
    await assert.rejects(
      get(c.url, c.url.startsWith('http://127.0.0.1:1/') ? ['http://127.0.0.1:1'] : [homeOrigin]),
      (error: unknown) =>
        error instanceof UserError && error.code === c.code && c.message.test(error.message),
      c.url,
    );
    // The other origin never got a request.
    assert.equal(hits.filter((h) => h.startsWith('elsewhere')).length, before, c.url);
  }
});
