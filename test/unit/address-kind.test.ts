import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nonPublicKind } from '../../src/address-kind.ts';

test('nonPublicKind', () => {
  const cases: readonly [string, string | undefined][] = [
    ['8.8.8.8', undefined],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'the unspecified address'],
    ['224.0.0.1', 'a multicast or reserved address'],
    ['2606:4700::1111', undefined],
    ['::', 'the unspecified address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['198.20.0.1', undefined],
    ['169.254.169.254', 'a link-local address (the cloud metadata service lives there)'],
  ];
  for (const [address, want] of cases) assert.equal(nonPublicKind(address), want, address);
});
