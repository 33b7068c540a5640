/**
 * The CLI's host (messages to stderr, command output to stdout, secrets redacted) and its
 * Reporter, which reports nothing: a terminal has no job summary, outputs or comment.
 */
import { writeSync } from 'node:fs';
import type { CommandReporter } from '../commands/command.ts';
import type { Host } from '../ports.ts';
import { Redactor } from '../masking.ts';

export function createConsoleHost(options: { verbose?: boolean } = {}): Host {
  const redactor = new Redactor();
  const line = (prefix: string, message: string): void => {
    process.stderr.write(`${prefix}${redactor.redact(message)}\n`);
  };
  return {
    debug: (message) => {
      if (options.verbose === true) line('debug: ', message);
    },
    info: (message) => line('', message),
    warning: (message) => line('warning: ', message),
    error: (message) => line('error: ', message),
    setSecret: (value) => redactor.add(value),
    setOutput: (name, value) => line(`${name}=`, value),
    appendSummary: () => undefined,
    writeStdout: (data) => {
      // Synchronous, so the whole document is out before the process exits.
      writeSync(1, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    },
    // A terminal has no collapsible groups; the stage's own lines say enough.
    group: (_name, fn) => fn(),
  };
}

/** The CLI reports everything on stdout and stderr already; nothing more goes anywhere. */
export const consoleReporter: CommandReporter = { report: () => Promise.resolve() };
