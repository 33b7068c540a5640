/** Inputs of `build PATH`. */
import path from 'node:path';
import { UserError } from '../errors.ts';
import { parseFluxSource } from '../flux/source-entry.ts';
import { DEFAULT_MAX_FILE_SIZE } from '../kustomize/file-size.ts';
import {
  DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
  parseKustomizeVersion,
  type KustomizeRelease,
} from '../kustomize/kustomize-release.ts';
import { parseRemotePolicy, type RemotePolicy } from '../kustomize/remote-policy.ts';
import { parseVariables } from '../kustomize/variables.ts';
import { lines, optional, parseBoolean, type InputReader, type ShellOptions } from './inputs.ts';
import type { KeyConfig } from '../keys/key-config.ts';
import { keyFlags, parseKeys } from './keys.ts';
import type { Env } from '../ports.ts';

/** `build PATH...`: decrypt in a private root, verify every MAC, then kustomize. */
export interface BuildConfig {
  readonly command: 'build';
  /** Directories to build (each holds a kustomization file, or plain manifests). */
  readonly paths: readonly string[];
  /** Write the manifests here (mode 0600) instead of stdout. In the Action a file is always used. */
  readonly output: string | undefined;
  /** An explicit kustomize binary (`--kustomize` / `kustomize-path`); else PATH, then kubectl. */
  readonly kustomizePath: string | undefined;
  /**
   * `kustomize-version`: this kustomize release, downloaded (sha256 checked against the
   * release's checksums.txt) into the tool cache and used instead of PATH. Excludes kustomizePath.
   */
  readonly kustomizeRelease: KustomizeRelease | undefined;
  /** Passed to kustomize as --enable-helm. */
  readonly enableHelm: boolean;
  /** Passed to kustomize as --load-restrictor (LoadRestrictionsRootOnly or LoadRestrictionsNone). */
  readonly loadRestrictor: string | undefined;
  /** Encrypted files larger than this many bytes are refused (Flux's cap is 5 MiB). */
  readonly maxFileSize: number;
  /** Post-build variables from `--substitute K=V`; later entries win. */
  readonly substitute: ReadonlyMap<string, string>;
  /** Files of variables: ConfigMap or Secret manifests (possibly SOPS-encrypted) or dotenv. */
  readonly substituteFrom: readonly string[];
  /** An undefined variable with no default is an error. */
  readonly substituteStrict: boolean;
  /** The repository root paths must stay in; defaults to the git top level above each path. */
  readonly root: string | undefined;
  /**
   * Which remote resources kustomize may fetch (`allow-remote`): `none`, `public` (the
   * default: https or ssh to hosts whose addresses are all public) or a list of hosts.
   */
  readonly remotePolicy: RemotePolicy;
  readonly keys: KeyConfig;
  /** For finding kustomize on PATH and for RUNNER_TEMP. */
  readonly env: Env;
  /** In the Action stdout is the log, so manifests always go to a file. */
  readonly stdoutIsLog: boolean;
  /**
   * Flux mode (`--flux`, input `flux`): each PATH is a cluster entry folder (or a file of Flux
   * Kustomizations), rendered the way Flux reconciles it (src/flux/).
   */
  readonly flux: boolean;
  /** `--flux-source KIND/NAMESPACE/NAME=DIR`: sources other than this repository, by key, to absolute folders. */
  readonly fluxSources: ReadonlyMap<string, string>;
  /** `--flux-kustomization NAME` (or NAMESPACE/NAME): only these Kustomizations' objects. */
  readonly fluxKustomizations: readonly string[];
  /**
   * The helm binary HelmReleases render with in Flux mode (`--helm-path`, input `helm-path`);
   * else `helm` on PATH. Looked for only when a HelmRelease is rendered.
   */
  readonly helmPath: string | undefined;
  /**
   * The Kubernetes version charts render for (`--kube-version`, helm's `--kube-version`) when
   * no cluster is read; a diff against a cluster, and apply, use the cluster's version.
   */
  readonly kubeVersion: string | undefined;
  /**
   * API versions the charts' `.Capabilities.APIVersions` hold (`--api-versions`, helm's flag of
   * the same name; `group/version` or `group/version/Kind`) when no cluster is read.
   */
  readonly apiVersions: readonly string[];
}

/** CLI flags of `build` (names equal the Action inputs). */
export const buildFlags = {
  ...keyFlags,
  output: { type: 'string' },
  'kustomize-path': { type: 'string' },
  kustomize: { type: 'string' },
  'kustomize-version': { type: 'string' },
  'enable-helm': { type: 'boolean' },
  'load-restrictor': { type: 'string' },
  'max-file-size': { type: 'string' },
  substitute: { type: 'string', multiple: true },
  'substitute-from': { type: 'string', multiple: true },
  'substitute-strict': { type: 'boolean' },
  root: { type: 'string' },
  flux: { type: 'boolean' },
  'flux-source': { type: 'string', multiple: true },
  'flux-kustomization': { type: 'string', multiple: true },
  'helm-path': { type: 'string' },
  'kube-version': { type: 'string' },
  'api-versions': { type: 'string', multiple: true },
  'allow-remote': { type: 'string' },
} as const;

const LOAD_RESTRICTORS = ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'];

