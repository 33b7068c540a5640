/**
 * The ambient credential links that need no server to judge: which container-credential
 * addresses AWS's rule admits, which Google credentials files are refused before any call,
 * and which certificates Azure's client assertion cannot use.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { createAwsAmbientCredentials } from '../../../src/keys/aws-credentials.ts';
import { parseClientCertificate } from '../../../src/keys/azure-credentials.ts';
import { createAzureKvKeySource } from '../../../src/keys/azure-kv.ts';
import { createGcpFileCredentials } from '../../../src/keys/gcp-credentials.ts';
import type { FetchLike } from '../../../src/ports.ts';

const ARN = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const noFile = (): Promise<string> => Promise.reject(new Error('no file'));

describe('aws container credentials: the addresses the SDKs allow', () => {
  const cases: readonly [string, boolean][] = [
    ['http://169.254.170.2/v2/credentials/x', true],
    ['http://169.254.170.23/v1/credentials', true],
    ['http://127.0.0.5:8080/creds', true],
    ['http://localhost:9000/creds', true],
    ['https://creds.example.com/x', true],
    ['http://creds.example.com/x', false],
    ['http://user:pass@169.254.170.2/x', false],
  ];
  for (const [uri, allowed] of cases) {
    test(`${uri}: ${allowed ? 'asked' : 'refused before any call'}`, async () => {
      const calls: string[] = [];
      const fetchFn: FetchLike = (input) => {
        calls.push(input);
        return Promise.resolve(
          Response.json({ AccessKeyId: 'AKIACONTAINER', SecretAccessKey: 'container-secret', Token: 'tok' }),
        );
      };
      const masked: string[] = [];
      const chain = createAwsAmbientCredentials({
        env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_EC2_METADATA_DISABLED: 'true' },
        mask: (v) => masked.push(v),
        fetch: fetchFn,
        readFile: noFile,
      });
      if (allowed) {
        const found = await chain.resolve(ARN, undefined);
        assert.equal(found.credentials.accessKeyId, 'AKIACONTAINER');
        assert.deepEqual(calls, [uri]);
        assert.ok(masked.includes('container-secret'));
      } else {
        await assert.rejects(
          chain.resolve(ARN, undefined),
          /must be https, or http to loopback or the container agent/,
        );
        assert.deepEqual(calls, []);
      }
    });
  }

  test('a relative URI goes to the ECS agent address', async () => {
    const calls: string[] = [];
    const chain = createAwsAmbientCredentials({
      env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' },
      mask: () => undefined,
      fetch: (input) => {
        calls.push(input);
        return Promise.resolve(Response.json({ AccessKeyId: 'A', SecretAccessKey: 'S', Token: 'T' }));
      },
      readFile: noFile,
    });
    await chain.resolve(ARN, undefined);
    assert.deepEqual(calls, ['http://169.254.170.2/v2/credentials/abc']);
  });
});

describe('google credentials files refused before any call', () => {
  const cases: readonly [string, Record<string, unknown>, string, RegExp][] = [
    [
      'an unknown type',
      { type: 'gdch_service_account' },
      'UNSUPPORTED',
      /have type "gdch_service_account"; supported: service_account, authorized_user, external_account/,
    ],
    [
      'an AWS-sourced external account',
      {
        type: 'external_account',
        audience: 'a',
        subject_token_type: 't',
        credential_source: { environment_id: 'aws1' },
      },
      'UNSUPPORTED',
      /use an environment_id \(AWS\) credential_source, which is not supported/,
    ],
    [
      'an executable-sourced external account',
      {
        type: 'external_account',
        audience: 'a',
        subject_token_type: 't',
        credential_source: { executable: { command: 'x' } },
      },
      'UNSUPPORTED',
      /use an executable credential_source/,
    ],
    [
      'a service account without a key',
      { type: 'service_account', client_email: 'a@b' },
      'KEY_SOURCE',
      /lack client_email or private_key/,
    ],
    [
      'a service account key that is not PEM',
      { type: 'service_account', client_email: 'a@b', private_key: 'not-a-key-canary' },
      'KEY_SOURCE',
      /private_key is not a PEM private key/,
    ],
  ];
  for (const [name, json, code, message] of cases) {
    test(name, async () => {
      let calls = 0;
      const masked: string[] = [];
      const getToken = createGcpFileCredentials(JSON.stringify(json), 'test.json', {
        mask: (v) => masked.push(v),
        fetch: () => {
          calls += 1;
          return Promise.resolve(new Response('{}'));
        },
        now: Date.now,
        timeoutMs: 1000,
        readFile: noFile,
      });
      await assert.rejects(getToken(), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.code, code);
        assert.match(e.message, message);
        assert.ok(!e.message.includes('canary'));
        return true;
      });
      assert.equal(calls, 0);
    });
  }
});

describe('azure client certificates', () => {
  test('PKCS#12 (not PEM) is refused as unsupported, with the conversion to use', () => {
    assert.throws(
      () => parseClientCertificate('\u0030\u0082binary-pfx', undefined, 'cert.pfx'),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'UNSUPPORTED' &&
        /openssl pkcs12 -in cert\.pfx -nodes/.test(e.message),
    );
  });

  test('a PEM with a key but no certificate names what is missing', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    assert.throws(
      () => parseClientCertificate(key, undefined, 'key-only.pem'),
      /key-only\.pem must hold the certificate and its private key as PEM/,
    );
  });
});

describe('azure key source: configuration mistakes and an absent managed identity', () => {
  const vault = 'https://team.vault.azure.net';
  const key = { type: 'azure_kv', vaultUrl: vault, name: 'sops', version: 'v1', enc: 'AAAA' } as const;
  const idToken = (): Promise<never> => Promise.reject(new Error('no oidc in this test'));

  test('only one of azure-client-id / azure-tenant-id: refused before any call', async () => {
    let calls = 0;
    const source = createAzureKvKeySource({
      env: {},
      mask: () => undefined,
      clientId: 'c-1',
      allowedVaults: [vault],
      idToken,
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response('{}'));
      },
    });
    await assert.rejects(
      source.decrypt(key),
      /azure-client-id is set without azure-tenant-id; GitHub OIDC needs both/,
    );
    assert.equal(calls, 0);
  });

  test('an unreachable IMDS is asked once per run, and the error says what would work', async () => {
    const calls: string[] = [];
    const source = createAzureKvKeySource({
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' },
      mask: () => undefined,
      allowedVaults: [vault],
      idToken,
      fetch: (input) => {
        calls.push(input);
        return Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
          }),
        );
      },
    });
    for (let i = 0; i < 2; i += 1) {
      await assert.rejects(
        source.decrypt(key),
        /^UserError: no azure credentials: set azure-client-id and azure-tenant-id \(GitHub OIDC\), sops\.azure-kv in decryption-secret, .*; tried azure managed identity \(IMDS at http:\/\/127\.0\.0\.1:9\): cannot reach http:\/\/127\.0\.0\.1:9: ECONNREFUSED/,
      );
    }
    assert.equal(calls.length, 1);
    assert.match(
      calls[0] ?? '',
      /\/metadata\/identity\/oauth2\/token\?api-version=2018-02-01&resource=https%3A%2F%2Fvault\.azure\.net$/,
    );
  });
});
