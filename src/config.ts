/**
 * Every input, flag and environment variable is read once, into a readonly Config: this
 * picks the command, and the command's own reader (src/config/<command>.ts) validates the
 * rest. Both shells feed it through `read(name)`: the Action from `INPUT_<NAME>`, the CLI
 * from its flags, with the same kebab-case names.
 */
import { commands, findCommand, type Config } from './commands/index.ts';
import type { InputReader, ShellOptions } from './config/inputs.ts';
import { UserError } from './errors.ts';
import type { Env } from './ports.ts';

export type { Config } from './commands/index.ts';
export type { KeyConfig } from './config/keys.ts';

/** Builds the Config; every validation error names the input and the expected value. */
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
  return command.parse(read, env, shell);
}
