/**
 * AWS KMS with credentials from the GitHub OIDC token (AssumeRoleWithWebIdentity), against
 * moto: files the real sops wrote decrypt through our decrypt with only the OIDC token
 * variables; a recording proxy shows the exchange, the signed KMS call, and that a run with
 * many files makes one exchange and one unwrap per distinct ciphertext. (moto accepts any
 * web identity token; refusals are covered by test/unit/keys/aws-oidc.test.ts.)
 */
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { readClaims } from '../../src/keys/id-token.ts';
import { listenLoopback, type LoopbackServer } from '../env/doubles/http-double.ts';
import { requireComponent } from '../env/state.ts';
import { decryptFileWith, decryptWithInputs, oidcEnv, runKeySources } from '../support/oidc-run.ts';
import { sopsEncrypt } from '../support/tools.ts';

const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

interface Recorded {
  readonly action: string;
  readonly form: URLSearchParams;
  readonly authorization: string;
}

describe('aws kms with github oidc web identity', () => {
  let moto: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let proxy: LoopbackServer;
  const recorded: Recorded[] = [];
  let file: string;
  let inputs: Record<string, string>;

  before(async () => {
    moto = await requireComponent('moto');
    oidc = await requireComponent('oidc');
    proxy = await listenLoopback(async (req, res, body) => {
      recorded.push({
        action: req.headers['x-amz-target']?.toString() ?? new URLSearchParams(body).get('Action') ?? '',
        form: new URLSearchParams(body),
        authorization: req.headers['authorization'] ?? '',
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
          headers[name] = value;
      }
      const answer = await fetch(`${moto['endpoint'] ?? ''}${req.url ?? '/'}`, {
        method: 'POST',
        headers,
        body,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
      res.end(await answer.text());
    });
    file = await sopsEncrypt(
      PLAINTEXT,
      'secret.yaml',
      ['--kms', moto['kmsKeyArn'] ?? '', '--encryption-context', 'app:ksd'],
      {
        AWS_ENDPOINT_URL: moto['endpoint'] ?? '',
        AWS_ACCESS_KEY_ID: moto['accessKeyId'] ?? '',
        AWS_SECRET_ACCESS_KEY: moto['secretAccessKey'] ?? '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    );
    inputs = { 'aws-role-arn': moto['roleArn'] ?? '', 'aws-allowed-accounts': moto['accountId'] ?? '' };
  });
  after(() => proxy.close());

  it('decrypts a file the real sops wrote with credentials from AssumeRoleWithWebIdentity', async () => {
    recorded.length = 0;
    const { plaintext, host } = await decryptWithInputs(file, inputs, {
      AWS_ENDPOINT_URL: proxy.url,
      GITHUB_RUN_ID: '777',
      ...(await oidcEnv(oidc)),
    });
    assert.equal(plaintext, PLAINTEXT);
    assert.deepEqual(
      recorded.map((r) => r.action),
      ['AssumeRoleWithWebIdentity', 'TrentService.Decrypt'],
    );
    const exchange = recorded[0]!;
    const decrypt = recorded[1]!;
    assert.equal(exchange.authorization, '', 'the exchange is not signed');
    assert.equal(exchange.form.get('RoleArn'), moto['roleArn']);
    assert.equal(exchange.form.get('RoleSessionName'), 'kustomize-sops-deploy-777');
    assert.equal(readClaims(exchange.form.get('WebIdentityToken') ?? '').aud, 'sts.amazonaws.com');
    // KMS is signed with the temporary key STS issued, not with anything from the environment.
    const keyId = /Credential=([^/]+)\//.exec(decrypt.authorization)?.[1] ?? '';
    assert.match(keyId, /^[A-Z0-9]{16,}$/);
    assert.notEqual(keyId, moto['accessKeyId']);
    assert.ok(host.secrets.includes(exchange.form.get('WebIdentityToken') ?? '-'), 'the ID token is masked');
  });

  it('makes one exchange and one unwrap for many files that share a data key', async () => {
    const copies = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const copy = `${file}.${i}.yaml`;
        await copyFile(file, copy);
        return copy;
      }),
    );
    recorded.length = 0;
    const { keySources, host } = await runKeySources(inputs, {
      AWS_ENDPOINT_URL: proxy.url,
      ...(await oidcEnv(oidc)),
    });
    const plaintexts = await Promise.all(copies.map((copy) => decryptFileWith(keySources, host, copy)));
    assert.ok(plaintexts.every((p) => p === PLAINTEXT));
    assert.deepEqual(
      recorded.map((r) => r.action),
      ['AssumeRoleWithWebIdentity', 'TrentService.Decrypt'],
    );
  });

  it('a PR that points the stanza at a key in another account gets nothing: no call at all', async () => {
    const evilArn = (moto['kmsKeyArn'] ?? '').replace(moto['accountId'] ?? '', '999999999999');
    const evil = `${file}.evil.yaml`;
    await writeFile(evil, (await readFile(file, 'utf8')).replace(moto['kmsKeyArn'] ?? '', evilArn));
    recorded.length = 0;
    await assert.rejects(
      decryptWithInputs(evil, inputs, { AWS_ENDPOINT_URL: proxy.url, ...(await oidcEnv(oidc)) }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /kms key arn:aws:kms:us-east-1:999999999999:key\/\S+ is not in the allowed keys or accounts/,
        );
        return true;
      },
    );
    assert.equal(recorded.length, 0);
  });
});
