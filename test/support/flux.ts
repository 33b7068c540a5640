/**
 * Flux-mode test helpers: render deps over the real kustomize, and the oracle, the real Flux
 * CLI (v2.9.5, built by the `flux` test component): `flux build kustomization` with the same
 * Kustomization object, compared with our rendering object for object.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { parseKeys } from '../../src/config/keys.ts';
import type { FluxKustomization } from '../../src/flux/kustomization.ts';
import type { RenderDeps } from '../../src/flux/render.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { createKeySources } from '../../src/keys/key-sources.ts';
import { resolveKustomize } from '../../src/kustomize/build.ts';
import { cacheKeySources } from '../../src/kustomize/key-cache.ts';
import { SecretRegistry } from '../../src/masking.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { tool } from './tools.ts';

const execFileAsync = promisify(execFile);

/** Render deps with the real kustomize and, optionally, age key files. */
export async function fluxRenderDeps(ageKeyFiles: readonly string[] = []): Promise<RenderDeps> {
  const host = createMemoryHost();
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
  const keys = parseKeys((name) => (name === 'age-key-file' ? ageKeyFiles.join('\n') : ''), env);
  return {
    host,
    exec: nodeExec,
    keySources: cacheKeySources(await createKeySources(keys, { host, exec: nodeExec })),
    registry: new SecretRegistry((v) => host.setSecret(v)),
    tool: await resolveKustomize(await tool('kustomize'), { exec: nodeExec, env }),
    env,
    signals: null,
  };
}

export async function fluxCli(): Promise<string> {
  await requireComponent('flux');
  return toolPath('flux');
}

type Obj = Record<string, unknown>;

/**
 * `flux build kustomization NAME --path DIR --kustomization-file FILE --dry-run` for `k`.
 * `--dry-run` skips substituteFrom (Flux reads those from the cluster), so `vars`, when
 * given, replaces postBuild with the variables our side gathered, inline.
 */
export async function fluxBuild(
  k: FluxKustomization,
  dir: string,
  vars?: ReadonlyMap<string, string>,
): Promise<Obj[]> {
  const spec: Obj = { ...k.spec };
  if (vars !== undefined && k.postBuild !== undefined) {
    spec['postBuild'] = { substitute: Object.fromEntries(vars) };
  }
  const work = await mkdtemp(path.join(tmpdir(), 'ksd-flux-oracle-'));
  const file = path.join(work, 'ks.yaml');
  await writeFile(
    file,
    stringify({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: k.name, namespace: k.namespace },
      spec,
    }),
  );
  const { stdout } = await execFileAsync(
    await fluxCli(),
    [
      'build',
      'kustomization',
      k.name,
      '--namespace',
      k.namespace,
      '--path',
      dir,
      '--kustomization-file',
      file,
      '--dry-run',
    ],
    { env: { PATH: process.env['PATH'] ?? '', HOME: work }, maxBuffer: 64 * 1024 * 1024 },
  );
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null);
}

export function objectKey(o: Obj): string {
  const meta = (o['metadata'] ?? {}) as Obj;
  return `${String(o['apiVersion'])} ${String(o['kind'])} ${typeof meta['namespace'] === 'string' ? meta['namespace'] : ''}/${typeof meta['name'] === 'string' ? meta['name'] : '?'}`;
}

/**
 * Differences between our objects and Flux's, as readable lines (empty when they agree).
 * Secrets are compared apart: Flux prints `**SOPS**` for the data of an encrypted one, so
 * only their metadata and data keys are compared here; the values are the caller's to check.
 */
export function compareWithFlux(ours: readonly Obj[], theirs: readonly Obj[]): string[] {
  const problems: string[] = [];
  const mine = new Map(ours.map((o) => [objectKey(o), o]));
  const flux = new Map(theirs.map((o) => [objectKey(o), o]));
  for (const key of flux.keys()) if (!mine.has(key)) problems.push(`missing from ours: ${key}`);
  for (const key of mine.keys()) if (!flux.has(key)) problems.push(`not in Flux's: ${key}`);
  for (const [key, o] of mine) {
    const f = flux.get(key);
    if (f === undefined) continue;
    if (o['kind'] === 'Secret') {
      const a = { ...o, data: Object.keys(o['data'] ?? {}).sort(), stringData: undefined };
      const b = { ...f, data: Object.keys(f['data'] ?? {}).sort(), stringData: undefined };
      if (JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b)))
        problems.push(
          `Secret differs (data compared apart): ${key}\n ours: ${JSON.stringify(sortKeys(a))}\n flux: ${JSON.stringify(sortKeys(b))}`,
        );
      continue;
    }
    if (JSON.stringify(sortKeys(o)) !== JSON.stringify(sortKeys(f))) {
      problems.push(
        `differs: ${key}\n ours: ${JSON.stringify(sortKeys(o))}\n flux: ${JSON.stringify(sortKeys(f))}`,
      );
    }
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Obj)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
