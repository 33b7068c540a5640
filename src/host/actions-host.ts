/** The Action's host, on @actions/core. The only domain-facing file that imports it. */
import * as core from '@actions/core';
import type { Host } from './host.ts';
import { maskableParts } from './redactor.ts';

export function createActionsHost(): Host {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    setSecret: (value) => {
      for (const part of maskableParts(value)) core.setSecret(part);
    },
    setOutput: (n, v) => core.setOutput(n, v),
    appendSummary: (md) => {
      void core.summary.addRaw(md, true).write();
    },
    writeStdout: (d) => process.stdout.write(d),
  };
}
