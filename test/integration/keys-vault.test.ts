/**
 * The Vault transit key source against a real Vault server, with files written by the real
 * sops 3.13 (`--hc-vault-transit` plus an age recipient): the data key our source recovers
 * must be the one age recovers and must open the file. A recording proxy in front of Vault
 * shows what was sent; refused addresses must receive nothing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Decrypter, armor } from 'age-encryption';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.ts';
import { buildVaultPolicy } from '../../src/keys/endpoint-policy.ts';
import type { MasterKey } from '../../src/keys/master-key.ts';
import { createVaultKeySource } from '../../src/keys/vault.ts';
import { decryptText } from '../../src/sops/decrypt.ts';
import { listenLoopback, type LoopbackServer } from '../env/doubles/http-double.ts';
import { toolPath } from '../env/paths.ts';
import { createCa, issueCert } from '../env/pki.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';
const MOUNT = 'ksd-sops';

interface SopsMeta {
  readonly hc_vault: { vault_address: string; engine_path: string; key_name: string; enc: string }[];
  readonly age: { recipient: string; enc: string }[];
}

interface Recorded {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function vaultStanza(meta: SopsMeta, vaultAddress?: string): MasterKey {
  const stanza = meta.hc_vault[0]!;
  return {
    type: 'hc_vault',
    vaultAddress: vaultAddress ?? stanza.vault_address,
    enginePath: stanza.engine_path,
    keyName: stanza.key_name,
    enc: stanza.enc,
  };
}

describe('vault transit key source against a real vault and the real sops', () => {
  let address: string;
  let rootToken: string;
  let dir: string;
  let proxy: LoopbackServer;
  const recorded: Recorded[] = [];
  let identity: string;
  let recipient: string;
  const keyName = `key-${randomUUID().slice(0, 8)}`;

  async function vaultApi(
    method: string,
    apiPath: string,
    body?: unknown,
    token = rootToken,
  ): Promise<unknown> {
    const res = await fetch(`${address}/v1/${apiPath}`, {
      method,
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`vault ${method} ${apiPath}: HTTP ${res.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  }

  before(async () => {
    const info = await requireComponent('vault');
    address = info['address']!;
    rootToken = info['token']!;
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-keys-vault-'));
    const mounts = (await vaultApi('GET', 'sys/mounts')) as Record<string, unknown>;
    if (!(`${MOUNT}/` in mounts) && !(`${MOUNT}/` in ((mounts['data'] ?? {}) as Record<string, unknown>))) {
      await vaultApi('POST', `sys/mounts/${MOUNT}`, { type: 'transit' });
    }
    await vaultApi('POST', `${MOUNT}/keys/${keyName}`, {});
    const keygen = await run(toolPath('age-keygen'), []);
    identity = keygen.stdout.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    recipient = /public key: (age1\S+)/.exec(keygen.stdout)![1]!;
    proxy = await listenLoopback(async (req, res, body) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers[name] = value;
      recorded.push({ url: req.url ?? '', headers, body });
      const forward: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        // Vault Community has no namespaces; the header is recorded, not forwarded.
        if (!['host', 'content-length', 'connection', 'x-vault-namespace'].includes(name))
          forward[name] = value;
      }
      const answer = await fetch(`${address}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers: forward,
        body,
      });
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(await answer.text());
    });
  });
  after(async () => {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function sopsEncrypt(name: string): Promise<{ text: string; meta: SopsMeta }> {
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
        '--hc-vault-transit',
        `${address}/v1/${MOUNT}/keys/${keyName}`,
        '--age',
        recipient,
        plain,
      ],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir, VAULT_TOKEN: rootToken } },
    );
    return { text: stdout, meta: (parse(stdout) as { sops: SopsMeta }).sops };
  }

  async function ageDataKey(meta: SopsMeta): Promise<Uint8Array> {
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    return decrypter.decrypt(armor.decode(meta.age[0]!.enc));
  }

  it('recovers the data key sops encrypted, the same one age recovers, and opens the file', async () => {
    const { text, meta } = await sopsEncrypt('basic.yaml');
    assert.equal(meta.hc_vault[0]!.engine_path, MOUNT);
    assert.equal(meta.hc_vault[0]!.key_name, keyName);
    const masked: string[] = [];
    const source = createVaultKeySource({
      env: { VAULT_ADDR: address, VAULT_TOKEN: rootToken, HOME: dir },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
      mask: (value) => masked.push(value),
    });
    const dataKey = await source.decrypt(vaultStanza(meta));
    assert.ok(dataKey !== null);
    assert.equal(dataKey.length, 32);
    assert.deepEqual(dataKey, await ageDataKey(meta));
    assert.ok(masked.includes(rootToken), 'the token is masked');
    assert.ok(masked.includes(Buffer.from(dataKey).toString('base64')), 'the plaintext data key is masked');
    const doc = await decryptText(text, 'yaml', { keySources: [source] });
    assert.ok(doc.branches.length > 0);
  });

  it('sends the token, the namespace and the ciphertext as the Vault client does', async () => {
    const { meta } = await sopsEncrypt('headers.yaml');
    recorded.length = 0;
    const source = createVaultKeySource({
      env: { VAULT_TOKEN: rootToken, VAULT_NAMESPACE: 'team-a' },
      policy: buildVaultPolicy({ allowedAddresses: [proxy.url], env: {} }),
      mask: () => undefined,
    });
    assert.deepEqual(await source.decrypt(vaultStanza(meta, proxy.url)), await ageDataKey(meta));
    assert.equal(recorded.length, 1);
    const call = recorded[0]!;
    assert.equal(call.url, `/v1/${MOUNT}/decrypt/${keyName}`);
    assert.equal(call.headers['x-vault-token'], rootToken);
    assert.equal(call.headers['x-vault-namespace'], 'team-a');
    assert.deepEqual(JSON.parse(call.body), { ciphertext: meta.hc_vault[0]!.enc });
  });

  it('works with a least-privilege token read from $HOME/.vault-token', async () => {
    const { meta } = await sopsEncrypt('file-token.yaml');
    await vaultApi('PUT', `sys/policies/acl/ksd-${keyName}`, {
      policy: `path "${MOUNT}/decrypt/${keyName}" { capabilities = ["update"] }`,
    });
    const created = (await vaultApi('POST', 'auth/token/create', {
      policies: [`ksd-${keyName}`],
      ttl: '10m',
    })) as {
      auth: { client_token: string };
    };
    const home = await mkdtemp(path.join(dir, 'home-'));
    await writeFile(path.join(home, '.vault-token'), `${created.auth.client_token}\n`);
    const masked: string[] = [];
    const source = createVaultKeySource({
      env: { HOME: home },
      policy: buildVaultPolicy({ env: { SOPS_HC_VAULT_ALLOWLIST: `${address}/` } }),
      mask: (value) => masked.push(value),
      readFile: (file) => readFile(file, 'utf8'),
    });
    assert.deepEqual(await source.decrypt(vaultStanza(meta)), await ageDataKey(meta));
    assert.ok(masked.includes(created.auth.client_token));
    assert.ok(source.locations.includes(path.join(home, '.vault-token')));
  });

  it('fails with the status and the Vault error for a bad token, without echoing it', async () => {
    const { meta } = await sopsEncrypt('bad-token.yaml');
    const badToken = 'hvs.this-token-does-not-exist-anywhere';
    const source = createVaultKeySource({
      env: { VAULT_TOKEN: badToken },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
      mask: () => undefined,
    });
    await assert.rejects(source.decrypt(vaultStanza(meta)), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'KEY_SOURCE');
      assert.match(
        error.message,
        new RegExp(`^vault transit decrypt with ${MOUNT}/${keyName} failed: HTTP 403: .*permission denied`),
      );
      assert.doesNotMatch(error.message, /this-token-does-not-exist/);
      return true;
    });
  });

  it('fails naming the key when the ciphertext belongs to another key', async () => {
    const { meta } = await sopsEncrypt('other-key.yaml');
    const other = `other-${keyName}`;
    await vaultApi('POST', `${MOUNT}/keys/${other}`, {});
    const source = createVaultKeySource({
      env: { VAULT_TOKEN: rootToken },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
      mask: () => undefined,
    });
    const key = { ...vaultStanza(meta), keyName: other };
    await assert.rejects(
      source.decrypt(key),
      new RegExp(`^UserError: vault transit decrypt with ${MOUNT}/${other} failed: HTTP 400`),
    );
  });

  it('says where it looked when there is no token', async () => {
    const { meta } = await sopsEncrypt('no-token.yaml');
    const home = await mkdtemp(path.join(dir, 'empty-home-'));
    const source = createVaultKeySource({
      env: { HOME: home },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
      mask: () => undefined,
    });
    await assert.rejects(
      source.decrypt(vaultStanza(meta)),
      new RegExp(
        `^UserError: no vault token: set VAULT_TOKEN or write ${path.join(home, '.vault-token').replace(/[.]/g, '\\.')}$`,
      ),
    );
  });

  it('refuses a file that points at another server: nothing reaches it, and the reason names the setting', async () => {
    const { meta } = await sopsEncrypt('evil.yaml');
    recorded.length = 0;
    const source = createVaultKeySource({
      env: { VAULT_ADDR: address, VAULT_TOKEN: rootToken },
      policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
      mask: () => undefined,
    });
    // The proxy stands in for the attacker's server: the stanza is rewritten to point at it.
    await assert.rejects(
      source.decrypt(vaultStanza(meta, proxy.url)),
      new RegExp(
        `^UserError: vault address ${proxy.url.replace(/[.]/g, '\\.')} is not in the allowed list; add it to vault-allowed-addresses`,
      ),
    );
    assert.equal(recorded.length, 0);
  });
});

describe('vault transit key source over TLS with VAULT_CACERT', () => {
  it('trusts the private CA named by VAULT_CACERT, and only then', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-keys-vault-tls-'));
    const ca = await createCa(dir, 'ca', 'ksd test vault ca');
    const leaf = await issueCert(
      dir,
      'vault',
      ca,
      { commonName: 'vault' },
      { kind: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] },
    );
    const dataKey = Buffer.alloc(32, 7);
    const calls: string[] = [];
    // A stand-in for Vault's transit decrypt: the point here is the TLS client, not Vault.
    const server = createHttpsServer(
      { cert: await readFile(leaf.certFile), key: await readFile(leaf.keyFile) },
      (req, res) => {
        calls.push(`${req.method ?? ''} ${req.url ?? ''}`);
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { plaintext: dataKey.toString('base64') } }));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = `https://127.0.0.1:${String((server.address() as { port: number }).port)}`;
      const key: MasterKey = {
        type: 'hc_vault',
        vaultAddress: address,
        enginePath: 'transit',
        keyName: 'k',
        enc: 'vault:v1:AAAA',
      };
      const sourceWith = (env: Record<string, string>) =>
        createVaultKeySource({
          env: { VAULT_TOKEN: 'hvs.tls-test', ...env },
          policy: buildVaultPolicy({ env: { VAULT_ADDR: address } }),
          mask: () => undefined,
          readFile: (file) => readFile(file, 'utf8'),
        });
      assert.deepEqual(await sourceWith({ VAULT_CACERT: ca.certFile }).decrypt(key), new Uint8Array(dataKey));
      assert.deepEqual(calls, ['POST /v1/transit/decrypt/k']);
      await assert.rejects(
        sourceWith({}).decrypt(key),
        /cannot reach https:\/\/127\.0\.0\.1:\d+: \S*(SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY)/,
      );
      await assert.rejects(
        sourceWith({ VAULT_CACERT: path.join(dir, 'missing.pem') }).decrypt(key),
        /cannot read VAULT_CACERT file .*missing\.pem$/,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
