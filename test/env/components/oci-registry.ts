/**
 * The `oci-registry` component: a real OCI registry (CNCF distribution, `registry serve`, built
 * from the Go module proxy) over plain HTTP on loopback, holding the fixture `demo` chart at
 * the helm-repo component's versions, each packaged and pushed with the pinned helm
 * (`helm package`, `helm push oci://…/charts --plain-http`).
 *
 * Info: `url` (`oci://127.0.0.1:<port>/charts`, the HelmRepository URL; the demo chart is
 * `<url>/demo`), `host` (`127.0.0.1:<port>`) and `digest-<version>`: the manifest digest helm
 * push reported for each version, for the tests that pin one; `digest-tampered`: the pinned
 * digest of `<url>/tampered` 1.0.0, whose manifest the storage was made to answer with other
 * bytes (pushTampered), for the digest-mismatch tests.
 *
 * Plain HTTP is enough for a test registry (sources say `insecure: true`); loopback is refused
 * by the chart-source policy by default, so tests opt in as for the helm-repo component.
 *
 * A second instance serves the same storage (read-only) the way a private registry does:
 * HTTPS with a throwaway CA, a client certificate required (distribution's `http.tls.clientcas`)
 * and basic auth from an htpasswd file (`auth.htpasswd`). The htpasswd file is a committed
 * test-only fixture, test/fixtures/helm/registry/htpasswd: distribution accepts only bcrypt, and
 * neither node nor this project has a bcrypt hasher, so the line was made once with Python's
 * `crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32))` (libxcrypt's `$2b$`).
 * Info for it: `auth-url` (`oci://127.0.0.1:<port>/charts`), `auth-host`, `auth-username`,
 * `auth-password`, and the PEM files `auth-ca-file`, `auth-client-cert-file`,
 * `auth-client-key-file` (a client certificate the registry accepts).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { goInstall } from '../go-install.ts';
import { repoRoot, toolPath } from '../paths.ts';
import { createCa, issueCert } from '../pki.ts';
import type { CertFiles } from '../pki.ts';
import { componentDir, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';
import type { SpawnedServer } from '../spawned-server.ts';
import { helmCli } from './helm-cli.ts';
import { packageTampered } from '../helm-repo-server.ts';
import { DEMO_VERSIONS } from './helm-repo.ts';

const run = promisify(execFile);

/** The newest distribution v3 release the module proxy serves; its go.mod builds with Go 1.26. */
export const REGISTRY_VERSION = 'v3.1.2';

const demoChart = path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts', 'demo');

/** The user and password of the committed htpasswd fixture (test-only). */
export const OCI_REGISTRY_USERNAME = 'chart-puller';
export const OCI_REGISTRY_PASSWORD = 'ksd-oci-registry-password-0001';
const htpasswd = path.join(repoRoot, 'test', 'fixtures', 'helm', 'registry', 'htpasswd');

/** distribution's config: the storage, the address, and for the private instance TLS and auth. */
function registryConfig(
  storage: string,
  host: string,
  secured?: { readonly server: CertFiles; readonly ca: string },
): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
  ];
  if (secured !== undefined) {
    lines.push(
      // The second instance only reads what the first one holds.
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      '    readonly:',
      '      enabled: true',
      'auth:',
      '  htpasswd:',
      '    realm: ksd-test-registry',
      `    path: ${htpasswd}`,
    );
  }
  lines.push('http:', `  addr: ${host}`);
  if (secured !== undefined) {
    lines.push(
      '  tls:',
      `    certificate: ${secured.server.certFile}`,
      `    key: ${secured.server.keyFile}`,
      '    clientcas:',
      `      - ${secured.ca}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Whether the private instance answers `/v2/` with 401 to a client with the certificate and no password. */
function privateReady(host: string, ca: string, client: CertFiles): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `https://${host}/v2/`,
      {
        ca: readFileSync(ca),
        cert: readFileSync(client.certFile),
        key: readFileSync(client.keyFile),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 401);
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Starts the private instance (TLS, client certificate, htpasswd) over `storage`; see the module comment. */
async function startPrivate(
  dir: string,
  storage: string,
): Promise<{ server: SpawnedServer; info: Record<string, string> }> {
  const pki = path.join(dir, 'pki');
  mkdirSync(pki, { recursive: true });
  const ca = await createCa(pki, 'ca', 'ksd oci-registry test CA');
  const serverCert = await issueCert(
    pki,
    'server',
    ca,
    { commonName: 'oci-registry' },
    { kind: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] },
  );
  const client = await issueCert(pki, 'client', ca, { commonName: 'chart-puller' }, { kind: 'client' });
  const host = `127.0.0.1:${String(await freePort())}`;
  const config = path.join(dir, 'config-private.yml');
  writeFileSync(config, registryConfig(storage, host, { server: serverCert, ca: ca.certFile }));
  const server = spawnServer({
    name: 'oci-registry-private',
    command: toolPath('registry'),
    args: ['serve', config],
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  });
  try {
    await waitUntilReady(server, 'oci-registry (private)', () => privateReady(host, ca.certFile, client));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    info: {
      'auth-url': `oci://${host}/charts`,
      'auth-host': host,
      'auth-username': OCI_REGISTRY_USERNAME,
      'auth-password': OCI_REGISTRY_PASSWORD,
      'auth-ca-file': ca.certFile,
      'auth-client-cert-file': client.certFile,
      'auth-client-key-file': client.keyFile,
    },
  };
}

function helmEnv(work: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: work, HELM_CONFIG_HOME: path.join(work, 'helm') };
}

