/**
 * `encrypt` wraps data keys with the cloud key sources' encrypt calls: Vault transit on a real
 * Vault, AWS KMS (with an encryption context, and through an assumed role) on moto, and GCP
 * KMS on the GCP double: the real `sops -d` opens the result with its MAC verified, using only
 * the cloud key. Azure Key Vault on its double, which sops cannot reach (plain http), is
 * checked with our own decrypt.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runEncrypt } from '../../src/commands/encrypt-run.ts';
import { parseEncryptConfig } from '../../src/config/encrypt.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { DEFAULT_REPOSITORY } from '../env/components/oidc.ts';
import { AzureKvDouble, type KeyOp } from '../env/doubles/azure-kv.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs } from '../support/oidc-run.ts';
import { commandDeps } from '../support/command-deps.ts';
import { runSops, tool } from '../support/tools.ts';

const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

async function ourEncrypt(
  cwd: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<void> {
  const config = parseEncryptConfig((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
  await runEncrypt(config, commandDeps(createMemoryHost()), cwd);
}

/** Writes a `.sops.yaml` and the plaintext, encrypts in place, and returns the file. */
async function encryptWithRule(
  rule: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-cloud-'));
  await writeFile(path.join(dir, '.sops.yaml'), `creation_rules:\n  - ${rule}\n`);
  await writeFile(path.join(dir, 'secret.yaml'), PLAINTEXT);
  await ourEncrypt(dir, { file: 'secret.yaml', 'in-place': 'true', ...inputs }, env);
  return path.join(dir, 'secret.yaml');
}

