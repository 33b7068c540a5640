/**
 * `buildTarget`: walk the graph, stage and decrypt it privately, run kustomize on the
 * plaintext, decrypt what is still encrypted the way Flux does, substitute post-build
 * variables, and remove the private root whatever happened. The library entry diff and apply
 * build on.
 */
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { UserError } from '../errors.ts';
import { findOnPath, resolveExplicitTool } from '../executable.ts';
import type { Exec } from '../ports.ts';
import type { Host } from '../ports.ts';
import type { KeySource } from '../keys/key-source.ts';
import { walkGraph, type KustomizeGraph } from './graph.ts';
import { withOriginAnnotations } from './origin-annotations.ts';
import { withEgress } from './egress-proxy.ts';
import { PUBLIC_REMOTES, type RemotePolicy, type ResolveHost } from './remote-policy.ts';
import { decryptAfterBuild, mayNeedPostBuildText, needsPostBuild } from './post-build.ts';
import type { UndecryptedFiles } from './placeholder.ts';
import type { SecretRegistry } from '../masking.ts';
import { stageGraph } from './stage.ts';
import { substituteDocument } from './substitute.ts';

/** How kustomize is invoked: `kustomize build DIR` or `kubectl kustomize DIR`. */
export interface KustomizeTool {
  readonly command: string;
  /** Arguments before the directory: `['build']` or `['kustomize']`. */
  readonly prefix: readonly string[];
  /** For the log, e.g. `kustomize v5.8.3 (/usr/local/bin/kustomize)`. */
  readonly description: string;
}

export interface BuildOptions {
  /** The directory to build. */
  readonly target: string;
  /** The root paths must stay in; defaults to the git top level above the target. */
  readonly root?: string;
  /** Which remote resources kustomize may fetch (`allow-remote`); `public` by default. */
  readonly remotePolicy?: RemotePolicy;
  readonly enableHelm?: boolean;
  readonly loadRestrictor?: string;
  readonly maxFileSize?: number;
  readonly decryptionOrder?: readonly string[];
  /** Post-build substitution, when requested. */
  readonly substitute?: { readonly vars: ReadonlyMap<string, string>; readonly strict: boolean };
  /** Build with kustomize's origin annotations (lint --rendered; origin-annotations.ts). */
  readonly originAnnotations?: boolean;
  /**
   * The target's graph when the caller has just walked it with the same root and remote
   * policy (lint --rendered walks every kustomization to find the roots); else it is walked.
   */
  readonly graph?: KustomizeGraph;
}

export interface BuildDeps {
  readonly host: Host;
  readonly exec: Exec;
  /** Already wrapped with cacheKeySources, so a data key is unwrapped once per run. */
  readonly keySources: readonly KeySource[];
  readonly registry: SecretRegistry;
  readonly tool: KustomizeTool;
  /** The environment kustomize runs in. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Parent of the private root (tests); defaults to tmpfs / RUNNER_TEMP / the OS temp. */
  readonly stagingParent?: string;
  readonly signals?: NodeJS.EventEmitter | null;
  /** Diff only: files no key can open are staged with placeholders and recorded here. */
  readonly undecrypted?: UndecryptedFiles;
  /** Replaces DNS for the remote policy's checks (tests). */
  readonly resolveHost?: ResolveHost;
  /**
   * Which remote resources kustomize may fetch, for callers that walk graphs themselves
   * (Flux mode); buildTarget takes it from its options. `public` by default.
   */
  readonly remotePolicy?: RemotePolicy;
}

export interface BuildResult {
  /** Multi-document YAML, as `kustomize build` prints it. */
  readonly yaml: string;
  /** The same objects, parsed (on first use: `build` itself only needs the count). */
  readonly objects: readonly unknown[];
  /** How many objects the output holds. */
  readonly objectCount: number;
  /** The kustomize that built it. */
  readonly tool: string;
  /** Files that were SOPS-encrypted, relative to the repository root. */
  readonly decrypted: readonly string[];
}

