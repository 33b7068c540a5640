/**
 * Where a HelmRelease's chart comes from, resolved as the source-controller would from the
 * source objects the Kustomizations render:
 *
 * - a HelmRepository over http(s): its index.yaml, the version constraint resolved like the
 *   source-controller (semver.ts), the archive downloaded and checked against the index's
 *   digest; basic auth and TLS from the repository's Secret, sent only to its host;
 * - a GitRepository: `flux-system/flux-system` is this repository's root (the Flux
 *   convention), others only when mapped to a folder; the chart is a folder in it;
 * - a HelmRepository of `type: oci`, and `spec.chartRef` to an OCIRepository: pulled with helm
 *   (oci-chart.ts), under the same address policy, a pinned digest checked; credentials from
 *   the source's Secret (basic auth, or a dockerconfigjson's entry for the registry's host) and
 *   TLS material go only to that registry (registry-auth.ts);
 * - `spec.chartRef` to a HelmChart: its own chart template, resolved the same way.
 *
 * Buckets are reported as not rendered. Indexes, archives and OCI pulls are fetched once per run (ChartCache).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { UserError, errorMessage } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type { SecretRegistry } from '../masking.ts';
import type { Env, Exec } from '../ports.ts';
import { UNDECRYPTED_TEXT } from '../sops/undecrypted.ts';
import { ChartDigestError, MAX_CHART_BYTES, MAX_INDEX_BYTES, fetchFromRepository } from './chart-fetch.ts';
import type { RepositoryAccess } from './chart-fetch.ts';
import type { ChartTemplate, HelmRelease, SourceRef } from './helm-release.ts';
import type { HelmTool } from './helm-tool.ts';
import type { KubeRecord, ObjectIndex } from './object-index.ts';
import { pullOciChart, registryHost } from './oci-chart.ts';
import type { OciChartRequest, OciPullDeps, PulledChart } from './oci-chart.ts';
import { dockerConfigCredentials } from './registry-auth.ts';
import type { RemotePolicy } from './remote-policy.ts';
import { selectVersion } from './semver.ts';
import { applyValuesFiles } from './values-files.ts';

export type ChartResolution =
  | {
      readonly kind: 'chart';
      /** A chart archive or folder for `helm template`. */
      readonly location: string;
      readonly name: string;
      /** The version picked, where a repository picked one. */
      readonly version: string;
      /** For the log: `HelmRepository flux-system/podinfo (https://…)`. */
      readonly source: string;
    }
  | { readonly kind: 'not-rendered'; readonly reason: string };

/**
 * What a download depends on besides its URL: the credentials, TLS material and address
 * policy. A cached answer is reused only under the same ones, so a repository without the
 * right CA, or a run that refuses loopback, never gets an answer fetched under other terms.
 */
function accessKey(url: string, access: RepositoryAccess, policy: RemotePolicy): string {
  const terms = JSON.stringify([
    access.origin,
    access.username,
    access.password,
    access.ca,
    access.cert,
    access.key,
    policy,
  ]);
  return `${url}\0${createHash('sha256').update(terms).digest('hex')}`;
}

/** The run's chart downloads: each index and archive is fetched once per URL and access terms. */
export class ChartCache {
  readonly #indexes = new Map<string, Promise<Buffer>>();
  readonly #archives = new Map<string, Promise<string>>();
  readonly #pulls = new Map<string, Promise<PulledChart>>();
  #dir: Promise<string> | undefined;

  index(url: string, access: RepositoryAccess, policy: RemotePolicy, what: string): Promise<Buffer> {
    const key = accessKey(url, access, policy);
    let cached = this.#indexes.get(key);
    if (cached === undefined) {
      cached = fetchFromRepository(url, access, policy, MAX_INDEX_BYTES, what);
      this.#indexes.set(key, cached);
    }
    return cached;
  }

