/** Every command, registered once. Add one line per command. */
import type { Command } from './command.ts';
import { buildCommand } from './build.ts';
import { applyCommand } from './apply.ts';
import { decryptCommand } from './decrypt.ts';
import { diffCommand } from './diff.ts';
import { lintCommand } from './lint.ts';

export const commands = [decryptCommand, lintCommand, buildCommand, diffCommand, applyCommand] as const;

/** The config of any registered command. */
export type Config = ReturnType<(typeof commands)[number]['parse']>;

/**
 * Each entry pairs a name with its own config type; a lookup by name cannot keep that
 * pairing in the type system, so lookups hold commands at the union type.
 */
function widen(command: (typeof commands)[number]): Command<Config> {
  // With a single command the cast is a no-op, which the linter flags; it is needed from the
  // second command on.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return command as unknown as Command<Config>;
}

const byName = new Map<string, Command<Config>>(commands.map((c) => [c.name, widen(c)]));

/** The command registered under `name`, if any. */
export function findCommand(name: string): Command<Config> | undefined {
  return byName.get(name);
}
