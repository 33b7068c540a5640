/**
 * The one git runner: every call is non-interactive whatever the caller's environment says,
 * keeps the caller's timeout, and turns "git cannot start" into the caller's own error.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { errorMessage, UserError } from '../../../src/errors.ts';
import { gitIn } from '../../../src/git/runner.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import type { Exec, ExecOptions } from '../../../src/ports.ts';

function recording(calls: ExecOptions[], exec: Exec = nodeExec): Exec {
  return {
    run: (command, args, options) => {
      calls.push(options ?? {});
      return exec.run(command, args, options);
    },
  };
}

const unavailable = (cause: unknown) => new UserError('UNSUPPORTED', 'test: git cannot start', { cause });

test('git never prompts, whatever the environment asks for, and keeps the timeout given', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-git-runner-'));
  const calls: ExecOptions[] = [];
  const git = gitIn({
    exec: recording(calls),
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '1',
      GIT_ASKPASS: '/bin/echo',
      GCM_INTERACTIVE: 'Always',
      LC_ALL: 'de_DE.UTF-8',
    },
    cwd: dir,
    timeoutMs: 1234,
    unavailable,
  });
  const result = await git(['rev-parse', '--show-toplevel']);
  assert.equal(result.ok, false);
  assert.match(result.err, /not a git repository/);
  assert.equal(result.reason, result.err.split('\n').at(-1));
  const options = calls[0];
  assert.ok(options !== undefined);
  assert.equal(options.cwd, dir);
  assert.equal(options.timeoutMs, 1234);
  for (const [name, value] of Object.entries({
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    GCM_INTERACTIVE: 'Never',
    LC_ALL: 'C',
  }))
    assert.equal(options.env?.[name], value, name);

  const init = await git(['init', '--quiet']);
  assert.equal(init.ok, true, init.err);
  const top = await git(['rev-parse', '--show-toplevel']);
  assert.deepEqual([top.ok, top.err], [true, '']);
  assert.equal(top.out, top.out.trim());
});

test('git that cannot start gives the caller’s error, with the cause', async () => {
  const missing: Exec = {
    run: () => Promise.reject(Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' })),
  };
  const git = gitIn({ exec: missing, env: {}, cwd: '.', timeoutMs: 1, unavailable });
  await assert.rejects(git(['status']), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.equal(error.code, 'UNSUPPORTED');
    assert.equal(error.message, 'test: git cannot start');
    assert.match(errorMessage(error.cause), /ENOENT/);
    return true;
  });
});