  /** Downloads an archive into the run's chart folder once; checks `digest` (sha256 hex) when given. */
  archive(
    url: string,
    digest: string | undefined,
    access: RepositoryAccess,
    policy: RemotePolicy,
    what: string,
  ): Promise<string> {
    const key = accessKey(url, access, policy);
    let cached = this.#archives.get(key);
    if (cached === undefined) {
      cached = (async () => {
        const body = await fetchFromRepository(url, access, policy, MAX_CHART_BYTES, what);
        const sum = createHash('sha256').update(body).digest('hex');
        if (digest !== undefined && digest !== '' && digest.replace(/^sha256:/, '') !== sum) {
          throw new ChartDigestError(
            `${what}: the archive's sha256 ${sum} is not the digest ${digest} its repository index records`,
          );
        }
        const file = path.join(await this.#root(), `${sum}.tgz`);
        await writeFile(file, body);
        return file;
      })();
      this.#archives.set(key, cached);
    }
    return cached;
  }

  /**
   * Pulls an OCI chart once per source, reference, version choice and policy (per source, so
   * an error names the source whose release it stops).
   */
  oci(request: OciChartRequest, deps: OciPullDeps): Promise<PulledChart> {
    const terms = [request.what, request.url, request.version, request.digest, request.insecure];
    const key = accessKey(JSON.stringify(terms), request.access ?? { origin: '' }, deps.policy);
    let cached = this.#pulls.get(key);
    if (cached === undefined) {
      cached = (async () => pullOciChart(request, await this.workDir(), deps))();
      this.#pulls.set(key, cached);
    }
    return cached;
  }

  #root(): Promise<string> {
    this.#dir ??= mkdtemp(path.join(tmpdir(), 'ksd-charts-'));
    return this.#dir;
  }

