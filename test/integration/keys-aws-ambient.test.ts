/**
 * The AWS ambient credential chain (no aws-role-arn, no decryption Secret) against moto, with
 * a file the real sops wrote: instance metadata (moto 5.2.5 serves the IMDSv2 paths, so the
 * chain talks to it for real), container credentials (a small in-test HTTP double: moto has
 * no container agent), a shared-config profile with role_arn + source_profile (AssumeRole on
 * moto), the stanza's aws_profile, and the refusals. A recording fetch shows what was sent.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { createAwsKmsKeySource } from '../../src/keys/aws-kms.ts';
import { DEFAULT_AWS_POLICY } from '../../src/keys/endpoint-policy.ts';
import type { MasterKey } from '../../src/keys/master-key.ts';
import { listenLoopback, sendJson, type LoopbackServer } from '../env/doubles/http-double.ts';
import { requireComponent } from '../env/state.ts';
import { decryptFileWith } from '../support/oidc-run.ts';
import { sopsEncrypt } from '../support/tools.ts';
import type { FetchLike } from '../../src/ports.ts';

const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

interface Sent {
  readonly method: string;
  readonly path: string;
  /** `x-amz-target`, or the query API's Action. */
  readonly action: string;
  readonly authorization: string;
  readonly headers: Readonly<Record<string, string>>;
}

