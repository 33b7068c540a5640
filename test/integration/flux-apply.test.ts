/**
 * `apply --flux` against the real kube-apiserver: Kustomizations applied in dependsOn order
 * (a dependant's namespace comes from its dependency), each through its own ApplySet, prune
 * per Kustomization, and a failure that stops its dependants and nothing else.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { applyCommand } from '../../src/commands/apply.ts';
import { openKubeClient } from '../../src/commands/open-kube-client.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { requireComponent } from '../env/state.ts';
import { commandDeps } from '../support/command-deps.ts';
import { tool } from '../support/tools.ts';

const run = promisify(execFile);
const NS = 'ksd-flux-apply';

function ks(name: string, dir: string, extra = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./${dir}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra}`;
}

const cm = (name: string, ns = NS): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  k: v\n`;

describe('apply --flux against the apiserver', () => {
  let info: Readonly<Record<string, string>>;
  let repo: string;
  let kustomize: string;

  async function write(files: Record<string, string>): Promise<void> {
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
      await writeFile(path.join(repo, rel), text);
    }
  }

  async function kubectlNames(kind: string): Promise<string[]> {
    const { stdout } = await run(
      info['kubectl']!,
      ['--kubeconfig', info['kubeconfig']!, 'get', kind, '-n', NS, '-o', 'name'],
      {
        env: { PATH: process.env['PATH'], HOME: repo },
      },
    );
    // kube-root-ca.crt is the controller-manager's, made whenever it gets to the namespace.
    return stdout
      .split('\n')
      .filter((l) => l !== '' && l !== 'configmap/kube-root-ca.crt')
      .sort();
  }

  async function apply(): Promise<{ code: number; stdout: string; logs: string }> {
    const host = createMemoryHost();
    const inputs: Record<string, string> = {
      path: path.join(repo, 'clusters', 'dev'),
      root: repo,
      flux: 'true',
      kubeconfig: info['kubeconfig']!,
      'kustomize-path': kustomize,
    };
    const config = applyCommand.parse(
      (name) => inputs[name] ?? '',
      { PATH: process.env['PATH'] ?? '' },
      {
        stdoutIsLog: false,
      },
    );
    let code: number;
    try {
      code = await applyCommand.run(config, commandDeps(host, { kubeClient: openKubeClient }));
    } catch (error) {
      host.error(String(error));
      code = 2;
    }
    return { code, stdout: Buffer.concat(host.stdout).toString('utf8'), logs: host.logs.join('\n') };
  }

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    kustomize = await tool('kustomize');
    repo = await mkdtemp(path.join(tmpdir(), 'ksd-flux-apply-'));
    await mkdir(path.join(repo, '.git'));
    await write({
      'clusters/dev/kustomization.yaml':
        'resources:\n  - infra.yaml\n  - apps.yaml\n  - broken.yaml\n  - late.yaml\n  - elsewhere.yaml\n',
      'clusters/dev/infra.yaml': ks('infra', 'infra'),
      // apps needs the namespace infra makes: only dependsOn order lets it apply.
      'clusters/dev/apps.yaml': ks('apps', 'apps', '  dependsOn:\n    - name: infra\n'),
      'clusters/dev/broken.yaml': ks('broken', 'broken'),
      'clusters/dev/late.yaml': ks('late', 'late', '  dependsOn:\n    - name: broken\n'),
      // Its source is an OCI artifact this repository does not hold: listed, never silent.
      'clusters/dev/elsewhere.yaml': ks('elsewhere', 'apps').replace(
        'kind: GitRepository\n    name: flux-system',
        'kind: OCIRepository\n    name: artifact',
      ),
      'infra/kustomization.yaml': 'resources:\n  - ns.yaml\n',
      'infra/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`,
      'apps/kustomization.yaml': 'resources:\n  - one.yaml\n  - two.yaml\n',
      'apps/one.yaml': cm('one'),
      'apps/two.yaml': cm('two'),
      // The apiserver refuses it: a ConfigMap's data values must be strings.
      'broken/kustomization.yaml': 'resources:\n  - bad.yaml\n',
      'broken/bad.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: ${NS}\ndata:\n  n:\n    nested: map\n`,
      'late/kustomization.yaml': 'resources:\n  - late.yaml\n',
      'late/late.yaml': cm('late'),
    });
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('applies in dependsOn order; a failure stops only its dependants', async () => {
    const result = await apply();
    assert.equal(result.code, 2, `${result.stdout}\n${result.logs}`);
    assert.deepEqual(await kubectlNames('configmaps'), ['configmap/one', 'configmap/two']);
    assert.match(result.stdout, /^applied\s+flux-system\/infra$/m);
    assert.match(result.stdout, /^applied\s+flux-system\/apps$/m);
    assert.match(result.stdout, /^failed\s+flux-system\/broken: apply failed: .*\.data\.n: expected string/m);
    assert.match(
      result.stdout,
      /^not attempted\s+flux-system\/late: its dependency flux-system\/broken failed$/m,
    );
    assert.match(
      result.stdout,
      /^not rendered\s+Kustomization flux-system\/elsewhere: source OCIRepository flux-system\/artifact is not in this repository$/m,
    );
    // The cluster has no Flux: the Kustomization objects themselves are left out, and said so.
    assert.match(result.stdout, /^applied\s+flux-system\/flux-system$/m);
    assert.match(result.logs, /5 Flux Kustomization object\(s\) not applied: the cluster does not serve/);
    assert.match(
      result.logs,
      /3 of 5 Kustomizations applied; flux-system\/broken failed, flux-system\/late not-attempted|3 of 5 Kustomizations applied/,
    );
  });

  it('prunes what a Kustomization no longer renders, through its own ApplySet', async () => {
    await write({
      'apps/kustomization.yaml': 'resources:\n  - one.yaml\n',
      'clusters/dev/kustomization.yaml': 'resources:\n  - infra.yaml\n  - apps.yaml\n',
    });
    const result = await apply();
    assert.equal(result.code, 0, `${result.stdout}\n${result.logs}`);
    assert.deepEqual(await kubectlNames('configmaps'), ['configmap/one']);
    assert.match(result.stdout, /ConfigMap\/ksd-flux-apply\/two deleted/);
  });
});
