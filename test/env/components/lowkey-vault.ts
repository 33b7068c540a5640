/**
 * Lowkey Vault, a test double of the Azure Key Vault REST API published as a runnable Spring
 * Boot jar (`com.github.nagyesta.lowkey-vault:lowkey-vault-app`), run with Java 17 on
 * loopback over HTTPS with the self-signed certificate it ships. Setup creates an RSA key for
 * RSA-OAEP-256 wrap/unwrap, which is what sops' `azure_kv` key type does.
 *
 * Auth: Lowkey Vault answers 401 with a `WWW-Authenticate: Bearer ...` challenge when a request
 * has no Authorization header, and accepts any value otherwise (the Azure SDKs' challenge flow
 * works, no token is checked).
 *
 * TLS: setup records the server's certificate in `<runDir>/lowkey-vault/ca.pem` (info
 * `caFile`); clients trust it as a CA (`NODE_EXTRA_CA_CERTS` for a child process, `ca` for
 * an https agent). Its SANs cover localhost and 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { cacheRoot } from '../paths.ts';
import { componentDir, envLog, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';

const run = promisify(execFile);

/** The pinned release: the 2.x line runs on Java 17 (later lines need Java 21+). */
export const LOWKEY_VAULT_VERSION = '2.4.66';
const ARTIFACT = `com.github.nagyesta.lowkey-vault:lowkey-vault-app:${LOWKEY_VAULT_VERSION}`;
const toolDir = path.join(cacheRoot, 'tools', 'lowkey-vault');
const jar = path.join(toolDir, `lowkey-vault-app-${LOWKEY_VAULT_VERSION}.jar`);
const KEY_NAME = 'sops';
const API_VERSION = '7.4';

/** Reads the certificate a TLS server presents, without trusting it (setup only, never a client's path). */
function peerCertificatePem(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        const raw = socket.getPeerCertificate().raw;
        socket.end();
        const body = raw.toString('base64').replace(/(.{64})/g, '$1\n');
        resolve(`-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`);
      },
    );
    socket.once('error', reject);
  });
}

/** The `lowkey-vault` component: info `{vaultUrl, keyName, keyVersion, keyId, caFile, apiVersion}`. */
export const lowkeyVault: Component = {
  name: 'lowkey-vault',

  async install(): Promise<void> {
    if (existsSync(jar)) return;
    const t0 = Date.now();
    mkdirSync(toolDir, { recursive: true });
    try {
      await run(
        'mvn',
        [
          '-B',
          '-q',
          '-Dstyle.color=never',
          'dependency:copy',
          `-Dartifact=${ARTIFACT}`,
          `-DoutputDirectory=${toolDir}`,
        ],
        {
          cwd: toolDir,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (error) {
      const output = (error as { stdout?: string }).stdout ?? '';
      // Maven prints colour codes even in batch mode; keep the message from [ERROR] on.
      const line = output.split('\n').find((l) => l.includes('[ERROR]'));
      const reason = line?.slice(line.indexOf('[ERROR]')).trim();
      throw new Error(`Maven Central did not serve ${ARTIFACT}: ${reason ?? String(error)}`);
    }
    if (!existsSync(jar)) throw new Error(`mvn dependency:copy did not produce ${jar}`);
    envLog(`lowkey-vault: installed ${ARTIFACT} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },

  async start(): Promise<Started> {
    const port = await freePort();
    const dir = componentDir('lowkey-vault');
    const server = spawnServer({
      name: 'lowkey-vault',
      command: 'java',
      args: ['-Xmx256m', '-jar', jar, `--server.port=${port}`, '--server.address=127.0.0.1'],
    });
    try {
      const caFile = path.join(dir, 'ca.pem');
      // The first probe fetches the certificate; later ones verify TLS with it like a client would.
      await waitUntilReady(server, 'lowkey-vault', async () => {
        writeFileSync(caFile, await peerCertificatePem(port));
        return true;
      });
      const vaultUrl = `https://localhost:${port}`;
      const ca = readFileSync(caFile);
      const call = (
        method: string,
        urlPath: string,
        body?: unknown,
      ): Promise<{ status: number; json: unknown }> =>
        new Promise((resolve, reject) => {
          const req = request(
            `${vaultUrl}${urlPath}`,
            {
              method,
              ca,
              headers: { authorization: 'Bearer lowkey-ignores-this', 'content-type': 'application/json' },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                resolve({
                  status: res.statusCode ?? 0,
                  json: text === '' ? undefined : (JSON.parse(text) as unknown),
                });
              });
            },
          );
          req.once('error', reject);
          req.end(body === undefined ? undefined : JSON.stringify(body));
        });
      await waitUntilReady(server, 'lowkey-vault', async () => (await call('GET', '/ping')).status === 200);
      const created = await call('POST', `/keys/${KEY_NAME}/create?api-version=${API_VERSION}`, {
        kty: 'RSA',
        key_size: 2048,
        key_ops: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      });
      const kid = (created.json as { key?: { kid?: string } } | undefined)?.key?.kid;
      if (created.status !== 200 || kid === undefined) {
        throw new Error(
          `lowkey-vault key create answered ${created.status}: ${JSON.stringify(created.json).slice(0, 300)}`,
        );
      }
      return {
        info: {
          vaultUrl,
          keyName: KEY_NAME,
          keyVersion: kid.split('/').pop() ?? '',
          keyId: kid,
          caFile,
          apiVersion: API_VERSION,
          version: LOWKEY_VAULT_VERSION,
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
