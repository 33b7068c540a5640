/** The Action shell: hands @actions/core to the Action's run (src/github/action-run.ts). */
import * as core from '@actions/core';
import { runAction } from './github/action-run.ts';
import { createActionsHost, ERROR_PREFIX } from './host/actions-host.ts';

process.exitCode = await runAction({
  env: process.env,
  getInput: (name) => core.getInput(name),
  notice: (message) => core.notice(message),
  setFailed: (message) => core.setFailed(message),
  createHost: createActionsHost,
  errorPrefix: ERROR_PREFIX,
});
