/**
 * HelmReleases rendered by src/helm/ compared with the real `helm template` (helm v4.3.2 built
 * from the Go proxy), object for object, for charts served by a real HTTPS chart repository on
 * loopback (the helm-repo component): version ranges, basic auth and a private CA from a
 * Secret, the address policy, a SOPS-encrypted valuesFrom Secret with and without the key,
 * post-renderers, CRD policies, a GitRepository chart folder and a HelmChart chartRef.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseKeys } from '../../src/config/keys.ts';
import { ChartCache } from '../../src/helm/chart-source.ts';
import { resolveHelm } from '../../src/helm/helm-tool.ts';
import type { HelmTool } from '../../src/helm/helm-tool.ts';
import { ObjectIndex } from '../../src/helm/object-index.ts';
import { renderHelmRelease } from '../../src/helm/render.ts';
import type { HelmReleaseRender, HelmRenderOptions } from '../../src/helm/render.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { createKeySources } from '../../src/keys/key-sources.ts';
import { buildTarget, resolveKustomize } from '../../src/kustomize/build.ts';
import type { KustomizeTool } from '../../src/kustomize/build.ts';
import { cacheKeySources } from '../../src/kustomize/key-cache.ts';
import { UndecryptedFiles } from '../../src/kustomize/placeholder.ts';
import { SecretRegistry } from '../../src/masking.ts';
import { recordedRequests } from '../env/helm-repo-server.ts';
import { repoRoot } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { helmBinary, helmTemplate, withOrigin } from '../support/helm.ts';
import { newAgeKey, sopsEncrypt, tool } from '../support/tools.ts';

type Obj = Record<string, unknown>;

let repo: Readonly<Record<string, string>>;
let helm: HelmTool;
let kustomize: KustomizeTool;
const cache = new ChartCache();
const CHARTS = path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts');

before(async () => {
  repo = await requireComponent('helm-repo');
  helm = await resolveHelm(await helmBinary(), { exec: nodeExec, env: process.env });
  kustomize = await resolveKustomize(await tool('kustomize'), { exec: nodeExec, env: process.env });
});
after(() => cache.dispose());

function archive(name: string, version: string, which = 'public'): string {
  return path.join(repo['root'] ?? '', which, `${name}-${version}.tgz`);
}

function helmRepository(name: string, which: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name, namespace: 'flux-system' },
    spec: { url: `${repo['url'] ?? ''}/${which}`, ...extra },
  };
}

function helmRelease(name: string, spec: Obj, namespace = 'apps'): Obj {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec,
  };
}

function chartSpec(chart: string, version: string, source = 'public', kind = 'HelmRepository'): Obj {
  return { chart: { spec: { chart, version, sourceRef: { kind, name: source, namespace: 'flux-system' } } } };
}

function caSecret(name: string, data: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'flux-system' }, stringData: data };
}

async function render(
  release: Obj,
  objects: readonly Obj[],
  options: HelmRenderOptions = {},
  overrides: { allowPrivate?: boolean; registry?: SecretRegistry } = {},
): Promise<HelmReleaseRender> {
  return renderHelmRelease(
    release,
    {
      objects: new ObjectIndex([release, ...objects]),
      cache,
      policy: { allowPrivateAddresses: overrides.allowPrivate ?? true },
      registry: overrides.registry ?? new SecretRegistry(() => undefined),
      repoRoot: path.join(repoRoot, 'test', 'fixtures', 'helm'),
      exec: nodeExec,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', NODE_EXTRA_CA_CERTS: '' },
      helm,
      kustomize,
    },
    options,
  );
}

function key(o: Obj): string {
  const m = o['metadata'] as { name: string; namespace?: string };
  return `${String(o['kind'])}/${m.namespace ?? ''}/${m.name}`;
}

function assertSameObjects(actual: readonly Obj[], expected: readonly Obj[]): void {
  const sort = (list: readonly Obj[]): Obj[] => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  assert.deepEqual(sort(actual).map(key), sort(expected).map(key));
  assert.deepEqual(sort(actual), sort(expected));
}

function rendered(result: HelmReleaseRender): Extract<HelmReleaseRender, { status: 'rendered' }> {
  assert.equal(result.status, 'rendered', result.status === 'not-rendered' ? result.reason : '');
  return result;
}

describe('HelmRepository over HTTPS', () => {
  const caFile = (): string => readFileSync(repo['caFile'] ?? '', 'utf8');

  it('resolves a range like the source-controller and renders what helm template renders', async () => {
    const values = { valuesFrom: [{ kind: 'ConfigMap', name: 'demo-values' }], values: { replicaCount: 3 } };
    const objects = [
      helmRepository('public', 'public'),
      caSecret('public-ca', { 'ca.crt': caFile() }),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'demo-values', namespace: 'apps' },
        data: { 'values.yaml': 'config:\n  greeting: hi\nreplicaCount: 2\n' },
      },
    ];
    (objects[0] as { spec: Obj }).spec['certSecretRef'] = { name: 'public-ca' };
    const result = rendered(
      await render(helmRelease('web', { ...chartSpec('demo', '~1.1'), ...values }), objects),
    );
    assert.equal(result.chart.version, '1.1.0');
    const oracle = await helmTemplate(archive('demo', '1.1.0'), 'web', 'apps', {
      config: { greeting: 'hi' },
      replicaCount: 3,
    });
    assertSameObjects(result.objects, withOrigin(oracle, 'web', 'apps'));
    assert.ok(oracle.length >= 3);
  });

  it('the latest stable version when none is given, skipping the prerelease', async () => {
    const objects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': caFile() }),
    ];
    const result = rendered(await render(helmRelease('latest', chartSpec('demo', '')), objects));
    assert.equal(result.chart.version, '2.0.0');
  });

  it('targetNamespace names the release [targetNamespace-]name and places the objects there', async () => {
    const objects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': caFile() }),
    ];
    const result = rendered(
      await render(helmRelease('api', { ...chartSpec('demo', '1.0.0'), targetNamespace: 'team' }), objects),
    );
    assert.equal(result.release.releaseName, 'team-api');
    const oracle = await helmTemplate(archive('demo', '1.0.0'), 'team-api', 'team', {});
    assertSameObjects(
      result.objects,
      withOrigin(oracle, 'api', 'apps', { name: 'team-api', namespace: 'team' }),
    );
  });

  it('basic auth and the CA from the repository Secret; credentials go only to the repository host', async () => {
    const before = recordedRequests(repo['root'] ?? '').length;
    const objects = [
      helmRepository('private', 'private', { secretRef: { name: 'private-auth' } }),
      caSecret('private-auth', {
        username: repo['username'] ?? '',
        password: repo['password'] ?? '',
        'ca.crt': caFile(),
      }),
    ];
    const result = rendered(
      await render(helmRelease('secure', chartSpec('demo', '1.2.x', 'private')), objects),
    );
    assert.equal(result.chart.version, '1.2.3');
    const requests = recordedRequests(repo['root'] ?? '').slice(before);
    assert.ok(requests.some((r) => r.path === '/private/index.yaml' && r.authorized));
    assert.ok(requests.every((r) => r.path.startsWith('/private/') && r.authorized));
  });

  it('without the credentials the private repository answers 401, named in the error', async () => {
    const objects = [
      helmRepository('private', 'private', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': caFile() }),
    ];
    await assert.rejects(
      render(helmRelease('denied', chartSpec('demo', '1.0.0', 'private')), objects),
      /HTTP 401/,
    );
  });

  it('without the CA the TLS handshake fails', async () => {
    await assert.rejects(
      render(helmRelease('untrusted', chartSpec('demo', '1.0.0', 'untrusted')), [
        helmRepository('untrusted', 'public'),
      ]),
      /GET https:\/\/127\.0\.0\.1/,
    );
  });

  it('a loopback repository is refused unless the run allows private addresses', async () => {
    const objects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': caFile() }),
    ];
    await assert.rejects(
      render(helmRelease('blocked', chartSpec('demo', '1.0.0')), objects, {}, { allowPrivate: false }),
      /loopback, link-local or private/,
    );
  });

  it('fetches each index and archive once per run', async () => {
    const objects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': caFile() }),
    ];
    const local = new ChartCache();
    const before = recordedRequests(repo['root'] ?? '').length;
    try {
      for (const name of ['one', 'two', 'three']) {
        await renderHelmRelease(
          helmRelease(name, { ...chartSpec('demo', '1.0.0'), values: { replicaCount: name.length } }),
          {
            objects: new ObjectIndex(objects),
            cache: local,
            policy: { allowPrivateAddresses: true },
            registry: new SecretRegistry(() => undefined),
            repoRoot,
            exec: nodeExec,
            env: process.env,
            helm,
          },
        );
      }
    } finally {
      await local.dispose();
    }
    // Only this file uses the public repository; Flux-mode tests running at the same time use
    // the private one.
    const paths = recordedRequests(repo['root'] ?? '')
      .slice(before)
      .map((r) => r.path)
      .filter((p) => p.startsWith('/public/'));
    assert.deepEqual(paths, ['/public/index.yaml', '/public/demo-1.0.0.tgz']);
  });
});

describe('CRDs, post-renderers and other sources', () => {
  const repoObjects = (): Obj[] => [
    helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
    caSecret('ca', { 'ca.crt': readFileSync(repo['caFile'] ?? '', 'utf8') }),
  ];

  const table: readonly { name: string; spec: Obj; options?: HelmRenderOptions; crds: boolean }[] = [
    { name: 'install.crds defaults to Create: CRDs rendered', spec: {}, crds: true },
    { name: 'install.crds Skip: no CRDs', spec: { install: { crds: 'Skip' } }, crds: false },
    { name: 'upgrade defaults to Skip', spec: {}, options: { action: 'upgrade' }, crds: false },
    {
      name: 'upgrade.crds CreateReplace',
      spec: { upgrade: { crds: 'CreateReplace' } },
      options: { action: 'upgrade' },
      crds: true,
    },
  ];
  for (const row of table) {
    it(row.name, async () => {
      const result = rendered(
        await render(
          helmRelease('gadgets', { ...chartSpec('widgets', '0.3.0'), ...row.spec }),
          repoObjects(),
          row.options,
        ),
      );
      const flags = row.crds ? ['--no-hooks', '--include-crds'] : ['--no-hooks'];
      const oracle = await helmTemplate(archive('widgets', '0.3.0'), 'gadgets', 'apps', {}, flags);
      assert.equal(
        oracle.some((o) => o['kind'] === 'CustomResourceDefinition'),
        row.crds,
      );
      assertSameObjects(result.objects, withOrigin(oracle, 'gadgets', 'apps'));
    });
  }

  it('post-renderers: kustomize patches and images over helm template', async () => {
    const spec = {
      ...chartSpec('demo', '1.0.0'),
      postRenderers: [
        {
          kustomize: {
            patches: [
              {
                target: { kind: 'Deployment' },
                patch: '- op: replace\n  path: /spec/replicas\n  value: 5\n',
              },
              {
                patch:
                  'apiVersion: v1\nkind: Service\nmetadata:\n  name: patched-demo\n  namespace: apps\n  annotations:\n    patched: "yes"\n',
              },
            ],
            images: [{ name: 'ghcr.io/example/demo', newName: 'registry.example.com/demo', newTag: '9.9.9' }],
          },
        },
      ],
    };
    const result = rendered(await render(helmRelease('patched', spec), repoObjects()));
    const oracle = withOrigin(
      await helmTemplate(archive('demo', '1.0.0'), 'patched', 'apps', {}),
      'patched',
      'apps',
    );
    for (const o of oracle) {
      if (o['kind'] === 'Deployment') {
        const s = o['spec'] as { replicas: number; template: { spec: { containers: { image: string }[] } } };
        s.replicas = 5;
        for (const c of s.template.spec.containers) c.image = 'registry.example.com/demo:9.9.9';
      }
      if (o['kind'] === 'Service') {
        const metadata = o['metadata'] as Obj;
        metadata['annotations'] = { ...(metadata['annotations'] as Obj), patched: 'yes' };
      }
    }
    assertSameObjects(result.objects, oracle);
  });

  it('a GitRepository flux-system chart is a folder of this repository', async () => {
    const result = rendered(
      await render(
        helmRelease('local', { ...chartSpec('charts/demo', '', 'flux-system', 'GitRepository') }),
        [],
      ),
    );
    const oracle = await helmTemplate(path.join(CHARTS, 'demo'), 'local', 'apps', {});
    assertSameObjects(result.objects, withOrigin(oracle, 'local', 'apps'));
  });

  it('a chartRef to a HelmChart resolves through its own source', async () => {
    const helmChart = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmChart',
      metadata: { name: 'demo-chart', namespace: 'flux-system' },
      spec: { chart: 'demo', version: '1.1.x', sourceRef: { kind: 'HelmRepository', name: 'public' } },
    };
    const release = helmRelease('byref', {
      chartRef: { kind: 'HelmChart', name: 'demo-chart', namespace: 'flux-system' },
    });
    const result = rendered(await render(release, [...repoObjects(), helmChart]));
    assert.equal(result.chart.version, '1.1.0');
  });

  it('Buckets, OCI registries whose credentials are not in the repository, and other repositories are not rendered, with the reason', async () => {
    const bucket = await render(helmRelease('b', chartSpec('demo', '', 'charts', 'Bucket')), []);
    assert.deepEqual(
      bucket.status === 'not-rendered' && bucket.reason,
      'source Bucket flux-system/charts is a Bucket, which is not rendered',
    );
    const oci = await render(helmRelease('o', chartSpec('demo', '', 'oci')), [
      {
        ...helmRepository('oci', 'public'),
        spec: { type: 'oci', url: 'oci://ghcr.io/example/charts', secretRef: { name: 'ghcr' } },
      },
    ]);
    // Refused before helm runs: credentials come only from Secrets the repository renders.
    assert.equal(
      oci.status === 'not-rendered' && oci.reason,
      'HelmRepository flux-system/oci: its secretRef Secret flux-system/ghcr is not rendered by this repository',
    );
    const ociRef = await render(
      helmRelease('r', { chartRef: { kind: 'OCIRepository', name: 'elsewhere', namespace: 'flux-system' } }),
      [],
    );
    assert.equal(
      ociRef.status === 'not-rendered' && ociRef.reason,
      'chartRef OCIRepository flux-system/elsewhere is not in this repository',
    );
    const other = await render(helmRelease('g', chartSpec('charts/demo', '', 'other', 'GitRepository')), []);
    assert.match(
      other.status === 'not-rendered' ? other.reason : '',
      /source GitRepository flux-system\/other is not in this repository/,
    );
  });
});

describe('a SOPS-encrypted valuesFrom Secret', () => {
  async function kustomization(): Promise<{ dir: string; keyFile: string; password: string }> {
    const key = await newAgeKey();
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-helm-sops-'));
    const password = 'hunter2-from-sops-values';
    const secret = stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'demo-secret-values', namespace: 'apps' },
      stringData: { 'values.yaml': stringify({ secret: { password }, config: { level: 'debug' } }) },
    });
    await writeFile(
      path.join(dir, 'values.sops.yaml'),
      await readFile(
        await sopsEncrypt(secret, 'values.sops.yaml', [
          '--age',
          key.recipient,
          '--encrypted-regex',
          '^(data|stringData)$',
        ]),
      ),
    );
    await writeFile(path.join(dir, 'kustomization.yaml'), stringify({ resources: ['values.sops.yaml'] }));
    return { dir, keyFile: key.file, password };
  }

  async function built(
    dir: string,
    keyFile: string | undefined,
  ): Promise<{ objects: Obj[]; registry: SecretRegistry; masked: string[] }> {
    const host = createMemoryHost();
    const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
    const keys = parseKeys((name) => (name === 'age-key-file' && keyFile !== undefined ? keyFile : ''), env);
    const masked: string[] = [];
    const registry = new SecretRegistry((v) => {
      masked.push(v);
      host.setSecret(v);
    });
    const result = await buildTarget(
      { target: dir, root: dir },
      {
        host,
        exec: nodeExec,
        keySources: cacheKeySources(await createKeySources(keys, { host, exec: nodeExec })),
        registry,
        tool: kustomize,
        env,
        signals: null,
        ...(keyFile === undefined ? { undecrypted: new UndecryptedFiles() } : {}),
      },
    );
    return { objects: result.objects as Obj[], registry, masked };
  }

  const spec = (): Obj => ({
    ...chartSpec('demo', '1.0.0'),
    valuesFrom: [{ kind: 'Secret', name: 'demo-secret-values' }],
    values: { config: { greeting: 'inline' } },
  });

  it('with the key: decrypted, rendered like helm template, and its values registered for masking', async () => {
    const { dir, keyFile, password } = await kustomization();
    const { objects, registry, masked } = await built(dir, keyFile);
    const repoObjects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': readFileSync(repo['caFile'] ?? '', 'utf8') }),
    ];
    const result = rendered(
      await render(helmRelease('vault', spec()), [...objects, ...repoObjects], {}, { registry }),
    );
    const oracle = await helmTemplate(archive('demo', '1.0.0'), 'vault', 'apps', {
      secret: { password },
      config: { level: 'debug', greeting: 'inline' },
    });
    assertSameObjects(result.objects, withOrigin(oracle, 'vault', 'apps'));
    assert.ok(
      result.objects.some((o) => o['kind'] === 'Secret'),
      'the chart renders the password into a Secret',
    );
    assert.ok(masked.includes(password));
    assert.ok(masked.includes(Buffer.from(password).toString('base64')));
  });

  it('without the key: not rendered, values unknown', async () => {
    const { dir } = await kustomization();
    const { objects } = await built(dir, undefined);
    const result = await render(helmRelease('vault', spec()), objects);
    assert.match(
      result.status === 'not-rendered' ? result.reason : 'rendered',
      /^values unknown: Secret apps\/demo-secret-values could not be decrypted in this run$/,
    );
  });
});

describe('spec.chart.spec.valuesFiles', () => {
  const prodValues = { replicaCount: 4, config: { level: 'warn' } };
  const objectsWithCa = (): Obj[] => [
    helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
    caSecret('ca', { 'ca.crt': readFileSync(repo['caFile'] ?? '', 'utf8') }),
  ];
  /** The source-controller's build metadata (the HelmChart generation, 1) in the chart label. */
  function withBuildMetadata(objects: readonly Obj[], version: string): Obj[] {
    return objects.map((o) => {
      const copy = structuredClone(o);
      const labels = (copy['metadata'] as Obj)['labels'] as Record<string, string> | undefined;
      if (labels?.['helm.sh/chart'] === `demo-${version}`) labels['helm.sh/chart'] = `demo-${version}+1`;
      return copy;
    });
  }
  function withValuesFiles(spec: Obj, files: readonly string[], extra: Obj = {}): Obj {
    const chart = (spec['chart'] as { spec: Obj }).spec;
    return { ...spec, chart: { spec: { ...chart, valuesFiles: files, ...extra } } };
  }

  it('merges the listed files of a repository chart over its defaults, as the source-controller builds it', async () => {
    const spec = withValuesFiles(chartSpec('demo', '1.2.3'), ['values.yaml', 'values-prod.yaml']);
    const result = rendered(
      await render(
        helmRelease('prod', { ...spec, values: { config: { greeting: 'hey' } } }),
        objectsWithCa(),
      ),
    );
    assert.equal(result.chart.version, '1.2.3+1');
    const oracle = await helmTemplate(archive('demo', '1.2.3'), 'prod', 'apps', {
      ...prodValues,
      config: { ...prodValues.config, greeting: 'hey' },
    });
    assertSameObjects(result.objects, withOrigin(withBuildMetadata(oracle, '1.2.3'), 'prod', 'apps'));
  });

  it('a chart folder of this repository: the same merge, and the folder itself is not changed', async () => {
    const before = await readFile(path.join(CHARTS, 'demo', 'values.yaml'), 'utf8');
    const spec = withValuesFiles(chartSpec('charts/demo', '', 'flux-system', 'GitRepository'), [
      'values.yaml',
      './values-prod.yaml',
    ]);
    const result = rendered(await render(helmRelease('local', spec), []));
    const oracle = await helmTemplate(path.join(CHARTS, 'demo'), 'local', 'apps', prodValues);
    assertSameObjects(result.objects, withOrigin(withBuildMetadata(oracle, '1.0.0'), 'local', 'apps'));
    assert.equal(await readFile(path.join(CHARTS, 'demo', 'values.yaml'), 'utf8'), before);
  });

  it('a missing file is an error naming it, unless ignoreMissingValuesFiles', async () => {
    const spec = withValuesFiles(chartSpec('demo', '1.2.3'), ['values.yaml', 'values-nope.yaml']);
    await assert.rejects(
      render(helmRelease('missing', spec), objectsWithCa()),
      /chart demo: no values file found at path 'values-nope\.yaml'/,
    );
    const tolerant = withValuesFiles(chartSpec('demo', '1.2.3'), ['values.yaml', 'values-nope.yaml'], {
      ignoreMissingValuesFiles: true,
    });
    const result = rendered(await render(helmRelease('tolerant', tolerant), objectsWithCa()));
    const oracle = await helmTemplate(archive('demo', '1.2.3'), 'tolerant', 'apps', {});
    assertSameObjects(result.objects, withOrigin(withBuildMetadata(oracle, '1.2.3'), 'tolerant', 'apps'));
  });

  it('a template is not a values file (helm loads it as a template, not one of the chart Files)', async () => {
    const spec = withValuesFiles(chartSpec('demo', '1.2.3'), ['templates/service.yaml']);
    await assert.rejects(
      render(helmRelease('tpl', spec), objectsWithCa()),
      /no values file found at path 'templates\/service\.yaml'/,
    );
  });
});

