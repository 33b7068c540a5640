/**
 * The contract every command implements. A command is registered once (commands/index.ts)
 * and both shells reach it the same way: the CLI turns argv into inputs with `flags` and
 * `positionals`, the Action reads the same names from INPUT_*, `parse` validates them into
 * the command's readonly config, and `run` does the work with injected ports.
 */
import type { InputReader, ShellOptions } from '../config/inputs.ts';
import type { KubeClientFactory } from '../kube/client.ts';
import type { Exec } from '../ports.ts';
import type { Host } from '../ports.ts';
import type { Env } from '../ports.ts';

/** The ports a command gets. Domain code never reaches for process or @actions/* itself. */
export interface CommandDeps {
  readonly host: Host;
  readonly exec: Exec;
  readonly readStdin: () => Promise<Uint8Array>;
  /** Opens the Kubernetes client for diff and apply (kube/client.ts createKubeClient). */
  readonly kubeClient: KubeClientFactory;
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
  /** Returns the exit code: 0 ok, 1 changes or findings, 2 error (or throws a UserError). */
  run(config: C, deps: CommandDeps): Promise<number>;
}
