/**
 * `build PATH`: what the cluster would get. Each target is decrypted in its own private root
 * with every MAC verified, built with kustomize, and printed as multi-document YAML (or
 * written, mode 0600, to --output; in the Action always to a file, since stdout is the log).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { buildFlags, parseBuildConfig, type BuildConfig } from '../config/build.ts';
import { withContext } from '../errors.ts';
import { createKeySources } from '../keys/key-sources.ts';
import { buildTarget, resolveKustomize } from '../kustomize/build.ts';
import { cacheKeySources } from '../kustomize/key-cache.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import type { UnrenderedReleases } from '../flux/helm-releases.ts';
import type { ChartCache } from '../helm/chart-source.ts';
import type { ClusterCapabilities } from './flux-helm-diff.ts';
import { loadVariables } from '../kustomize/substitute.ts';
import { mapLimit } from '../map-limit.ts';
import { SecretRegistry } from '../masking.ts';
import { expandTargets } from '../kustomize/targets.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { Command, CommandDeps } from './command.ts';
import { renderFluxManifests } from './flux-render.ts';
import { writePrivateFile } from '../private-file.ts';

/**
 * Builds every target and returns the joined multi-document YAML (what `build` prints).
 * `shared.keySources` (already cached) lets several builds in one run unwrap each data key once.
 */
export async function renderManifests(
  config: BuildConfig,
  deps: CommandDeps,
  shared: {
    readonly keySources?: readonly KeySource[];
    /** Diff only: files no key can open get placeholders and are recorded here. */
    readonly undecrypted?: UndecryptedFiles;
    /** How a target is named in logs and errors (a build at a git ref names the ref, not its temp copy). */
    readonly nameTarget?: (target: string) => string;
    /** Flux mode, diff only: HelmReleases that could not be rendered are recorded here. */
    readonly unrendered?: UnrenderedReleases;
    /** Flux mode: the cluster's version and API versions, for charts, when the run reads a cluster. */
    readonly cluster?: ClusterCapabilities;
    /** Flux mode: the run's chart downloads, shared by the builds of one diff. */
    readonly charts?: ChartCache;
    /** The run's decrypted values, when the caller masks its own output with them (diff --flux). */
    readonly registry?: SecretRegistry;
  } = {},
): Promise<string> {
  const nameTarget = shared.nameTarget ?? ((target: string) => target);
  const registry = shared.registry ?? new SecretRegistry((value) => deps.host.setSecret(value));
  const keySources =
    shared.keySources ??
    cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec }));
  const tool = await resolveKustomize(config.kustomizePath, { exec: deps.exec, env: config.env });
  deps.host.info(`building with ${tool.description}`);
  if (config.flux) {
    return renderFluxManifests(config, deps, {
      keySources,
      registry,
      tool,
      nameTarget,
      ...(shared.undecrypted === undefined ? {} : { undecrypted: shared.undecrypted }),
      ...(shared.unrendered === undefined ? {} : { unrendered: shared.unrendered }),
      cluster: shared.cluster,
      charts: shared.charts,
    });
  }

  let substitute: { vars: Map<string, string>; strict: boolean } | undefined;
  if (config.substitute.size > 0 || config.substituteFrom.length > 0 || config.substituteStrict) {
    // Flux: substituteFrom entries in order, then the inline substitute values win.
    const vars = new Map<string, string>();
    for (const file of config.substituteFrom) {
      for (const [k, v] of await loadVariables(file, keySources, registry)) vars.set(k, v);
    }
    for (const [k, v] of config.substitute) vars.set(k, v);
    substitute = { vars, strict: config.substituteStrict };
  }

  const targets = await expandTargets(config.paths);
  const results = await mapLimit(targets, availableParallelism(), async (target) => {
    try {
      const result = await buildTarget(
        {
          target,
          maxFileSize: config.maxFileSize,
          enableHelm: config.enableHelm,
          ...(config.root === undefined ? {} : { root: config.root }),
          remotePolicy: config.remotePolicy,
          ...(config.loadRestrictor === undefined ? {} : { loadRestrictor: config.loadRestrictor }),
          ...(config.keys.decryptionOrder === undefined
            ? {}
            : { decryptionOrder: config.keys.decryptionOrder }),
          ...(substitute === undefined ? {} : { substitute }),
        },
        {
          host: deps.host,
          exec: deps.exec,
          keySources,
          registry,
          tool,
          env: config.env,
          ...(shared.undecrypted === undefined ? {} : { undecrypted: shared.undecrypted }),
        },
      );
      deps.host.info(
        `${nameTarget(target)}: ${result.objectCount} objects, ${result.decrypted.length} SOPS files decrypted with MAC verified`,
      );
      return result;
    } catch (error) {
      throw withContext(`building ${nameTarget(target)}`, error);
    }
  });
  return results
    .map((r) => r.yaml)
    .filter((y) => y.trim() !== '')
    .map((y) => (y.endsWith('\n') ? y : `${y}\n`))
    .join('---\n');
}

export async function runBuild(config: BuildConfig, deps: CommandDeps): Promise<void> {
  const yaml = await renderManifests(config, deps);
  let output = config.output;
  if (output === undefined && config.stdoutIsLog) {
    // In the Action, stdout is the job log: the manifests (with plaintext Secrets) go to a
    // private file whose path is the manifests-file output.
    output = path.join(
      config.env['RUNNER_TEMP'] ?? tmpdir(),
      `manifests-${randomBytes(6).toString('hex')}.yaml`,
    );
  }
  if (output === undefined) {
    deps.host.writeStdout(yaml);
    return;
  }
  await writePrivateFile(output, yaml);
  deps.host.setOutput('manifests-file', output);
}

export const buildCommand: Command<BuildConfig> = {
  name: 'build',
  summary: 'decrypt in a private root with every MAC verified, then kustomize build',
  usage: `build PATH... [--output FILE] [--kustomize PATH] [--enable-helm] [--load-restrictor R]
        [--substitute K=V]... [--substitute-from FILE]... [--substitute-strict] [--max-file-size BYTES]
        [--allow-remote none|public|HOST,...] [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--flux [--flux-source KIND/NAMESPACE/NAME=DIR]... [--flux-kustomization NAME]...
          [--helm-path PATH] [--kube-version V]]`,
  flags: buildFlags,
  positionals: [{ name: 'path', variadic: true }],
  parse: parseBuildConfig,
  paths: (config) => config.paths,
  async run(config, deps) {
    await deps.host.group('build', () => runBuild(config, deps));
    return 0;
  },
};
