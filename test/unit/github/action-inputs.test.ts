import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { parseDecryptionSecret } from '../../../src/github/decryption-secret.ts';

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
