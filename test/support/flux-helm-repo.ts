/**
 * A small Flux repository in a temporary git repository, for the HelmRelease tests: the entry
 * `clusters/main` holds a HelmRepository on the test environment's HTTPS chart repository
 * (its credentials and CA in a Secret) and the `apps` Kustomization (SOPS decryption on); `apps/` holds the
 * `demo` HelmRelease (chart demo, values from a SOPS-encrypted Secret holding a canary
 * password, which the chart puts in a Secret and in a ConfigMap, and `replicaCount: 2` inline) and the `orphan` HelmRelease, whose source is not in
 * the repository.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireComponent } from '../env/state.ts';
import { helmBinary } from './helm.ts';
import { newAgeKey, sopsEncrypt, tool, type AgeKey } from './tools.ts';

const execFileAsync = promisify(execFile);

export const CANARY = 'helm-values-canary-5d1e7b';
export const CANARY_AFTER = 'helm-values-canary-after-93c0aa';

/** The age key the values Secret is encrypted for, and the helm-repo component's info. */
export interface FluxHelmFixture {
  readonly key: AgeKey;
  readonly chartRepo: Readonly<Record<string, string>>;
  /**
   * The values Secret's password (default CANARY). Test files that run at the same time use
   * their own, so one's leftover check never sees the other's private build roots.
   */
  readonly password?: string;
}

export async function gitIn(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  return stdout;
}

/** Each line of `text` indented by `spaces`, for YAML written inside YAML. */
export function indent(text: string, spaces: number): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');
}

/**
 * The entry folder: the chart repository and the apps Kustomization. The repository is the
 * server's private one (basic auth, and its CA, from a Secret the repository renders), which
 * only these tests use: helm-render.test.ts counts the requests to the public one.
 */
async function clusterFiles(chartRepo: FluxHelmFixture['chartRepo']): Promise<Record<string, string>> {
  const ca = await readFile(chartRepo['caFile'] ?? '', 'utf8');
  return {
    'clusters/main/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  interval: 1h
  url: ${chartRepo['url'] ?? ''}/private
  secretRef:
    name: charts-auth
---
apiVersion: v1
kind: Secret
metadata:
  name: charts-auth
  namespace: flux-system
stringData:
  username: ${chartRepo['username'] ?? ''}
  password: ${chartRepo['password'] ?? ''}
  ca.crt: |
${indent(ca, 4)}
`,
    'clusters/main/apps.yaml': appsKustomization(),
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    'apps/orphan.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: orphan
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: demo
      version: 1.0.0
      sourceRef:
        kind: HelmRepository
        name: elsewhere
        namespace: flux-system
`,
  };
}

export function demoRelease(version: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: demo
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  valuesFrom:
    - kind: Secret
      name: demo-values
  values:
    replicaCount: 2
`;
}

export async function valuesSecret(key: AgeKey, password: string): Promise<string> {
  const plain = `apiVersion: v1
kind: Secret
metadata:
  name: demo-values
  namespace: apps
stringData:
  values.yaml: |
    secret:
      password: ${password}
    config:
      token: ${password}
`;
  const file = await sopsEncrypt(plain, 'demo-values.sops.yaml', [
    '--age',
    key.recipient,
    '--encrypted-regex',
    '^(data|stringData)$',
  ]);
  return readFile(file, 'utf8');
}

export async function commit(
  dir: string,
  files: Readonly<Record<string, string>>,
  message: string,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  await gitIn(dir, 'add', '.');
  await gitIn(dir, 'commit', '--quiet', '-m', message);
}

/** A repository whose first commit has demo 1.0.0 with the first password. */
export async function fluxHelmRepo(fixture: FluxHelmFixture): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-flux-helm-'));
  await gitIn(dir, 'init', '--quiet', '--initial-branch=main');
  await commit(
    dir,
    {
      ...(await clusterFiles(fixture.chartRepo)),
      'apps/demo.yaml': demoRelease('1.0.0'),
      'apps/demo-values.sops.yaml': await valuesSecret(fixture.key, fixture.password ?? CANARY),
    },
    'base',
  );
  return dir;
}

/** The `apps` Kustomization of clusters/main (SOPS decryption on), suspended when asked. */
export function appsKustomization(options: { readonly suspend?: boolean } = {}): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
${options.suspend === true ? '  suspend: true\n' : ''}  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
`;
}

/** The tools and key a Flux-mode command over one of these repositories runs with. */
export interface FluxHelmTools {
  readonly key: AgeKey;
  readonly kustomize: string;
  readonly helm: string;
}

/** What a test file over these repositories sets up once: a new age key, the tools, the chart repository. */
export async function fluxHelmSetup(): Promise<FluxHelmTools & Pick<FluxHelmFixture, 'chartRepo'>> {
  return {
    key: await newAgeKey(),
    kustomize: await tool('kustomize'),
    helm: await helmBinary(),
    chartRepo: await requireComponent('helm-repo'),
  };
}

/** The command inputs for `clusters/main` of `dir` in Flux mode, charts on loopback allowed. */
export function fluxHelmInputs(
  dir: string,
  tools: FluxHelmTools,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    path: path.join(dir, 'clusters/main'),
    flux: 'true',
    'age-key-file': tools.key.file,
    'kustomize-path': tools.kustomize,
    'helm-path': tools.helm,
    'allow-remote': '127.0.0.1',
    ...extra,
  };
}

/** The environment of such a command: PATH, and HOME in the repository (no user config). */
export function fluxHelmEnv(dir: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: dir };
}
