/** The CLI's host: messages to stderr, command output to stdout, secrets redacted. */
import { writeSync } from 'node:fs';
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
    reportsToGithub: false,
    // A terminal has no collapsible groups; the stage's own lines say enough.
    group: (_name, fn) => fn(),
    stickyComment: () => Promise.resolve('skipped'),
  };
}
