/**
 * Azure Key Vault without the OIDC inputs, against an in-test instance of the Entra/Key Vault
 * DOUBLE (test/env/doubles/azure-kv.ts; lowkey-vault cannot be had here) with a client secret,
 * a registered RSA certificate and both managed identity endpoints. The file is the real
 * sops's (age), with an `azure_kv` stanza holding the same data key wrapped by the double and
 * the age stanza removed. Managed identity's IMDS address is moved onto the double with
 * AZURE_POD_IDENTITY_AUTHORITY_HOST (the Azure SDKs' variable for it). The double records
 * which credential each token call used.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Decrypter, armor } from 'age-encryption';
import { parseDocument } from 'yaml';
import { UserError } from '../../src/errors.ts';
import { parseDecryptionSecret } from '../../src/config/decryption-secret.ts';
import { listenLoopback } from '../env/doubles/http-double.ts';
import { DEFAULT_REPOSITORY } from '../env/components/oidc.ts';
import { AzureKvDouble, type AzureRequest } from '../env/doubles/azure-kv.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs, oidcEnv } from '../support/oidc-run.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const run = promisify(execFile);
const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const SECRET = 'azure~client-secret-canary';
const IDENTITY_HEADER = 'identity-header-canary';

/** A self-signed RSA certificate and its key in one PEM, as Azure's PEM certificate files are. */
async function rsaCertificate(dir: string, name: string): Promise<string> {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-days',
    '1',
    '-keyout',
    key,
    '-out',
    crt,
  ]);
  return `${await readFile(crt, 'utf8')}${await readFile(key, 'utf8')}`;
}

