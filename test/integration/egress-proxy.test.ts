/**
 * kustomize fetching a remote resource through the egress proxy: a resource on an allowed
 * host builds (the proxy tunnels what the policy allows, TLS end to end), and a redirect to a
 * host the policy does not list is refused at connect time, where kustomize itself would
 * have followed it. The server listens on the machine's own non-loopback address: Go never
 * proxies loopback (see the README's security section), so loopback cannot show the proxy.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../src/commands/index.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { consoleReporter } from '../../src/host/console-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { run } from '../../src/run.ts';
import { createCa, issueCert } from '../env/pki.ts';
import { tool } from '../support/tools.ts';

const address = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;

let server: Server | undefined;
let port = 0;
let dir: string;
let caFile: string;
const requests: string[] = [];

before(async () => {
  if (address === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'ksd-egress-'));
  const ca = await createCa(dir, 'ca', 'ksd egress test ca');
  const leaf = await issueCert(
    dir,
    'server',
    ca,
    { commonName: address },
    { kind: 'server', dnsNames: ['localhost'], ips: [address, '127.0.0.1'] },
  );
  caFile = ca.certFile;
  server = createServer(
    { cert: await readFile(leaf.certFile), key: await readFile(leaf.keyFile) },
    (req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/cm.yaml') {
        res.end('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: remote\ndata:\n  a: b\n');
      } else if (req.url === '/redirect.yaml') {
        // To the same server under another name: a host the policy does not list.
        res.writeHead(302, { location: `https://[::ffff:${address}]:${port}/cm.yaml` }).end();
      } else res.writeHead(404).end();
    },
  );
  await new Promise<void>((resolve) => server?.listen(0, address, resolve));
  port = (server.address() as { port: number }).port;
});
after(() => server?.close());

async function build(resource: string): Promise<{ code: number; text: string; stdout: string }> {
  const app = path.join(dir, `app-${Math.random().toString(36).slice(2)}`);
  await mkdir(path.join(app, '.git'), { recursive: true });
  await writeFile(path.join(app, 'kustomization.yaml'), `resources:\n  - ${resource}\n`);
  const env = { PATH: process.env['PATH'] ?? '', HOME: dir, SSL_CERT_FILE: caFile };
  const inputs: Record<string, string> = {
    command: 'build',
    path: app,
    'kustomize-path': await tool('kustomize'),
    'allow-remote': address ?? '',
  };
  const config = parseConfig((name) => inputs[name] ?? '', env);
  const host = createMemoryHost();
  const code = await run(config, {
    host,
    exec: nodeExec,
    readStdin: () => Promise.resolve(new Uint8Array()),
    reporter: consoleReporter,
    kubeClient: () => Promise.reject(new Error('no cluster')),
  });
  return { code, text: host.allText(), stdout: Buffer.concat(host.stdout).toString('utf8') };
}

test(
  'a remote resource on an allowed host is fetched through the proxy',
  { skip: address === undefined ? 'no non-loopback IPv4 address here' : false },
  async () => {
    const result = await build(`https://${address}:${port}/cm.yaml`);
    assert.equal(result.code, 0, result.text);
    assert.match(result.stdout, /name: remote/);
  },
);

test(
  'a redirect to a host allow-remote does not list is refused at connect time',
  { skip: address === undefined ? 'no non-loopback IPv4 address here' : false },
  async () => {
    const before = requests.length;
    const result = await build(`https://${address}:${port}/redirect.yaml`);
    assert.equal(result.code, 2, result.text);
    assert.match(
      result.text,
      /a remote fetch was refused by allow-remote: ::ffff:[\d.]+: ::ffff:[0-9a-f:]+ is not in allow-remote/,
    );
    // The redirect was served; the target behind it never was.
    assert.deepEqual(requests.slice(before), ['/redirect.yaml']);
  },
);