/** Pushes a packaged chart; returns the manifest digest helm reports. */
async function push(archive: string, host: string, work: string): Promise<string> {
  const pushed = await run(toolPath('helm'), ['push', archive, `oci://${host}/charts`, '--plain-http'], {
    env: helmEnv(work),
  });
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(`${pushed.stdout}\n${pushed.stderr}`)?.[1];
  if (digest === undefined) throw new Error(`helm push of ${path.basename(archive)} reported no digest`);
  return digest;
}

/** Packages the demo chart at `version` and pushes it; returns the manifest digest helm reports. */
async function pushDemo(version: string, host: string, work: string): Promise<string> {
  const copy = path.join(work, `demo-${version}`, 'demo');
  cpSync(demoChart, copy, { recursive: true });
  const out = path.join(work, 'packages');
  await run(toolPath('helm'), ['package', copy, '--version', version, '--app-version', version, '-d', out], {
    env: helmEnv(work),
  });
  return push(path.join(out, `demo-${version}.tgz`), host, work);
}

/** Where distribution's filesystem storage keeps the blob `digest`. */
function blobFile(storage: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return path.join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/**
 * Pushes the `tampered` chart (charts/tampered 1.0.0), then overwrites its manifest in the
 * storage with another manifest's bytes (`other`): the registry then serves content that does
 * not have the digest it is asked for, as a compromised or corrupted registry would. Its
 * manifest is its own (no other chart shares the blob), so nothing else is touched.
 */
async function pushTampered(host: string, work: string, storage: string, other: string): Promise<string> {
  const out = path.join(work, 'tampered-package');
  await packageTampered(toolPath('helm'), path.join(work, 'tampered-work'), out);
  const digest = await push(path.join(out, 'tampered-1.0.0.tgz'), host, work);
  cpSync(blobFile(storage, other), blobFile(storage, digest));
  return digest;
}

export const ociRegistry: Component = {
  name: 'oci-registry',
  async install(): Promise<void> {
    await helmCli.install();
    await goInstall({
      name: 'registry',
      module: 'github.com/distribution/distribution/v3',
      packages: ['github.com/distribution/distribution/v3/cmd/registry'],
      version: REGISTRY_VERSION,
      binaries: ['registry'],
    });
  },
  async start(): Promise<Started> {
    const dir = componentDir('oci-registry');
    const port = await freePort();
    const host = `127.0.0.1:${String(port)}`;
    const storage = path.join(dir, 'data');
    const config = path.join(dir, 'config.yml');
    writeFileSync(config, registryConfig(storage, host));
    const server = spawnServer({
      name: 'oci-registry',
      command: toolPath('registry'),
      args: ['serve', config],
      // No OpenTelemetry exporter: the registry would otherwise try to reach a collector.
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    });
    try {
      await waitUntilReady(server, 'oci-registry', async () => (await fetch(`http://${host}/v2/`)).ok);
      const work = path.join(dir, 'push');
      mkdirSync(work, { recursive: true });
      const info: Record<string, string> = { url: `oci://${host}/charts`, host };
      for (const version of DEMO_VERSIONS) info[`digest-${version}`] = await pushDemo(version, host, work);
      info['digest-tampered'] = await pushTampered(host, work, storage, info['digest-1.1.0'] ?? '');
      const secured = await startPrivate(dir, storage);
      return {
        info: { ...info, ...secured.info },
        stop: async () => {
          await secured.server.stop();
          await server.stop();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};