async function versionOf(exec: Exec, command: string, args: readonly string[]): Promise<string> {
  try {
    const result = await exec.run(command, args, { timeoutMs: 30_000 });
    const text = Buffer.from(result.stdout).toString('utf8');
    return /v?\d+\.\d+\.\d+[^\s"]*/.exec(text)?.[0] ?? 'unknown version';
  } catch {
    return 'unknown version';
  }
}

/**
 * The first of: the explicit path (`--kustomize` / `kustomize-path`, or the release
 * `kustomize-version` installed, install.ts), `kustomize` on PATH, `kubectl kustomize`.
 */
export async function resolveKustomize(
  explicit: string | undefined,
  deps: { readonly exec: Exec; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<KustomizeTool> {
  if (explicit !== undefined) {
    const command = await resolveExplicitTool(explicit, deps.env);
    if (command === undefined) {
      throw new UserError('FILE_NOT_FOUND', `kustomize-path ${explicit} is not an executable file`);
    }
    const version = await versionOf(deps.exec, command, ['version']);
    return { command, prefix: ['build'], description: `kustomize ${version} (${command})` };
  }
  const kustomize = await findOnPath('kustomize', deps.env);
  if (kustomize !== undefined) {
    const version = await versionOf(deps.exec, kustomize, ['version']);
    return { command: kustomize, prefix: ['build'], description: `kustomize ${version} (${kustomize})` };
  }
  const kubectl = await findOnPath('kubectl', deps.env);
  if (kubectl !== undefined) {
    const version = await versionOf(deps.exec, kubectl, ['version', '--client']);
    return {
      command: kubectl,
      prefix: ['kustomize'],
      description: `kubectl kustomize, kubectl ${version} (${kubectl})`,
    };
  }
  throw new UserError('FILE_NOT_FOUND', 'neither kustomize nor kubectl was found on PATH', {
    hint: 'install kustomize, pass --kustomize /path/to/kustomize (the kustomize-path input), or ask for a release with kustomize-version',
  });
}

/**
 * Go's garbage collector target for kustomize (and kubectl, helm) when the environment sets
 * none: a build is a short-lived process, and at Go's default (100) most of the bench's small
 * builds ran a collection or two just before exiting. With 200 the heap may grow to 1.5 times
 * what the default allows before a collection, and 200 kustomize builds of the bench take
 * 2.8 s of CPU instead of 3.5 s (bench/build/README.md); the output is the same.
 */
export const KUSTOMIZE_GOGC = '200';

/**
 * kustomize never needs key material, and a helm chart or plugin it runs should not see it
 * either: sops and cloud credentials are removed from its environment. GOGC is set to
 * KUSTOMIZE_GOGC unless the environment has its own.
 */
export function kustomizeEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(SOPS_|VAULT_TOKEN$|AWS_SECRET_ACCESS_KEY$|AWS_SESSION_TOKEN$|INPUT_)/.test(name)) continue;
    out[name] = value;
  }
  if (out['GOGC'] === undefined) out['GOGC'] = KUSTOMIZE_GOGC;
  return out;
}

/**
 * kustomize's output split into its documents. A `---` line at column 0 can only be a
 * document marker: YAML forbids it inside quoted scalars, and block content is indented.
 */
export function splitDocuments(output: string): string[] {
  return output.split(/^---[ \t]*\r?$\n?/m).filter((text) => /^[^#\s]/m.test(text));
}

/**
 * Whether any built document may need post-build decryption. Only a document that
 * mayNeedPostBuildText lets through (sops metadata, or a Secret whose base64 may hold a SOPS
 * document) is parsed, to ask needsPostBuild.
 */
function mayNeedPostBuild(documents: readonly string[]): boolean {
  for (const text of documents) {
    if (!mayNeedPostBuildText(text)) continue;
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || needsPostBuild(doc.toJS())) return true;
  }
  return false;
}

function parseOutput(output: string, target: string): Document[] {
  const docs = parseAllDocuments(output).filter((doc) => doc.contents !== null);
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new UserError('KUSTOMIZE_FAILED', `kustomize printed YAML that does not parse for ${target}`);
  }
  return docs;
}

function renderDocuments(docs: readonly Document[]): string {
  return docs.map((doc) => doc.toString({ lineWidth: 0 })).join('---\n');
}

/** kustomize's refusal of a file outside the kustomization's directory. */
const LOAD_RESTRICTED = /is not in or below/;

/** kustomize's own deprecation notes (`# Warning: 'commonLabels' is deprecated...`). */
const KUSTOMIZE_WARNING = /^# Warning: /;

/**
 * The error for a failed kustomize run. kustomize names files by their private path and may
 * quote decrypted content, so its stderr is shown with repository paths and every known
 * secret masked (in every escaped form), and only through this. Its first line is the
 * message; the rest, when there is more, the report (never the same text twice).
 */
