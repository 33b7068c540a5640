import assert from 'node:assert/strict';
import { stat, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { parseDecryptionSecret } from '../../../src/github/decryption-secret.ts';
import {
  isKubeconfigContent,
  kubeconfigCredentials,
  writeKubeconfigContent,
} from '../../../src/github/kubeconfig-input.ts';
import { pullRequestFromPayload } from '../../../src/github/pull-request.ts';

const AGE = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('parseDecryptionSecret', () => {
  test('a Flux Secret manifest maps onto age, OpenPGP and Vault inputs, every value masked', () => {
    const masked: string[] = [];
    const keys = parseDecryptionSecret(
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: sops-keys, namespace: flux-system}',
        'data:',
        `  prod.agekey: ${b64(`# created\n${AGE}\n`)}`,
        `  team.asc: ${b64('-----BEGIN PGP PRIVATE KEY BLOCK-----\nabc\n')}`,
        'stringData:',
        '  sops.vault-token: hvs.canary-vault-token',
      ].join('\n'),
      (v) => masked.push(v),
    );
    assert.equal(keys.ageKeys.length, 1);
    assert.match(keys.ageKeys[0]!, new RegExp(AGE));
    assert.equal(keys.pgpKeys.length, 1);
    assert.equal(keys.vaultToken, 'hvs.canary-vault-token');
    assert.ok(masked.some((m) => m.includes(AGE)));
    assert.ok(masked.includes(b64(`# created\n${AGE}\n`)));
    assert.ok(masked.includes('hvs.canary-vault-token'));
  });

  test('a bare data map (base64 values) works too', () => {
    const keys = parseDecryptionSecret(JSON.stringify({ 'a.agekey': b64(AGE) }), () => undefined);
    assert.deepEqual(keys.ageKeys, [AGE]);
  });

  const bad: [string, string, RegExp][] = [
    ['not a map', '- a', /expected a Secret manifest/],
    ['no key entries', 'data: {other: YQ==}', /no \*\.agekey/],
    [
      'an aws entry that is not a map',
      `data: {sops.aws-kms: ${b64('x')}}`,
      /sops\.aws-kms is not a map of fields/,
    ],
    ['data not base64', 'data: {a.agekey: "not base64!"}', /is not base64/],
  ];
  for (const [name, text, message] of bad) {
    test(`refused: ${name}, without the value in the message`, () => {
      assert.throws(
        () => parseDecryptionSecret(text, () => undefined),
        (e: unknown) =>
          e instanceof UserError && message.test(e.message) && !e.message.includes('not base64!"'),
      );
    });
  }
});

describe('kubeconfig input', () => {
  test('content vs. path', () => {
    assert.equal(isKubeconfigContent('apiVersion: v1\nkind: Config\n'), true);
    assert.equal(isKubeconfigContent('/etc/hostname'), false);
    assert.equal(isKubeconfigContent('kube/config'), false);
    assert.equal(isKubeconfigContent(''), false);
  });

  test('credentials are masked before the 0600 file is written, and cleanup removes it', async () => {
    const text =
      'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: canary-kube-token\n    client-key-data: Y2FuYXJ5\n';
    assert.deepEqual(kubeconfigCredentials(text), ['canary-kube-token', 'Y2FuYXJ5']);
    const masked: string[] = [];
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-kc-test-'));
    const file = await writeKubeconfigContent(text, dir, (v) => masked.push(v));
    assert.deepEqual(masked, ['canary-kube-token', 'Y2FuYXJ5']);
    assert.equal((await stat(file.path)).mode & 0o777, 0o600);
    assert.equal(await readFile(file.path, 'utf8'), text);
    assert.ok(path.basename(path.dirname(file.path)).startsWith('ksd-'));
    await file.cleanup();
    assert.equal(existsSync(file.path), false);
  });
});

describe('pullRequestFromPayload', () => {
  const payload = (head: unknown): unknown => ({
    action: 'synchronize',
    number: 7,
    pull_request: { number: 7, head: { repo: head }, base: { repo: { full_name: 'octo/app' } } },
  });
  test('same repository, a fork, and a deleted fork', () => {
    assert.deepEqual(pullRequestFromPayload(payload({ full_name: 'octo/app' }), undefined), {
      owner: 'octo',
      repo: 'app',
      number: 7,
      fork: false,
    });
    assert.equal(pullRequestFromPayload(payload({ full_name: 'evil/app' }), undefined)?.fork, true);
    assert.equal(pullRequestFromPayload(payload(null), undefined)?.fork, true);
  });
  test('not a pull request', () => {
    assert.equal(pullRequestFromPayload({ ref: 'refs/heads/main' }, 'octo/app'), undefined);
  });
});
