/**
 * Azure Key Vault with a GitHub OIDC client assertion, against the in-repo Entra/Key Vault
 * DOUBLE (lowkey-vault cannot be had here). The file is the real sops's (age), with an
 * `azure_kv` stanza holding the same data key wrapped by the double, as sops writes it
 * (RSA-OAEP-256, base64url without padding), and the age stanza removed. Covers: end to end
 * through our decrypt with only the OIDC variables; refusals naming the claims; a vault
 * outside azure-allowed-vaults getting nothing; and a long job that outlives both its access
 * token and its first assertion.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Decrypter, armor } from 'age-encryption';
import { parseDocument } from 'yaml';
import { UserError } from '../../src/errors.ts';
import type { IdTokenProvider } from '../../src/keys/id-token.ts';
import { readClaims } from '../../src/keys/id-token.ts';
import { createAzureKvKeySource } from '../../src/keys/azure-kv.ts';
import type { MasterKey } from '../../src/keys/master-key.ts';
import { GithubOidcIssuer, pullRequestClaims } from '../env/components/oidc.ts';
import { AzureKvDouble, type AzureRequest } from '../env/doubles/azure-kv.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs, oidcEnv } from '../support/oidc-run.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';
import { startTripwire, type Tripwire } from '../support/tripwire.ts';

const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

/** An access token from a double, for the test's own wrapkey calls. */
async function accessToken(
  authority: string,
  tenant: string,
  clientId: string,
  assertion: string,
): Promise<string> {
  const res = await fetch(`${authority}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: clientId,
      scope: 'https://vault.azure.net/.default',
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Wraps a data key as sops does: RSA-OAEP-256, the result as base64url without padding. */
async function wrap(
  vaultUrl: string,
  name: string,
  version: string,
  token: string,
  dataKey: Uint8Array,
): Promise<string> {
  const res = await fetch(`${vaultUrl}/keys/${name}/${version}/wrapkey?api-version=7.4`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ alg: 'RSA-OAEP-256', value: Buffer.from(dataKey).toString('base64url') }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { value: string }).value;
}

describe('azure key vault with a github oidc client assertion (double)', () => {
  let azure: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let file: string;
  let inputs: Record<string, string>;
  let tripwire: Tripwire;

  const requests = async (): Promise<AzureRequest[]> =>
    (await (await fetch(azure['requestsUrl'] ?? '')).json()) as AzureRequest[];

  before(async () => {
    azure = await requireComponent('azure-kv-double');
    oidc = await requireComponent('oidc');
    tripwire = await startTripwire();
    const age = await newAgeKey();
    const encrypted = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--age', age.recipient]);
    const doc = parseDocument(await readFile(encrypted, 'utf8'));
    const ageStanza = (doc.toJS() as { sops: { age: { enc: string }[] } }).sops.age[0]!;
    const decrypter = new Decrypter();
    decrypter.addIdentity(age.identity);
    const dataKey = await decrypter.decrypt(armor.decode(ageStanza.enc));
    const idToken = await fetch(
      `${oidc['requestUrl']}&audience=${encodeURIComponent(azure['audience'] ?? '')}`,
      {
        headers: { authorization: `Bearer ${oidc['requestToken']}` },
      },
    );
    const token = await accessToken(
      azure['authorityHost'] ?? '',
      azure['tenantId'] ?? '',
      azure['clientId'] ?? '',
      ((await idToken.json()) as { value: string }).value,
    );
    const enc = await wrap(
      azure['vaultUrl'] ?? '',
      azure['keyName'] ?? '',
      azure['keyVersion'] ?? '',
      token,
      dataKey,
    );
    assert.doesNotMatch(enc, /[=+/]/);
    doc.deleteIn(['sops', 'age']);
    doc.setIn(
      ['sops', 'azure_kv'],
      [
        {
          vault_url: azure['vaultUrl'],
          name: azure['keyName'],
          version: azure['keyVersion'],
          created_at: '2025-01-01T00:00:00Z',
          enc,
        },
      ],
    );
    file = `${encrypted}.azure.yaml`;
    await writeFile(file, doc.toString());
    inputs = {
      'azure-client-id': azure['clientId'] ?? '',
      'azure-tenant-id': azure['tenantId'] ?? '',
      'azure-allowed-vaults': azure['vaultUrl'] ?? '',
    };
  });
  after(() => tripwire.close());

  const env = async (claims?: Record<string, unknown>): Promise<Record<string, string>> => ({
    AZURE_AUTHORITY_HOST: azure['authorityHost'] ?? '',
    ...(await oidcEnv(oidc, claims)),
  });

  it('decrypts end to end with only the OIDC token variables', async () => {
    const before = (await requests()).length;
    const { plaintext, host } = await decryptWithInputs(file, inputs, await env());
    assert.equal(plaintext, PLAINTEXT);
    const calls = (await requests()).slice(before);
    assert.deepEqual(
      calls.map((c) => [c.path, c.status]),
      [
        [`/${azure['tenantId']}/oauth2/v2.0/token`, 200],
        [`/keys/${azure['keyName']}/${azure['keyVersion']}/decrypt`, 200],
      ],
    );
    assert.ok(
      host.secrets.some((s) => s.startsWith('eyJ0eXAi.double-')),
      'the access token is masked',
    );
  });

  const refusals: readonly { name: string; claims: () => Record<string, unknown>; expect: RegExp }[] = [
    {
      name: 'a subject with no federated credential (a pull request)',
      claims: () => pullRequestClaims(),
      expect:
        /azure entra refused the oidc token sub=repo:octo-org\/octo-repo:pull_request aud=api:\/\/AzureADTokenExchange: HTTP 400 invalid_request: AADSTS70021: No matching federated identity record.*; check: trust policy sub\/aud/,
    },
    {
      name: 'an expired assertion',
      claims: () => ({ exp: Math.floor(Date.now() / 1000) - 60 }),
      expect:
        /azure entra refused the oidc token .* \(token expired\): HTTP 401 invalid_client: AADSTS700024: Client assertion is not within its valid.*; check: /,
    },
  ];
  for (const { name, claims, expect } of refusals) {
    it(`names the claims Entra saw for ${name}`, async () => {
      await assert.rejects(decryptWithInputs(file, inputs, await env(claims())), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.report ?? '', expect);
        return true;
      });
    });
  }

  it('a PR that points the stanza at another vault gets no token: nothing reaches it, no exchange happens', async () => {
    const evil = `${file}.evil.yaml`;
    await writeFile(evil, (await readFile(file, 'utf8')).replace(azure['vaultUrl'] ?? '', tripwire.url));
    const before = (await requests()).length;
    await assert.rejects(decryptWithInputs(evil, inputs, await env()), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(
        error.report ?? '',
        /azure vault http:\/\/127\.0\.0\.1:\d+ is not in the allowed list; add it to azure-allowed-vaults/,
      );
      return true;
    });
    assert.equal(tripwire.connections(), 0);
    assert.equal((await requests()).length, before);
  });

  it('no vault is allowed unless configured', async () => {
    await assert.rejects(
      decryptWithInputs(file, { ...inputs, 'azure-allowed-vaults': '' }, await env()),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /is not in the allowed list; add it to azure-allowed-vaults \(allowed now: none\)/,
        );
        return true;
      },
    );
  });
});

describe('a long job refreshes its azure assertion', () => {
  let issuer: GithubOidcIssuer;
  let double: AzureKvDouble;
  const stanzas: MasterKey[] = [];
  const dataKeys: Uint8Array[] = [];

  before(async () => {
    issuer = await GithubOidcIssuer.start();
    // Access tokens and assertions that live one second: the job below outlives both.
    double = await AzureKvDouble.start({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      tenantId: 'tenant',
      clientId: 'client',
      subjects: ['repo:octo-org/octo-repo:ref:refs/heads/main'],
      keys: ['sops'],
      tokenLifetimeSeconds: 1,
    });
    const token = await accessToken(
      double.url,
      'tenant',
      'client',
      issuer.mint('api://AzureADTokenExchange'),
    );
    for (const fill of [1, 2]) {
      const dataKey = new Uint8Array(32).fill(fill);
      dataKeys.push(dataKey);
      const enc = await wrap(double.url, 'sops', double.keyVersion('sops') ?? '', token, dataKey);
      stanzas.push({
        type: 'azure_kv',
        vaultUrl: double.url,
        name: 'sops',
        version: double.keyVersion('sops') ?? '',
        enc,
      });
    }
  });
  after(async () => {
    await double.close();
    await issuer.close();
  });

  /** GitHub's tokens here expire one second after they are minted. */
  const shortLived: IdTokenProvider = (audience) => {
    const value = issuer.mint(audience ?? '', { exp: Math.floor(Date.now() / 1000) + 1 });
    return Promise.resolve({ value, claims: readClaims(value) });
  };

  const source = (idToken: IdTokenProvider) =>
    createAzureKvKeySource({
      env: { AZURE_AUTHORITY_HOST: double.url },
      mask: () => undefined,
      clientId: 'client',
      tenantId: 'tenant',
      allowedVaults: [double.url],
      idToken,
    });

  it('exchanges a fresh assertion once the access token has expired', async () => {
    double.requests.length = 0;
    const kv = source(shortLived);
    assert.deepEqual(await kv.decrypt(stanzas[0]!), dataKeys[0]);
    await sleep(2100);
    assert.deepEqual(await kv.decrypt(stanzas[1]!), dataKeys[1]);
    const tokenCalls = double.requests.filter((r) => r.path.endsWith('/token'));
    assert.deepEqual(
      tokenCalls.map((r) => r.status),
      [200, 200],
    );
    assert.notEqual(
      tokenCalls[0]?.assertionId,
      tokenCalls[1]?.assertionId,
      'each exchange used a new assertion',
    );
    assert.deepEqual(
      double.requests.filter((r) => r.path.endsWith('/decrypt')).map((r) => r.status),
      [200, 200],
    );
  });

  it('reusing the first assertion is what fails (AADSTS700024), as Azure/login#180 reports', async () => {
    let first: Awaited<ReturnType<IdTokenProvider>> | undefined;
    const reused: IdTokenProvider = async (audience) => (first ??= await shortLived(audience));
    const kv = source(reused);
    assert.deepEqual(await kv.decrypt(stanzas[0]!), dataKeys[0]);
    await sleep(2100);
    await assert.rejects(
      kv.decrypt(stanzas[1]!),
      /\(token expired\): HTTP 401 invalid_client: AADSTS700024: Client assertion is not within/,
    );
  });
});