describe('azure key vault with environment, certificate, managed identity and decryption-secret credentials (double)', () => {
  let double: AzureKvDouble;
  let oidc: Readonly<Record<string, string>>;
  let dir: string;
  let file: string;
  let certPem: string;
  let allowed: Record<string, string>;

  const since = (from: number): AzureRequest[] => double.requests.slice(from);

  before(async () => {
    oidc = await requireComponent('oidc');
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-azure-ambient-'));
    certPem = await rsaCertificate(dir, 'registered');
    double = await AzureKvDouble.start({
      issuer: oidc['issuer'] ?? '',
      jwksUrl: oidc['jwksUrl'] ?? '',
      tenantId: TENANT,
      clientId: CLIENT,
      subjects: [`repo:${DEFAULT_REPOSITORY}:ref:refs/heads/main`],
      keys: ['sops'],
      clientSecret: SECRET,
      certificates: [certPem],
      identityHeader: IDENTITY_HEADER,
    });
    const age = await newAgeKey();
    const encrypted = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--age', age.recipient]);
    const doc = parseDocument(await readFile(encrypted, 'utf8'));
    const ageStanza = (doc.toJS() as { sops: { age: { enc: string }[] } }).sops.age[0]!;
    const decrypter = new Decrypter();
    decrypter.addIdentity(age.identity);
    const dataKey = await decrypter.decrypt(armor.decode(ageStanza.enc));
    const token = await fetch(`${double.url}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT,
        client_secret: SECRET,
        scope: 'https://vault.azure.net/.default',
        grant_type: 'client_credentials',
      }).toString(),
    });
    assert.equal(token.status, 200);
    const version = double.keyVersion('sops') ?? '';
    const wrapped = await fetch(`${double.url}/keys/sops/${version}/wrapkey?api-version=7.4`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}`,
      },
      body: JSON.stringify({ alg: 'RSA-OAEP-256', value: Buffer.from(dataKey).toString('base64url') }),
    });
    const enc = ((await wrapped.json()) as { value: string }).value;
    doc.deleteIn(['sops', 'age']);
    doc.setIn(
      ['sops', 'azure_kv'],
      [{ vault_url: double.url, name: 'sops', version, created_at: '2025-01-01T00:00:00Z', enc }],
    );
    file = path.join(dir, 'secret.azure.yaml');
    await writeFile(file, doc.toString());
    allowed = { 'azure-allowed-vaults': double.url };
    double.requests.length = 0;
  });
  after(async () => {
    await double.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Decrypts with `env` and returns the credential kinds of the token calls made. */
  /** A Flux decryption Secret (data map) whose sops.azure-kv holds a client secret for the double. */
  const azureSecret = (): string =>
    JSON.stringify({
      'sops.azure-kv': Buffer.from(
        JSON.stringify({
          tenantId: TENANT,
          clientId: CLIENT,
          clientSecret: SECRET,
          authorityHost: double.url,
        }),
      ).toString('base64'),
    });

  async function decryptWith(
    inputs: Record<string, string>,
    env: Record<string, string>,
  ): Promise<{ credentials: string[]; paths: string[]; secrets: readonly string[] }> {
    const from = double.requests.length;
    const { plaintext, host } = await decryptWithInputs(file, { ...allowed, ...inputs }, env);
    assert.equal(plaintext, PLAINTEXT);
    const calls = since(from);
    return {
      credentials: calls.flatMap((c) => (c.credential === undefined ? [] : [c.credential])),
      paths: calls.map((c) => c.path),
      secrets: host.secrets,
    };
  }

  const envSp = (): Record<string, string> => ({
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_AUTHORITY_HOST: double.url,
  });

  it('AZURE_CLIENT_SECRET: a client-credentials grant, the secret masked', async () => {
    const { credentials, paths, secrets } = await decryptWith(
      {},
      { ...envSp(), AZURE_CLIENT_SECRET: SECRET },
    );
    assert.deepEqual(credentials, ['secret']);
    assert.equal(paths.at(-1), `/keys/sops/${double.keyVersion('sops')}/decrypt`);
    assert.ok(secrets.includes(SECRET));
  });

  it('AZURE_CLIENT_CERTIFICATE_PATH: an x5t client assertion signed with the PEM key', async () => {
    const certFile = path.join(dir, 'client.pem');
    await writeFile(certFile, certPem, { mode: 0o600 });
    const { credentials } = await decryptWith({}, { ...envSp(), AZURE_CLIENT_CERTIFICATE_PATH: certFile });
    assert.deepEqual(credentials, ['certificate']);
  });

  it('a certificate the app does not know is refused with the Entra reason, and no key material', async () => {
    const unknownPem = await rsaCertificate(dir, 'unknown');
    const certFile = path.join(dir, 'unknown.pem');
    await writeFile(certFile, unknownPem, { mode: 0o600 });
    await assert.rejects(
      decryptWithInputs(file, allowed, { ...envSp(), AZURE_CLIENT_CERTIFICATE_PATH: certFile }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /azure entra \(client certificate from \S+unknown\.pem\) failed: HTTP 401 invalid_client: AADSTS700027: Client assertion failed signature validation.*; upload the certificate to the app registration/,
        );
        assert.ok(!(error.report ?? '').includes('PRIVATE KEY'));
        return true;
      },
    );
  });

  it('AZURE_FEDERATED_TOKEN_FILE: the file is the client assertion (workload identity)', async () => {
    const idToken = await fetch(
      `${oidc['requestUrl']}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`,
      {
        headers: { authorization: `Bearer ${oidc['requestToken']}` },
      },
    );
    const tokenFile = path.join(dir, 'azure-identity-token');
    await writeFile(tokenFile, ((await idToken.json()) as { value: string }).value);
    const { credentials } = await decryptWith({}, { ...envSp(), AZURE_FEDERATED_TOKEN_FILE: tokenFile });
    assert.deepEqual(credentials, ['federated']);
  });

  it('managed identity through IMDS (moved with AZURE_POD_IDENTITY_AUTHORITY_HOST), user-assigned by AZURE_CLIENT_ID', async () => {
    const system = await decryptWith({}, { AZURE_POD_IDENTITY_AUTHORITY_HOST: double.url });
    assert.deepEqual(system.credentials, ['managed-identity']);
    assert.equal(system.paths[0], '/metadata/identity/oauth2/token');
    const user = await decryptWith(
      {},
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: double.url, AZURE_CLIENT_ID: CLIENT },
    );
    assert.deepEqual(user.credentials, [`managed-identity:${CLIENT}`]);
  });

  it('managed identity through IDENTITY_ENDPOINT with IDENTITY_HEADER (App Service), the header masked', async () => {
    const { credentials, paths, secrets } = await decryptWith(
      {},
      { IDENTITY_ENDPOINT: `${double.url}/msi/token`, IDENTITY_HEADER },
    );
    assert.deepEqual(credentials, ['managed-identity']);
    assert.equal(paths[0], '/msi/token');
    assert.ok(secrets.includes(IDENTITY_HEADER));
  });

  it("a Flux Secret's sops.azure-kv (AADConfig) decrypts, and wins over managed identity", async () => {
    const aad = JSON.stringify({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET,
      authorityHost: double.url,
    });
    const masked: string[] = [];
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: sops-azure}\nstringData:\n  sops.azure-kv: '${aad}'\n`;
    parseDecryptionSecret(secret, (v) => masked.push(v));
    assert.ok(masked.includes(SECRET), 'the client secret is masked on its own');
    const { credentials, secrets } = await decryptWith(
      { 'decryption-secret': secret },
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: double.url },
    );
    assert.deepEqual(credentials, ['secret']);
    assert.ok(secrets.includes(SECRET), 'the config masks the client secret through the run');
  });

  it('the az ad sp create-for-rbac JSON works as sops.azure-kv too', async () => {
    const secret = JSON.stringify({
      'sops.azure-kv': Buffer.from(
        JSON.stringify({ appId: CLIENT, password: SECRET, tenant: TENANT, displayName: 'x' }),
      ).toString('base64'),
    });
    assert.equal(parseDecryptionSecret(secret, () => undefined).cloud.azure?.kind, 'client-secret');
    const { credentials } = await decryptWith(
      { 'decryption-secret': secret },
      { AZURE_AUTHORITY_HOST: double.url },
    );
    assert.deepEqual(credentials, ['secret']);
  });

  it('the OIDC inputs win over the decryption Secret', async () => {
    const { credentials } = await decryptWith(
      { 'decryption-secret': azureSecret(), 'azure-client-id': CLIENT, 'azure-tenant-id': TENANT },
      { AZURE_AUTHORITY_HOST: double.url, ...(await oidcEnv(oidc)) },
    );
    assert.deepEqual(credentials, ['federated']);
  });

  it('static credentials get nothing for a vault outside azure-allowed-vaults: no call at all', async () => {
    const evil = await listenLoopback(() => undefined);
    const text = (await readFile(file, 'utf8')).replace(`vault_url: ${double.url}`, `vault_url: ${evil.url}`);
    const evilFile = path.join(dir, 'evil.yaml');
    await writeFile(evilFile, text);
    const from = double.requests.length;
    await assert.rejects(
      decryptWithInputs(
        evilFile,
        {
          ...allowed,
          'decryption-secret': azureSecret(),
        },
        {},
      ),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          new RegExp(`azure vault ${evil.url} is not in the allowed list; add it to azure-allowed-vaults`),
        );
        return true;
      },
    );
    assert.equal(double.requests.length, from);
    await evil.close();
  });

  it('no credentials and no managed identity: one line naming what was tried and what fixes it', async () => {
    const closed = await listenLoopback(() => undefined);
    await closed.close();
    await assert.rejects(
      decryptWithInputs(file, allowed, { AZURE_POD_IDENTITY_AUTHORITY_HOST: closed.url }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          new RegExp(
            `no azure credentials: set azure-client-id and azure-tenant-id \\(GitHub OIDC\\), sops\\.azure-kv in decryption-secret, or AZURE_TENANT_ID, AZURE_CLIENT_ID and .*; tried azure managed identity \\(IMDS at ${closed.url}\\): cannot reach`,
          ),
        );
        return true;
      },
    );
  });
});
