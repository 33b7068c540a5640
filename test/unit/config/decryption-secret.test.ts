/**
 * The `decryption-secret` input: a Flux Secret (manifest or data map) parsed into age, OpenPGP
 * and Vault keys, and its cloud entries (`sops.aws-kms`, `sops.azure-kv`, `sops.gcp-kms`) as
 * Flux reads them: typed static credentials, every secret part masked on its own, and the same
 * credentials in the key config parseKeys builds from the input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseKeys } from '../../../src/config/keys.ts';
import type { StaticCloudCredentials } from '../../../src/keys/key-config.ts';
import { UserError } from '../../../src/errors.ts';
import { parseDecryptionSecret } from '../../../src/config/decryption-secret.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const AGE = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
const PEM =
  '-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIkey-canary\n-----END PRIVATE KEY-----\n';
const SA_JSON = JSON.stringify({
  type: 'service_account',
  client_email: 'sa@p.iam.gserviceaccount.com',
  private_key: '-----BEGIN PRIVATE KEY-----\nsa-key-canary\n-----END PRIVATE KEY-----\n',
  private_key_id: 'kid-canary-0001',
});

const accepted: readonly {
  name: string;
  entry: string;
  value: string;
  expect: StaticCloudCredentials;
  secrets: readonly string[];
}[] = [
  {
    name: 'aws credentials YAML with a session token',
    entry: 'sops.aws-kms',
    value:
      'aws_access_key_id: AKIAFLUXFLUXFLUX0000\naws_secret_access_key: aws-secret-canary\naws_session_token: aws-session-canary\n',
    expect: {
      aws: {
        accessKeyId: 'AKIAFLUXFLUXFLUX0000',
        secretAccessKey: 'aws-secret-canary',
        sessionToken: 'aws-session-canary',
      },
    },
    secrets: ['aws-secret-canary', 'aws-session-canary'],
  },
  {
    name: 'azure AADConfig with a client secret (YAML)',
    entry: 'sops.azure-kv',
    value:
      'tenantId: t-1\nclientId: c-1\nclientSecret: az-secret-canary\nauthorityHost: https://login.example\n',
    expect: {
      azure: {
        kind: 'client-secret',
        tenantId: 't-1',
        clientId: 'c-1',
        clientSecret: 'az-secret-canary',
        authorityHost: 'https://login.example',
      },
    },
    secrets: ['az-secret-canary'],
  },
  {
    name: 'azure AADConfig with a PEM client certificate (JSON)',
    entry: 'sops.azure-kv',
    value: JSON.stringify({
      tenantId: 't-1',
      clientId: 'c-1',
      clientCertificate: PEM,
      clientCertificatePassword: 'cert-pass-canary',
      clientCertificateSendChain: true,
    }),
    expect: {
      azure: {
        kind: 'client-certificate',
        tenantId: 't-1',
        clientId: 'c-1',
        certificate: PEM.trim(),
        certificatePassword: 'cert-pass-canary',
        sendChain: true,
      },
    },
    secrets: [PEM, 'cert-pass-canary'],
  },
  {
    name: 'the az ad sp create-for-rbac JSON',
    entry: 'sops.azure-kv',
    value: JSON.stringify({ appId: 'a-1', displayName: 'sp', password: 'sp-pass-canary', tenant: 't-2' }),
    expect: {
      azure: { kind: 'client-secret', tenantId: 't-2', clientId: 'a-1', clientSecret: 'sp-pass-canary' },
    },
    secrets: ['sp-pass-canary'],
  },
  {
    name: 'azure clientId alone: a user-assigned managed identity (Flux order)',
    entry: 'sops.azure-kv',
    value: '{"clientId": "mi-1"}',
    expect: { azure: { kind: 'managed-identity', clientId: 'mi-1' } },
    secrets: [],
  },
  {
    name: 'a gcp service account JSON',
    entry: 'sops.gcp-kms',
    value: SA_JSON,
    expect: { gcp: { json: SA_JSON } },
    secrets: ['-----BEGIN PRIVATE KEY-----\nsa-key-canary\n-----END PRIVATE KEY-----\n', 'kid-canary-0001'],
  },
];

describe('parseDecryptionSecret: cloud entries', () => {
  for (const { name, entry, value, expect, secrets } of accepted) {
    test(`${name}: typed, masked, and in parseKeys's key config`, () => {
      const masked: string[] = [];
      const keys = parseDecryptionSecret(`data:\n  ${entry}: ${b64(value)}\n`, (v) => masked.push(v));
      assert.deepEqual(keys.cloud, expect);
      for (const secret of secrets) assert.ok(masked.includes(secret), `masked: ${secret.slice(0, 12)}`);
      const secret = `data:\n  ${entry}: ${b64(value)}\n`;
      const config = parseKeys((n) => (n === 'decryption-secret' ? secret : ''), {});
      assert.deepEqual(config.staticCredentials, expect);
    });
  }

  test('all three at once, next to an age key', () => {
    const keys = parseDecryptionSecret(
      JSON.stringify({
        'sops.aws-kms': b64('aws_access_key_id: A\naws_secret_access_key: S\n'),
        'sops.azure-kv': b64('{"clientId": "mi"}'),
        'sops.gcp-kms': b64(SA_JSON),
        'k.agekey': b64('AGE-SECRET-KEY-1QQQQ'),
      }),
      () => undefined,
    );
    assert.deepEqual(Object.keys(keys.cloud).sort(), ['aws', 'azure', 'gcp']);
    assert.equal(keys.ageKeys.length, 1);
  });

  test('without a decryption Secret the key config has no static credentials', () => {
    assert.deepEqual(parseKeys(() => '', {}).staticCredentials, {});
  });

  const refused: readonly [string, string, string, RegExp][] = [
    [
      'aws without a secret key',
      'sops.aws-kms',
      'aws_access_key_id: AKIA-canary-id\n',
      /sops\.aws-kms needs aws_access_key_id and aws_secret_access_key/,
    ],
    ['aws that is not YAML', 'sops.aws-kms', 'a: [unclosed canary', /sops\.aws-kms is not YAML or JSON/],
    [
      'azure with nothing usable',
      'sops.azure-kv',
      'clientSecret: lonely-canary\n',
      /sops\.azure-kv needs a 'clientId' field/,
    ],
    [
      'gcp that is not JSON',
      'sops.gcp-kms',
      'not json canary',
      /sops\.gcp-kms is not a Google credentials JSON/,
    ],
    [
      'gcp of an unknown type',
      'sops.gcp-kms',
      '{"type": "impersonated_service_account", "x": "canary"}',
      /sops\.gcp-kms has type "impersonated_service_account"; expected service_account, authorized_user, external_account/,
    ],
  ];
  for (const [name, entry, value, message] of refused) {
    test(`refused: ${name}, without the value in the message`, () => {
      assert.throws(
        () => parseDecryptionSecret(`data:\n  ${entry}: ${b64(value)}\n`, () => undefined),
        (e: unknown) =>
          e instanceof UserError &&
          e.code === 'USAGE' &&
          message.test(e.message) &&
          !e.message.includes('canary'),
      );
    });
  }
});

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
