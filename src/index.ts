/** The Action shell: inputs (INPUT_* variables) into Config, then the shared run(). */
import * as core from '@actions/core';
import { parseConfig } from './config.ts';
import { createActionsHost } from './host/actions-host.ts';
import { nodeExec } from './host/node-exec.ts';
import { reportError, run } from './run.ts';

const host = createActionsHost();
try {
  const config = parseConfig((name) => core.getInput(name), process.env, { stdoutIsLog: true });
  const code = await run(config, {
    host,
    exec: nodeExec,
    readStdin: () => Promise.resolve(new Uint8Array()),
  });
  if (code !== 0) core.setFailed(`kustomize-sops-deploy ${config.command} failed`);
} catch (error) {
  reportError(host, error);
  core.setFailed('kustomize-sops-deploy: invalid inputs');
}
