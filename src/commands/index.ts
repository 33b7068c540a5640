/**
 * Every command, registered once (add one line per command), and the Config: the chosen
 * command's own config plus the Action-only settings, parsed here from the inputs.
 */
import { parseActionSettings, type ActionSettings } from '../config/action.ts';
import type { InputReader, ShellOptions } from '../config/inputs.ts';
import { kubeconfigCredentials } from '../config/kube.ts';
import { UserError } from '../errors.ts';
import type { Env } from '../ports.ts';
import type { Command } from './command.ts';
import { buildCommand } from './build.ts';
import { applyCommand } from './apply.ts';
import { decryptCommand } from './decrypt.ts';
import { encryptCommand } from './encrypt.ts';
import { diffCommand } from './diff.ts';
import { lintCommand } from './lint.ts';

export const commands = [
  decryptCommand,
  encryptCommand,
  lintCommand,
  buildCommand,
  diffCommand,
  applyCommand,
] as const;

/** The config of any registered command. */
export type CommandConfig = ReturnType<(typeof commands)[number]['parse']>;

/** Everything a run was asked to do: the command's config and the Action-only settings. */
export type Config = CommandConfig & { readonly action: ActionSettings };

/**
 * Each entry pairs a name with its own config type; a lookup by name cannot keep that
 * pairing in the type system, so lookups hold commands at the union type.
 */
function widen(command: (typeof commands)[number]): Command<CommandConfig> {
  // With a single command the cast is a no-op, which the linter flags; it is needed from the
  // second command on.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return command as unknown as Command<CommandConfig>;
}

const byName = new Map<string, Command<CommandConfig>>(commands.map((c) => [c.name, widen(c)]));

/** The command registered under `name`, if any. */
export function findCommand(name: string): Command<CommandConfig> | undefined {
  return byName.get(name);
}

/**
 * Builds the Config: every input, flag and environment variable is read once, here and in the
 * readers of src/config/. Both shells feed it through `read(name)`: the Action from
 * `INPUT_<NAME>`, the CLI from its flags, with the same kebab-case names. Every validation
 * error names the input and the expected value.
 */
export function parseConfig(
  read: InputReader,
  env: Env,
  shell: ShellOptions = { stdoutIsLog: false },
): Config {
  const name = read('command').trim();
  const command = findCommand(name);
  if (command === undefined) {
    throw new UserError('USAGE', name === '' ? 'no command given' : `unknown command "${name}"`, {
      hint: `use one of: ${commands.map((c) => c.name).join(', ')}`,
    });
  }
  return { ...command.parse(read, env, shell), action: parseActionSettings(read, env) };
}

/** The repository paths the configured command reads (for the Action's self-checkout). */
export function repositoryPaths(config: CommandConfig): readonly string[] {
  const command = findCommand(config.command);
  return command === undefined ? [] : command.paths(config);
}

/**
 * The secrets the Config holds that no key source masks: the github-token and the credentials
 * in kubeconfig content. The shells mask them as soon as the Config exists.
 */
export function configSecrets(config: Config): string[] {
  const token = config.action.githubToken;
  const content =
    config.command === 'diff' || config.command === 'apply' ? config.kube.kubeconfigContent : undefined;
  return [
    ...(token === undefined ? [] : [token]),
    ...(content === undefined ? [] : kubeconfigCredentials(content)),
  ];
}
