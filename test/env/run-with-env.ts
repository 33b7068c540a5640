/**
 * Runs one command inside a started test environment: `node test/env/run-with-env.ts CMD...`.
 *
 * It does what `node --test --test-global-setup=test/env/global-setup.ts` does, for test runners
 * that lack that flag: Node 22's runner has none, yet CI runs the unit and e2e suites on Node 22
 * and 26 as well as 24 (.ci/run). This process (on the devDependency Node) installs and starts the
 * components; the command inherits KSD_RUN_DIR, so its tests find them through the state file.
 */
import { spawn } from 'node:child_process';
import { globalSetup, globalTeardown } from './global-setup.ts';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: node test/env/run-with-env.ts COMMAND [ARG...]\n');
  process.exit(2);
}

globalSetup();
let code = 1;
try {
  code = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (exit, signal) => resolve(exit ?? (signal === null ? 1 : 128)));
  });
} finally {
  await globalTeardown();
}
process.exitCode = code;
