/**
 * HelmReleases whose chart comes from a private OCI registry: the oci-registry component's
 * second instance (the same charts over HTTPS with its own CA, a client certificate required,
 * htpasswd basic auth). An OCIRepository with a SOPS-encrypted `kubernetes.io/dockerconfigjson`
 * `secretRef`, and a `type: oci` HelmRepository with a SOPS-encrypted basic-auth `secretRef`,
 * both with a `certSecretRef` (ca.crt, tls.crt, tls.key), render as `helm template` does;
 * the credentials never reach helm's argv, a log or the output, and the registry config helm
 * reads names only that registry's host. Without the credentials, the CA, or the keys that
 * decrypt them, or when allow-remote refuses the registry (before helm gets any credential),
 * the releases are not rendered, each with its reason.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildCommand } from '../../src/commands/build.ts';
import { diffCommand } from '../../src/commands/diff.ts';
import { HELM_NAME_LABEL, HELM_NAMESPACE_LABEL } from '../../src/helm/post-render.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import type { Exec } from '../../src/ports.ts';
import { requireComponent } from '../env/state.ts';
import { commandDeps } from '../support/command-deps.ts';
import { appsKustomization, commit, gitIn, indent } from '../support/flux-helm-repo.ts';
import { helmBinary, helmTemplate, withHelmOwnership } from '../support/helm.ts';
import { newAgeKey, sopsEncrypt, tool, type AgeKey } from '../support/tools.ts';

let kustomize: string;
let helm: string;
let key: AgeKey;
let registry: Readonly<Record<string, string>>;

before(async () => {
  kustomize = await tool('kustomize');
  helm = await helmBinary();
  key = await newAgeKey();
  registry = await requireComponent('oci-registry');
});

type Obj = Record<string, unknown>;

/** A password for another registry, in the same dockerconfigjson: it must never reach helm. */
const OTHER_PASSWORD = 'ksd-other-registry-password-7f3a';

function info(name: string): string {
  const value = registry[name];
  assert.ok(value !== undefined && value !== '', `oci-registry info ${name}`);
  return value;
}

async function encrypted(plain: string, name: string): Promise<string> {
  const file = await sopsEncrypt(plain, name, [
    '--age',
    key.recipient,
    '--encrypted-regex',
    '^(data|stringData)$',
  ]);
  return readFile(file, 'utf8');
}

/** The credentials Secrets, SOPS-encrypted, rendered by the apps Kustomization (decryption on). */
async function credentialSecrets(): Promise<Record<string, string>> {
  const auth = Buffer.from(`${info('auth-username')}:${info('auth-password')}`).toString('base64');
  const dockerConfig = JSON.stringify({
    auths: {
      'registry.example.com': { username: 'someone', password: OTHER_PASSWORD },
      [`https://${info('auth-host')}`]: { auth },
    },
  });
  return {
    'apps/registry-docker.sops.yaml': await encrypted(
      `apiVersion: v1
kind: Secret
metadata:
  name: registry-docker
  namespace: flux-system
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${dockerConfig}'
`,
      'registry-docker.sops.yaml',
    ),
    'apps/registry-basic.sops.yaml': await encrypted(
      `apiVersion: v1
kind: Secret
metadata:
  name: registry-basic
  namespace: flux-system
stringData:
  username: ${info('auth-username')}
  password: ${info('auth-password')}
`,
      'registry-basic.sops.yaml',
    ),
  };
}

/** The TLS Secret: the registry's CA and a client certificate it accepts. */
async function tlsSecret(): Promise<string> {
  return `apiVersion: v1
kind: Secret
metadata:
  name: registry-tls
  namespace: flux-system
stringData:
  ca.crt: |
${indent(await readFile(info('auth-ca-file'), 'utf8'), 4)}
  tls.crt: |
${indent(await readFile(info('auth-client-cert-file'), 'utf8'), 4)}
  tls.key: |
${indent(await readFile(info('auth-client-key-file'), 'utf8'), 4)}
`;
}

