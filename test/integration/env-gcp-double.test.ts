/**
 * The GCP double: workload identity federation from a GitHub OIDC token (STS, then IAM
 * impersonation), then the real sops encrypting and decrypting through the double's KMS REST
 * API; and the refusals a client must handle.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const PLAINTEXT = 'password: hunter2\nlist:\n    - a\n    - b\n';

describe('gcp-double component', () => {
  let info: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let dir: string;

  before(async () => {
    info = await requireComponent('gcp-double');
    oidc = await requireComponent('oidc');
    // The real sops these tests drive is built by global setup too.
    await requireComponent('cli-tools');
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-env-gcp-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function idToken(audience: string, claims?: Readonly<Record<string, unknown>>): Promise<string> {
    let requestToken = oidc['requestToken'];
    if (claims !== undefined) {
      const configured = await fetch(oidc['configureUrl'] ?? '', {
        method: 'POST',
        body: JSON.stringify({ claims }),
      });
      requestToken = ((await configured.json()) as { requestToken: string }).requestToken;
    }
    const res = await fetch(`${oidc['requestUrl']}&audience=${encodeURIComponent(audience)}`, {
      headers: { authorization: `Bearer ${requestToken}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { value: string }).value;
  }

  async function exchange(subjectToken: string, audience = info['stsAudience'] ?? ''): Promise<Response> {
    return fetch(info['stsEndpoint'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        subject_token: subjectToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      }),
    });
  }

  async function federatedToken(): Promise<string> {
    const res = await exchange(await idToken(info['tokenAudience'] ?? ''));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    assert.equal(body.token_type, 'Bearer');
    return body.access_token;
  }

  async function impersonate(
    federated: string,
    serviceAccount = info['serviceAccount'] ?? '',
  ): Promise<Response> {
    return fetch(
      `${info['iamEndpoint']}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${federated}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          scope: ['https://www.googleapis.com/auth/cloud-platform'],
          lifetime: '3600s',
        }),
      },
    );
  }

  async function kms(
    op: 'encrypt' | 'decrypt',
    body: unknown,
    token?: string,
    key = info['keyResourceId'],
  ): Promise<Response> {
    return fetch(`${info['kmsEndpoint']}/v1/${key}:${op}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
  }

  it('real sops encrypts and decrypts through the KMS REST API with an impersonated service account token', async () => {
    const res = await impersonate(await federatedToken());
    assert.equal(res.status, 200);
    const { accessToken, expireTime } = (await res.json()) as { accessToken: string; expireTime: string };
    assert.match(expireTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const env = {
      PATH: process.env['PATH'],
      HOME: dir,
      SOPS_GCP_KMS_CLIENT_TYPE: 'rest',
      SOPS_GCP_KMS_ENDPOINT: info['kmsEndpoint'],
      GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
    };
    const file = path.join(dir, 'secret.yaml');
    writeFileSync(file, PLAINTEXT);
    const { stdout: encrypted } = await run(
      toolPath('sops'),
      ['-e', '--gcp-kms', info['keyResourceId'] ?? '', file],
      { cwd: dir, env },
    );
    assert.match(encrypted, new RegExp(`resource_id: ${info['keyResourceId']}`));
    assert.doesNotMatch(encrypted, /hunter2/);
    writeFileSync(`${file}.enc.yaml`, encrypted);
    const { stdout } = await run(toolPath('sops'), ['-d', `${file}.enc.yaml`], { cwd: dir, env });
    assert.equal(stdout, PLAINTEXT);

    const requests = (await (await fetch(info['requestsUrl'] ?? '')).json()) as {
      path: string;
      principal?: string;
    }[];
    const principals = requests.filter((r) => r.path.endsWith(':decrypt')).map((r) => r.principal);
    assert.ok(principals.includes(`serviceAccount:${info['serviceAccount']}`));
  });

  it('a federated token may call KMS directly (direct resource access)', async () => {
    const token = await federatedToken();
    const encrypted = await kms('encrypt', { plaintext: Buffer.from('data key').toString('base64') }, token);
    assert.equal(encrypted.status, 200);
    const { ciphertext, name } = (await encrypted.json()) as { ciphertext: string; name: string };
    assert.equal(name, `${info['keyResourceId']}/cryptoKeyVersions/1`);
    const decrypted = await kms('decrypt', { ciphertext }, token);
    assert.equal(decrypted.status, 200);
    assert.equal(
      Buffer.from(((await decrypted.json()) as { plaintext: string }).plaintext, 'base64').toString(),
      'data key',
    );
  });

  const refusedExchanges: readonly {
    readonly name: string;
    readonly token: () => Promise<string>;
    readonly audience?: string;
    readonly error: string;
  }[] = [
    {
      name: 'an ID token for another audience',
      token: () => idToken('sts.amazonaws.com'),
      error: 'invalid_grant',
    },
    {
      name: 'an expired ID token',
      token: () => idToken(info['tokenAudience'] ?? '', { exp: Math.floor(Date.now() / 1000) - 3600 }),
      error: 'invalid_grant',
    },
    {
      name: 'a token from another repository (attribute condition)',
      token: () => idToken(info['tokenAudience'] ?? '', { repository: 'evil/fork' }),
      error: 'invalid_grant',
    },
    {
      name: 'a token whose signature was tampered with',
      token: async () => {
        const [h, p, s] = (await idToken(info['tokenAudience'] ?? '')).split('.');
        const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
        claims['sub'] = 'repo:octo-org/octo-repo:ref:refs/heads/evil';
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      },
      error: 'invalid_grant',
    },
    {
      name: 'a request for another provider',
      token: () => idToken(info['tokenAudience'] ?? ''),
      audience:
        '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/other/providers/other',
      error: 'invalid_target',
    },
  ];
  for (const { name, token, audience, error } of refusedExchanges) {
    it(`STS refuses ${name}`, async () => {
      const res = await exchange(await token(), audience);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, error);
    });
  }

  it('KMS and IAM refuse what GCP refuses', async () => {
    const token = await federatedToken();
    const plaintext = Buffer.from('x').toString('base64');
    const cases = [
      {
        name: 'no bearer token',
        res: () => kms('encrypt', { plaintext }),
        status: 401,
        reason: 'UNAUTHENTICATED',
      },
      {
        name: 'a token it never issued',
        res: () => kms('encrypt', { plaintext }, 'ya29.forged'),
        status: 401,
        reason: 'UNAUTHENTICATED',
      },
      {
        name: 'an unknown key',
        res: () =>
          kms(
            'encrypt',
            { plaintext },
            token,
            'projects/ksd-test/locations/global/keyRings/ksd/cryptoKeys/nope',
          ),
        status: 404,
        reason: 'NOT_FOUND',
      },
      {
        name: 'a corrupted ciphertext',
        res: () => kms('decrypt', { ciphertext: Buffer.alloc(40, 1).toString('base64') }, token),
        status: 400,
        reason: 'INVALID_ARGUMENT',
      },
      {
        name: 'an unknown service account',
        res: () => impersonate(token, 'nobody@ksd-test.iam.gserviceaccount.com'),
        status: 404,
        reason: 'NOT_FOUND',
      },
    ];
    for (const { name, res, status, reason } of cases) {
      const response = await res();
      assert.equal(response.status, status, name);
      assert.equal(((await response.json()) as { error: { status: string } }).error.status, reason, name);
    }
  });
});
