/**
 * Charts from OCI registries, pulled with the run's helm binary (`helm pull oci://…`): a
 * HelmRepository of `type: oci` (the chart is `<url>/<chart>`, its version constraint resolved
 * by helm over the registry's tag list with the same semver rules the source-controller uses)
 * and an OCIRepository (`spec.ref`: digest, else semver, else tag, else `latest`, the
 * source-controller's precedence).
 *
 * helm and not a registry client of our own: helm already speaks every registry's token
 * dance, redirects to blob storage and the chart media types, and the HTTPS path renders with
 * it anyway. What helm does not do for us is checked here, before helm runs:
 * - the registry host against the run's remote policy (remote-policy.ts); a host name is
 *   resolved and every address checked, since helm's own connection cannot be hooked. A DNS
 *   answer that changes between this check and helm's connection is not caught; `allow-remote`
 *   as a host list avoids depending on DNS at all;
 * - plain HTTP only when the source says `insecure: true`;
 * - a pinned digest: the chart is pulled by digest, and the manifest digest helm reports must
 *   be the pinned one, so a registry that serves other content is refused; helm (oras) refuses
 *   content that does not hash to the digest it asked for itself ("mismatched digest"), which
 *   is reported the same way (ChartDigestError: the release is not rendered, "chart refused").
 *
 * Registry credentials and TLS material (the source's `secretRef` and `certSecretRef`, read by
 * chart-source.ts) reach helm through 0600 files in the pull's private root, never argv
 * (registry-auth.ts); the root is removed after the pull.
 */
import { lookup } from 'node:dns/promises';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import type { SecretRegistry } from '../masking.ts';
import type { Env, Exec } from '../ports.ts';
import { openPrivateRoot, privateRootParent } from '../private-file.ts';
import { readChartArchive } from './chart-archive.ts';
import { ChartDigestError, ChartFetchError } from './chart-fetch.ts';
import type { RepositoryAccess } from './chart-fetch.ts';
import { helmEnv } from './helm-tool.ts';
import type { HelmTool } from './helm-tool.ts';
import { writeRegistryAccess } from './registry-auth.ts';
import { checkRemoteUrl, isPrivateAddress } from './remote-policy.ts';
import type { RemotePolicy } from './remote-policy.ts';

/** What to pull: one chart artifact and how its version is chosen. */
export interface OciChartRequest {
  /** `oci://host[:port]/path/chart`. */
  readonly url: string;
  /** A tag or a semver constraint, as `helm pull --version` takes it; ignored when `digest` is set. */
  readonly version: string;
  /** A pinned manifest digest, `sha256:<hex>`. */
  readonly digest?: string | undefined;
  /** Plain HTTP (the source's `insecure: true`). */
  readonly insecure: boolean;
  /** For messages: `OCIRepository flux-system/podinfo`. */
  readonly what: string;
  /** Credentials and TLS material from the source's Secrets, for the registry's host only. */
  readonly access?: RepositoryAccess | undefined;
}

/** `host[:port]` of an `oci://` URL. */
export function registryHost(url: string): string {
  return url.slice('oci://'.length).split('/')[0] ?? '';
}

export interface PulledChart {
  /** The chart archive helm pulled. */
  readonly location: string;
  /** The chart's version, from its Chart.yaml. */
  readonly version: string;
  /** The manifest digest helm reported. */
  readonly digest: string;
}

