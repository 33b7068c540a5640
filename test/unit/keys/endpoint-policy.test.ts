/**
 * The allowlists that decide where credentials may go, and proof that a refused stanza sends
 * nothing: every refusal below runs against loopback listeners that must see no connection.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { createAwsKmsKeySource } from '../../../src/keys/aws-kms.ts';
import {
  buildVaultPolicy,
  checkAwsKey,
  checkAwsRole,
  checkVaultAddress,
  DEFAULT_AWS_POLICY,
  parseAwsPolicy,
  parseKmsArn,
  resolveAwsEndpoint,
  sanitizeRemoteMessage,
} from '../../../src/keys/endpoint-policy.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import { createVaultKeySource } from '../../../src/keys/vault.ts';
import { listenLoopback, type LoopbackServer } from '../../env/doubles/http-double.ts';
import type { FetchLike } from '../../../src/ports.ts';

/** A TCP listener that only counts connections: a refused stanza must leave it at zero. */
interface Tripwire {
  readonly url: string;
  readonly connections: () => number;
  close(): Promise<void>;
}

async function tripwire(): Promise<Tripwire> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reason of a refusal; fails the test when the check allowed. */
function refusal(check: { readonly ok: true } | { readonly ok: false; readonly reason: string }): string {
  if (check.ok) assert.fail('expected a refusal');
  return check.reason;
}

