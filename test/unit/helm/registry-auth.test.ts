/**
 * An OCI registry's credentials for helm: the dockerconfigjson entry for the registry's host
 * alone (docker's key forms), and the files helm is pointed at (0600, only that host).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { dockerConfigCredentials, writeRegistryAccess } from '../../../src/helm/registry-auth.ts';

const basic = (user: string, password: string): string =>
  Buffer.from(`${user}:${password}`).toString('base64');

test('dockerConfigCredentials finds the entry for the host, whatever form its key takes', () => {
  const cases = [
    { key: 'ghcr.io', host: 'ghcr.io', found: true },
    { key: 'https://ghcr.io', host: 'ghcr.io', found: true },
    { key: 'https://GHCR.io/v1/', host: 'ghcr.io', found: true },
    { key: 'registry.local:5000', host: 'registry.local:5000', found: true },
    { key: 'registry.local', host: 'registry.local:5000', found: false },
    { key: 'ghcr.io.evil.example', host: 'ghcr.io', found: false },
  ];
  for (const c of cases) {
    const json = JSON.stringify({
      auths: { 'other.example': { auth: basic('x', 'other') }, [c.key]: { auth: basic('u', 'p:w') } },
    });
    assert.deepEqual(
      dockerConfigCredentials(json, c.host),
      c.found ? { username: 'u', password: 'p:w' } : undefined,
      `${c.key} for ${c.host}`,
    );
  }
  assert.deepEqual(
    dockerConfigCredentials(JSON.stringify({ auths: { 'a.io': { username: 'u', password: 'p' } } }), 'a.io'),
    { username: 'u', password: 'p' },
  );
  assert.throws(
    () => dockerConfigCredentials('{not json', 'a.io'),
    /^Error: its \.dockerconfigjson is not valid JSON$/,
  );
});

test('writeRegistryAccess writes a registry config for the host alone and the TLS files, all 0600', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-registry-auth-'));
  try {
    const access = {
      origin: 'https://r.example:5000',
      username: 'u',
      password: 'pw',
      ca: 'CA',
      cert: 'CRT',
      key: 'KEY',
    };
    const args = await writeRegistryAccess(dir, 'r.example:5000', access, false);
    assert.deepEqual(args, [
      '--registry-config',
      path.join(dir, 'registry-config.json'),
      '--ca-file',
      path.join(dir, 'ca.crt'),
      '--cert-file',
      path.join(dir, 'tls.crt'),
      '--key-file',
      path.join(dir, 'tls.key'),
    ]);
    assert.deepEqual(JSON.parse(await readFile(path.join(dir, 'registry-config.json'), 'utf8')), {
      auths: { 'r.example:5000': { auth: basic('u', 'pw') } },
    });
    for (const name of ['registry-config.json', 'ca.crt', 'tls.crt', 'tls.key'])
      assert.equal((await stat(path.join(dir, name))).mode & 0o777, 0o600, name);
    assert.deepEqual(await writeRegistryAccess(dir, 'r.example:5000', { origin: 'x', ca: 'CA' }, true), []);
    assert.deepEqual(await writeRegistryAccess(dir, 'r.example:5000', undefined, false), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
