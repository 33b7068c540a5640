/**
 * Retries through a loopback proxy in front of the real apiserver that answers 429 (with
 * Retry-After), 500 and connection resets before letting requests through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyObjects } from '../../src/kube/apply.ts';
import { createKubeClient, KubeApiError } from '../../src/kube/client.ts';
import { requireComponent } from '../env/state.ts';

type Fault = '429' | '500' | 'reset' | '503-forever';

describe('kube client retries', () => {
  let info: Readonly<Record<string, string>>;
  let dir: string;
  let proxy: http.Server;
  let kubeconfig: string;
  const faults: Fault[] = [];
  const seen: string[] = [];
  let forever = false;

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-retry-'));
    const tls = {
      ca: readFileSync(info['caFile']!),
      cert: readFileSync(info['clientCertFile']!),
      key: readFileSync(info['clientKeyFile']!),
    };
    proxy = http.createServer((req, res) => {
      const fault = forever ? '503-forever' : faults.shift();
      seen.push(fault ?? 'pass');
      if (fault === '429') {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            status: 'Failure',
            reason: 'TooManyRequests',
            message: 'slow down',
            code: 429,
          }),
        );
        return;
      }
      if (fault === '500' || fault === '503-forever') {
        res.writeHead(fault === '500' ? 500 : 503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            status: 'Failure',
            reason: 'InternalError',
            message: 'injected',
            code: 500,
          }),
        );
        return;
      }
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      const upstream = https.request(
        new URL(req.url ?? '/', info['server']),
        { method: req.method, headers: { ...req.headers, host: new URL(info['server']!).host }, ...tls },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    kubeconfig = path.join(dir, 'proxy.kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'p', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'p', user: {} }],
        // client-node refuses plain http unless TLS verification is off; the proxy is loopback.
        contexts: [{ name: 'p', context: { cluster: 'p', user: 'p', namespace: 'ksd-retry' } }],
        'current-context': 'p',
      }),
    );
  });
  after(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries 429 (honouring Retry-After), 500 and connection resets, then succeeds', async () => {
    const client = await createKubeClient({ kubeconfig, env: {} });
    try {
      faults.push('429', '500', 'reset', 'reset', '500');
      const report = await applyObjects(client, [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ksd-retry' } },
        // No namespace: the context's namespace applies.
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'through-proxy' }, data: { a: '1' } },
      ]);
      assert.equal(report.ok, true, report.error);
      assert.deepEqual(
        report.objects.map((o) => `${o.ref.kind}/${o.ref.namespace}/${o.ref.name} ${o.status}`),
        ['Namespace//ksd-retry created', 'ConfigMap/ksd-retry/through-proxy created'],
      );
      assert.deepEqual(seen.slice(0, 5), ['429', '500', 'reset', 'reset', '500']);
      assert.equal(faults.length, 0);
    } finally {
      client.close();
    }
  });

  it('gives up after the bounded attempts with the server error', async () => {
    const client = await createKubeClient({
      kubeconfig,
      env: {},
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    forever = true;
    const before = seen.length;
    try {
      await assert.rejects(client.request('GET', '/api/v1/namespaces/ksd-retry'), (error: unknown) => {
        assert.ok(error instanceof KubeApiError);
        assert.equal(error.status, 503);
        return true;
      });
      assert.equal(seen.length - before, 3);
    } finally {
      forever = false;
      client.close();
    }
  });
});
