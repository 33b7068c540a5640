/**
 * The GCE metadata server step of GCP Application Default Credentials, with a fake fetch:
 * where it asks (GCE_METADATA_IP / GCE_METADATA_HOST / the opt-outs), what it trusts (only
 * answers carrying `Metadata-Flavor: Google`), that a failure is paid once per run and a
 * token reused until shortly before it expires, and that impersonation's refusal names the
 * role the instance's account lacks. The real wire path is in keys-gcp-adc.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { gceMetadataTarget } from '../../../src/keys/gcp-credentials.ts';
import { createGcpKmsKeySource } from '../../../src/keys/gcp-kms.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';
import type { FetchLike } from '../../../src/ports.ts';

const TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';
const KEY = 'projects/p/locations/global/keyRings/r/cryptoKeys/k';
const gcpKey = (resourceId = KEY): MasterKey => ({ type: 'gcp_kms', resourceId, enc: 'AAAA' });
const noFile = (): Promise<string> => Promise.reject(new Error('no file'));
const noIdToken = (): Promise<never> => Promise.reject(new Error('no OIDC in these tests'));

describe('gceMetadataTarget: where the metadata step asks', () => {
  const cases: readonly [string, Record<string, string>, string][] = [
    ['default host', {}, `http://metadata.google.internal${TOKEN_PATH}`],
    [
      'GCE_METADATA_HOST host:port',
      { GCE_METADATA_HOST: '127.0.0.1:8080' },
      `http://127.0.0.1:8080${TOKEN_PATH}`,
    ],
    [
      'GCE_METADATA_HOST with a scheme',
      { GCE_METADATA_HOST: 'https://md.internal/' },
      `https://md.internal${TOKEN_PATH}`,
    ],
    [
      'GCE_METADATA_IP wins, as in gcp-metadata',
      { GCE_METADATA_IP: '10.0.0.1', GCE_METADATA_HOST: 'other:1' },
      `http://10.0.0.1${TOKEN_PATH}`,
    ],
    [
      'blank values fall back',
      { GCE_METADATA_IP: ' ', GCE_METADATA_HOST: '' },
      `http://metadata.google.internal${TOKEN_PATH}`,
    ],
    [
      'METADATA_SERVER_DETECTION=none',
      { METADATA_SERVER_DETECTION: 'none' },
      'off (METADATA_SERVER_DETECTION=none)',
    ],
    [
      'METADATA_SERVER_DETECTION=ping-only still asks',
      { METADATA_SERVER_DETECTION: 'ping-only' },
      `http://metadata.google.internal${TOKEN_PATH}`,
    ],
    ['NO_GCE_CHECK=True', { NO_GCE_CHECK: 'True' }, 'off (NO_GCE_CHECK=true)'],
    ['a path is refused', { GCE_METADATA_HOST: 'md:80/x' }, 'invalid'],
    ['credentials are refused', { GCE_METADATA_HOST: 'http://u:p@md' }, 'invalid'],
    ['not a host', { GCE_METADATA_HOST: 'a b' }, 'invalid'],
  ];
  for (const [name, env, expected] of cases) {
    test(name, () => {
      const target = gceMetadataTarget(env);
      const got =
        target.kind === 'url' ? target.url.href : target.kind === 'off' ? target.shown : target.kind;
      assert.equal(got, expected);
    });
  }
});

/** A fake Google: the metadata server (per `metadata`), IAM Credentials and KMS. */
function fakeGoogle(metadata: () => Promise<Response>): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  const fetchFn: FetchLike = (input) => {
    const url = new URL(input);
    calls.push(url.pathname);
    if (url.pathname === TOKEN_PATH) return metadata();
    if (url.pathname.endsWith(':generateAccessToken')) {
      return Promise.resolve(
        Response.json(
          { error: { status: 'PERMISSION_DENIED', message: 'Permission denied' } },
          { status: 403 },
        ),
      );
    }
    return Promise.resolve(Response.json({ plaintext: Buffer.from('data key').toString('base64') }));
  };
  return { fetch: fetchFn, calls };
}

const flavored = (body: unknown, status = 200): Promise<Response> =>
  Promise.resolve(Response.json(body, { status, headers: { 'Metadata-Flavor': 'Google' } }));

function source(
  fetchFn: FetchLike,
  extra: { serviceAccount?: string; now?: () => number; masked?: string[] } = {},
): ReturnType<typeof createGcpKmsKeySource> {
  return createGcpKmsKeySource({
    env: { HOME: '/nonexistent', GCE_METADATA_HOST: 'md.test' },
    mask: (v) => extra.masked?.push(v),
    allowedKeys: [],
    idToken: noIdToken,
    fetch: fetchFn,
    readFile: noFile,
    ...(extra.serviceAccount === undefined ? {} : { serviceAccount: extra.serviceAccount }),
    ...(extra.now === undefined ? {} : { now: extra.now }),
  });
}

