import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import {
  checkRemote,
  parseRemotePolicy,
  PUBLIC_REMOTES,
  RemoteRefusal,
  type RemotePolicy,
  type ResolveHost,
} from '../../../src/kustomize/remote-policy.ts';

/** A resolver double: fixed answers, so no test depends on the network. */
const names: Record<string, readonly string[]> = {
  'github.com': ['140.82.121.4'],
  'raw.githubusercontent.com': ['185.199.108.133', '2606:50c0:8000::154'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.0.0.5'],
  'v6-loopback.example': ['::1'],
};
const resolve: ResolveHost = (host) =>
  names[host] === undefined ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(names[host]);

async function verdict(entry: string, policy: RemotePolicy = PUBLIC_REMOTES): Promise<string> {
  try {
    const target = await checkRemote(entry, policy, resolve);
    return target === undefined ? 'local' : `allowed ${target.transport} ${target.host}`;
  } catch (error) {
    if (error instanceof RemoteRefusal) return `refused: ${error.message}`;
    throw error;
  }
}

describe('checkRemote under the default public policy', () => {
  const cases: readonly [string, string][] = [
    ['base', 'local'],
    ['../base/deploy.yaml', 'local'],
    ['https://github.com/org/repo//deploy?ref=v1', 'allowed https github.com'],
    ['github.com/org/repo/deploy?ref=v1', 'allowed https github.com'],
    ['git::https://github.com/org/repo', 'allowed https github.com'],
    ['GIT::HTTPS://GitHub.com/org/repo', 'allowed https github.com'],
    ['ssh://git@github.com/org/repo', 'allowed ssh github.com'],
    ['git@github.com:org/repo', 'allowed ssh github.com'],
    ['https://raw.githubusercontent.com/org/repo/main/dash.json', 'allowed https raw.githubusercontent.com'],
    // The reproductions: files outside the repository, and the runner's own network.
    ['file:///etc/passwd', 'refused: file:// reads outside the repository and is never allowed'],
    [
      'git::file:///home/runner/work/other',
      'refused: file:// reads outside the repository and is never allowed',
    ],
    ['http://127.0.0.1:8080/x.yaml', 'refused: plain http is not allowed; use https'],
    ['https://127.0.0.1:8443/x.yaml', 'refused: 127.0.0.1 is a loopback address'],
    ['https://127.1/x.yaml', 'refused: 127.0.0.1 is a loopback address'],
    ['https://2130706433/x.yaml', 'refused: 127.0.0.1 is a loopback address'],
    ['https://0x7f.0.0.1/x.yaml', 'refused: 127.0.0.1 is a loopback address'],
    ['https://localhost/x.yaml', 'refused: localhost is a loopback host'],
    ['https://[::1]/x.yaml', 'refused: ::1 is a loopback address'],
    [
      'https://[::ffff:169.254.169.254]/latest',
      'refused: ::ffff:a9fe:a9fe is a link-local address (the cloud metadata service lives there)',
    ],
    [
      'https://169.254.169.254/latest/meta-data',
      'refused: 169.254.169.254 is a link-local address (the cloud metadata service lives there)',
    ],
    ['https://10.1.2.3/x', 'refused: 10.1.2.3 is a private address'],
    ['https://172.20.0.1/x', 'refused: 172.20.0.1 is a private address'],
    ['https://192.168.1.1/x', 'refused: 192.168.1.1 is a private address'],
    ['https://[fd00::1]/x', 'refused: fd00::1 is a private address'],
    ['https://[fe80::1]/x', 'refused: fe80::1 is a link-local address'],
    ['git@10.0.0.1:org/repo', 'refused: 10.0.0.1 is a private address'],
    ['ssh://git@127.1/org/repo', 'refused: 127.0.0.1 is a loopback address'],
    [
      'https://metadata.example/x',
      'refused: metadata.example resolves to 169.254.169.254, a link-local address (the cloud metadata service lives there)',
    ],
    ['https://mixed.example/x', 'refused: mixed.example resolves to 10.0.0.5, a private address'],
    ['https://v6-loopback.example/x', 'refused: v6-loopback.example resolves to ::1, a loopback address'],
    ['https://nowhere.example/x', 'refused: nowhere.example does not resolve'],
    ['ftp://example.com/x', 'refused: the ftp:// scheme is not allowed; use https or ssh'],
  ];
  for (const [entry, want] of cases) {
    test(entry, async () => {
      assert.equal(await verdict(entry), want);
    });
  }
});

describe('other policies', () => {
  test('none refuses every remote entry and leaves local paths alone', async () => {
    const none = parseRemotePolicy('none');
    assert.equal(
      await verdict('https://github.com/org/repo', none),
      'refused: remote resources are not allowed (allow-remote: none)',
    );
    assert.equal(await verdict('base', none), 'local');
    assert.equal(
      await verdict('file:///x', none),
      'refused: file:// reads outside the repository and is never allowed',
    );
  });

  test('a host list allows exactly those hosts, even a private one the workflow trusts', async () => {
    const hosts = parseRemotePolicy('github.com, git.corp.internal\n10.0.0.7');
    assert.deepEqual(hosts, { kind: 'hosts', hosts: ['github.com', 'git.corp.internal', '10.0.0.7'] });
    assert.equal(await verdict('git@git.corp.internal:team/repo', hosts), 'allowed ssh git.corp.internal');
    assert.equal(await verdict('https://10.0.0.7/x.yaml', hosts), 'allowed https 10.0.0.7');
    assert.equal(
      await verdict('https://raw.githubusercontent.com/x', hosts),
      'refused: raw.githubusercontent.com is not in allow-remote (github.com, git.corp.internal, 10.0.0.7)',
    );
    // Still never plain http or file://.
    assert.equal(
      await verdict('http://github.com/x', hosts),
      'refused: plain http is not allowed; use https',
    );
  });

  test('parseRemotePolicy', () => {
    assert.deepEqual(parseRemotePolicy(''), PUBLIC_REMOTES);
    assert.deepEqual(parseRemotePolicy(' Public '), PUBLIC_REMOTES);
    assert.throws(
      () => parseRemotePolicy('github.com, https://x'),
      (e: unknown) =>
        e instanceof UserError && e.code === 'USAGE' && /"https:\/\/x" is not a host name/.test(e.message),
    );
  });
});
