/**
 * The AWS KMS key source against moto, with files written by the real sops 3.13: sops
 * encrypts to a KMS key (with an encryption context, and through an assumed role) and to an
 * age key; the data key our source recovers must be the one age recovers, and it must open
 * the file (the MAC verifies). A recording proxy in front of moto shows what was sent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Decrypter, armor } from 'age-encryption';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.ts';
import {
  buggyContextVariants,
  createAwsKmsKeySource,
  parseSharedCredentials,
  roleSessionName,
} from '../../src/keys/aws-kms.ts';
import { signRequest } from '../../src/keys/aws-sigv4.ts';
import { DEFAULT_AWS_POLICY, parseAwsPolicy, type AwsPolicy } from '../../src/keys/endpoint-policy.ts';
import type { MasterKey } from '../../src/keys/master-key.ts';
import { decryptText } from '../../src/sops/decrypt.ts';
import { listenLoopback, type LoopbackServer } from '../env/doubles/http-double.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

interface Recorded {
  readonly target: string;
  readonly body: string;
  readonly authorization: string;
}

/** sops's stanzas as written, read with the yaml package (not our own parser). */
interface SopsMeta {
  readonly kms: {
    arn: string;
    role?: string;
    context?: Record<string, string>;
    enc: string;
    aws_profile?: string;
  }[];
  readonly age: { recipient: string; enc: string }[];
}

function kmsStanza(meta: SopsMeta, overrides: Partial<Extract<MasterKey, { type: 'kms' }>> = {}): MasterKey {
  const stanza = meta.kms[0]!;
  return {
    type: 'kms',
    arn: stanza.arn,
    ...(stanza.role === undefined ? {} : { role: stanza.role }),
    context: stanza.context ?? {},
    enc: stanza.enc,
    ...overrides,
  };
}