/** The sources, with `secretRef` and `certSecretRef` where `refs` says. */
function sources(refs: { readonly secret: boolean; readonly cert: boolean }): string {
  const lines = (secret: string): string =>
    [
      ...(refs.secret ? [`  secretRef:\n    name: ${secret}`] : []),
      ...(refs.cert ? ['  certSecretRef:\n    name: registry-tls'] : []),
    ].join('\n');
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: private-charts
  namespace: flux-system
spec:
  type: oci
  interval: 1h
  url: ${info('auth-url')}
${lines('registry-basic')}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: private-demo
  namespace: flux-system
spec:
  interval: 1h
  url: ${info('auth-url')}/demo
  ref:
    tag: "1.1.0"
${lines('registry-docker')}
`;
}

const releases = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-ref
  namespace: apps
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: private-demo
    namespace: flux-system
  values:
    replicaCount: 2
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-repo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: demo
      version: "~1.2.0"
      sourceRef:
        kind: HelmRepository
        name: private-charts
        namespace: flux-system
  values:
    replicaCount: 3
`;

async function privateFluxRepo(refs: { readonly secret: boolean; readonly cert: boolean }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-oci-auth-'));
  await gitIn(dir, 'init', '--quiet', '--initial-branch=main');
  await commit(
    dir,
    {
      'clusters/main/sources.yaml': sources(refs),
      'clusters/main/apps.yaml': appsKustomization(),
      'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
      'apps/releases.yaml': releases,
      'apps/registry-tls.yaml': await tlsSecret(),
      ...(await credentialSecrets()),
    },
    'base',
  );
  return dir;
}

interface HelmCall {
  readonly args: readonly string[];
  /** The registry config helm was given, read while helm ran, and its file mode. */
  readonly registryConfig?: { readonly content: unknown; readonly mode: number };
}

/** The real exec, recording every helm call and the registry config it names. */
function recordingExec(calls: HelmCall[]): Exec {
  return {
    async run(command, args, options) {
      if (command === helm) {
        const at = args.indexOf('--registry-config');
        const file = at >= 0 ? args[at + 1] : undefined;
        calls.push({
          args,
          ...(file === undefined
            ? {}
            : {
                registryConfig: {
                  content: JSON.parse(await readFile(file, 'utf8')) as unknown,
                  mode: (await stat(file)).mode & 0o777,
                },
              }),
        });
      }
      return nodeExec.run(command, args, options);
    },
  };
}

function inputsFor(dir: string, extra: Record<string, string>): Record<string, string> {
  return {
    path: path.join(dir, 'clusters/main'),
    flux: 'true',
    'kustomize-path': kustomize,
    'helm-path': helm,
    'allow-remote': '127.0.0.1',
    'age-key-file': key.file,
    ...extra,
  };
}

const env = (dir: string): Record<string, string> => ({ PATH: process.env['PATH'] ?? '', HOME: dir });

async function runBuild(dir: string, calls: HelmCall[]) {
  const output = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-oci-auth-out-')), 'out.yaml');
  const inputs = inputsFor(dir, { output });
  const config = buildCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  await buildCommand.run(config, commandDeps(host, { exec: recordingExec(calls) }));
  const yaml = await readFile(output, 'utf8');
  const objects = parseAllDocuments(yaml)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null);
  return { yaml, objects, logs: host.logs.join('\n') };
}

async function runDiff(dir: string, extra: Record<string, string> = {}, calls: HelmCall[] = []) {
  const inputs = inputsFor(dir, { against: 'HEAD', ...extra });
  const config = diffCommand.parse((name) => inputs[name] ?? '', env(dir), { stdoutIsLog: false });
  const host = createMemoryHost();
  await diffCommand.run(config, commandDeps(host, { exec: recordingExec(calls) }));
  return { stdout: Buffer.concat(host.stdout).toString('utf8'), logs: host.logs.join('\n') };
}

function fromRelease(objects: readonly Obj[], name: string): Obj[] {
  return objects
    .filter((o) => {
      const labels = ((o['metadata'] as Obj)['labels'] ?? {}) as Record<string, string>;
      return labels[HELM_NAME_LABEL] === name && labels[HELM_NAMESPACE_LABEL] === 'apps';
    })
    .map((o) => {
      const copy = structuredClone(o);
      const metadata = copy['metadata'] as Obj;
      const labels = Object.entries(metadata['labels'] as Record<string, string>).filter(
        ([name]) => name !== HELM_NAME_LABEL && name !== HELM_NAMESPACE_LABEL,
      );
      if (labels.length === 0) delete metadata['labels'];
      else metadata['labels'] = Object.fromEntries(labels);
      return copy;
    });
}

/**
 * Why the working tree's build did not render a release, from its warning. (Diffed against
 * HEAD itself, the release has the same inputs on both sides, so the diff does not list it.)
 */
function notRenderedReason(logs: string, name: string): string {
  const line =
    logs
      .split('\n')
      .find((l) => l.includes(`HelmRelease apps/${name} (Kustomization`) && !l.includes(' at HEAD: ')) ?? '';
  return /\): not rendered: (.*)$/.exec(line)?.[1] ?? '';
}

