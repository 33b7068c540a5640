/**
 * GCP KMS through workload identity federation with the GitHub OIDC token, against the GCP
 * double: a file the real sops wrote (REST client) decrypts through our decrypt with only the
 * OIDC token variables; refusals name the claims STS saw; a key outside gcp-allowed-keys
 * costs no call at all (the double's request log must not grow).
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs, oidcEnv } from '../support/oidc-run.ts';
import { sopsEncrypt } from '../support/tools.ts';

const PLAINTEXT = 'password: hunter2\nlist:\n    - a\n    - b\n';

interface Logged {
  readonly path: string;
  readonly principal?: string;
  readonly status: number;
}

describe('gcp kms with github oidc workload identity federation', () => {
  let gcp: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let file: string;
  let inputs: Record<string, string>;
  let env: Record<string, string>;

  const requests = async (): Promise<Logged[]> =>
    (await (await fetch(gcp['requestsUrl'] ?? '')).json()) as Logged[];

  before(async () => {
    gcp = await requireComponent('gcp-double');
    oidc = await requireComponent('oidc');
    // sops itself needs an access token: federate once here, the way the double's own test does.
    const idToken = await fetch(
      `${oidc['requestUrl']}&audience=${encodeURIComponent(gcp['tokenAudience'] ?? '')}`,
      {
        headers: { authorization: `Bearer ${oidc['requestToken']}` },
      },
    );
    const exchanged = await fetch(gcp['stsEndpoint'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience: gcp['stsAudience'],
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        subject_token: ((await idToken.json()) as { value: string }).value,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      }),
    });
    const accessToken = ((await exchanged.json()) as { access_token: string }).access_token;
    file = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--gcp-kms', gcp['keyResourceId'] ?? ''], {
      SOPS_GCP_KMS_CLIENT_TYPE: 'rest',
      SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '',
      GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
    });
    inputs = {
      'gcp-workload-identity-provider': gcp['workloadIdentityProvider'] ?? '',
      'gcp-service-account': gcp['serviceAccount'] ?? '',
      'gcp-allowed-keys': gcp['keyResourceId'] ?? '',
    };
    env = {
      SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '',
      KSD_GCP_STS_ENDPOINT: gcp['stsEndpoint'] ?? '',
      KSD_GCP_IAM_ENDPOINT: gcp['iamEndpoint'] ?? '',
    };
  });

  it('decrypts a file the real sops wrote, as the impersonated service account', async () => {
    const before = (await requests()).length;
    const { plaintext, host } = await decryptWithInputs(file, inputs, { ...env, ...(await oidcEnv(oidc)) });
    assert.equal(plaintext, PLAINTEXT);
    const calls = (await requests()).slice(before);
    assert.deepEqual(
      calls.map((c) => [
        c.path.replace(/^\/v1\/(projects\/-\/serviceAccounts\/[^:]+|projects\/.*)(:\w+)$/, '$2'),
        c.status,
      ]),
      [
        ['/v1/token', 200],
        [':generateAccessToken', 200],
        [':decrypt', 200],
      ],
    );
    assert.equal(calls[2]?.principal, `serviceAccount:${gcp['serviceAccount']}`);
    assert.ok(
      host.secrets.some((s) => s.startsWith('ya29.double-')),
      'the access tokens are masked',
    );
  });

  it('uses the federated token directly without gcp-service-account', async () => {
    const before = (await requests()).length;
    const { plaintext } = await decryptWithInputs(
      file,
      { ...inputs, 'gcp-service-account': '' },
      { ...env, ...(await oidcEnv(oidc)) },
    );
    assert.equal(plaintext, PLAINTEXT);
    const calls = (await requests()).slice(before);
    assert.equal(calls.length, 2);
    assert.match(calls[1]?.principal ?? '', /^federated:repo:octo-org\/octo-repo:ref:refs\/heads\/main$/);
  });

  const refusals: readonly { name: string; claims: Record<string, unknown>; expect: RegExp }[] = [
    {
      name: 'a token from another repository (attribute condition)',
      claims: { repository: 'evil/fork' },
      expect:
        /gcp sts refused the oidc token sub=repo:octo-org\/octo-repo:ref:refs\/heads\/main aud=https:\/\/iam\.googleapis\.com\/\S+\.\.\.\S+\/providers\/github repository=evil\/fork: HTTP 400 invalid_grant: The given credential is rejected.*; check: /,
    },
    {
      name: 'an expired token',
      claims: { exp: Math.floor(Date.now() / 1000) - 3600 },
      expect:
        /gcp sts refused the oidc token .* \(token expired\): HTTP 400 invalid_grant: The ID Token has expired\.; check: /,
    },
  ];
  for (const { name, claims, expect } of refusals) {
    it(`names the claims STS saw for ${name}`, async () => {
      await assert.rejects(
        decryptWithInputs(file, inputs, { ...env, ...(await oidcEnv(oidc, claims)) }),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.match(error.report ?? '', expect);
          return true;
        },
      );
    });
  }

  it('a PR that points the stanza at a key outside gcp-allowed-keys gets no token: no call at all', async () => {
    const evilKey = (gcp['keyResourceId'] ?? '').replace('projects/ksd-test/', 'projects/evil/');
    const text = await readFile(file, 'utf8');
    const evil = `${file}.evil.yaml`;
    await writeFile(evil, text.replace(gcp['keyResourceId'] ?? '', evilKey));
    const before = (await requests()).length;
    await assert.rejects(
      decryptWithInputs(evil, inputs, { ...env, ...(await oidcEnv(oidc)) }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          new RegExp(`gcp kms key ${evilKey} is not in the allowed keys; add it to gcp-allowed-keys`),
        );
        return true;
      },
    );
    assert.equal((await requests()).length, before);
  });
});
