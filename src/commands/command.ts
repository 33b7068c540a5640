/**
 * The contract every command implements. A command is registered once (commands/index.ts)
 * and both shells reach it the same way: the CLI turns argv into inputs with `flags` and
 * `positionals`, the Action reads the same names from INPUT_*, `parse` validates them into
 * the command's readonly config, and `run` does the work with injected ports.
 */
import type { InputReader, ShellOptions } from '../config/inputs.ts';
import type { KubeConfigInputs } from '../config/kube.ts';
import type { ApplyReport } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import type { DiffReport } from '../kube/diff.ts';
import type { LintResult } from '../lint/lint.ts';
import type { SecretRegistry } from '../masking.ts';
import type { Env, Exec, Host, Reporter } from '../ports.ts';

/** What each command hands the Reporter when it is done. */
export interface CommandResults {
  readonly diff: {
    readonly report: DiffReport;
    /** Names the sticky comment and the summary: the target paths, or the manifests file. */
    readonly tag: string;
    /** Where the full diff goes (build's `output`); a new file in RUNNER_TEMP when undefined. */
    readonly file: string | undefined;
  };
  readonly apply: {
    readonly report: ApplyReport;
    /** Names the targets in the summary. */
    readonly title: string;
  };
  readonly lint: LintResult;
}

/** The Reporter the commands talk to. */
export type CommandReporter = Reporter<CommandResults>;

/**
 * Opens a Kubernetes client for a diff or apply run. The shells pass the real one
 * (commands/open-kube-client.ts); tests pass a double, so diff and apply run without a cluster.
 */
export type KubeClientFactory = (inputs: KubeConfigInputs) => Promise<KubeClient>;

/** The ports a command gets. Domain code never reaches for process or @actions/* itself. */
export interface CommandDeps {
  readonly host: Host;
  readonly exec: Exec;
  /**
   * Reads stdin to its end, refusing (TOO_LARGE) and stopping as soon as it passes `maxBytes`:
   * the cap holds while reading, not after everything was read.
   */
  readonly readStdin: (maxBytes: number) => Promise<Uint8Array>;
  /** Where results go besides stdout: GitHub's summary, outputs and comment, or nowhere. */
  readonly reporter: CommandReporter;
  readonly kubeClient: KubeClientFactory;
  /**
   * The run's registry of decrypted values: every decrypting step adds to it, and every text
   * a command shows (diffs, reports, errors) is masked with it, wherever a value moved.
   */
  readonly secrets: SecretRegistry;
  /**
   * For a step that starts many processes (kustomize once per build target): an Exec that
   * starts them from a small helper process, so this large one is not forked for each
   * (host/spawner-exec.ts); `close` it when the step is done. Absent (tests): `exec`.
   */
  readonly batchExec?: () => Exec & { close(): void };
}

/** A CLI flag, as node:util parseArgs takes it. Its name is the Action input's name. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
}

export interface Command<C extends { readonly command: string }> {
  readonly name: C['command'];
  /** One line for --help. */
  readonly summary: string;
  /** The usage line(s) for --help. */
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /**
   * The input each positional argument fills, in order. The last may be `variadic`: all
   * remaining arguments, joined with newlines as a multi-valued input.
   */
  readonly positionals: readonly { readonly name: string; readonly variadic?: boolean }[];
  parse(read: InputReader, env: Env, shell: ShellOptions): C;
  /**
   * The repository paths the command reads (for the Action's self-checkout); empty when it
   * reads none, e.g. `decrypt` from stdin or `diff`/`apply` of rendered `manifests`.
   */
  paths(config: C): readonly string[];
  /**
   * Where the run makes private roots (decrypted plaintext), when it makes any. `run` sweeps
   * stale roots there first: ones a process that is gone (a SIGKILL) left behind.
   */
  privateRoots?(config: C): string | undefined;
  /** Returns the exit code: 0 ok, 1 changes or findings, 2 error (or throws a UserError). */
  run(config: C, deps: CommandDeps): Promise<number>;
}
