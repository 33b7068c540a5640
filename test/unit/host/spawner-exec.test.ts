/**
 * The helper-process Exec gives what node-exec gives for the same runs: output, exit code,
 * stdin, environment, working directory, and a start failure with its code (callers test
 * ENOENT), many runs at once included.
 */
import assert from 'node:assert/strict';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { createSpawnerExec } from '../../../src/host/spawner-exec.ts';
import type { ExecOptions } from '../../../src/ports.ts';

describe('createSpawnerExec: the same results as node-exec', () => {
  const spawner = createSpawnerExec();
  after(() => spawner.close());

  const cases: readonly (readonly [string, string, readonly string[], ExecOptions])[] = [
    ['stdout and exit 0', '/bin/sh', ['-c', 'printf "a\\nb"'], {}],
    ['stderr and an exit code', '/bin/sh', ['-c', 'echo oops >&2; exit 3'], {}],
    ['stdin', '/bin/sh', ['-c', 'cat'], { input: 'piped\u00e9' }],
    ['the environment given, and only it', '/bin/sh', ['-c', 'echo "$ONLY:$HOME"'], { env: { ONLY: 'x' } }],
    ['a binary output', '/bin/sh', ['-c', 'printf "\\377\\000\\001"'], {}],
  ];
  for (const [name, command, args, options] of cases) {
    it(name, async () => {
      const ours = await spawner.run(command, args, options);
      const direct = await nodeExec.run(command, args, options);
      assert.equal(ours.exitCode, direct.exitCode);
      assert.deepEqual(Buffer.from(ours.stdout), Buffer.from(direct.stdout));
      assert.equal(ours.stderr, direct.stderr);
    });
  }

  it('the working directory', async () => {
    const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'ksd-spawner-')));
    const result = await spawner.run('/bin/sh', ['-c', 'pwd'], { cwd: dir });
    assert.equal(Buffer.from(result.stdout).toString().trim(), dir);
  });

  it('a command that cannot start rejects with its code, as node-exec does', async () => {
    await assert.rejects(spawner.run('/nonexistent/tool', []), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, 'ENOENT');
      return true;
    });
    await assert.rejects(nodeExec.run('/nonexistent/tool', []), { code: 'ENOENT' });
  });

  it('many runs at once each get their own answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => spawner.run('/bin/sh', ['-c', `echo ${String(i)}`])),
    );
    assert.deepEqual(
      results.map((r) => Buffer.from(r.stdout).toString().trim()),
      Array.from({ length: 40 }, (_, i) => String(i)),
    );
  });
});

describe('createSpawnerExec: close', () => {
  it('the helper has exited, and was reaped, by the time the process that closed it exits', async () => {
    const spawner = new URL('../../../src/host/spawner-exec.ts', import.meta.url).href;
    const script = `
      const { createSpawnerExec } = await import(${JSON.stringify(spawner)});
      const exec = createSpawnerExec();
      const result = await exec.run('/bin/sh', ['-c', 'echo $PPID']);
      const helper = Number(Buffer.from(result.stdout).toString().trim());
      exec.close();
      process.on('exit', () => {
        let alive = true;
        try { process.kill(helper, 0); } catch { alive = false; }
        process.stdout.write(alive ? 'alive' : 'gone');
      });
    `;
    const result = await nodeExec.run(process.execPath, ['--input-type=module', '-e', script]);
    assert.equal(result.stderr, '');
    assert.equal(Buffer.from(result.stdout).toString(), 'gone');
  });
});