describe('the metadata step in the gcp_kms source', () => {
  test('sends Metadata-Flavor: Google and masks the token', async () => {
    let headers: RequestInit['headers'];
    const masked: string[] = [];
    const google = fakeGoogle(() => flavored({ access_token: 'ya29.instance', expires_in: 3599 }));
    const fetchFn: FetchLike = (input, init) => {
      if (input.includes('computeMetadata')) headers = init.headers;
      return google.fetch(input, init);
    };
    const plaintext = await source(fetchFn, { masked }).decrypt(gcpKey());
    assert.equal(Buffer.from(plaintext ?? []).toString(), 'data key');
    assert.deepEqual(headers, { 'Metadata-Flavor': 'Google' });
    assert.ok(masked.includes('ya29.instance'));
  });

  test('the token is reused until shortly before expires_in, then asked again', async () => {
    let clock = 1_000_000;
    let issued = 0;
    const google = fakeGoogle(() => flavored({ access_token: `ya29.t${++issued}`, expires_in: 3600 }));
    const gcp = source(google.fetch, { now: () => clock });
    await gcp.decrypt(gcpKey());
    clock += 50 * 60_000;
    await gcp.decrypt(gcpKey());
    clock += 6 * 60_000; // 56 minutes in: inside the renewal margin
    await gcp.decrypt(gcpKey());
    assert.deepEqual(
      google.calls.filter((p) => p === TOKEN_PATH),
      [TOKEN_PATH, TOKEN_PATH],
    );
  });

  const failures: readonly [string, () => Promise<Response>, RegExp][] = [
    [
      'unreachable',
      () =>
        Promise.reject(
          new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
        ),
      /GCE metadata server http:\/\/md\.test: unreachable \(ENOTFOUND\)/,
    ],
    [
      'an answer without Metadata-Flavor',
      () => Promise.resolve(Response.json({ access_token: 'ya29.imposter', expires_in: 3599 })),
      /HTTP 200 without Metadata-Flavor: Google \(not a metadata server\)/,
    ],
    [
      'no service account on the instance',
      () => flavored({}, 404),
      /the instance has no service account \(HTTP 404\)/,
    ],
    ['a server error', () => flavored({}, 503), /GCE metadata server http:\/\/md\.test: HTTP 503/],
    ['no access_token', () => flavored({ expires_in: 3599 }), /the answer has no access_token/],
  ];
  for (const [name, metadata, reason] of failures) {
    test(`${name}: reported once per run, with every step, no KMS call and no token`, async () => {
      const google = fakeGoogle(metadata);
      const gcp = source(google.fetch);
      const messages: string[] = [];
      for (const key of [gcpKey(), gcpKey(`${KEY}2`)]) {
        await assert.rejects(gcp.decrypt(key), (error: unknown) => {
          assert.ok(error instanceof UserError);
          messages.push(error.message);
          return true;
        });
      }
      assert.deepEqual(google.calls, [TOKEN_PATH], 'the metadata server is asked once, KMS never');
      assert.equal(messages[0], messages[1]);
      assert.match(messages[0] ?? '', /^no gcp credentials: tried gcp-workload-identity-provider, /);
      assert.match(messages[0] ?? '', reason);
      assert.doesNotMatch(messages[0] ?? '', /ya29/);
      assert.ok((messages[0] ?? '').length < 600, 'fits the key report line');
    });
  }

  test('turned off: nothing is asked', async () => {
    const google = fakeGoogle(() => flavored({ access_token: 'ya29.x', expires_in: 3599 }));
    const gcp = createGcpKmsKeySource({
      env: { HOME: '/nonexistent', METADATA_SERVER_DETECTION: 'none' },
      mask: () => undefined,
      allowedKeys: [],
      idToken: noIdToken,
      fetch: google.fetch,
      readFile: noFile,
    });
    await assert.rejects(gcp.decrypt(gcpKey()), /GCE metadata server off \(METADATA_SERVER_DETECTION=none\)/);
    assert.deepEqual(google.calls, []);
  });

  test('a refused impersonation names the role the instance account needs, without the token', async () => {
    const google = fakeGoogle(() => flavored({ access_token: 'ya29.instance', expires_in: 3599 }));
    const gcp = source(google.fetch, { serviceAccount: 'sops@p.iam.gserviceaccount.com' });
    await assert.rejects(gcp.decrypt(gcpKey()), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(
        error.message,
        /^gcp service account impersonation of sops@p\.iam\.gserviceaccount\.com failed: HTTP 403 PERMISSION_DENIED: Permission denied; the instance's service account needs roles\/iam\.serviceAccountTokenCreator/,
      );
      assert.doesNotMatch(error.message, /ya29/);
      return true;
    });
    assert.deepEqual(google.calls, [
      TOKEN_PATH,
      '/v1/projects/-/serviceAccounts/sops%40p.iam.gserviceaccount.com:generateAccessToken',
    ]);
  });

  test('the key report names the metadata server', () => {
    const gcp = source(fakeGoogle(() => flavored({})).fetch, {
      serviceAccount: 'sops@p.iam.gserviceaccount.com',
    });
    assert.ok(
      gcp.locations.includes('GCE metadata server: http://md.test (GCE_METADATA_HOST)') &&
        gcp.locations.includes('then impersonating sops@p.iam.gserviceaccount.com'),
      gcp.locations.join('\n'),
    );
  });
});