describe('aws kms with the ambient credential chain (moto)', () => {
  let moto: Readonly<Record<string, string>>;
  let dir: string;
  let file: string;
  let container: LoopbackServer;
  const sent: Sent[] = [];

  const recordingFetch: FetchLike = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : '';
    sent.push({
      method: init.method ?? 'GET',
      path: new URL(input).pathname,
      action: headers['x-amz-target'] ?? new URLSearchParams(body).get('Action') ?? '',
      authorization: headers['authorization'] ?? '',
      headers,
    });
    return fetch(input, init);
  };

  /** A source with only `env` (plus moto's endpoint and an empty HOME) as its world. */
  function source(
    env: Readonly<Record<string, string>>,
    host = createMemoryHost(),
  ): ReturnType<typeof createAwsKmsKeySource> {
    return createAwsKmsKeySource({
      env: { AWS_ENDPOINT_URL: moto['endpoint'] ?? '', HOME: dir, ...env },
      policy: DEFAULT_AWS_POLICY,
      mask: (value) => host.setSecret(value),
      fetch: recordingFetch,
    });
  }

  const decrypt = async (
    env: Readonly<Record<string, string>>,
    target = file,
  ): Promise<{ text: string; secrets: readonly string[] }> => {
    const host = createMemoryHost();
    const text = await decryptFileWith([source(env, host)], host, target);
    return { text, secrets: host.secrets };
  };

  before(async () => {
    moto = await requireComponent('moto');
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-aws-ambient-'));
    file = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--kms', moto['kmsKeyArn'] ?? ''], {
      HOME: dir,
      AWS_ENDPOINT_URL: moto['endpoint'] ?? '',
      AWS_ACCESS_KEY_ID: moto['accessKeyId'] ?? '',
      AWS_SECRET_ACCESS_KEY: moto['secretAccessKey'] ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    // The ECS/EKS container agent's API, as the SDKs call it: GET with the authorization token.
    container = await listenLoopback((req, res) => {
      if (req.headers.authorization !== 'container-auth-token-value') {
        sendJson(res, 401, { message: 'unauthorized' });
        return;
      }
      sendJson(res, 200, {
        AccessKeyId: 'AKIACONTAINERCREDS00',
        SecretAccessKey: 'container-secret-access-key',
        Token: 'container-session-token',
        Expiration: new Date(Date.now() + 3600_000).toISOString(),
      });
    });
  });
  after(async () => {
    await container.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('instance metadata (IMDSv2 on moto): a session token first, then the role, then KMS with its keys', async () => {
    sent.length = 0;
    const { text, secrets } = await decrypt({ AWS_EC2_METADATA_SERVICE_ENDPOINT: moto['endpoint'] ?? '' });
    assert.equal(text, PLAINTEXT);
    assert.deepEqual(
      sent.map((s) => [s.method, s.path]),
      [
        ['PUT', '/latest/api/token'],
        ['GET', '/latest/meta-data/iam/security-credentials/'],
        ['GET', '/latest/meta-data/iam/security-credentials/default-role'],
        ['POST', '/'],
      ],
    );
    assert.equal(sent[0]?.headers['x-aws-ec2-metadata-token-ttl-seconds'], '21600');
    assert.equal(sent[1]?.headers['x-aws-ec2-metadata-token'], 'fake-imdsv2-token');
    assert.equal(sent[3]?.action, 'TrentService.Decrypt');
    assert.match(sent[3].authorization, /Credential=test-key\//);
    assert.ok(secrets.includes('test-secret-key') && secrets.includes('test-session-token'));
  });

  it('AWS_EC2_METADATA_DISABLED=true: no metadata call, and the error names every link tried', async () => {
    sent.length = 0;
    await assert.rejects(
      decrypt({
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: moto['endpoint'] ?? '',
      }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the aws-role-arn input \(GitHub OIDC\) or sops\.aws-kms in decryption-secret; tried AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY \(not set\); profile default in .+ \(none\); container credentials \(not set\); instance metadata \(AWS_EC2_METADATA_DISABLED\)/,
        );
        return true;
      },
    );
    assert.deepEqual(sent, []);
  });

  it('no metadata service (as on a GitHub-hosted runner): a short, clear refusal', async () => {
    const closed = await listenLoopback(() => undefined);
    await closed.close();
    await assert.rejects(decrypt({ AWS_EC2_METADATA_SERVICE_ENDPOINT: closed.url }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(
        error.report ?? '',
        new RegExp(
          `; aws instance metadata \\(IMDSv2 at ${closed.url}\\): cannot reach ${closed.url}: ECONNREFUSED`,
        ),
      );
      return true;
    });
  });

  it('container credentials with the authorization token, masked', async () => {
    sent.length = 0;
    const { text, secrets } = await decrypt({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/v2/credentials/abc`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-token-value',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    assert.equal(text, PLAINTEXT);
    assert.deepEqual(
      sent.map((s) => [s.method, s.path]),
      [
        ['GET', '/v2/credentials/abc'],
        ['POST', '/'],
      ],
    );
    assert.match(sent[1]?.authorization ?? '', /Credential=AKIACONTAINERCREDS00\//);
    for (const secret of [
      'container-auth-token-value',
      'container-secret-access-key',
      'container-session-token',
    ])
      assert.ok(secrets.includes(secret), secret);
  });

  it('a container credentials URI to a foreign plain-http host is refused before any call', async () => {
    sent.length = 0;
    await assert.rejects(
      decrypt({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://attacker.example/creds',
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
      (error: unknown) =>
        error instanceof UserError &&
        /AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the container agent/.test(
          error.report ?? '',
        ),
    );
    assert.deepEqual(sent, []);
  });

  it('a shared-config profile with role_arn and source_profile assumes the role with the source keys', async () => {
    const config = path.join(dir, 'config');
    const credentials = path.join(dir, 'credentials');
    await writeFile(
      config,
      `[profile deploy]\nrole_arn = ${moto['roleArn']}\nsource_profile = base\nregion = us-east-1\n`,
    );
    await writeFile(
      credentials,
      '[base]\naws_access_key_id = AKIABASEPROFILE00000\naws_secret_access_key = base-profile-secret\n',
    );
    sent.length = 0;
    const { text, secrets } = await decrypt({
      AWS_PROFILE: 'deploy',
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    assert.equal(text, PLAINTEXT);
    assert.deepEqual(
      sent.map((s) => s.action),
      ['AssumeRole', 'TrentService.Decrypt'],
    );
    assert.match(sent[0]?.authorization ?? '', /Credential=AKIABASEPROFILE00000\/\d+\/us-east-1\/sts\//);
    assert.doesNotMatch(sent[1]?.authorization ?? '', /AKIABASEPROFILE00000/);
    assert.ok(secrets.includes('base-profile-secret'));
  });

  it("honours the stanza's aws_profile when configured, and falls back to the chain when the runner lacks it", async () => {
    const credentials = path.join(dir, 'credentials-stanza');
    await writeFile(
      credentials,
      '[ci]\naws_access_key_id = AKIASTANZAPROFILE000\naws_secret_access_key = stanza-secret\n',
    );
    const meta = (parse(await readFile(file, 'utf8')) as { sops: { kms: { arn: string; enc: string }[] } })
      .sops;
    const stanza = (awsProfile: string): MasterKey => ({
      type: 'kms',
      arn: meta.kms[0]?.arn ?? '',
      context: {},
      enc: meta.kms[0]?.enc ?? '',
      awsProfile,
    });
    const kms = source({
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00000',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    sent.length = 0;
    assert.equal((await kms.decrypt(stanza('ci')))?.length, 32);
    assert.match(sent[0]?.authorization ?? '', /Credential=AKIASTANZAPROFILE000\//);
    sent.length = 0;
    assert.equal((await kms.decrypt(stanza('laptop-only')))?.length, 32);
    assert.match(sent[0]?.authorization ?? '', /Credential=AKIAENVIRONMENT00000\//);
  });

  it('an SSO profile is refused as unsupported, naming the profile and what to use instead', async () => {
    const config = path.join(dir, 'config-sso');
    await writeFile(
      config,
      '[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n',
    );
    sent.length = 0;
    await assert.rejects(
      decrypt({ AWS_PROFILE: 'sso', AWS_CONFIG_FILE: config, AWS_EC2_METADATA_DISABLED: 'true' }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /aws profile "sso" \(.*config-sso\) uses sso, which is not supported; use static keys or role_arn with source_profile, or the aws-role-arn input/,
        );
        return true;
      },
    );
    assert.deepEqual(sent, []);
  });
});
