/**
 * The bundled Action with a Flux decryption Secret whose `sops.aws-kms` holds static AWS keys,
 * against moto and a file the real sops wrote: the keys reach the KMS source as typed static
 * credentials (never a file), the secret key is masked, and the allowlist still refuses a key
 * the workflow did not allow.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireComponent } from '../env/state.ts';
import { runAction, withoutMaskCommands } from '../support/run-dist.ts';
import { sopsEncrypt } from '../support/tools.ts';

const CANARY = 'canary-cloud-secret-7d1e';
const SECRET_KEY = 'aws-secret-canary-0f3a9c';

describe('the Action with sops.aws-kms in decryption-secret (moto)', () => {
  let moto: Readonly<Record<string, string>>;
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  let secret: string;

  before(async () => {
    moto = await requireComponent('moto');
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-cloud-secret-'));
    file = await sopsEncrypt(`token: ${CANARY}\n`, 'secret.yaml', ['--kms', moto['kmsKeyArn'] ?? ''], {
      HOME: dir,
      AWS_ENDPOINT_URL: moto['endpoint'] ?? '',
      AWS_ACCESS_KEY_ID: moto['accessKeyId'] ?? '',
      AWS_SECRET_ACCESS_KEY: moto['secretAccessKey'] ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    // No ambient credentials at all: only the Secret can supply them.
    env = {
      HOME: dir,
      AWS_ENDPOINT_URL: moto['endpoint'] ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    };
    const credentials = `aws_access_key_id: ${moto['accessKeyId']}\naws_secret_access_key: ${SECRET_KEY}\n`;
    secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-aws\ndata:\n  sops.aws-kms: ${Buffer.from(credentials).toString('base64')}\n`;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('decrypts with the static keys, masked at once', async () => {
    const out = path.join(dir, 'plain.yaml');
    const got = await runAction({ command: 'decrypt', file, output: out, 'decryption-secret': secret }, env);
    assert.equal(got.code, 0, got.stdout.toString());
    assert.equal(await readFile(out, 'utf8'), `token: ${CANARY}\n`);
    const stdout = got.stdout.toString();
    assert.ok(stdout.includes(`::add-mask::${SECRET_KEY}`), 'the secret key is masked');
    assert.match(stdout, /decryption-secret: 0 age, 0 OpenPGP, AWS keys/);
    for (const channel of [withoutMaskCommands(stdout), got.stderr, got.outputs, got.summary]) {
      assert.ok(!channel.includes(SECRET_KEY) && !channel.includes(CANARY));
    }
  });

  test('a key outside aws-allowed-keys gets nothing, whatever the credentials', async () => {
    const got = await runAction(
      {
        command: 'decrypt',
        file,
        output: path.join(dir, 'refused.yaml'),
        'decryption-secret': secret,
        'aws-allowed-keys': 'arn:aws:kms:us-east-1:999999999999:key/*',
      },
      env,
    );
    assert.equal(got.code, 1);
    assert.match(got.stdout.toString(), /is not in the allowed keys or accounts; add it to aws-allowed-keys/);
    assert.ok(!withoutMaskCommands(got.stdout.toString()).includes(SECRET_KEY));
  });
});
