/**
 * The work of `build PATH` (the spec is build.ts): what the cluster would get. Each target is decrypted in its own private root
 * with every MAC verified, built with kustomize, and printed as multi-document YAML (or
 * written, mode 0600, to --output; in the Action always to a file, since stdout is the log).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import type { BuildConfig } from '../config/build.ts';
import { withContext } from '../errors.ts';
import { createKeySources } from '../keys/key-sources.ts';
import { buildTarget, type KustomizeTool } from '../kustomize/build.ts';
import { cacheKeySources } from '../kustomize/key-cache.ts';
import type { UndecryptedFiles } from '../kustomize/placeholder.ts';
import type { UnrenderedReleases } from '../flux/helm-releases.ts';
import type { ChartCache } from '../helm/chart-source.ts';
import type { ClusterCapabilities } from './flux-helm-diff.ts';
import { loadVariables } from '../kustomize/substitute.ts';
import { mapLimit } from '../map-limit.ts';
import { expandTargets } from '../kustomize/targets.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { CommandDeps } from './command.ts';
import { renderFluxManifests } from './flux-render.ts';
import { refuseOutputOverInputs } from '../output-path.ts';
import { prepareKustomize } from './kustomize-tool.ts';
import { writePrivateFile } from '../private-file.ts';

/** From this many targets on, kustomize runs through `batchExec`. */
const BATCH_TARGETS = 4;

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
    /** The run's kustomize, when several builds share it (diff --against). */
    readonly tool?: KustomizeTool;
    /** Flux mode, diff only: HelmReleases that could not be rendered are recorded here. */
    readonly unrendered?: UnrenderedReleases;
    /** Flux mode: the cluster's version and API versions, for charts, when the run reads a cluster. */
    readonly cluster?: ClusterCapabilities;
    /** Flux mode: the run's chart downloads, shared by the builds of one diff. */
    readonly charts?: ChartCache;
    /** Flux mode, diff only: suspended Kustomizations are recorded here. */
    readonly suspended?: Set<string> | undefined;
  } = {},
): Promise<string> {
  const nameTarget = shared.nameTarget ?? ((target: string) => target);
  // First, so the build's first log line names the kustomize and its version.
  const tool = shared.tool ?? (await prepareKustomize(config, deps));
  const registry = deps.secrets;
  const keySources =
    shared.keySources ??
    cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec }));
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
      suspended: shared.suspended,
    });
  }

  let substitute: { vars: Map<string, string>; strict: boolean } | undefined;
  if (config.substitute.size > 0 || config.substituteFrom.length > 0 || config.substituteStrict) {
    // Flux: substituteFrom entries in order, then the inline substitute values win.
    const vars = new Map<string, string>();
    for (const file of config.substituteFrom) {
      for (const [k, v] of await loadVariables(file, keySources, registry, {
        ...(shared.undecrypted === undefined ? {} : { undecrypted: shared.undecrypted }),
        name: nameTarget(file),
      }))
        vars.set(k, v);
    }
    for (const [k, v] of config.substitute) vars.set(k, v);
    substitute = { vars, strict: config.substituteStrict };
  }

  const targets = await expandTargets(config.paths);
  // Many targets: kustomize is started from a small helper process (a fork of this one costs
  // more the more it holds); a few: directly, since starting the helper costs about one fork.
  const batch = targets.length >= BATCH_TARGETS ? deps.batchExec?.() : undefined;
  const exec = batch ?? deps.exec;
  // Twice the cores: while kustomize builds one target, node stages and decrypts the next,
  // so node's thread (the bottleneck: staging, decryption, spawning) is not left idle.
  const results = await mapLimit(targets, availableParallelism() * 2, async (target) => {
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
          exec,
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
  }).finally(() => batch?.close());
  return results
    .map((r) => r.yaml)
    .filter((y) => y.trim() !== '')
    .map((y) => (y.endsWith('\n') ? y : `${y}\n`))
    .join('---\n');
}

/**
 * Refuses an `output` inside a build target or over a file the build reads: the manifests,
 * Secrets in clear, would land among the sources (or replace one).
 */
export async function refuseOutputInTargets(
  config: BuildConfig,
  output: string,
  hint = 'write the manifests outside the build targets, e.g. to $RUNNER_TEMP',
): Promise<void> {
  const targets = config.flux ? config.paths : await expandTargets(config.paths);
  await refuseOutputOverInputs(
    output,
    [
      ...targets.map((target) => ({ path: target, what: 'the build target' })),
      ...config.substituteFrom.map((file) => ({ path: file, what: 'the substitute-from file' })),
    ],
    hint,
  );
}

export async function runBuild(config: BuildConfig, deps: CommandDeps): Promise<void> {
  if (config.output !== undefined) await refuseOutputInTargets(config, config.output);
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