test('private OCI sources: dockerconfigjson and basic-auth secretRefs with a certSecretRef render as helm template does', async () => {
  const dir = await privateFluxRepo({ secret: true, cert: true });
  const calls: HelmCall[] = [];
  const { yaml, objects, logs } = await runBuild(dir, calls);
  assert.match(
    yaml,
    /^# HelmRelease apps\/from-ref \(Kustomization flux-system\/apps\): chart demo 1\.1\.0$/m,
  );
  assert.match(
    yaml,
    /^# HelmRelease apps\/from-repo \(Kustomization flux-system\/apps\): chart demo 1\.2\.3$/m,
  );
  for (const [name, version, replicas] of [
    ['from-ref', '1.1.0', 2],
    ['from-repo', '1.2.3', 3],
  ] as const) {
    // The private instance serves the public one's storage: the same chart.
    const oracle = withHelmOwnership(
      await helmTemplate(`${info('url')}/demo`, name, 'apps', { replicaCount: replicas }, [
        '--no-hooks',
        '--include-crds',
        '--version',
        version,
        '--plain-http',
      ]),
      name,
      'apps',
    );
    const ours = fromRelease(objects, name);
    assert.equal(ours.length, oracle.length, name);
    for (const object of oracle) {
      const meta = object['metadata'] as Obj;
      assert.deepEqual(
        ours.find((o) => o['kind'] === object['kind'] && (o['metadata'] as Obj)['name'] === meta['name']),
        object,
        `${name} ${String(object['kind'])}/${String(meta['name'])}`,
      );
    }
  }

  const pulls = calls.filter((c) => c.args[0] === 'pull');
  assert.equal(pulls.length, 2, JSON.stringify(calls.map((c) => c.args)));
  const auth = Buffer.from(`${info('auth-username')}:${info('auth-password')}`).toString('base64');
  for (const pull of pulls) {
    for (const secret of [info('auth-password'), auth, OTHER_PASSWORD])
      assert.ok(!pull.args.some((a) => a.includes(secret)), 'no credential in argv');
    for (const flag of ['--ca-file', '--cert-file', '--key-file'])
      assert.ok(pull.args.includes(flag), `${flag} passed`);
    // Only this registry's host, from a file only the user can read.
    assert.deepEqual(pull.registryConfig, {
      content: { auths: { [info('auth-host')]: { auth } } },
      mode: 0o600,
    });
  }
  // The output holds the decrypted Secrets themselves (build writes them); the logs hold none.
  for (const secret of [info('auth-password'), auth, OTHER_PASSWORD]) assert.ok(!logs.includes(secret));
});

test('private OCI sources without credentials, without the CA, or without the keys are not rendered', async () => {
  const cases = [
    {
      name: 'no secretRef',
      refs: { secret: false, cert: true },
      extra: {},
      reason:
        /^chart not fetched: .*: helm pull oci:\/\/127\.0\.0\.1:\d+\/charts\/demo failed: .*basic credential not found/,
    },
    {
      name: 'no certSecretRef',
      refs: { secret: true, cert: false },
      extra: {},
      reason:
        /^chart not fetched: .*: helm pull oci:\/\/127\.0\.0\.1:\d+\/charts\/demo failed: .*certificate/i,
    },
    {
      name: 'no keys',
      refs: { secret: true, cert: true },
      extra: { 'age-key-file': '' },
      reason:
        /^(OCIRepository|HelmRepository) flux-system\/private-\S+: credentials unknown: Secret flux-system\/registry-(docker|basic) could not be decrypted in this run/,
    },
    {
      // allow-remote's default refuses the loopback registry before helm (and its credentials).
      name: 'allow-remote public',
      refs: { secret: true, cert: true },
      extra: { 'allow-remote': '' },
      reason: /^chart not fetched: .*: 127\.0\.0\.1:\d+ is a loopback, link-local or private address/,
    },
  ];
  for (const c of cases) {
    const dir = await privateFluxRepo(c.refs);
    const calls: HelmCall[] = [];
    const result = await runDiff(dir, c.extra, calls);
    for (const name of ['from-ref', 'from-repo']) {
      assert.match(notRenderedReason(result.logs, name), c.reason, `${c.name}: ${result.logs}`);
    }
    // Diffed against HEAD: the same inputs on both sides, so not unknown, and said so.
    assert.doesNotMatch(result.stdout, /^HelmRelease apps\/from-/m, c.name);
    assert.match(
      result.logs,
      /2 HelmReleases not rendered in this run, with the same HelmRelease, chart source and valuesFrom objects at HEAD/,
      c.name,
    );
    assert.ok(!result.stdout.includes(info('auth-password')), c.name);
    // Credentials are written for helm only when the registry may be reached with them.
    const pulls = calls.filter((call) => call.args[0] === 'pull');
    if (c.name === 'no keys' || c.name === 'allow-remote public') assert.deepEqual(pulls, [], c.name);
    else assert.equal(pulls.length, 2, c.name);
  }
});