  /** A new folder in the run's chart folder, for a chart built from another (valuesFiles). */
  async workDir(): Promise<string> {
    return mkdtemp(path.join(await this.#root(), 'chart-'));
  }

  /** Removes the downloaded archives and built charts. */
  async dispose(): Promise<void> {
    const dir = this.#dir;
    this.#dir = undefined;
    if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
  }
}

export interface ChartSourceDeps {
  readonly objects: ObjectIndex;
  readonly cache: ChartCache;
  readonly policy: RemotePolicy;
  readonly registry: SecretRegistry;
  /** The repository root, where `GitRepository flux-system/flux-system` points. */
  readonly repoRoot: string;
  /** Other sources mapped to folders, by `Kind/namespace/name` (Flux mode's --flux-source). */
  readonly sourceDirs?: ReadonlyMap<string, string>;
  /** What OCI charts are pulled with; without them an OCI source is not rendered. */
  readonly exec?: Exec;
  readonly env?: Env;
  readonly helm?: HelmTool;
}

function specOf(object: KubeRecord): Readonly<Record<string, unknown>> {
  return isRecord(object['spec']) ? object['spec'] : {};
}

function secretEntry(secret: KubeRecord, key: string): string | undefined {
  const stringData = isRecord(secret['stringData']) ? secret['stringData'] : {};
  const data = isRecord(secret['data']) ? secret['data'] : {};
  const plain = stringData[key];
  if (typeof plain === 'string') return plain;
  const encoded = data[key];
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

/**
 * The credentials a `.dockerconfigjson` holds for the origin's host, undefined without one, or
 * why it cannot be read (a string). A value still encrypted is caught by the caller's check.
 */
function dockerCredentials(
  json: string | undefined,
  origin: string,
): { username: string; password: string } | string | undefined {
  if (json === undefined || json.includes(UNDECRYPTED_TEXT)) return undefined;
  try {
    return dockerConfigCredentials(json, new URL(origin).host);
  } catch (error) {
    return errorMessage(error);
  }
}

type AccessResult =
  { readonly ok: true; readonly access: RepositoryAccess } | { readonly ok: false; readonly reason: string };

/**
 * Credentials and TLS material from the repository's `secretRef` and `certSecretRef`; for a
 * `registry` (OCI), a dockerconfigjson's entry for the origin's host too.
 */
function repositoryAccess(
  repo: KubeRecord,
  origin: string,
  namespace: string,
  deps: ChartSourceDeps,
  registry = false,
): AccessResult {
  const spec = specOf(repo);
  let access: RepositoryAccess = { origin };
  for (const field of ['secretRef', 'certSecretRef']) {
    const ref = spec[field];
    if (!isRecord(ref) || typeof ref['name'] !== 'string') continue;
    const secret = deps.objects.get('Secret', namespace, ref['name']);
    if (secret === undefined) {
      return {
        ok: false,
        reason: `its ${field} Secret ${namespace}/${ref['name']} is not rendered by this repository`,
      };
    }
    const read = (...keys: string[]): string | undefined => {
      for (const key of keys) {
        const value = secretEntry(secret, key);
        if (value !== undefined) return value;
      }
      return undefined;
    };
    // A dockerconfigjson is a registry's credentials: OCI sources only, as in the source-controller.
    const docker =
      registry && field === 'secretRef' ? dockerCredentials(read('.dockerconfigjson'), origin) : undefined;
    if (typeof docker === 'string')
      return { ok: false, reason: `Secret ${namespace}/${ref['name']}: ${docker}` };
    const entries = {
      username: docker?.username ?? read('username'),
      password: docker?.password ?? read('password'),
      cert: read('tls.crt', 'certFile'),
      key: read('tls.key', 'keyFile'),
      ca: read('ca.crt', 'caFile'),
    };
    const values = [...Object.values(entries), read('.dockerconfigjson')].filter(
      (v): v is string => v !== undefined,
    );
    if ('sops' in secret || values.some((v) => v.includes(UNDECRYPTED_TEXT))) {
      return {
        ok: false,
        reason: `credentials unknown: Secret ${namespace}/${ref['name']} could not be decrypted in this run`,
      };
    }
    for (const value of [entries.password, entries.key]) if (value !== undefined) deps.registry.add(value);
    // The form basic auth and a registry config carry them in.
    if (entries.username !== undefined && entries.password !== undefined)
      deps.registry.add(Buffer.from(`${entries.username}:${entries.password}`).toString('base64'));
    access = {
      ...access,
      ...Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)),
    };
  }
  return { ok: true, access };
}

/**
 * Pulls an OCI chart with helm, with the credentials and TLS material of the source's
 * `secretRef` and `certSecretRef` (in `namespace`) for its registry's host.
 */
async function fromOci(
  source: KubeRecord,
  namespace: string,
  label: string,
  request: OciChartRequest,
  deps: ChartSourceDeps,
): Promise<ChartResolution> {
  const access = repositoryAccess(source, `https://${registryHost(request.url)}`, namespace, deps, true);
  if (!access.ok) return { kind: 'not-rendered', reason: `${label}: ${access.reason}` };
  if (deps.exec === undefined || deps.env === undefined || deps.helm === undefined)
    return { kind: 'not-rendered', reason: `${request.what}: OCI charts need helm` };
  const pulled = await deps.cache.oci(
    { ...request, access: access.access },
    {
      exec: deps.exec,
      env: deps.env,
      helm: deps.helm,
      policy: deps.policy,
      registry: deps.registry,
    },
  );
  const name = request.url.slice(request.url.lastIndexOf('/') + 1);
  return {
    kind: 'chart',
    location: pulled.location,
    name,
    version: pulled.version,
    source: `${label} (${request.url}@${pulled.digest})`,
  };
}

/**
 * An OCIRepository's request: `spec.ref` as the source-controller reads it (digest, else
 * semver, else tag, else `latest`).
 */
function ociRepositoryRequest(repo: KubeRecord, label: string): OciChartRequest {
  const spec = specOf(repo);
  const ref = isRecord(spec['ref']) ? spec['ref'] : {};
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const url = text(spec['url'])?.replace(/\/+$/, '');
  if (url === undefined) throw new UserError('BAD_FORMAT', `${label}: spec.url is required`);
  return {
    url,
    version: text(ref['semver']) ?? text(ref['tag']) ?? 'latest',
    digest: text(ref['digest']),
    insecure: spec['insecure'] === true,
    what: label,
  };
}

/** helm's repo.ResolveReferenceURL: a relative archive URL is relative to the repository URL as a folder. */
function resolveArchiveUrl(repoUrl: string, ref: string): string {
  const base = repoUrl.endsWith('/') ? repoUrl : `${repoUrl}/`;
  return new URL(ref, base).toString();
}

async function fromHelmRepository(
  template: ChartTemplate,
  repo: KubeRecord,
  deps: ChartSourceDeps,
): Promise<ChartResolution> {
  const ref = template.sourceRef;
  const label = `HelmRepository ${ref.namespace}/${ref.name}`;
  const spec = specOf(repo);
  const url = typeof spec['url'] === 'string' ? spec['url'].replace(/\/+$/, '') : '';
  if (spec['type'] === 'oci' || url.startsWith('oci://')) {
    return fromOci(
      repo,
      ref.namespace,
      label,
      {
        url: `${url}/${template.chart}`,
        version: template.version || '*',
        insecure: spec['insecure'] === true,
        what: `${label} chart ${template.chart}`,
      },
      deps,
    );
  }
  if (url === '') return { kind: 'not-rendered', reason: `${label} has no spec.url` };
  const access = repositoryAccess(repo, url, ref.namespace, deps);
  if (!access.ok) return { kind: 'not-rendered', reason: `${label}: ${access.reason}` };
  const body = await deps.cache.index(`${url}/index.yaml`, access.access, deps.policy, `${label} index`);
  const index: unknown = parse(body.toString('utf8'), { maxAliasCount: 1000 });
  const entries = isRecord(index) && isRecord(index['entries']) ? index['entries'] : {};
  const versions = (Array.isArray(entries[template.chart]) ? entries[template.chart] : []) as unknown[];
  const candidates = versions.filter(isRecord).map((v) => ({
    version: String(v['version']),
    created: typeof v['created'] === 'string' ? v['created'] : undefined,
    urls: Array.isArray(v['urls']) ? v['urls'].filter((u): u is string => typeof u === 'string') : [],
    digest: typeof v['digest'] === 'string' ? v['digest'] : undefined,
  }));
  if (candidates.length === 0)
    throw new UserError('BAD_FORMAT', `${label}: no chart named '${template.chart}' in its index`);
  let picked;
  try {
    picked = selectVersion(candidates, template.version);
  } catch (error) {
    throw new UserError(
      'BAD_FORMAT',
      `${label}: version ${JSON.stringify(template.version)}: ${errorMessage(error)}`,
    );
  }
  if (picked === undefined) {
    throw new UserError(
      'BAD_FORMAT',
      `${label}: no '${template.chart}' chart with version matching '${template.version}' found`,
    );
  }
  const first = picked.urls[0];
  if (first === undefined)
    throw new UserError(
      'BAD_FORMAT',
      `${label}: chart '${template.chart}' ${picked.version} has no download URL`,
    );
  const what = `${label} chart ${template.chart} ${picked.version}`;
  const file = await deps.cache.archive(
    resolveArchiveUrl(url, first),
    picked.digest,
    access.access,
    deps.policy,
    what,
  );
  return {
    kind: 'chart',
    location: file,
    name: template.chart,
    version: picked.version,
    source: `${label} (${url})`,
  };
}

function fromFolder(template: ChartTemplate, root: string, label: string): ChartResolution {
  const dir = path.resolve(root, template.chart);
  if (dir !== root && !dir.startsWith(`${root}${path.sep}`)) {
    throw new UserError('PATH_ESCAPE', `${label}: chart path ${template.chart} leaves the source`);
  }
  if (!existsSync(path.join(dir, 'Chart.yaml')) || !statSync(dir).isDirectory()) {
    throw new UserError('FILE_NOT_FOUND', `${label}: no chart at ${template.chart} (no Chart.yaml there)`);
  }
  return { kind: 'chart', location: dir, name: path.basename(dir), version: '', source: `${label} (${dir})` };
}

/** Resolves a chart template (of a HelmRelease or a HelmChart), its valuesFiles merged in. */
export async function resolveTemplate(
  template: ChartTemplate,
  deps: ChartSourceDeps,
): Promise<ChartResolution> {
  const chart = await resolveSource(template, deps);
  if (chart.kind !== 'chart' || template.valuesFiles.length === 0) return chart;
  const ref = template.sourceRef;
  const label = `${ref.kind} ${ref.namespace}/${ref.name} chart ${template.chart}`;
  const built = await applyValuesFiles(chart, template, await deps.cache.workDir(), label);
  return { ...chart, ...built };
}

/** Finds the chart a template names in its source. */
async function resolveSource(template: ChartTemplate, deps: ChartSourceDeps): Promise<ChartResolution> {
  const ref = template.sourceRef;
  const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
  const label = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const mapped = deps.sourceDirs?.get(key);
  if (mapped !== undefined) return fromFolder(template, path.resolve(mapped), label);
  switch (ref.kind) {
    case 'HelmRepository': {
      const repo = deps.objects.get('HelmRepository', ref.namespace, ref.name);
      if (repo === undefined)
        return { kind: 'not-rendered', reason: `source ${label} is not in this repository` };
      return fromHelmRepository(template, repo, deps);
    }
    case 'GitRepository':
      if (ref.namespace === 'flux-system' && ref.name === 'flux-system')
        return fromFolder(template, path.resolve(deps.repoRoot), label);
      return { kind: 'not-rendered', reason: `source ${label} is not in this repository` };
    case 'Bucket':
      return { kind: 'not-rendered', reason: `source ${label} is a Bucket, which is not rendered` };
    default:
      return { kind: 'not-rendered', reason: `source kind ${ref.kind} is not supported for charts` };
  }
}

function helmChartTemplate(chart: KubeRecord, namespace: string): ChartTemplate | undefined {
  const spec = specOf(chart);
  const source = isRecord(spec['sourceRef']) ? spec['sourceRef'] : {};
  if (
    typeof spec['chart'] !== 'string' ||
    typeof source['kind'] !== 'string' ||
    typeof source['name'] !== 'string'
  )
    return undefined;
  return {
    chart: spec['chart'],
    version: typeof spec['version'] === 'string' ? spec['version'] : '',
    sourceRef: { kind: source['kind'], name: source['name'], namespace },
    valuesFiles: Array.isArray(spec['valuesFiles'])
      ? spec['valuesFiles'].filter((f): f is string => typeof f === 'string')
      : [],
    ignoreMissingValuesFiles: spec['ignoreMissingValuesFiles'] === true,
  };
}

async function fromChartRef(ref: SourceRef, deps: ChartSourceDeps): Promise<ChartResolution> {
  const label = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (ref.kind === 'OCIRepository') {
    const repo = deps.objects.get('OCIRepository', ref.namespace, ref.name);
    if (repo === undefined)
      return { kind: 'not-rendered', reason: `chartRef ${label} is not in this repository` };
    return fromOci(repo, ref.namespace, label, ociRepositoryRequest(repo, label), deps);
  }
  if (ref.kind !== 'HelmChart')
    return { kind: 'not-rendered', reason: `chartRef kind ${ref.kind} is not supported` };
  const chart = deps.objects.get('HelmChart', ref.namespace, ref.name);
  if (chart === undefined)
    return { kind: 'not-rendered', reason: `chartRef ${label} is not in this repository` };
  const template = helmChartTemplate(chart, ref.namespace);
  if (template === undefined)
    throw new UserError('BAD_FORMAT', `${label}: spec.chart and spec.sourceRef are required`);
  return resolveTemplate(template, deps);
}

/** Resolves the chart of a HelmRelease. */
export async function resolveChart(release: HelmRelease, deps: ChartSourceDeps): Promise<ChartResolution> {
  if (release.chartRef !== undefined) return fromChartRef(release.chartRef, deps);
  if (release.chart === undefined) throw new UserError('BAD_FORMAT', `HelmRelease ${release.id}: no chart`);
  return resolveTemplate(release.chart, deps);
}