export function kustomizeFailure(
  what: string,
  result: { readonly stderr: string; readonly exitCode: number },
  where: { readonly registry: SecretRegistry; readonly staged: string; readonly root: string },
): UserError {
  const stderr = where.registry.redact(result.stderr).split(where.staged).join(where.root).trim();
  // kustomize prints its deprecation notes first; the error is what follows them, so they go
  // to the report's end.
  const all = stderr.split('\n').filter((line) => line.trim() !== '');
  const lines = [
    ...all.filter((line) => !KUSTOMIZE_WARNING.test(line)),
    ...all.filter((line) => KUSTOMIZE_WARNING.test(line)),
  ];
  // kustomize prints its error line twice (once as the cause, once as "Error: ...").
  const unique = [...new Set(lines.map((line) => line.replace(/^Error: /, '')))];
  const first = unique[0] ?? `exit code ${String(result.exitCode)}`;
  return new UserError('KUSTOMIZE_FAILED', `${what}: ${first}`, {
    ...(unique.length > 1 ? { report: unique.slice(1).join('\n') } : {}),
    ...(LOAD_RESTRICTED.test(first)
      ? {
          hint: 'the file is outside the kustomization directory; pass --load-restrictor LoadRestrictionsNone (Flux builds with it) or move the file into the directory',
        }
      : {}),
  });
}

/** Builds one target. The private root is gone when this returns or throws. */
export async function buildTarget(options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  const walked =
    options.graph ??
    (await walkGraph(options.target, {
      ...(options.root === undefined ? {} : { root: options.root }),
      ...(options.remotePolicy === undefined ? {} : { remotePolicy: options.remotePolicy }),
      ...(deps.resolveHost === undefined ? {} : { resolveHost: deps.resolveHost }),
    }));
  const graph = options.originAnnotations === true ? await withOriginAnnotations(walked) : walked;
  for (const remote of graph.remote)
    deps.host.info(`${options.target}: remote resource ${remote} is fetched by kustomize`);
  const staged = await stageGraph(graph, {
    keySources: deps.keySources,
    registry: deps.registry,
    ...(options.maxFileSize === undefined ? {} : { maxFileSize: options.maxFileSize }),
    ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
    ...(deps.stagingParent === undefined ? {} : { parent: deps.stagingParent }),
    ...(deps.signals === undefined ? {} : { signals: deps.signals }),
    ...(deps.undecrypted === undefined ? {} : { undecrypted: deps.undecrypted }),
  });
  let output: string;
  try {
    const args = [
      ...deps.tool.prefix,
      staged.target,
      ...(options.enableHelm === true ? ['--enable-helm'] : []),
      ...(options.loadRestrictor === undefined ? [] : ['--load-restrictor', options.loadRestrictor]),
    ];
    const result = await withEgress(
      graph.remote,
      options.remotePolicy ?? PUBLIC_REMOTES,
      kustomizeEnv(deps.env),
      deps,
      (env) => deps.exec.run(deps.tool.command, args, { cwd: staged.target, env }),
    );
    if (result.exitCode !== 0) {
      throw kustomizeFailure(`kustomize build ${options.target} failed`, result, {
        registry: deps.registry,
        staged: staged.dir,
        root: graph.root,
      });
    }
    output = Buffer.from(result.stdout).toString('utf8');
  } finally {
    await staged.cleanup();
  }

  const documents = splitDocuments(output);
  if (options.substitute === undefined && !mayNeedPostBuild(documents)) {
    // Nothing to decrypt or substitute: kustomize's bytes as they are, parsed only if asked.
    let objects: unknown[] | undefined;
    return {
      yaml: output,
      get objects() {
        objects ??= parseOutput(output, options.target).map((doc) => doc.toJS() as unknown);
        return objects;
      },
      objectCount: documents.length,
      tool: deps.tool.description,
      decrypted: staged.decrypted,
    };
  }
  const docs = parseOutput(output, options.target);
  let changed = await decryptAfterBuild(docs, {
    keySources: deps.keySources,
    registry: deps.registry,
    log: deps.host,
    ...(deps.undecrypted === undefined ? {} : { undecrypted: deps.undecrypted }),
    ...(options.decryptionOrder === undefined ? {} : { decryptionOrder: options.decryptionOrder }),
  });
  if (options.substitute !== undefined) {
    for (const doc of docs) {
      if (
        substituteDocument(doc, {
          vars: options.substitute.vars,
          strict: options.substitute.strict,
          isSecret: (text) => deps.registry.touches(text),
        })
      ) {
        changed = true;
      }
    }
  }
  return {
    // Unchanged output is kept byte for byte as kustomize printed it.
    yaml: changed ? renderDocuments(docs) : output,
    objects: docs.map((doc) => doc.toJS() as unknown),
    objectCount: docs.length,
    tool: deps.tool.description,
    decrypted: staged.decrypted,
  };
}