/** Reads and validates the inputs of `build`. */
export function parseBuildConfig(read: InputReader, env: Env, shell: ShellOptions): BuildConfig {
  const paths = lines(read('path'));
  if (paths.length === 0)
    throw new UserError('USAGE', 'build needs a PATH: the directory with kustomization.yaml');
  const maxText = optional(read('max-file-size'));
  const maxFileSize = maxText === undefined ? DEFAULT_MAX_FILE_SIZE : Number(maxText);
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new UserError('USAGE', `max-file-size is "${maxText ?? ''}"; expected a positive number of bytes`);
  }
  const loadRestrictor = optional(read('load-restrictor'));
  if (loadRestrictor !== undefined && !LOAD_RESTRICTORS.includes(loadRestrictor)) {
    throw new UserError(
      'USAGE',
      `load-restrictor is "${loadRestrictor}"; expected ${LOAD_RESTRICTORS.join(' or ')}`,
    );
  }
  return {
    command: 'build',
    paths,
    output: optional(read('output')),
    ...parseKustomizeChoice(read, env, shell),
    enableHelm: parseBoolean(read, 'enable-helm'),
    loadRestrictor,
    maxFileSize,
    substitute: parseVariables(lines(read('substitute')), 'substitute'),
    substituteFrom: lines(read('substitute-from')),
    substituteStrict: parseBoolean(read, 'substitute-strict'),
    root: optional(read('root')),
    remotePolicy: parseRemotePolicy(read('allow-remote')),
    keys: parseKeys(read, env, shell),
    env,
    stdoutIsLog: shell.stdoutIsLog,
    ...parseFluxInputs(read),
    helmPath: optional(read('helm-path')),
    kubeVersion: parseKubeVersion(optional(read('kube-version'))),
    apiVersions: parseApiVersions(lines(read('api-versions'))),
  };
}

/**
 * `kustomize-path` or `kustomize-version`, not both. The download URL can be moved only by
 * KSD_KUSTOMIZE_DOWNLOAD_URL on the CLI, for tests: never by an input, and never in the Action,
 * where an earlier step of the job could set it (GITHUB_ENV) to serve its own binary.
 */
export function parseKustomizeChoice(
  read: InputReader,
  env: Env,
  shell: ShellOptions,
): Pick<BuildConfig, 'kustomizePath' | 'kustomizeRelease'> {
  const kustomizePath = optional(read('kustomize-path')) ?? optional(read('kustomize'));
  const version = optional(read('kustomize-version'));
  if (version === undefined) return { kustomizePath, kustomizeRelease: undefined };
  if (kustomizePath !== undefined) {
    throw new UserError('USAGE', 'kustomize-path and kustomize-version cannot both be set', {
      hint: 'kustomize-version installs that release; kustomize-path uses a binary you installed',
    });
  }
  const action = shell.action === true;
  const override = action ? undefined : optional(env['KSD_KUSTOMIZE_DOWNLOAD_URL'] ?? '');
  if (override !== undefined && (!/^https?:\/\//.test(override) || !URL.canParse(override))) {
    throw new UserError('USAGE', `KSD_KUSTOMIZE_DOWNLOAD_URL is "${override}"; expected an http(s) URL`);
  }
  const toolCache = action ? optional(env['RUNNER_TOOL_CACHE'] ?? '') : undefined;
  return {
    kustomizePath: undefined,
    kustomizeRelease: {
      version: parseKustomizeVersion(version),
      downloadUrl: override ?? DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
      toolCache: toolCache !== undefined && path.isAbsolute(toolCache) ? toolCache : undefined,
    },
  };
}

/** helm's `--api-versions`: `group/version` or `group/version/Kind` (`v1` for the core group). */
function parseApiVersions(values: readonly string[]): string[] {
  for (const value of values) {
    if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:\/[a-z0-9]+)?(?:\/[A-Za-z0-9]+)?$/.test(value)) {
      throw new UserError(
        'USAGE',
        `api-versions has "${value}"; expected group/version or group/version/Kind, e.g. monitoring.coreos.com/v1`,
      );
    }
  }
  return [...values];
}

/** helm's `--kube-version` accepts `1.31`, `v1.31.2` and the like; anything else is a typo. */
function parseKubeVersion(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(value)) {
    throw new UserError(
      'USAGE',
      `kube-version is "${value}"; expected a Kubernetes version such as 1.31 or v1.31.2`,
    );
  }
  return value;
}

/** The Flux-mode inputs; `flux-source` and `flux-kustomization` need `flux`. */
function parseFluxInputs(
  read: InputReader,
): Pick<BuildConfig, 'flux' | 'fluxSources' | 'fluxKustomizations'> {
  const flux = parseBoolean(read, 'flux');
  const sources = new Map<string, string>();
  for (const entry of lines(read('flux-source'))) {
    const parsed = parseFluxSource(entry);
    if (parsed === undefined) {
      throw new UserError('USAGE', `flux-source is "${entry}"; expected KIND/NAMESPACE/NAME=DIR`, {
        hint: 'e.g. --flux-source GitRepository/apps/dev-team=../dev-team',
      });
    }
    sources.set(parsed.key, path.resolve(parsed.dir));
  }
  const kustomizations = lines(read('flux-kustomization'));
  if (!flux && (sources.size > 0 || kustomizations.length > 0)) {
    throw new UserError('USAGE', 'flux-source and flux-kustomization apply only with flux', {
      hint: 'add --flux (the flux: true input)',
    });
  }
  return { flux, fluxSources: sources, fluxKustomizations: kustomizations };
}