describe('the cluster capabilities', () => {
  it('api versions reach .Capabilities.APIVersions, as with helm template --api-versions', async () => {
    const objects = [
      helmRepository('public', 'public', { certSecretRef: { name: 'ca' } }),
      caSecret('ca', { 'ca.crt': readFileSync(repo['caFile'] ?? '', 'utf8') }),
    ];
    const apiVersions = ['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/ServiceMonitor'];
    const release = helmRelease('mon', chartSpec('demo', '1.2.3'));
    const result = rendered(await render(release, objects, { apiVersions, kubeVersion: 'v1.31.2' }));
    const oracle = await helmTemplate(archive('demo', '1.2.3'), 'mon', 'apps', {}, [
      '--no-hooks',
      '--include-crds',
      '--kube-version',
      'v1.31.2',
      ...apiVersions.flatMap((v) => ['--api-versions', v]),
    ]);
    assert.ok(oracle.some((o) => o['kind'] === 'ServiceMonitor'));
    assertSameObjects(result.objects, withOrigin(oracle, 'mon', 'apps'));
    const without = rendered(await render(helmRelease('mon', chartSpec('demo', '1.2.3')), objects));
    assert.equal(
      without.objects.some((o) => o['kind'] === 'ServiceMonitor'),
      false,
    );
  });
});
