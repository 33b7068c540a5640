/** Every command, registered once. Add one line per command. */
import type { Command } from './command.ts';
import { decryptCommand } from './decrypt.ts';

export const commands = [decryptCommand] as const;

/** The config of any registered command. */
export type Config = ReturnType<(typeof commands)[number]['parse']>;

// Each entry pairs a name with its own config type; a lookup by name cannot keep that
// pairing in the type system, so the map holds them at the union type. (With a single
// command the cast is a no-op, which the linter flags; it is needed from the second on.)
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
const byName = new Map<string, Command<Config>>(
  commands.map((c) => [c.name, c as unknown as Command<Config>]),
);

/** The command registered under `name`, if any. */
export function findCommand(name: string): Command<Config> | undefined {
  return byName.get(name);
}
