/**
 * Flux mode on a home-ops-style repository (test/support/home-ops.ts): discovery through the
 * declared root and a parent that patches its children, substitution from a plain ConfigMap
 * and a SOPS Secret that other Kustomizations render, components, commonMetadata,
 * targetNamespace, namePrefix, images and dependsOn order; each Kustomization compared with
 * `flux build kustomization` (given the variables we gathered, since Flux's --dry-run skips
 * substituteFrom), and the Secret's values checked apart.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { discoverFlux, type FluxDiscovery } from '../../src/flux/discover.ts';
import { kustomizationId } from '../../src/flux/kustomization.ts';
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from '../../src/flux/render.ts';
import { gatherVariables, SubstitutionPool } from '../../src/flux/substitute-from.ts';
import { hasUndecryptedValues } from '../../src/kube/mask.ts';
import { UndecryptedFiles } from '../../src/kustomize/placeholder.ts';
import { UNDECRYPTED_TEXT } from '../../src/sops/undecrypted.ts';
import { compareWithFlux, fluxBuild, fluxRenderDeps } from '../support/flux.ts';
import { createHomeOpsRepo, DOMAIN, SECRET_TOKEN, type HomeOpsRepo } from '../support/home-ops.ts';

let repo: HomeOpsRepo;
let discovery: FluxDiscovery;
const problems: string[] = [];

before(async () => {
  repo = await createHomeOpsRepo();
  const deps = await fluxRenderDeps([repo.key.file]);
  // The oracle needs the variables each Kustomization substituted with: gather them from
  // what was rendered before it, as discovery does.
  const pool = new SubstitutionPool();
  discovery = await discoverFlux(
    {
      entry: path.join(repo.root, 'clusters/main'),
      repoRoot: repo.root,
      async onRendered(rendered, sourceDir) {
        const k = rendered.kustomization;
        if (kustomizationId(k) === 'flux-system/flux-system') pool.add(rendered.objects, 'root', k.namespace);
        const vars = gatherVariables(k, pool);
        assert.ok(vars.ok, `${kustomizationId(k)} has its variables`);
        const theirs = await fluxBuild(k, path.resolve(sourceDir, k.path), vars.vars);
        for (const p of compareWithFlux(rendered.objects, theirs))
          problems.push(`${kustomizationId(k)}: ${p}`);
        pool.add(rendered.objects, kustomizationId(k), k.namespace);
      },
    },
    deps,
  );
});

function objectsOf(id: string): Record<string, unknown>[] {
  const rendered = discovery.rendered.find((r) => kustomizationId(r.kustomization) === id);
  assert.ok(rendered, `${id} was rendered`);
  return [...rendered.objects];
}

function find(id: string, kind: string, name: string): Record<string, unknown> {
  const object = objectsOf(id).find(
    (o) => o['kind'] === kind && (o['metadata'] as { name?: unknown }).name === name,
  );
  assert.ok(object, `${id} renders ${kind} ${name}`);
  return object;
}

test('every Kustomization renders as flux build does', () => {
  assert.deepEqual(problems, []);
});

test('discovery follows the declared root and cluster-apps to the apps, in dependsOn order', () => {
  assert.deepEqual(
    discovery.rendered.map((r) => kustomizationId(r.kustomization)),
    ['flux-system/flux-system', 'flux-system/cluster-apps', 'flux-system/db', 'flux-system/echo'],
  );
  assert.deepEqual(discovery.notRendered, []);
  assert.deepEqual(discovery.findings, []);
  // The declared root (gotk-sync.yaml) is the one used, not the synthetic stand-in.
  assert.equal(
    discovery.rendered[0]?.kustomization.origin,
    "the entry folder (as bootstrap's root Kustomization)",
  );
});

test('the parent patch gave every child decryption and substituteFrom', () => {
  for (const id of ['flux-system/db', 'flux-system/echo']) {
    const k = discovery.rendered.find((r) => kustomizationId(r.kustomization) === id)?.kustomization;
    assert.ok(k);
    assert.equal(k.decryptionProvider, 'sops');
    assert.deepEqual(
      k.postBuild?.substituteFrom.map((r) => r.name),
      ['cluster-settings', 'cluster-secrets'],
    );
  }
});

test('echo: substitution from the ConfigMap, the SOPS Secret and inline, with defaults and the $$ escape', () => {
  const release = find('flux-system/echo', 'HelmRelease', 'echo');
  const meta = release['metadata'] as { namespace?: unknown; labels?: Record<string, unknown> };
  assert.equal(meta.namespace, 'web');
  assert.deepEqual(meta.labels, {
    'app.kubernetes.io/name': 'echo',
    [FLUX_NAME_LABEL]: 'echo',
    [FLUX_NAMESPACE_LABEL]: 'flux-system',
  });
  assert.deepEqual((release['spec'] as { values?: unknown }).values, {
    host: `echo.${DOMAIN}`,
    token: SECRET_TOKEN,
    timezone: 'Europe/Paris',
    locale: 'en_GB',
    literal: '${NOT_A_VARIABLE}',
    replicas: 2,
  });
  // The component's resource is there, substituted too.
  assert.deepEqual(find('flux-system/echo', 'ConfigMap', 'echo-alerts')['data'], { domain: DOMAIN });
});

test('db: generated kustomization, namePrefix, images, and substitute: disabled honoured', () => {
  const sts = find('flux-system/db', 'StatefulSet', 'home-db');
  const spec = sts['spec'] as { template: { spec: { containers: { image: string }[] } } };
  assert.equal(spec.template.spec.containers[0]?.image, 'postgres:17.2');
  assert.deepEqual(find('flux-system/db', 'ConfigMap', 'home-untouched')['data'], { raw: '${APP}' });
});

test('the SOPS Secret is decrypted (its values checked apart from the oracle)', () => {
  const secret = find('flux-system/flux-system', 'Secret', 'cluster-secrets');
  assert.deepEqual(secret['stringData'], { SECRET_TOKEN });
  assert.equal(secret['sops'], undefined);
});

test('without keys (diff of a fork): what uses a SOPS Secret value is unknown, the rest renders', async () => {
  const undecrypted = new UndecryptedFiles();
  const deps = { ...(await fluxRenderDeps()), undecrypted };
  const d = await discoverFlux({ entry: path.join(repo.root, 'clusters/main'), repoRoot: repo.root }, deps);
  assert.deepEqual(
    undecrypted.list().map((f) => f.file),
    ['clusters/main/vars/cluster-secrets.sops.yaml'],
  );
  const echo = d.rendered.find((r) => r.kustomization.name === 'echo');
  const release = echo?.objects.find((o) => o['kind'] === 'HelmRelease');
  const values = (release?.['spec'] as { values?: Record<string, unknown> } | undefined)?.values;
  assert.ok(values);
  assert.equal(values['token'], UNDECRYPTED_TEXT);
  assert.equal(values['host'], `echo.${DOMAIN}`);
  assert.equal(hasUndecryptedValues(release), true);
  const alerts = echo?.objects.find((o) => o['kind'] === 'ConfigMap');
  assert.equal(hasUndecryptedValues(alerts), false);
});

test('diff --flux --against REF reads per Kustomization, names the Kustomizations removed, and masks substituted secrets', async () => {
  const { execFileSync } = await import('node:child_process');
  const { cp, mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { diffCommand } = await import('../../src/commands/diff.ts');
  const { createMemoryHost } = await import('../../src/host/memory-host.ts');
  const { commandDeps } = await import('../support/command-deps.ts');
  const { tool } = await import('../support/tools.ts');
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-home-ops-git-'));
  await cp(repo.root, root, { recursive: true });
  await rm(path.join(root, '.git'), { recursive: true });
  const git = (...args: string[]): void => {
    execFileSync('git', args, {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: root,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  };
  git('init', '-q', '--initial-branch=main');
  git('add', '.');
  git('commit', '-qm', 'base');
  const settings = path.join(root, 'clusters/main/vars/cluster-settings.yaml');
  await writeFile(settings, (await readFile(settings, 'utf8')).replace(DOMAIN, 'new.example.com'));
  const web = path.join(root, 'apps/web/kustomization.yaml');
  await writeFile(web, (await readFile(web, 'utf8')).replace('  - ./db/ks.yaml\n', ''));

  const host = createMemoryHost();
  const inputs: Record<string, string> = {
    path: path.join(root, 'clusters/main'),
    root,
    flux: 'true',
    against: 'HEAD',
    'age-key-file': repo.key.file,
    'kustomize-path': await tool('kustomize'),
    'allow-remote': 'none',
  };
  const config = diffCommand.parse(
    (name) => inputs[name] ?? '',
    { PATH: process.env['PATH'] ?? '', HOME: root },
    {
      stdoutIsLog: false,
    },
  );
  const deps = commandDeps(host);
  assert.equal(await diffCommand.run(config, deps), 1);
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.match(stdout, /^Kustomization flux-system\/echo: 0 created, 2 configured, 0 deleted, 1 unchanged$/m);
  assert.match(stdout, /^Kustomization flux-system\/db: 0 created, 0 configured, \d+ deleted, 0 unchanged/m);
  assert.match(stdout, /^Kustomizations removed: flux-system\/db$/m);
  assert.match(stdout, /^\+\s+host: echo\.new\.example\.com$/m);
  assert.match(stdout, /^HelmRelease\/web\/echo configured$/m);
  // The HelmRelease's substituted SOPS value is known to the run, and so masked wherever it lands.
  assert.equal(deps.secrets.touches(`token: ${SECRET_TOKEN}`), true);
  const reported = JSON.stringify(deps.reporter.reported);
  for (const text of [host.allText(), reported]) {
    assert.ok(!text.includes(SECRET_TOKEN));
    assert.ok(!text.includes(Buffer.from(SECRET_TOKEN).toString('base64')));
  }
});
