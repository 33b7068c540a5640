/**
 * AssumeRoleWithWebIdentity from the GitHub OIDC token: what is sent, how credentials are
 * cached, and the message when STS refuses (moto accepts any token, so refusals are here).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import type { IdTokenProvider } from '../../../src/keys/id-token.ts';
import {
  AWS_OIDC_AUDIENCE,
  createAwsWebIdentityCredentials,
  webIdentitySessionName,
} from '../../../src/keys/aws-oidc.ts';
import type { KmsArn } from '../../../src/keys/endpoint-policy.ts';
import type { FetchLike } from '../../../src/ports.ts';

const ARN: KmsArn = { partition: 'aws', region: 'eu-central-1', account: '123456789012' };
const ROLE = 'arn:aws:iam::123456789012:role/deploy';

function idTokens(audiences: (string | undefined)[], exp = Date.now() / 1000 + 300): IdTokenProvider {
  return (audience) => {
    audiences.push(audience);
    return Promise.resolve({
      value: `header.payload-${audiences.length}.sig`,
      claims: { sub: 'repo:o/r:pull_request', aud: audience ?? '', repository: 'o/r', exp },
    });
  };
}

const OK_ANSWER = `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret/key</SecretAccessKey><SessionToken>session-token</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`;

describe('aws web identity credentials', () => {
  it('sends the role, the token and the duration to the regional STS, masks, and caches per region', async () => {
    const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
    const fetchFn: FetchLike = (url, init) => {
      sent.push({
        url,
        body: typeof init.body === 'string' ? init.body : '',
        headers: init.headers as Record<string, string>,
      });
      return Promise.resolve(new Response(OK_ANSWER));
    };
    const audiences: (string | undefined)[] = [];
    const masked: string[] = [];
    const provider = createAwsWebIdentityCredentials({
      roleArn: ROLE,
      sessionDurationSeconds: 900,
      env: { GITHUB_RUN_ID: '42' },
      idToken: idTokens(audiences),
      mask: (v) => masked.push(v),
      fetch: fetchFn,
    });
    const [first, second] = await Promise.all([provider(ARN), provider(ARN)]);
    assert.deepEqual(first, second);
    assert.equal(first.credentials.accessKeyId, 'ASIAEXAMPLE');
    assert.equal(first.from, `web identity role ${ROLE}`);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.url, 'https://sts.eu-central-1.amazonaws.com/');
    assert.equal(sent[0]!.headers['authorization'], undefined, 'the call is not signed');
    const form = new URLSearchParams(sent[0]!.body);
    assert.equal(form.get('Action'), 'AssumeRoleWithWebIdentity');
    assert.equal(form.get('RoleArn'), ROLE);
    assert.equal(form.get('WebIdentityToken'), 'header.payload-1.sig');
    assert.equal(form.get('DurationSeconds'), '900');
    assert.equal(form.get('RoleSessionName'), 'kustomize-sops-deploy-42');
    assert.deepEqual(audiences, [AWS_OIDC_AUDIENCE]);
    assert.ok(masked.includes('secret/key') && masked.includes('session-token'));
    await provider({ ...ARN, region: 'us-west-2' });
    assert.equal(sent[1]?.url, 'https://sts.us-west-2.amazonaws.com/');
  });

  it('uses aws-region and AWS_ENDPOINT_URL_STS when set', async () => {
    const urls: string[] = [];
    const provider = createAwsWebIdentityCredentials({
      roleArn: ROLE,
      region: 'us-east-1',
      env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/' },
      idToken: idTokens([]),
      mask: () => undefined,
      fetch: (url) => {
        urls.push(url);
        return Promise.resolve(new Response(OK_ANSWER));
      },
    });
    await provider(ARN);
    assert.deepEqual(urls, ['http://127.0.0.1:1/']);
  });

  const refusals: readonly { name: string; code: string; message: string; exp?: number; expect: RegExp }[] = [
    {
      name: 'a trust policy that does not match',
      code: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      expect:
        /^aws sts \(role arn:aws:iam::123456789012:role\/deploy\) refused the oidc token sub=repo:o\/r:pull_request aud=sts\.amazonaws\.com: HTTP 403 AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity; check: trust policy sub\/aud, `id-token: write`, fork PRs \(no token\)$/,
    },
    {
      name: 'an expired token',
      code: 'ExpiredTokenException',
      message:
        'Token expired: current date/time 1700000000 must be before the expiration date/time 1690000000',
      exp: 1,
      expect: / \(token expired\): HTTP 400 ExpiredTokenException: Token expired.*; check: /,
    },
  ];
  for (const { name, code, message, exp, expect } of refusals) {
    it(`names the claims and causes when STS refuses ${name}, and retries next time`, async () => {
      let calls = 0;
      const provider = createAwsWebIdentityCredentials({
        roleArn: ROLE,
        env: {},
        idToken: idTokens([], exp),
        mask: () => undefined,
        fetch: () => {
          calls += 1;
          return Promise.resolve(
            new Response(
              `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`,
              { status: code === 'AccessDenied' ? 403 : 400 },
            ),
          );
        },
      });
      await assert.rejects(provider(ARN), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, expect);
        assert.doesNotMatch(error.message, /payload-/);
        return true;
      });
      await assert.rejects(provider(ARN));
      assert.equal(calls, 2);
    });
  }

  it('keeps session names within STS limits', () => {
    assert.equal(webIdentitySessionName({}), 'kustomize-sops-deploy');
    assert.equal(webIdentitySessionName({ GITHUB_RUN_ID: '1 2/3' }), 'kustomize-sops-deploy-123');
  });
});