describe('aws kms key source against moto and the real sops', () => {
  let info: Readonly<Record<string, string>>;
  let dir: string;
  let proxy: LoopbackServer;
  const recorded: Recorded[] = [];
  let identity: string;
  let recipient: string;

  before(async () => {
    info = await requireComponent('moto');
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-keys-aws-'));
    const keygen = await run(toolPath('age-keygen'), []);
    identity = keygen.stdout.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    recipient = /public key: (age1\S+)/.exec(keygen.stdout)![1]!;
    // Forwards to moto and records each call, so the tests can see what our source sent.
    proxy = await listenLoopback(async (req, res, body) => {
      recorded.push({
        target: req.headers['x-amz-target']?.toString() ?? new URLSearchParams(body).get('Action') ?? '',
        body,
        authorization: req.headers['authorization'] ?? '',
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (
          typeof value === 'string' &&
          name !== 'host' &&
          name !== 'content-length' &&
          name !== 'connection'
        )
          headers[name] = value;
      }
      const answer = await fetch(`${info['endpoint']!}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        body,
      });
      const text = await answer.text();
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    });
  });
  after(async () => {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Only what sops needs: no real AWS config or metadata service can leak in. */
  function awsEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      AWS_ENDPOINT_URL: info['endpoint']!,
      AWS_ACCESS_KEY_ID: info['accessKeyId']!,
      AWS_SECRET_ACCESS_KEY: info['secretAccessKey']!,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  async function sopsEncrypt(
    name: string,
    args: readonly string[],
  ): Promise<{ text: string; meta: SopsMeta }> {
    const plain = path.join(dir, `plain-${name}`);
    await writeFile(plain, PLAINTEXT);
    const { stdout } = await run(
      toolPath('sops'),
      [
        '--disable-version-check',
        'encrypt',
        '--input-type',
        'yaml',
        '--output-type',
        'yaml',
        ...args,
        '--age',
        recipient,
        plain,
      ],
      { env: awsEnv() },
    );
    return { text: stdout, meta: (parse(stdout) as { sops: SopsMeta }).sops };
  }

  async function ageDataKey(meta: SopsMeta): Promise<Uint8Array> {
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    return decrypter.decrypt(armor.decode(meta.age[0]!.enc));
  }

  function source(policy: AwsPolicy, masked: string[] = [], env: Record<string, string> = {}) {
    return createAwsKmsKeySource({
      env: {
        AWS_ACCESS_KEY_ID: info['accessKeyId']!,
        AWS_SECRET_ACCESS_KEY: info['secretAccessKey']!,
        AWS_ENDPOINT_URL: proxy.url,
        HOME: dir,
        ...env,
      },
      policy,
      mask: (value) => masked.push(value),
      hostname: () => 'runner-fv-az123.internal_1',
    });
  }

  it('recovers the data key sops encrypted with a context, the same one age recovers', async () => {
    const { text, meta } = await sopsEncrypt('context.yaml', [
      '--kms',
      info['kmsKeyArn']!,
      '--encryption-context',
      'env:test,app:ksd',
    ]);
    assert.deepEqual(meta.kms[0]!.context, { app: 'ksd', env: 'test' });
    const masked: string[] = [];
    recorded.length = 0;
    const kms = source(DEFAULT_AWS_POLICY, masked);
    const dataKey = await kms.decrypt(kmsStanza(meta));
    assert.ok(dataKey !== null);
    assert.equal(dataKey.length, 32);
    assert.deepEqual(dataKey, await ageDataKey(meta));

    assert.equal(recorded.length, 1);
    const call = recorded[0]!;
    assert.equal(call.target, 'TrentService.Decrypt');
    assert.deepEqual(JSON.parse(call.body), {
      KeyId: info['kmsKeyArn'],
      CiphertextBlob: meta.kms[0]!.enc,
      EncryptionContext: { app: 'ksd', env: 'test' },
    });
    assert.match(
      call.authorization,
      new RegExp(`Credential=${info['accessKeyId']!}/\\d{8}/us-east-1/kms/aws4_request`),
    );
    assert.ok(masked.includes(info['secretAccessKey']!), 'the secret key is masked');
    assert.ok(masked.includes(Buffer.from(dataKey).toString('base64')), 'the plaintext data key is masked');

    // And the whole file opens with only this source: the MAC verifies with that key.
    const doc = await decryptText(text, 'yaml', { keySources: [source(DEFAULT_AWS_POLICY)] });
    assert.ok(doc.branches.length > 0);
  });

  it('fails with the status and the AWS error when the context is wrong, naming the key', async () => {
    const { meta } = await sopsEncrypt('wrong-context.yaml', [
      '--kms',
      info['kmsKeyArn']!,
      '--encryption-context',
      'env:test',
    ]);
    await assert.rejects(
      source(DEFAULT_AWS_POLICY).decrypt(kmsStanza(meta, { context: { env: 'prod' } })),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.equal(error.code, 'KEY_SOURCE');
        assert.match(
          error.message,
          new RegExp(
            `^kms decrypt with ${info['kmsKeyArn']!.replace(/[/]/g, '\\/')} failed: HTTP 400 InvalidCiphertextException`,
          ),
        );
        assert.doesNotMatch(error.message, new RegExp(meta.kms[0]!.enc.slice(0, 20).replace(/[+/]/g, '.')));
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  });

  it('assumes the stanza role through STS (as sops names the session) when the policy allows it', async () => {
    const { meta } = await sopsEncrypt('role.yaml', ['--kms', `${info['kmsKeyArn']!}+${info['roleArn']!}`]);
    assert.equal(meta.kms[0]!.role, info['roleArn']);
    recorded.length = 0;
    const masked: string[] = [];
    const kms = source(parseAwsPolicy({ roles: [info['roleArn']!] }), masked);
    const dataKey = await kms.decrypt(kmsStanza(meta));
    assert.deepEqual(dataKey, await ageDataKey(meta));
    assert.deepEqual(
      recorded.map((r) => r.target),
      ['AssumeRole', 'TrentService.Decrypt'],
    );
    const form = new URLSearchParams(recorded[0]!.body);
    assert.equal(form.get('RoleArn'), info['roleArn']);
    // sops strips [^a-zA-Z0-9=,.@-_]: '-' goes, '_' stays.
    assert.equal(form.get('RoleSessionName'), 'sops@runnerfvaz123.internal_1');
    assert.equal(form.get('Version'), '2011-06-15');
    assert.match(recorded[0]!.authorization, /\/us-east-1\/sts\/aws4_request/);
    // The Decrypt call is signed with the temporary credentials, which were masked.
    const tempKeyId = /Credential=([^/]+)\//.exec(recorded[1]!.authorization)![1]!;
    assert.notEqual(tempKeyId, info['accessKeyId']);
    assert.ok(masked.length >= 4, 'secret key, temporary secret, session token and data key are masked');

    // A second stanza with the same role reuses the assumed credentials.
    recorded.length = 0;
    await kms.decrypt(kmsStanza(meta));
    assert.deepEqual(
      recorded.map((r) => r.target),
      ['TrentService.Decrypt'],
    );
  });

  it('refuses the same role stanza without a role policy, and sends nothing', async () => {
    const { meta } = await sopsEncrypt('role-refused.yaml', [
      '--kms',
      `${info['kmsKeyArn']!}+${info['roleArn']!}`,
    ]);
    recorded.length = 0;
    await assert.rejects(
      source(DEFAULT_AWS_POLICY).decrypt(kmsStanza(meta)),
      /roles named in sops files are assumed only when configured; add it to aws-allowed-roles/,
    );
    assert.equal(recorded.length, 0);
  });

  it('recovers a data key encrypted with the sops < 3.3.0 context bug', async () => {
    // What old sops did: every context key carried one of the values.
    const dataKey = new Uint8Array(32).fill(7);
    const url = new URL(`${info['endpoint']!}/`);
    const body = JSON.stringify({
      KeyId: info['kmsKeyArn'],
      Plaintext: Buffer.from(dataKey).toString('base64'),
      EncryptionContext: { a: 'second', b: 'second' },
    });
    const signed = signRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body,
      region: 'us-east-1',
      service: 'kms',
      credentials: { accessKeyId: info['accessKeyId']!, secretAccessKey: info['secretAccessKey']! },
      now: new Date(),
    });
    const answer = await fetch(url, { method: 'POST', headers: signed.headers, body });
    assert.equal(answer.status, 200);
    const { CiphertextBlob } = (await answer.json()) as { CiphertextBlob: string };
    const key: MasterKey = {
      type: 'kms',
      arn: info['kmsKeyArn']!,
      context: { a: 'first', b: 'second' },
      enc: CiphertextBlob,
    };
    assert.deepEqual(await source(DEFAULT_AWS_POLICY).decrypt(key), dataKey);
  });

  it('uses the stanza aws_profile from the shared credentials file, and says so when it is missing', async () => {
    const { meta } = await sopsEncrypt('profile.yaml', ['--kms', info['kmsKeyArn']!]);
    const credentialsFile = path.join(dir, 'credentials');
    await writeFile(
      credentialsFile,
      `[default]\naws_access_key_id = AKIADEFAULTDEFAULT00\naws_secret_access_key = default-secret\n\n[ci]\naws_access_key_id = AKIAPROFILEPROFILE00\naws_secret_access_key = profile-secret\n`,
    );
    const masked: string[] = [];
    const kms = createAwsKmsKeySource({
      env: { AWS_ENDPOINT_URL: proxy.url, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
      policy: DEFAULT_AWS_POLICY,
      mask: (value) => masked.push(value),
      readFile: (file) => readFile(file, 'utf8'),
    });
    recorded.length = 0;
    assert.deepEqual(await kms.decrypt(kmsStanza(meta, { awsProfile: 'ci' })), await ageDataKey(meta));
    assert.match(recorded[0]!.authorization, /Credential=AKIAPROFILEPROFILE00\//);
    assert.ok(masked.includes('profile-secret'));
    // Without a stanza profile and without AWS_* variables, the default profile is used.
    recorded.length = 0;
    await kms.decrypt(kmsStanza(meta));
    assert.match(recorded[0]!.authorization, /Credential=AKIADEFAULTDEFAULT00\//);
    // A profile the runner does not have (a laptop's) falls back to the chain: here, default.
    recorded.length = 0;
    await kms.decrypt(kmsStanza(meta, { awsProfile: 'laptop-only' }));
    assert.match(recorded[0]!.authorization, /Credential=AKIADEFAULTDEFAULT00\//);
  });

  it('says plainly when there are no credentials at all', async () => {
    const kms = createAwsKmsKeySource({
      env: { AWS_ENDPOINT_URL: proxy.url },
      policy: DEFAULT_AWS_POLICY,
      mask: () => undefined,
    });
    recorded.length = 0;
    await assert.rejects(
      kms.decrypt({ type: 'kms', arn: info['kmsKeyArn']!, context: {}, enc: 'AAAA' }),
      /^UserError: no aws credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    assert.equal(recorded.length, 0);
    assert.match(kms.locations.join('\n'), /AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY \(not set\)/);
  });

  it('reports a network failure with the endpoint, not a stack', async () => {
    const closed = await listenLoopback(() => undefined);
    await closed.close();
    const kms = createAwsKmsKeySource({
      env: { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_KMS: closed.url },
      policy: DEFAULT_AWS_POLICY,
      mask: () => undefined,
    });
    await assert.rejects(
      kms.decrypt({ type: 'kms', arn: info['kmsKeyArn']!, context: {}, enc: 'AAAA' }),
      new RegExp(`^UserError: aws kms: cannot reach ${closed.url.replace(/[.]/g, '\\.')}: ECONNREFUSED`),
    );
  });
});

describe('aws kms helpers', () => {
  const sessionNames: ReadonlyArray<readonly [string, string]> = [
    ['runner', 'sops@runner'],
    ['fv-az123-456.cloudapp.net', 'sops@fvaz123456.cloudapp.net'],
    ['host with spaces/and:colons', 'sops@hostwithspacesandcolons'],
    ['x'.repeat(80), `sops@${'x'.repeat(59)}`],
  ];
  for (const [host, expected] of sessionNames) {
    it(`names the role session for ${host.slice(0, 30)} as sops does`, () => {
      assert.equal(roleSessionName(host), expected);
    });
  }

  it('builds the context variants of RecoverDataKeyFromBuggyKMS', () => {
    assert.deepEqual(buggyContextVariants({ a: '1', b: '2' }), [
      { a: '1', b: '1' },
      { a: '2', b: '2' },
    ]);
    assert.deepEqual(buggyContextVariants({ a: '1', b: '1' }), []);
    assert.deepEqual(buggyContextVariants({ a: '1' }), []);
  });

  it('reads profiles from a shared credentials file', () => {
    const sections = parseSharedCredentials(
      '# c\n[default]\naws_access_key_id=A\n; c\n[profile ci]\n AWS_Secret_Access_Key = B \n',
    );
    assert.equal(sections.get('default')?.get('aws_access_key_id'), 'A');
    assert.equal(sections.get('ci')?.get('aws_secret_access_key'), 'B');
  });
});
