import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRemoteUrl, guardedLookup, isPrivateAddress } from '../../../src/helm/remote-policy.ts';

describe('isPrivateAddress', () => {
  for (const [address, expected] of [
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
  ] as const) {
    it(`${address} → ${String(expected)}`, () => assert.equal(isPrivateAddress(address), expected));
  }
});

describe('checkRemoteUrl', () => {
  const deny = { allowPrivateAddresses: false };
  const allow = { allowPrivateAddresses: true };
  it('refuses loopback, link-local and localhost by default, naming the host', () => {
    for (const url of [
      'https://127.0.0.1:8443/charts',
      'http://169.254.169.254/',
      'https://localhost/x',
      'https://[::1]/',
    ]) {
      const checked = checkRemoteUrl(url, deny);
      assert.match('reason' in checked ? checked.reason : 'allowed', /loopback, link-local or private/, url);
    }
  });
  it('allows them when the run opts in', () =>
    assert.equal(checkRemoteUrl('https://127.0.0.1:8443/', allow).ok, true));
  it('refuses other schemes', () => assert.equal(checkRemoteUrl('file:///etc/passwd', allow).ok, false));
  it('allows a public host name (resolution is checked at connect time)', () =>
    assert.equal(checkRemoteUrl('https://charts.example.com/', deny).ok, true));
});

describe('guardedLookup', () => {
  it('fails a name that resolves to loopback unless allowed', async () => {
    const lookup = guardedLookup({ allowPrivateAddresses: false });
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', {}, (e) => resolve(e)),
    );
    assert.equal(error?.code, 'EADDRNOTALLOWED');
    const allowed = guardedLookup({ allowPrivateAddresses: true });
    const address = await new Promise<unknown>((resolve) => allowed('localhost', {}, (_e, a) => resolve(a)));
    assert.match(String(address), /^(127\.|::1)/);
  });
});

describe('allow-remote as a host list', () => {
  const hosts = { allowPrivateAddresses: false, hosts: ['127.0.0.1', 'charts.example.com'] };
  for (const [url, ok] of [
    ['https://127.0.0.1:8443/charts', true],
    ['https://CHARTS.example.com/', true],
    ['https://other.example.com/', false],
    ['https://localhost/', false],
  ] as const) {
    it(`${url} → ${String(ok)}`, () => assert.equal(checkRemoteUrl(url, hosts).ok, ok));
  }
  it('names the list when it refuses', () => {
    const checked = checkRemoteUrl('https://other.example.com/', hosts);
    assert.match(
      'reason' in checked ? checked.reason : '',
      /other\.example\.com is not in allow-remote \(127\.0\.0\.1, charts\.example\.com\)/,
    );
  });
  it('an empty list (allow-remote: none) refuses every repository', () => {
    const checked = checkRemoteUrl('https://charts.example.com/', {
      allowPrivateAddresses: false,
      hosts: [],
    });
    assert.match('reason' in checked ? checked.reason : '', /allow-remote: none/);
  });
  it('a listed host may resolve to a private address', async () => {
    const lookup = guardedLookup({ allowPrivateAddresses: false, hosts: ['localhost'] });
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', {}, (e) => resolve(e)),
    );
    assert.equal(error, null);
  });
});