describe('hc_vault_transit_uri on a real Vault', () => {
  let address: string;
  let token: string;
  const mount = 'ksd-encrypt';
  const keyName = `key-${randomUUID().slice(0, 8)}`;

  before(async () => {
    await tool('sops');
    const info = await requireComponent('vault');
    address = info['address']!;
    token = info['token']!;
    const api = async (apiPath: string, body: unknown): Promise<void> => {
      const res = await fetch(`${address}/v1/${apiPath}`, {
        method: 'POST',
        headers: { 'x-vault-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      // 400 "path is already in use" when an earlier run mounted it.
      if (!res.ok && res.status !== 400) throw new Error(`vault ${apiPath}: HTTP ${res.status}`);
    };
    await api(`sys/mounts/${mount}`, { type: 'transit' });
    await api(`${mount}/keys/${keyName}`, {});
  });

  test('sops -d opens it with only the Vault token', async () => {
    const file = await encryptWithRule(
      `hc_vault_transit_uri: ${address}/v1/${mount}/keys/${keyName}`,
      { 'vault-allowed-addresses': address },
      { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', VAULT_TOKEN: token },
    );
    const meta = (parse(await readFile(file, 'utf8')) as { sops: { hc_vault: Record<string, string>[] } })
      .sops;
    const stanza = meta.hc_vault[0] ?? {};
    assert.equal(stanza['engine_path'], mount);
    assert.equal(stanza['key_name'], keyName);
    assert.match(stanza['enc'] ?? '', /^vault:v\d+:/);
    assert.equal((await runSops(['decrypt', file], { VAULT_TOKEN: token })).toString(), PLAINTEXT);
  });

  test('an address outside vault-allowed-addresses is refused, and the file is left as it was', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-cloud-'));
    await writeFile(path.join(dir, 's.yaml'), PLAINTEXT);
    await assert.rejects(
      ourEncrypt(
        dir,
        { file: 's.yaml', 'in-place': 'true', 'hc-vault-transit': `${address}/v1/${mount}/keys/${keyName}` },
        { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', VAULT_TOKEN: token },
      ),
      /cannot encrypt the data key for vault transit/,
    );
    assert.equal(await readFile(path.join(dir, 's.yaml'), 'utf8'), PLAINTEXT);
  });
});

describe('kms on moto, with a context and a role', () => {
  let info: Readonly<Record<string, string>>;
  let awsEnv: Record<string, string>;

  before(async () => {
    await tool('sops');
    info = await requireComponent('moto');
    const home = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-aws-'));
    awsEnv = {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      AWS_ENDPOINT_URL: info['endpoint']!,
      AWS_ACCESS_KEY_ID: info['accessKeyId']!,
      AWS_SECRET_ACCESS_KEY: info['secretAccessKey']!,
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  });

  test('sops -d opens it, and the stanza keeps the role and the context', async () => {
    const file = await encryptWithRule(
      `key_groups:\n      - kms:\n          - arn: ${info['kmsKeyArn']!}\n            role: ${info['roleArn']!}\n            context: {app: web, env: prod}`,
      { 'aws-allowed-roles': info['roleArn']! },
      awsEnv,
    );
    const meta = (parse(await readFile(file, 'utf8')) as { sops: { kms: Record<string, unknown>[] } }).sops;
    assert.equal(meta.kms[0]?.['arn'], info['kmsKeyArn']);
    assert.equal(meta.kms[0]?.['role'], info['roleArn']);
    assert.deepEqual(meta.kms[0]?.['context'], { app: 'web', env: 'prod' });
    assert.equal((await runSops(['decrypt', file], awsEnv)).toString(), PLAINTEXT);
  });

  test('--kms from the command line (no config)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-cloud-'));
    await writeFile(path.join(dir, 's.yaml'), PLAINTEXT);
    await ourEncrypt(
      dir,
      { file: 's.yaml', 'in-place': 'true', kms: info['kmsKeyArn']!, config: '/dev/null' },
      awsEnv,
    );
    assert.equal((await runSops(['decrypt', path.join(dir, 's.yaml')], awsEnv)).toString(), PLAINTEXT);
  });
});

describe('gcp_kms on the GCP double', () => {
  let gcp: Readonly<Record<string, string>>;
  let home: string;

  before(async () => {
    await tool('sops');
    gcp = await requireComponent('gcp-double');
    home = await mkdtemp(path.join(tmpdir(), 'ksd-encrypt-gcp-'));
  });

  test('sops -d (REST client) opens it', async () => {
    const serviceAccountFile = path.join(home, 'sa.json');
    await writeFile(serviceAccountFile, gcp['serviceAccountKeyJson'] ?? '', { mode: 0o600 });
    const file = await encryptWithRule(
      `gcp_kms: ${gcp['keyResourceId'] ?? ''}`,
      {},
      {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '',
        GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile,
        METADATA_SERVER_DETECTION: 'none',
      },
    );
    const meta = (parse(await readFile(file, 'utf8')) as { sops: { gcp_kms: Record<string, string>[] } })
      .sops;
    assert.equal((meta.gcp_kms[0] ?? {})['resource_id'], gcp['keyResourceId']);
    // sops needs an access token of its own: the authorized user's, from the double.
    const token = await fetch(`${gcp['kmsEndpoint'] ?? ''}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        ...(JSON.parse(gcp['authorizedUserJson'] ?? '{}') as Record<string, string>),
      }).toString(),
    });
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    const plain = await runSops(['decrypt', file], {
      SOPS_GCP_KMS_CLIENT_TYPE: 'rest',
      SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '',
      GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
    });
    assert.equal(plain.toString(), PLAINTEXT);
  });
});

describe('azure_keyvault on the Key Vault double', () => {
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const client = '11111111-2222-3333-4444-555555555555';
  const secret = 'azure~client-secret-canary';

  let double: AzureKvDouble;
  before(async () => {
    const oidc = await requireComponent('oidc');
    double = await AzureKvDouble.start({
      issuer: oidc['issuer'] ?? '',
      jwksUrl: oidc['jwksUrl'] ?? '',
      tenantId: tenant,
      clientId: client,
      subjects: [`repo:${DEFAULT_REPOSITORY}:ref:refs/heads/main`],
      keys: ['sops'],
      clientSecret: secret,
    });
  });
  after(() => double.close());

  const env = (): Record<string, string> => ({
    PATH: process.env['PATH'] ?? '',
    HOME: '/nonexistent-home',
    AZURE_TENANT_ID: tenant,
    AZURE_CLIENT_ID: client,
    AZURE_CLIENT_SECRET: secret,
    AZURE_AUTHORITY_HOST: double.url,
  });
  const allowed = (): Record<string, string> => ({ 'azure-allowed-vaults': double.url });
  const stanzaOf = async (file: string): Promise<Record<string, string>> =>
    (parse(await readFile(file, 'utf8')) as { sops: { azure_kv: Record<string, string>[] } }).sops
      .azure_kv[0] ?? {};

  test('a key with a version: encrypted with the encrypt operation, opened by ours', async () => {
    const version = double.keyVersion('sops') ?? '';
    const file = await encryptWithRule(
      `key_groups:\n      - azure_keyvault: [{vaultUrl: '${double.url}', key: sops, version: '${version}'}]`,
      allowed(),
      env(),
    );
    const stanza = await stanzaOf(file);
    assert.equal(stanza['version'], version);
    assert.match(stanza['enc'] ?? '', /^[A-Za-z0-9_-]+$/);
    const { plaintext } = await decryptWithInputs(file, allowed(), env());
    assert.equal(plaintext, PLAINTEXT);
  });

  test('a key without a version is pinned to its latest version, as sops does, and that is recorded', async () => {
    double.requests.length = 0;
    const file = await encryptWithRule(
      `key_groups:\n      - azure_keyvault: [{vaultUrl: '${double.url}', key: sops}]`,
      allowed(),
      env(),
    );
    const version = double.keyVersion('sops') ?? '';
    assert.equal((await stanzaOf(file))['version'], version);
    assert.deepEqual(
      double.requests
        .filter((r) => r.path.startsWith('/keys/'))
        .map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /keys/sops/ 200', `POST /keys/sops/${version}/encrypt 200`],
    );
    assert.equal((await decryptWithInputs(file, allowed(), env())).plaintext, PLAINTEXT);
  });

  // Key Vault refuses an operation the key does not permit with 403 KeyOperationForbidden.
  // sops 3.13 decrypts with `decrypt`; a key or role that permits only unwrapKey (the "Key
  // Vault Crypto Service Encryption User" role, older sops and Flux) is asked that way next.
  const operationCases: readonly { ops: readonly KeyOp[]; calls: readonly string[]; error?: RegExp }[] = [
    { ops: ['encrypt', 'decrypt'], calls: ['decrypt 200'] },
    { ops: ['encrypt', 'unwrapKey'], calls: ['decrypt 403', 'unwrapkey 200'] },
    {
      ops: ['encrypt'],
      calls: ['decrypt 403', 'unwrapkey 403'],
      error:
        /decrypt with .*\/keys\/ops-2\/\w+ failed: HTTP 403 .*Operation decrypt is not permitted on this key.*; unwrapKey was refused too \(HTTP 403\)/,
    },
  ];
  operationCases.forEach((c, i) => {
    test(`a key that permits ${c.ops.join(', ')}: ${c.error === undefined ? 'decrypted' : 'a clear refusal'} (${c.calls.join(', ')})`, async () => {
      const name = `ops-${i}`;
      const version = double.addKey(name, c.ops);
      const file = await encryptWithRule(
        `key_groups:\n      - azure_keyvault: [{vaultUrl: '${double.url}', key: ${name}, version: '${version}'}]`,
        allowed(),
        env(),
      );
      double.requests.length = 0;
      const result = decryptWithInputs(file, allowed(), env());
      if (c.error === undefined) assert.equal((await result).plaintext, PLAINTEXT);
      else await assert.rejects(result, c.error);
      assert.deepEqual(
        double.requests
          .filter((r) => r.path.startsWith(`/keys/${name}/`))
          .map((r) => `${r.path.slice(r.path.lastIndexOf('/') + 1)} ${r.status}`),
        c.calls,
      );
    });
  });
});