export interface OciPullDeps {
  readonly exec: Exec;
  readonly env: Env;
  readonly helm: HelmTool;
  readonly policy: RemotePolicy;
  readonly registry: SecretRegistry;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The host of an `oci://` URL checked against the policy, its addresses resolved when a name. */
async function checkRegistryHost(url: string, policy: RemotePolicy, what: string): Promise<void> {
  if (!url.startsWith('oci://'))
    throw new UserError('BAD_FORMAT', `${what}: ${JSON.stringify(url)} is not an oci:// URL`);
  const checked = checkRemoteUrl(`https://${url.slice('oci://'.length)}`, policy);
  if (!checked.ok) throw new ChartFetchError(`${what}: ${checked.reason}`);
  if (policy.allowPrivateAddresses || policy.hosts !== undefined) return;
  const host = checked.url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw new ChartFetchError(`${what}: the registry host ${host} does not resolve`);
  }
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  if (refused !== undefined) {
    throw new ChartFetchError(
      `${what}: ${host} resolves to ${refused.address}, a loopback, link-local or private address, which chart repositories may not use`,
    );
  }
}

/** The version in the archive's Chart.yaml: a chart pulled by digest has no tag to say it. */
async function chartVersion(archive: string, what: string): Promise<string> {
  const files = readChartArchive(await readFile(archive), what);
  for (const [name, data] of files) {
    if (/^[^/]+\/Chart\.yaml$/.test(name)) {
      const chart: unknown = parse(data.toString('utf8'));
      if (isRecord(chart) && typeof chart['version'] === 'string') return chart['version'];
    }
  }
  throw new UserError('BAD_FORMAT', `${what}: the pulled chart has no Chart.yaml with a version`);
}

/** The `helm pull` reference and `--version` for a request. */
function pullArgs(request: OciChartRequest): string[] {
  if (request.digest !== undefined) return [`${request.url}@${request.digest}`];
  return [request.url, '--version', request.version];
}

/** Pulls the chart into `destination` and checks what helm reports; see the module comment. */
export async function pullOciChart(
  request: OciChartRequest,
  destination: string,
  deps: OciPullDeps,
): Promise<PulledChart> {
  if (request.digest !== undefined && !DIGEST.test(request.digest)) {
    throw new UserError(
      'BAD_FORMAT',
      `${request.what}: spec.ref.digest ${JSON.stringify(request.digest)} is not sha256:<64 hex>`,
    );
  }
  await checkRegistryHost(request.url, deps.policy, request.what);
  // Private: it holds the registry credentials and client key while helm runs.
  const home = await openPrivateRoot(privateRootParent(deps.env), 'helm-pull');
  try {
    await mkdir(destination, { recursive: true });
    const args = ['pull', ...pullArgs(request), '--destination', destination];
    if (request.insecure) args.push('--plain-http');
    args.push(
      ...(await writeRegistryAccess(home.dir, registryHost(request.url), request.access, request.insecure)),
    );
    const result = await deps.exec.run(deps.helm.command, args, {
      env: helmEnv(deps.env, home.dir),
      timeoutMs: 300_000,
    });
    const output = `${Buffer.from(result.stdout).toString('utf8')}\n${result.stderr}`;
    if (result.exitCode !== 0) {
      const reason = deps.registry
        .redact(result.stderr.trim().split('\n').slice(-3).join(' '))
        .replaceAll(home.dir, '<helm-home>');
      // oras, under helm, checks what it fetches against the digest it asked for.
      if (/mismatched digest/.test(result.stderr)) {
        throw new ChartDigestError(
          `${request.what}: the registry served content that does not match ${request.digest === undefined ? 'its digest' : `the pinned ${request.digest}`} (helm pull: ${reason})`,
        );
      }
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} failed: ${reason}`);
    }
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(output)?.[1];
    if (digest === undefined)
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} reported no digest`);
    if (request.digest !== undefined && digest !== request.digest) {
      throw new ChartDigestError(
        `${request.what}: the registry served digest ${digest}, not the pinned ${request.digest}`,
      );
    }
    const archives = (await readdir(destination)).filter((f) => f.endsWith('.tgz'));
    const archive = archives[0];
    if (archive === undefined || archives.length !== 1)
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} left no single chart archive`);
    const location = path.join(destination, archive);
    return { location, version: await chartVersion(location, request.what), digest };
  } finally {
    await home.cleanup();
  }
}