describe('vault policy', () => {
  const policy = buildVaultPolicy({
    allowedAddresses: ['https://vault.example.com:8200/', 'https://proxy.example.com/vault'],
    env: {
      VAULT_ADDR: 'http://127.0.0.1:8200',
      SOPS_HC_VAULT_ALLOWLIST: 'https://bao.example.org,not a url',
    },
  });

  it('collects the setting, VAULT_ADDR and SOPS_HC_VAULT_ALLOWLIST, normalised', () => {
    assert.deepEqual(policy.addresses, [
      'https://vault.example.com:8200',
      'https://proxy.example.com/vault',
      'http://127.0.0.1:8200',
      'https://bao.example.org',
    ]);
    assert.deepEqual(policy.ignoredEntries, ['not a url']);
    assert.equal(policy.allowAll, false);
  });

  const cases: ReadonlyArray<readonly [string, boolean]> = [
    ['https://vault.example.com:8200', true],
    ['https://VAULT.example.com:8200/', true],
    ['http://127.0.0.1:8200', true],
    ['https://bao.example.org:443', true],
    ['https://proxy.example.com/vault/ns', true],
    // The refusals: another host, port or scheme, look-alike prefixes, credentials in the URL.
    ['https://evil.example', false],
    ['https://vault.example.com', false],
    ['http://vault.example.com:8200', false],
    ['https://vault.example.com:8200.evil.io', false],
    ['https://vault.example.com.evil.io:8200', false],
    ['https://vault.example.com:8200@evil.io', false],
    ['https://user:pass@vault.example.com:8200', false],
    ['https://vault.example.com:8200?x=1', false],
    ['https://proxy.example.com/vaultx', false],
    ['https://proxy.example.com/', false],
    ['http://127.0.0.1:8201', false],
    ['file:///etc/passwd', false],
    ['vault.example.com:8200', false],
  ];
  for (const [address, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${address}`, () => {
      assert.equal(checkVaultAddress(policy, address).ok, allowed);
    });
  }

  it('names the address and the setting to change when it refuses', () => {
    assert.match(
      refusal(checkVaultAddress(policy, 'https://evil.example')),
      /^vault address https:\/\/evil\.example is not in the allowed list; add it to vault-allowed-addresses \(allowed now: https:\/\/vault\.example\.com:8200, /,
    );
  });

  it('allows nothing by default (no VAULT_ADDR, no allowlist), unlike sops', () => {
    const empty = buildVaultPolicy({ env: {} });
    assert.match(
      refusal(checkVaultAddress(empty, 'https://vault.example.com')),
      /allowed now: none, and VAULT_ADDR is not set/,
    );
  });

  it('treats SOPS_HC_VAULT_ALLOWLIST=all as any address and none as no address', () => {
    assert.equal(
      checkVaultAddress(buildVaultPolicy({ env: { SOPS_HC_VAULT_ALLOWLIST: 'all' } }), 'https://x.example')
        .ok,
      true,
    );
    const none = buildVaultPolicy({
      allowedAddresses: ['https://vault.example.com'],
      env: { VAULT_ADDR: 'https://vault.example.com', SOPS_HC_VAULT_ALLOWLIST: 'none' },
    });
    assert.match(
      refusal(checkVaultAddress(none, 'https://vault.example.com')),
      /SOPS_HC_VAULT_ALLOWLIST is none/,
    );
  });
});

describe('aws policy', () => {
  const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const alias = 'arn:aws:kms:us-east-1:444455556666:alias/sops';

  it('parses the region, partition and account of a key or alias ARN', () => {
    assert.deepEqual(parseKmsArn(key), { partition: 'aws', region: 'eu-west-1', account: '111122223333' });
    assert.deepEqual(parseKmsArn('arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/x'), {
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      account: '111122223333',
    });
  });

  const badArns: readonly string[] = [
    'arn:aws:kms:us-east-1:111122223333:secret/x',
    'alias/sops',
    // sops's `(.+)` would take these as regions, and the region becomes the host name.
    'arn:aws:kms:evil.example/#:111122223333:key/x',
    'arn:aws:kms:us-east-1.evil.example:111122223333:key/x',
    'arn:aws:kms:127.0.0.1:8080:111122223333:key/x',
  ];
  for (const arn of badArns) {
    it(`refuses ${arn}`, () => {
      assert.throws(
        () => parseKmsArn(arn),
        (error: unknown) => error instanceof UserError && error.code === 'KEY_SOURCE',
      );
    });
  }

  it('allows any key and no role with nothing configured', () => {
    assert.deepEqual(checkAwsKey(DEFAULT_AWS_POLICY, key, parseKmsArn(key)), { ok: true });
    assert.match(
      refusal(checkAwsRole(DEFAULT_AWS_POLICY, 'arn:aws:iam::111122223333:role/sops')),
      /add it to aws-allowed-roles/,
    );
  });

  const policy = parseAwsPolicy({
    accounts: ['444455556666'],
    keys: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-*'],
    roles: ['arn:aws:iam::111122223333:role/sops-*'],
  });
  const keyCases: ReadonlyArray<readonly [string, boolean]> = [
    [key, true],
    [alias, true],
    ['arn:aws:kms:eu-west-1:111122223333:key/9999', false],
    ['arn:aws:kms:eu-west-2:111122223333:key/1234abcd-x', false],
    ['arn:aws:kms:us-east-1:999999999999:alias/sops', false],
  ];
  for (const [arn, allowed] of keyCases) {
    it(`${allowed ? 'allows' : 'refuses'} key ${arn}`, () => {
      assert.equal(checkAwsKey(policy, arn, parseKmsArn(arn)).ok, allowed);
    });
  }
  const roleCases: ReadonlyArray<readonly [string, boolean]> = [
    ['arn:aws:iam::111122223333:role/sops-decrypt', true],
    ['arn:aws:iam::444455556666:role/anything', true],
    ['arn:aws:iam::111122223333:role/admin', false],
    ['arn:aws:iam::999999999999:role/sops-decrypt', false],
    ['arn:aws:iam::111122223333:user/sops-x', false],
  ];
  for (const [role, allowed] of roleCases) {
    it(`${allowed ? 'allows' : 'refuses'} role ${role}`, () => {
      assert.equal(checkAwsRole(policy, role).ok, allowed);
    });
  }

  it('rejects a policy entry that is neither an account nor an ARN', () => {
    assert.throws(() => parseAwsPolicy({ accounts: ['1234'] }), /not a 12-digit account ID/);
    assert.throws(() => parseAwsPolicy({ keys: ['*'] }), /not an ARN pattern/);
    assert.throws(
      () => parseAwsPolicy({ roles: ['sops'] }),
      /aws-allowed-roles entry "sops" is not an ARN pattern/,
    );
  });

  it('sends to the regional endpoint of the partition unless the environment overrides it', () => {
    const endpoint = (service: 'kms' | 'sts', arn: string, env: Record<string, string>): string => {
      const check = resolveAwsEndpoint(service, parseKmsArn(arn), env);
      return check.ok ? check.url.href : `refused: ${check.reason}`;
    };
    assert.equal(endpoint('kms', key, {}), 'https://kms.eu-west-1.amazonaws.com/');
    assert.equal(endpoint('sts', key, {}), 'https://sts.eu-west-1.amazonaws.com/');
    assert.equal(
      endpoint('kms', 'arn:aws-cn:kms:cn-north-1:111122223333:key/x', {}),
      'https://kms.cn-north-1.amazonaws.com.cn/',
    );
    assert.match(
      endpoint('kms', 'arn:aws-iso:kms:us-iso-east-1:111122223333:key/x', {}),
      /^refused: .*set AWS_ENDPOINT_URL_KMS/,
    );
    assert.equal(
      endpoint('kms', key, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }),
      'http://127.0.0.1:5000/',
    );
    assert.equal(
      endpoint('kms', key, {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:6000',
      }),
      'http://127.0.0.1:6000/',
    );
    assert.equal(
      endpoint('sts', key, {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:6000',
      }),
      'http://127.0.0.1:5000/',
    );
    assert.match(
      endpoint('kms', key, { AWS_ENDPOINT_URL: 'ftp://x' }),
      /^refused: AWS_ENDPOINT_URL must be an http\(s\) URL/,
    );
  });
});

describe('sanitizeRemoteMessage', () => {
  const cases: ReadonlyArray<readonly [string, string, readonly string[], string]> = [
    ['cuts what we sent', 'bad ciphertext vault:v1:abcd', ['vault:v1:abcd'], 'bad ciphertext [redacted]'],
    ['folds control characters', 'line one\nline two\u0007', [], 'line one line two'],
    ['drops long base64 runs', `blob ${'A'.repeat(80)} end`, [], 'blob [redacted] end'],
    ['caps the length', 'x '.repeat(400), [], 'x '.repeat(150).trim()],
  ];
  for (const [name, input, secrets, expected] of cases) {
    it(name, () => {
      assert.equal(sanitizeRemoteMessage(input, secrets), expected);
    });
  }
});

describe('refused stanzas send nothing', () => {
  let evil: Tripwire;
  let allowed: Tripwire;
  const masked: string[] = [];
  const mask = (value: string): void => {
    masked.push(value);
  };
  let fetchCalls = 0;
  const countingFetch: FetchLike = (input, init) => {
    fetchCalls += 1;
    return fetch(input, init);
  };

  before(async () => {
    evil = await tripwire();
    allowed = await tripwire();
  });
  after(async () => {
    await evil.close();
    await allowed.close();
  });

  const vaultKey = (vaultAddress: string): MasterKey => ({
    type: 'hc_vault',
    vaultAddress,
    enginePath: 'transit',
    keyName: 'sops',
    enc: 'vault:v1:AAAA',
  });

  it('vault: an address outside the list fails with the reason, and neither server is contacted', async () => {
    const files: string[] = [];
    const source = createVaultKeySource({
      env: { VAULT_ADDR: allowed.url, VAULT_TOKEN: 'hvs.test-token-value', HOME: '/nonexistent' },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: allowed.url } }),
      mask,
      fetch: countingFetch,
      readFile: (file) => {
        files.push(file);
        return Promise.reject(new Error('no file'));
      },
    });
    await assert.rejects(source.decrypt(vaultKey(evil.url)), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(
        error.message,
        `vault address ${evil.url} is not in the allowed list; add it to vault-allowed-addresses (allowed now: ${allowed.url})`,
      );
      assert.doesNotMatch(error.message, /hvs\.test-token-value/);
      return true;
    });
    assert.equal(fetchCalls, 0);
    assert.equal(evil.connections(), 0);
    assert.equal(allowed.connections(), 0);
    assert.deepEqual(files, []);
    assert.ok(masked.includes('hvs.test-token-value'), 'the token is masked as soon as it is read');
  });

  it('vault: a path that climbs out of /v1 is refused before any request', async () => {
    const source = createVaultKeySource({
      env: { VAULT_TOKEN: 'hvs.test-token-value' },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: allowed.url } }),
      mask,
      fetch: countingFetch,
    });
    for (const [enginePath, keyName] of [
      ['../sys', 'x'],
      ['transit', '..'],
      ['transit/../../auth/token', 'create'],
      ['', 'x'],
      ['transit', 'a/b'],
    ] as const) {
      const key: MasterKey = {
        type: 'hc_vault',
        vaultAddress: allowed.url,
        enginePath,
        keyName,
        enc: 'vault:v1:AAAA',
      };
      await assert.rejects(source.decrypt(key), /is not a plain (mount path|name)/);
    }
    assert.equal(fetchCalls, 0);
    assert.equal(allowed.connections(), 0);
  });

  it('vault: a redirect from an allowed server is not followed, so the token stays put', async () => {
    let redirected = 0;
    const server: LoopbackServer = await listenLoopback((_req, res) => {
      redirected += 1;
      res.writeHead(307, { location: `${evil.url}/v1/transit/decrypt/sops` });
      res.end();
    });
    try {
      const source = createVaultKeySource({
        env: { VAULT_TOKEN: 'hvs.test-token-value' },
        policy: buildVaultPolicy({ env: { VAULT_ADDR: server.url } }),
        mask,
      });
      await assert.rejects(
        source.decrypt(vaultKey(server.url)),
        /answered with a redirect \(HTTP 307\), which is not followed/,
      );
      assert.equal(redirected, 1);
      assert.equal(evil.connections(), 0);
    } finally {
      await server.close();
    }
  });

  const awsEnv = (endpoint: string): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: 'AKIAKSDTESTTESTTEST0',
    AWS_SECRET_ACCESS_KEY: 'ksd-test-secret-access-key',
    AWS_SESSION_TOKEN: 'ksd-test-session-token',
    AWS_ENDPOINT_URL: endpoint,
    HOME: '/nonexistent',
  });
  const kmsKey = (arn: string, role?: string): MasterKey => ({
    type: 'kms',
    arn,
    ...(role === undefined ? {} : { role }),
    context: {},
    enc: 'AAAA',
  });

  const awsRefusals: ReadonlyArray<readonly [string, MasterKey, RegExp]> = [
    [
      'a key outside the allowed keys',
      kmsKey('arn:aws:kms:us-east-1:999999999999:key/x'),
      /^kms key arn:aws:kms:us-east-1:999999999999:key\/x is not in the allowed keys or accounts; add it to aws-allowed-keys/,
    ],
    [
      'a role nobody configured',
      kmsKey('arn:aws:kms:us-east-1:123456789012:key/x', 'arn:aws:iam::123456789012:role/admin'),
      /^role arn:aws:iam::123456789012:role\/admin is not in the allowed roles or accounts; add it to aws-allowed-roles$/,
    ],
    [
      'a region that is a host name',
      kmsKey('arn:aws:kms:127.0.0.1.nip.io#:123456789012:key/x'),
      /which is not an aws region/,
    ],
  ];
  for (const [name, key, reason] of awsRefusals) {
    it(`aws: ${name} fails with the reason, and nothing is contacted`, async () => {
      const source = createAwsKmsKeySource({
        env: awsEnv(evil.url),
        policy: parseAwsPolicy({
          keys: ['arn:aws:kms:us-east-1:123456789012:key/*'],
          roles: ['arn:aws:iam::123456789012:role/sops'],
        }),
        mask,
        fetch: countingFetch,
      });
      await assert.rejects(source.decrypt(key), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, reason);
        return true;
      });
      assert.equal(fetchCalls, 0);
      assert.equal(evil.connections(), 0);
      assert.ok(masked.includes('ksd-test-secret-access-key') && masked.includes('ksd-test-session-token'));
    });
  }

  it('returns null for stanzas of other types without touching anything', async () => {
    const aws = createAwsKmsKeySource({
      env: awsEnv(evil.url),
      policy: DEFAULT_AWS_POLICY,
      mask,
      fetch: countingFetch,
    });
    const vault = createVaultKeySource({
      env: {},
      policy: buildVaultPolicy({ env: {} }),
      mask,
      fetch: countingFetch,
    });
    const age: MasterKey = { type: 'age', recipient: 'age1xyz', enc: '' };
    assert.equal(await aws.decrypt(age), null);
    assert.equal(await aws.decrypt(vaultKey(evil.url)), null);
    assert.equal(await vault.decrypt(age), null);
    assert.equal(await vault.decrypt(kmsKey('arn:aws:kms:us-east-1:123456789012:key/x')), null);
    assert.equal(aws.name, 'kms');
    assert.equal(vault.name, 'hc_vault');
    assert.equal(fetchCalls, 0);
    assert.equal(evil.connections(), 0);
  });
});
