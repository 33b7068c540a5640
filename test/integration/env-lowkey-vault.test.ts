/**
 * The Lowkey Vault component speaks Azure Key Vault's REST API: RSA-OAEP-256 encrypt/decrypt
 * with the key setup created, over TLS verified against the recorded certificate, and the
 * 401 challenge without an Authorization header.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { before, describe, it } from 'node:test';
import { requireComponent } from '../env/state.ts';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly json: unknown;
}

describe('lowkey-vault component', () => {
  let info: Readonly<Record<string, string>>;
  let ca: Buffer;
  before(async () => {
    info = await requireComponent('lowkey-vault');
    ca = readFileSync(info['caFile'] ?? '');
  });

  function call(
    method: string,
    urlPath: string,
    body?: unknown,
    authorization: string | null = 'Bearer any',
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${info['vaultUrl']}${urlPath}`,
        {
          method,
          ca,
          headers: {
            'content-type': 'application/json',
            ...(authorization === null ? {} : { authorization }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: text === '' ? undefined : (JSON.parse(text) as unknown),
            });
          });
        },
      );
      req.once('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  it('encrypts and decrypts a data key with RSA-OAEP-256', async () => {
    const keyPath = `/keys/${info['keyName']}/${info['keyVersion']}`;
    const dataKey = Buffer.from('0123456789abcdef0123456789abcdef');
    const encrypted = await call('POST', `${keyPath}/encrypt?api-version=${info['apiVersion']}`, {
      alg: 'RSA-OAEP-256',
      value: dataKey.toString('base64url'),
    });
    assert.equal(encrypted.status, 200, JSON.stringify(encrypted.json));
    const { value, kid } = encrypted.json as { value: string; kid: string };
    assert.equal(kid, info['keyId']);
    assert.equal(Buffer.from(value, 'base64url').length, 256);
    const decrypted = await call('POST', `${keyPath}/decrypt?api-version=${info['apiVersion']}`, {
      alg: 'RSA-OAEP-256',
      value,
    });
    assert.equal(decrypted.status, 200, JSON.stringify(decrypted.json));
    assert.deepEqual(Buffer.from((decrypted.json as { value: string }).value, 'base64url'), dataKey);
  });

  it('answers 401 with a Bearer challenge when there is no Authorization header', async () => {
    const res = await call(
      'GET',
      `/keys/${info['keyName']}?api-version=${info['apiVersion']}`,
      undefined,
      null,
    );
    assert.equal(res.status, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer /);
  });
});
