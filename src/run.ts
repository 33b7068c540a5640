/**
 * The one core both shells call. Returns an exit code and never calls process.exit:
 * 0 ok, 1 changes or findings (diff/lint), 2 error. User errors print as one line plus
 * their report and hint, with no stack trace; anything else is a bug and keeps its stack.
 */
import path from 'node:path';
import type { CommandDeps } from './commands/command.ts';
import { findCommand, type CommandConfig } from './commands/index.ts';
import { UserError } from './errors.ts';
import { SecretRegistry, type SecretText } from './masking.ts';
import type { Host } from './ports.ts';
import { sweepStalePrivateRoots } from './private-file.ts';

/** The shells' ports; run() adds the run's registry of decrypted values. */
export type RunDeps = Omit<CommandDeps, 'secrets'>;

export const EXIT_OK = 0;
export const EXIT_ERROR = 2;

/**
 * Prints an error the way users should see it. With the run's registry, every decrypted
 * value is masked in it first (a tool's error can quote one, escaped as it likes), even on a
 * host that masks on its own.
 */
export function reportError(host: Host, error: unknown, secrets?: SecretText): void {
  const redact = (text: string): string => (secrets === undefined ? text : secrets.redact(text));
  if (error instanceof UserError) {
    host.error(redact(error.message), error.location);
    if (error.report !== undefined) host.info(redact(error.report));
    if (error.hint !== undefined) host.info(`hint: ${redact(error.hint)}`);
    return;
  }
  host.error(
    redact(
      `internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );
}

export async function run(config: CommandConfig, deps: RunDeps): Promise<number> {
  const secrets = new SecretRegistry((value) => deps.host.setSecret(value));
  try {
    const command = findCommand(config.command);
    if (command === undefined) throw new Error(`no command ${config.command}`);
    const parent = command.privateRoots?.(config);
    if (parent !== undefined) {
      for (const name of await sweepStalePrivateRoots(parent)) {
        deps.host.info(`removed ${path.join(parent, name)}: a private root left by a process that is gone`);
      }
    }
    return await command.run(config, { ...deps, secrets });
  } catch (error) {
    reportError(deps.host, error, secrets);
    return EXIT_ERROR;
  }
}
