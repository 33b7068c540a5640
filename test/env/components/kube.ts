/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and
 * kube-controller-manager (so namespaces finalize and Deployments get ReplicaSets), plus the
 * matching kubectl. No nodes and no scheduler: the tests apply, diff and delete objects; no
 * pod ever runs.
 *
 * Built from test/env/kube, a wrapper module around the pinned k8s.io/kubernetes release.
 * Each run gets a fresh CA, serving and client certificates and service-account key pair,
 * a fresh etcd data folder, and free ports; everything is under the run folder.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import type { Component, Started } from '../component.ts';
import { goBuild } from '../go-install.ts';
import type { GoBuildSpec } from '../go-install.ts';
import { repoRoot, runDir, toolPath } from '../paths.ts';
import { createCa, createRsaKeyPair, issueCert } from '../pki.ts';
import type { CertFiles } from '../pki.ts';
import { envLog, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';
import type { SpawnedServer } from '../spawned-server.ts';

const moduleDir = path.join(repoRoot, 'test', 'env', 'kube');

/** The pinned Kubernetes release, read from the wrapper's go.mod so the pin lives in one place. */
export function kubernetesVersion(): string {
  const goMod = readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const match = /^\s*k8s\.io\/kubernetes\s+(v\d+\.(\d+)\.\d+)\s*$/m.exec(goMod);
  if (match?.[1] === undefined) throw new Error(`no k8s.io/kubernetes requirement in ${moduleDir}/go.mod`);
  return match[1];
}

/**
 * The version stamps upstream's release build links in (hack/lib/version.sh). Without them
 * the binaries report v0.0.0-master, kubectl warns about skew, and /version lies.
 */
function versionLdflags(version: string): string {
  const [major, minor] = version.slice(1).split('.');
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=${version}`,
      `-X ${pkg}.gitMajor=${major ?? ''}`,
      `-X ${pkg}.gitMinor=${minor ?? ''}`,
      `-X ${pkg}.gitTreeState=clean`,
    );
  }
  return flags.join(' ');
}

function buildSpec(): GoBuildSpec {
  return {
    name: 'kube',
    moduleDir,
    packages: ['./cmd/...'],
    binaries: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl'],
    ldflags: versionLdflags(kubernetesVersion()),
  };
}

/**
 * GET `url` over TLS and return the status code (0 when the server is not answering yet).
 * `tls` is the client certificate and CA, or `insecure` for a server's self-signed cert.
 */
function httpsStatus(
  url: string,
  tls: { ca: string; cert: string; key: string } | 'insecure',
): Promise<number> {
  return new Promise((resolve) => {
    const options =
      tls === 'insecure'
        ? { rejectUnauthorized: false }
        : { ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
    const req = request(url, { ...options, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      resolve(0);
    });
    req.end();
  });
}

/** A kubeconfig with everything embedded, so it works from any working directory. */
function writeKubeconfig(file: string, server: string, ca: string, client: CertFiles, user: string): void {
  const b64 = (f: string): string => readFileSync(f).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'ksd-test', cluster: { server, 'certificate-authority-data': b64(ca) } }],
    users: [
      {
        name: user,
        user: { 'client-certificate-data': b64(client.certFile), 'client-key-data': b64(client.keyFile) },
      },
    ],
    contexts: [{ name: 'ksd-test', context: { cluster: 'ksd-test', user } }],
    'current-context': 'ksd-test',
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * The `kube` component. Info: `kubeconfig` (admin, group system:masters), `server`,
 * `caFile`, `clientCertFile`, `clientKeyFile`, `kubectl` (binary path), `etcdEndpoint`,
 * `version` (e.g. v1.37.2), `dir` (certificates and kubeconfigs).
 */
export const kube: Component = {
  name: 'kube',

  async install(): Promise<void> {
    await goBuild(buildSpec());
  },

  async start(): Promise<Started> {
    const t0 = Date.now();
    const dir = path.join(runDir, 'kube');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });

    const ca = await createCa(dir, 'ca', 'ksd-test-ca');
    const [serving, admin, kcmClient, sa] = await Promise.all([
      issueCert(
        dir,
        'apiserver',
        ca,
        { commonName: 'kube-apiserver' },
        {
          kind: 'server',
          dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
          ips: ['127.0.0.1', '10.0.0.1'],
        },
      ),
      issueCert(
        dir,
        'admin',
        ca,
        { commonName: 'ksd-admin', organizations: ['system:masters'] },
        { kind: 'client' },
      ),
      // The identity upstream's bootstrap RBAC grants the controller manager's own permissions.
      issueCert(
        dir,
        'controller-manager',
        ca,
        { commonName: 'system:kube-controller-manager' },
        { kind: 'client' },
      ),
      createRsaKeyPair(dir, 'service-account'),
    ]);
    const adminTls = { ca: ca.certFile, cert: admin.certFile, key: admin.keyFile };

    const servers: SpawnedServer[] = [];
    const stop = async (): Promise<void> => {
      // Reverse order: the apiserver would log storage errors if etcd went first.
      for (const s of [...servers].reverse()) await s.stop();
    };

    try {
      const [etcdPort, peerPort, apiPort, kcmPort] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      const etcdEndpoint = `http://127.0.0.1:${etcdPort}`;
      const peerUrl = `http://127.0.0.1:${peerPort}`;
      const etcd = spawnServer({
        name: 'kube-etcd',
        command: toolPath('etcd'),
        args: [
          '--name=ksd-test',
          `--data-dir=${path.join(runDir, 'kube-etcd', 'data')}`,
          `--listen-client-urls=${etcdEndpoint}`,
          `--advertise-client-urls=${etcdEndpoint}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=ksd-test=${peerUrl}`,
          // Throwaway data: durability only slows every write down.
          '--unsafe-no-fsync=true',
        ],
      });
      servers.push(etcd);
      await waitUntilReady(etcd, 'etcd', async () => {
        const res = await fetch(`${etcdEndpoint}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true';
      });
      const tEtcd = Date.now();

      const server = `https://127.0.0.1:${apiPort}`;
      // The flags controller-runtime's envtest uses, with RBAC and a client CA so the tests
      // authenticate the way a real cluster user does.
      const apiserver = spawnServer({
        name: 'kube-apiserver',
        command: toolPath('kube-apiserver'),
        args: [
          `--etcd-servers=${etcdEndpoint}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--cert-dir=${path.join(runDir, 'kube-apiserver', 'certs')}`,
          `--tls-cert-file=${serving.certFile}`,
          `--tls-private-key-file=${serving.keyFile}`,
          `--client-ca-file=${ca.certFile}`,
          '--authorization-mode=RBAC',
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          `--service-account-key-file=${sa.publicKeyFile}`,
          `--service-account-signing-key-file=${sa.privateKeyFile}`,
          // Only a configuration value: nothing is routed there.
          '--service-cluster-ip-range=10.0.0.0/24',
          // No pods run, and a loopback advertise address cannot be a Service endpoint anyway.
          '--disable-admission-plugins=ServiceAccount',
          '--endpoint-reconciler-type=none',
          '--allow-privileged=true',
        ],
      });
      servers.push(apiserver);
      await waitUntilReady(
        apiserver,
        'kube-apiserver',
        async () => (await httpsStatus(`${server}/readyz`, adminTls)) === 200,
      );
      const tApi = Date.now();

      const kubeconfig = path.join(dir, 'admin.kubeconfig');
      writeKubeconfig(kubeconfig, server, ca.certFile, admin, 'ksd-admin');
      const kcmKubeconfig = path.join(dir, 'controller-manager.kubeconfig');
      writeKubeconfig(kcmKubeconfig, server, ca.certFile, kcmClient, 'system:kube-controller-manager');

      const controllerManager = spawnServer({
        name: 'kube-controller-manager',
        command: toolPath('kube-controller-manager'),
        args: [
          `--kubeconfig=${kcmKubeconfig}`,
          `--authentication-kubeconfig=${kcmKubeconfig}`,
          `--authorization-kubeconfig=${kcmKubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          `--cert-dir=${path.join(runDir, 'kube-controller-manager', 'certs')}`,
          // Each controller acts as its own service account, as on a real cluster, so RBAC
          // mistakes surface here rather than in production.
          '--use-service-account-credentials=true',
          `--service-account-private-key-file=${sa.privateKeyFile}`,
          `--root-ca-file=${ca.certFile}`,
          '--leader-elect=false',
          // The default is under /usr/libexec, which it would create on the host.
          `--flex-volume-plugin-dir=${path.join(runDir, 'kube-controller-manager', 'flexvolume')}`,
          // The apiserver has no front proxy, so there is no request-header CA to look up
          // (the lookup would log an error every few seconds).
          '--authentication-skip-lookup=true',
          '--controllers=*',
        ],
      });
      servers.push(controllerManager);
      await waitUntilReady(controllerManager, 'kube-controller-manager', async () => {
        return (await httpsStatus(`https://127.0.0.1:${kcmPort}/healthz`, 'insecure')) === 200;
      });

      envLog(
        `kube: control plane up in ${seconds(t0)} (certificates+etcd ${((tEtcd - t0) / 1000).toFixed(1)} s, ` +
          `apiserver ${((tApi - tEtcd) / 1000).toFixed(1)} s, controller-manager ${seconds(tApi)}) at ${server}`,
      );
      return {
        info: {
          kubeconfig,
          server,
          caFile: ca.certFile,
          clientCertFile: admin.certFile,
          clientKeyFile: admin.keyFile,
          kubectl: toolPath('kubectl'),
          etcdEndpoint,
          version: kubernetesVersion(),
          dir,
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
