/**
 * moto, the AWS service mock, as a server on loopback: KMS Encrypt/Decrypt (with
 * EncryptionContext) for sops' AWS KMS key type and STS AssumeRoleWithWebIdentity for the
 * OIDC flow. Installed from PyPI into its own venv under the tools cache.
 *
 * moto does not check SigV4 signatures or web identity tokens, so any credentials and any
 * JWT are accepted; tests that need the trust check itself use Vault or the GCP double.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { cacheRoot } from '../paths.ts';
import { envLog, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';

const run = promisify(execFile);

/** The pinned moto release (PyPI). */
export const MOTO_VERSION = '5.2.5';
const venv = path.join(cacheRoot, 'tools', 'moto');
const marker = path.join(venv, 'installed-version');
const REGION = 'us-east-1';
/** moto's default account. */
const ACCOUNT_ID = '123456789012';
const ROLE_NAME = 'ksd-deploy';

/**
 * Calls one AWS API action on moto. moto routes by the credential scope of the Authorization
 * header and ignores the signature, so a syntactically valid header is enough.
 */
async function awsCall(
  endpoint: string,
  service: string,
  request: {
    readonly target?: string;
    readonly json?: unknown;
    readonly form?: Readonly<Record<string, string>>;
  },
): Promise<unknown> {
  const headers: Record<string, string> = {
    authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    'x-amz-date': '20250101T000000Z',
  };
  let body: string;
  if (request.target !== undefined) {
    headers['x-amz-target'] = request.target;
    headers['content-type'] = 'application/x-amz-json-1.1';
    body = JSON.stringify(request.json ?? {});
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form ?? {}).toString();
  }
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `moto ${service} ${request.target ?? request.form?.['Action'] ?? ''} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  return request.target !== undefined ? (JSON.parse(text) as unknown) : text;
}

/** The `moto` component: info `{endpoint, region, accountId, kmsKeyArn, kmsKeyId, roleArn, accessKeyId, secretAccessKey}`. */
export const moto: Component = {
  name: 'moto',

  async install(): Promise<void> {
    if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === MOTO_VERSION) return;
    const t0 = Date.now();
    rmSync(venv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', venv]);
    await run(
      path.join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    writeFileSync(marker, `${MOTO_VERSION}\n`);
    envLog(
      `moto: installed moto[server]==${MOTO_VERSION} into ${venv} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  },

  async start(): Promise<Started> {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const server = spawnServer({
      name: 'moto',
      command: path.join(venv, 'bin', 'moto_server'),
      args: ['-H', '127.0.0.1', '-p', String(port)],
    });
    try {
      await waitUntilReady(server, 'moto', async () => (await fetch(`${endpoint}/moto-api/`)).ok);
      const created = (await awsCall(endpoint, 'kms', {
        target: 'TrentService.CreateKey',
        json: {
          Description: 'kustomize-sops-deploy tests',
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
        },
      })) as { KeyMetadata: { Arn: string; KeyId: string } };
      // A role that trusts the GitHub issuer, so tests can use a realistic role ARN.
      const trust = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      };
      await awsCall(endpoint, 'iam', {
        form: {
          Action: 'CreateRole',
          Version: '2010-05-08',
          RoleName: ROLE_NAME,
          AssumeRolePolicyDocument: JSON.stringify(trust),
        },
      });
      return {
        info: {
          endpoint,
          region: REGION,
          accountId: ACCOUNT_ID,
          kmsKeyArn: created.KeyMetadata.Arn,
          kmsKeyId: created.KeyMetadata.KeyId,
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`,
          // moto accepts any credentials; these make the AWS SDKs skip their credential chain.
          accessKeyId: 'AKIAKSDTESTTESTTEST0',
          secretAccessKey: 'ksd-test-secret-access-key',
          logFile: server.logFile,
        },
        stop: () => server.stop(),
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};
