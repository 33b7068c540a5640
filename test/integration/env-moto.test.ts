/**
 * The moto component works with the real sops: AWS KMS with static credentials, with an
 * encryption context, and through STS AssumeRoleWithWebIdentity with a token from the OIDC
 * issuer, which is the path the action takes on a runner.
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
const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

describe('moto component', () => {
  let info: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let dir: string;

  before(async () => {
    info = await requireComponent('moto');
    oidc = await requireComponent('oidc');
    // The real sops these tests drive is built by global setup too.
    await requireComponent('cli-tools');
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-env-moto-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Only what sops needs: no real AWS config or metadata service can leak in. */
  function awsEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'],
      HOME: dir,
      AWS_ENDPOINT_URL: info['endpoint'],
      AWS_REGION: info['region'],
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  async function sops(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
    const { stdout } = await run(toolPath('sops'), args, { cwd: dir, env });
    return stdout;
  }

  const staticCredentials = (): Readonly<Record<string, string>> => ({
    AWS_ACCESS_KEY_ID: info['accessKeyId'] ?? '',
    AWS_SECRET_ACCESS_KEY: info['secretAccessKey'] ?? '',
  });

  const cases = [
    { name: 'plain KMS key', extraArgs: [] as string[] },
    { name: 'KMS key with an encryption context', extraArgs: ['--encryption-context', 'app:ksd,env:test'] },
  ];
  for (const { name, extraArgs } of cases) {
    it(`sops encrypts and decrypts with a ${name}`, async () => {
      const file = path.join(dir, `${name.replaceAll(' ', '-')}.yaml`);
      writeFileSync(file, PLAINTEXT);
      const env = awsEnv(staticCredentials());
      const encrypted = await sops(['-e', '--kms', info['kmsKeyArn'] ?? '', ...extraArgs, file], env);
      assert.match(encrypted, new RegExp(`arn: ${info['kmsKeyArn']}`));
      assert.doesNotMatch(encrypted, /hunter2/);
      if (extraArgs.length > 0) assert.match(encrypted, /context:\n\s+app: ksd/);
      const encFile = `${file}.enc.yaml`;
      writeFileSync(encFile, encrypted);
      assert.equal(await sops(['-d', encFile], env), PLAINTEXT);
    });
  }

  it('KMS Decrypt refuses a ciphertext under the wrong encryption context', async () => {
    const call = async (target: string, body: unknown): Promise<Response> =>
      fetch(`${info['endpoint']}/`, {
        method: 'POST',
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${info['region']}/kms/aws4_request, SignedHeaders=host, Signature=0`,
          'x-amz-target': `TrentService.${target}`,
          'content-type': 'application/x-amz-json-1.1',
        },
        body: JSON.stringify(body),
      });
    const encrypted = await call('Encrypt', {
      KeyId: info['kmsKeyArn'],
      Plaintext: Buffer.from('data key').toString('base64'),
      EncryptionContext: { app: 'ksd' },
    });
    assert.equal(encrypted.status, 200);
    const { CiphertextBlob } = (await encrypted.json()) as { CiphertextBlob: string };
    const good = await call('Decrypt', { CiphertextBlob, EncryptionContext: { app: 'ksd' } });
    assert.equal(good.status, 200);
    assert.equal(
      Buffer.from(((await good.json()) as { Plaintext: string }).Plaintext, 'base64').toString(),
      'data key',
    );
    const bad = await call('Decrypt', { CiphertextBlob, EncryptionContext: { app: 'other' } });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /InvalidCiphertextException/);
  });

  it('sops decrypts with credentials from AssumeRoleWithWebIdentity and a GitHub OIDC token', async () => {
    const res = await fetch(`${oidc['requestUrl']}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${oidc['requestToken']}` },
    });
    assert.equal(res.status, 200);
    const { value } = (await res.json()) as { value: string };
    const tokenFile = path.join(dir, 'web-identity-token');
    writeFileSync(tokenFile, value);

    const file = path.join(dir, 'oidc.yaml');
    writeFileSync(file, PLAINTEXT);
    writeFileSync(
      `${file}.enc.yaml`,
      await sops(['-e', '--kms', info['kmsKeyArn'] ?? '', file], awsEnv(staticCredentials())),
    );
    const env = awsEnv({
      AWS_ROLE_ARN: info['roleArn'] ?? '',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_SESSION_NAME: 'ksd',
      // The SDK's web identity provider builds its STS client without the global AWS_ENDPOINT_URL.
      AWS_ENDPOINT_URL_STS: info['endpoint'] ?? '',
    });
    // No static key in this environment: only the web identity exchange can give sops credentials.
    assert.equal(await sops(['-d', `${file}.enc.yaml`], env), PLAINTEXT);
  });

  it('STS AssumeRoleWithWebIdentity answers with temporary credentials for the role', async () => {
    const res = await fetch(`${oidc['requestUrl']}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${oidc['requestToken']}` },
    });
    const { value } = (await res.json()) as { value: string };
    const sts = await fetch(`${info['endpoint']}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: info['roleArn'] ?? '',
        RoleSessionName: 'ksd',
        WebIdentityToken: value,
      }).toString(),
    });
    const xml = await sts.text();
    assert.equal(sts.status, 200, xml);
    assert.match(xml, /<AccessKeyId>[A-Z0-9]+<\/AccessKeyId>/);
    assert.match(xml, new RegExp(`<Arn>arn:aws:sts::${info['accountId']}:assumed-role/`));
  });
});
