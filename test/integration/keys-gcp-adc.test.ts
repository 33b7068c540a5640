/**
 * GCP KMS with Google credentials files instead of the OIDC inputs, against the GCP double: a
 * file the real sops wrote (REST client) decrypts with Application Default Credentials of each
 * type (service_account, authorized_user, external_account from a url and from a file), and
 * with the decryption Secret's `sops.gcp-kms` (which wins over ADC), and with ADC's last step,
 * the GCE metadata server (the double plays it through `GCE_METADATA_HOST`), with and without
 * `gcp-service-account`. The double's request log shows which principal each KMS call
 * carried; a key outside gcp-allowed-keys costs no call.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs } from '../support/oidc-run.ts';
import { sopsEncrypt } from '../support/tools.ts';

const PLAINTEXT = 'password: hunter2\nlist:\n    - a\n    - b\n';

interface Logged {
  readonly path: string;
  readonly principal?: string;
  readonly status: number;
}

describe('gcp kms with credentials files (application default credentials, decryption-secret)', () => {
  let gcp: Readonly<Record<string, string>>;
  /** A Flux decryption Secret (data map) whose sops.gcp-kms is the double's service account key. */
  const gcpSecret = (): string =>
    JSON.stringify({ 'sops.gcp-kms': Buffer.from(gcp['serviceAccountKeyJson'] ?? '').toString('base64') });
  let oidc: Readonly<Record<string, string>>;
  let file: string;
  let dir: string;
  let env: Record<string, string>;
  let serviceAccountFile: string;
  let externalUrlFile: string;

  const requests = async (): Promise<Logged[]> =>
    (await (await fetch(gcp['requestsUrl'] ?? '')).json()) as Logged[];

  /** The calls since `from`, as `[path kind, status, principal]`. */
  const callsSince = async (from: number): Promise<[string, number, string][]> =>
    (await requests())
      .slice(from)
      .map((c) => [
        c.path.replace(/^\/v1\/(projects\/-\/serviceAccounts\/[^:]+|projects\/.*)(:\w+)$/, '$2'),
        c.status,
        c.principal ?? '',
      ]);

  before(async () => {
    gcp = await requireComponent('gcp-double');
    oidc = await requireComponent('oidc');
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-gcp-adc-'));
    // sops needs an access token of its own: the service account's, through our own source.
    serviceAccountFile = path.join(dir, 'sa.json');
    await writeFile(serviceAccountFile, gcp['serviceAccountKeyJson'] ?? '', { mode: 0o600 });
    const token = await fetch(`${gcp['kmsEndpoint']}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        ...(JSON.parse(gcp['authorizedUserJson'] ?? '{}') as Record<string, string>),
      }).toString(),
    });
    assert.equal(token.status, 200);
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    file = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--gcp-kms', gcp['keyResourceId'] ?? ''], {
      SOPS_GCP_KMS_CLIENT_TYPE: 'rest',
      SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '',
      GOOGLE_OAUTH_ACCESS_TOKEN: accessToken,
    });
    env = { SOPS_GCP_KMS_ENDPOINT: gcp['kmsEndpoint'] ?? '', HOME: dir };
    // google-github-actions/auth writes this shape: the runner's token URL, JSON "value".
    externalUrlFile = path.join(dir, 'external-url.json');
    await writeFile(
      externalUrlFile,
      JSON.stringify({
        type: 'external_account',
        audience: gcp['stsAudience'],
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: gcp['stsEndpoint'],
        service_account_impersonation_url: `${gcp['iamEndpoint']}/v1/projects/-/serviceAccounts/${gcp['serviceAccount']}:generateAccessToken`,
        credential_source: {
          url: `${oidc['requestUrl']}&audience=${encodeURIComponent(gcp['tokenAudience'] ?? '')}`,
          headers: { Authorization: `Bearer ${oidc['requestToken']}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
      }),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('service_account from GOOGLE_APPLICATION_CREDENTIALS: a signed JWT, then KMS as that account', async () => {
    const from = (await requests()).length;
    const { plaintext, host } = await decryptWithInputs(
      file,
      {},
      { ...env, GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile },
    );
    assert.equal(plaintext, PLAINTEXT);
    const account = `serviceAccount:${gcp['serviceAccount']}`;
    assert.deepEqual(await callsSince(from), [
      ['/token', 200, account],
      [':decrypt', 200, account],
    ]);
    const privateKey = (JSON.parse(gcp['serviceAccountKeyJson'] ?? '{}') as { private_key: string })
      .private_key;
    assert.ok(host.secrets.includes(privateKey), 'the private key is masked');
    assert.ok(
      host.secrets.some((s) => s.startsWith('ya29.double-')),
      'the access token is masked',
    );
  });

  it('authorized_user from the gcloud well-known file under HOME', async () => {
    const gcloud = path.join(dir, '.config', 'gcloud');
    await mkdir(gcloud, { recursive: true });
    await writeFile(
      path.join(gcloud, 'application_default_credentials.json'),
      gcp['authorizedUserJson'] ?? '',
    );
    const from = (await requests()).length;
    const { plaintext, host } = await decryptWithInputs(file, {}, env);
    assert.equal(plaintext, PLAINTEXT);
    const calls = await callsSince(from);
    assert.deepEqual(
      calls.map(([p, s]) => [p, s]),
      [
        ['/token', 200],
        [':decrypt', 200],
      ],
    );
    assert.match(calls[1]?.[2] ?? '', /^user:[0-9a-f]+\.apps\.googleusercontent\.com$/);
    const refresh = (JSON.parse(gcp['authorizedUserJson'] ?? '{}') as { refresh_token: string })
      .refresh_token;
    assert.ok(host.secrets.includes(refresh));
    await rm(path.join(gcloud, 'application_default_credentials.json'));
  });

  it('gcp-service-account is impersonated on top of file credentials too, never ignored', async () => {
    const userFile = path.join(dir, 'authorized-user.json');
    await writeFile(userFile, gcp['authorizedUserJson'] ?? '', { mode: 0o600 });
    const from = (await requests()).length;
    const { plaintext, host } = await decryptWithInputs(
      file,
      { 'gcp-service-account': gcp['serviceAccount'] ?? '' },
      {
        ...env,
        GOOGLE_APPLICATION_CREDENTIALS: userFile,
        KSD_GCP_IAM_ENDPOINT: gcp['iamEndpoint'] ?? '',
      },
    );
    assert.equal(plaintext, PLAINTEXT);
    const calls = await callsSince(from);
    assert.deepEqual(
      calls.map(([p, s]) => [p, s]),
      [
        ['/token', 200],
        [':generateAccessToken', 200],
        [':decrypt', 200],
      ],
    );
    assert.equal(calls[2]?.[2], `serviceAccount:${gcp['serviceAccount']}`);
    assert.ok(
      host.secrets.some((s) => s.startsWith('ya29.double-')),
      'the tokens are masked',
    );
  });

  it('external_account with a url source: STS exchange, then impersonation', async () => {
    const from = (await requests()).length;
    const { plaintext } = await decryptWithInputs(
      file,
      {},
      { ...env, GOOGLE_APPLICATION_CREDENTIALS: externalUrlFile },
    );
    assert.equal(plaintext, PLAINTEXT);
    const calls = await callsSince(from);
    assert.deepEqual(
      calls.map(([p, s]) => [p, s]),
      [
        ['/v1/token', 200],
        [':generateAccessToken', 200],
        [':decrypt', 200],
      ],
    );
    assert.equal(calls[2]?.[2], `serviceAccount:${gcp['serviceAccount']}`);
  });

  it('external_account with a file source and no impersonation uses the federated token', async () => {
    const idToken = await fetch(
      `${oidc['requestUrl']}&audience=${encodeURIComponent(gcp['tokenAudience'] ?? '')}`,
      {
        headers: { authorization: `Bearer ${oidc['requestToken']}` },
      },
    );
    const tokenFile = path.join(dir, 'oidc-token');
    await writeFile(tokenFile, ((await idToken.json()) as { value: string }).value);
    const config = path.join(dir, 'external-file.json');
    await writeFile(
      config,
      JSON.stringify({
        type: 'external_account',
        audience: gcp['stsAudience'],
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: gcp['stsEndpoint'],
        credential_source: { file: tokenFile },
      }),
    );
    const from = (await requests()).length;
    const { plaintext } = await decryptWithInputs(
      file,
      {},
      { ...env, GOOGLE_APPLICATION_CREDENTIALS: config },
    );
    assert.equal(plaintext, PLAINTEXT);
    const calls = await callsSince(from);
    assert.equal(calls.length, 2);
    assert.match(calls[1]?.[2] ?? '', /^federated:repo:octo-org\/octo-repo:/);
  });

  it("the decryption Secret's sops.gcp-kms wins over application default credentials", async () => {
    const from = (await requests()).length;
    const { plaintext } = await decryptWithInputs(
      file,
      { 'decryption-secret': gcpSecret() },
      { ...env, GOOGLE_APPLICATION_CREDENTIALS: externalUrlFile },
    );
    assert.equal(plaintext, PLAINTEXT);
    assert.deepEqual(
      (await callsSince(from)).map(([p]) => p),
      ['/token', ':decrypt'],
    );
  });

  it('static credentials still get no token for a key outside gcp-allowed-keys: no call at all', async () => {
    const evilKey = (gcp['keyResourceId'] ?? '').replace('projects/ksd-test/', 'projects/evil/');
    const evil = path.join(dir, 'evil.yaml');
    await writeFile(evil, (await readFile(file, 'utf8')).replace(gcp['keyResourceId'] ?? '', evilKey));
    const from = (await requests()).length;
    await assert.rejects(
      decryptWithInputs(
        evil,
        {
          'decryption-secret': gcpSecret(),
          'gcp-allowed-keys': gcp['keyResourceId'] ?? '',
        },
        env,
      ),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.report ?? '', /gcp kms key projects\/evil\/\S+ is not in the allowed keys/);
        return true;
      },
    );
    assert.equal((await requests()).length, from);
  });

  it('a key the token endpoint refuses gives a one-line reason without the key', async () => {
    const other = JSON.parse(gcp['serviceAccountKeyJson'] ?? '{}') as Record<string, string>;
    const { generateKeyPairSync } = await import('node:crypto');
    const forged = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const forgedFile = path.join(dir, 'forged.json');
    await writeFile(forgedFile, JSON.stringify({ ...other, private_key: forged }));
    await assert.rejects(
      decryptWithInputs(file, {}, { ...env, GOOGLE_APPLICATION_CREDENTIALS: forgedFile }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /gcp token for service account \S+ failed: HTTP 400 invalid_grant: Invalid JWT Signature\.; the key may be deleted or disabled/,
        );
        assert.ok(!(error.report ?? '').includes(forged.split('\n')[1] ?? 'x'));
        return true;
      },
    );
  });

  it('says what it tried when there are no credentials at all', async () => {
    await assert.rejects(
      decryptWithInputs(file, {}, { ...env, METADATA_SERVER_DETECTION: 'none' }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /no gcp credentials: tried gcp-workload-identity-provider, sops\.gcp-kms, GOOGLE_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_APPLICATION_CREDENTIALS \(none set\), \S+application_default_credentials\.json \(missing\), GCE metadata server off \(METADATA_SERVER_DETECTION=none\); set gcp-workload-identity-provider \(GitHub OIDC\) or GOOGLE_APPLICATION_CREDENTIALS, or give the GCE VM or GKE node \(Workload Identity\) a service account\n/,
        );
        return true;
      },
    );
  });

  describe('the GCE metadata server (a self-hosted runner on a GCE VM or GKE node)', () => {
    const metadataPath = '/computeMetadata/v1/instance/service-accounts/default/token';

    it("decrypts with the instance's service account token", async () => {
      const from = (await requests()).length;
      const { plaintext, host } = await decryptWithInputs(
        file,
        {},
        { ...env, GCE_METADATA_HOST: gcp['metadataHost'] ?? '' },
      );
      assert.equal(plaintext, PLAINTEXT);
      const instance = `serviceAccount:${gcp['instanceServiceAccount']}`;
      assert.deepEqual(await callsSince(from), [
        [metadataPath, 200, instance],
        [':decrypt', 200, instance],
      ]);
      assert.ok(
        host.secrets.some((s) => s.startsWith('ya29.double-')),
        'the metadata token is masked',
      );
    });

    it('GCE_METADATA_IP wins over GCE_METADATA_HOST, as in google-auth-library', async () => {
      const from = (await requests()).length;
      const { plaintext } = await decryptWithInputs(
        file,
        {},
        { ...env, GCE_METADATA_IP: gcp['metadataHost'] ?? '', GCE_METADATA_HOST: '127.0.0.1:1' },
      );
      assert.equal(plaintext, PLAINTEXT);
      assert.equal((await callsSince(from))[0]?.[0], metadataPath);
    });

    it('with gcp-service-account, impersonates that account on top of the instance token', async () => {
      const from = (await requests()).length;
      const { plaintext } = await decryptWithInputs(
        file,
        { 'gcp-service-account': gcp['serviceAccount'] ?? '' },
        {
          ...env,
          GCE_METADATA_HOST: gcp['metadataHost'] ?? '',
          KSD_GCP_IAM_ENDPOINT: gcp['iamEndpoint'] ?? '',
        },
      );
      assert.equal(plaintext, PLAINTEXT);
      const instance = `serviceAccount:${gcp['instanceServiceAccount']}`;
      assert.deepEqual(await callsSince(from), [
        [metadataPath, 200, instance],
        [':generateAccessToken', 200, instance],
        [':decrypt', 200, `serviceAccount:${gcp['serviceAccount']}`],
      ]);
    });

    it('the metadata request without Metadata-Flavor: Google is refused by the double', async () => {
      const url = `http://${gcp['metadataHost']}${metadataPath}`;
      const refused = await fetch(url);
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('metadata-flavor'), 'Google');
      const answered = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' } });
      assert.equal(answered.status, 200);
      assert.equal(answered.headers.get('metadata-flavor'), 'Google');
    });

    /** The no-credentials failure for one metadata host, checked to list every step and no token. */
    const failsWith = async (metadataHost: string, reason: RegExp): Promise<void> => {
      await assert.rejects(
        decryptWithInputs(file, {}, { ...env, GCE_METADATA_HOST: metadataHost }),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          const report = error.report ?? '';
          // The whole reason is on the report's line, up to the usual fixes at its end.
          const line = /- (no gcp credentials: .*)/.exec(report)?.[1] ?? '';
          assert.match(
            line,
            /^no gcp credentials: tried gcp-workload-identity-provider, sops\.gcp-kms, GOOGLE_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_APPLICATION_CREDENTIALS \(none set\), \S+ \(missing\), GCE metadata server http:\/\/127\.0\.0\.1:\d+: .*; set gcp-workload-identity-provider \(GitHub OIDC\) or GOOGLE_APPLICATION_CREDENTIALS, or give the GCE VM or GKE node \(Workload Identity\) a service account$/,
          );
          assert.match(line, reason);
          assert.doesNotMatch(report, /ya29\./);
          return true;
        },
      );
    };

    it('an unreachable metadata server is reported with what usually fixes it', async () => {
      const closed = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });
      await failsWith(
        `127.0.0.1:${closed}`,
        new RegExp(`GCE metadata server http://127\\.0\\.0\\.1:${closed}: unreachable \\(ECONNREFUSED\\);`),
      );
    });

    it('a metadata host that never answers times out after the short metadata timeout', async () => {
      const sockets = new Set<import('node:net').Socket>();
      const silent: Server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      try {
        await failsWith(`127.0.0.1:${port}`, /GCE metadata server \S+: no answer in 1000 ms;/);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('a server that is not a GCE metadata server (no Metadata-Flavor answer) is not trusted', async () => {
      const oidcHost = new URL(oidc['requestUrl'] ?? '').host;
      await failsWith(
        oidcHost,
        /GCE metadata server \S+: HTTP 404 without Metadata-Flavor: Google \(not a metadata server\);/,
      );
    });
  });
});
