/**
 * The signer against AWS's published Signature Version 4 test suite (credentials
 * AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service `service`), as kept in
 * awslabs/aws-c-auth `tests/aws-signing-test-suite/v4/<case>/header-signed-request.txt`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amzDate, awsUriEncode, signRequest, type AwsCredentials } from '../../../src/keys/aws-sigv4.ts';

const credentials: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const now = new Date('2015-08-30T12:36:00Z');
const scope = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

interface Vector {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly token?: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const vectors: readonly Vector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    path: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    path: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    path: '/?Param2=value2&Param1=value1',
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-empty-query-key',
    method: 'GET',
    path: '/?Param1=value1',
    signedHeaders: 'host;x-amz-date',
    signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    path: '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    path: '/?ሴ=bar',
    signedHeaders: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    path: '/',
    headers: { 'My-Header1': 'value1' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    path: '/',
    headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' },
    signedHeaders: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'get-vanilla-with-session-token',
    method: 'GET',
    path: '/',
    token: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267',
    signedHeaders: 'host;x-amz-date;x-amz-security-token',
    signature: '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
  },
  {
    name: 'post-x-www-form-urlencoded (body hashed and signed)',
    method: 'POST',
    path: '/',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': '13',
      'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    },
    body: 'Param1=value1',
    signedHeaders: 'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
    signature: 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
  },
];

describe('signRequest (AWS SigV4 test suite)', () => {
  for (const vector of vectors) {
    it(vector.name, () => {
      const signed = signRequest({
        method: vector.method,
        url: new URL(`https://example.amazonaws.com${vector.path}`),
        headers: vector.headers ?? {},
        body: vector.body ?? '',
        region: 'us-east-1',
        service: 'service',
        credentials:
          vector.token === undefined ? credentials : { ...credentials, sessionToken: vector.token },
        now,
      });
      assert.equal(
        signed.headers['authorization'],
        `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
      );
      assert.equal(signed.headers['x-amz-date'], '20150830T123600Z');
      assert.equal(signed.headers['host'], undefined, 'fetch derives Host from the URL');
      if (vector.token !== undefined) assert.equal(signed.headers['x-amz-security-token'], vector.token);
    });
  }

  it('builds the canonical request and string to sign of post-x-www-form-urlencoded', () => {
    const signed = signRequest({
      method: 'POST',
      url: new URL('https://example.amazonaws.com/'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '13' },
      body: '',
      region: 'us-east-1',
      service: 'service',
      credentials,
      now,
    });
    // header-canonical-request.txt and header-string-to-sign.txt of that case.
    assert.equal(
      signed.canonicalRequest,
      'POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(
      signed.stringToSign,
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n0eccf3fbe5a3c5d3df1d87c98cdf5dbde190d26aabdd91c9407db930a0c00896',
    );
  });

  it('changes the signature when the body changes', () => {
    const base = {
      method: 'POST',
      url: new URL('https://kms.us-east-1.amazonaws.com/'),
      region: 'us-east-1',
      service: 'kms',
      credentials,
      now,
    };
    assert.notEqual(
      signRequest({ ...base, body: '{"a":1}' }).signature,
      signRequest({ ...base, body: '{"a":2}' }).signature,
    );
  });
});

describe('awsUriEncode and amzDate', () => {
  const cases: ReadonlyArray<readonly [string, boolean, string]> = [
    ['a b/c~d+e$é', true, 'a%20b%2Fc~d%2Be%24%C3%A9'],
    ['a b/c', false, 'a%20b/c'],
    ['sops@host=1,2.3', true, 'sops%40host%3D1%2C2.3'],
  ];
  for (const [input, encodeSlash, expected] of cases) {
    it(`encodes ${JSON.stringify(input)}`, () => {
      assert.equal(awsUriEncode(input, encodeSlash), expected);
    });
  }
  it('formats the time as AWS wants it', () => {
    assert.equal(amzDate(new Date('2024-02-29T23:59:58.123Z')), '20240229T235958Z');
  });
});
