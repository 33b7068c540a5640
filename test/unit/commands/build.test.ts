/**
 * `build --output` is refused inside a build target or over a file the build reads (issue 13
 * §5): the manifests, Secrets in clear, would land among the sources. Checked before anything
 * is built, so these runs need no kustomize.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildCommand } from '../../../src/commands/build.ts';
import { parseBuildConfig } from '../../../src/config/build.ts';
import { errorMessage, UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { commandDeps } from '../../support/command-deps.ts';

const base = await mkdtemp(path.join(tmpdir(), 'ksd-build-output-'));
const apps = path.join(base, 'apps');
for (const app of ['one', 'two']) {
  await mkdir(path.join(apps, app, 'nested'), { recursive: true });
  await writeFile(path.join(apps, app, 'kustomization.yaml'), 'resources: []\n');
}
await writeFile(path.join(base, 'vars.env'), 'A=1\n');
await symlink(path.join(apps, 'one'), path.join(base, 'link-to-one'));

async function build(inputs: Record<string, string>): Promise<unknown> {
  const config = parseBuildConfig((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
  try {
    await buildCommand.run(config, commandDeps(createMemoryHost()));
  } catch (error) {
    return error;
  }
  return undefined;
}

const one = path.join(apps, 'one');
const refused: [string, Record<string, string>, string][] = [
  [
    'a file in the target',
    { path: one, output: path.join(one, 'out.yaml') },
    `is inside the build target ${one}`,
  ],
  [
    'a file deeper in the target',
    { path: one, output: path.join(one, 'nested', 'out.yaml') },
    `is inside the build target ${one}`,
  ],
  ['the target itself', { path: one, output: one }, `is inside the build target ${one}`],
  [
    'a path through a symlink to the target',
    { path: one, output: path.join(base, 'link-to-one', 'out.yaml') },
    `is inside the build target ${one}`,
  ],
  [
    'a target a glob matched',
    { path: path.join(apps, '*'), output: path.join(apps, 'two', 'out.yaml') },
    `is inside the build target ${path.join(apps, 'two')}`,
  ],
  [
    'a Flux cluster folder',
    { path: apps, flux: 'true', output: path.join(apps, 'out.yaml') },
    `is inside the build target ${apps}`,
  ],
  [
    'a substitute-from file',
    { path: one, 'substitute-from': path.join(base, 'vars.env'), output: path.join(base, 'vars.env') },
    `is the substitute-from file ${path.join(base, 'vars.env')}`,
  ],
];
for (const [name, inputs, message] of refused) {
  test(`build --output as ${name} is refused before anything is built`, async () => {
    const before = await readdir(base, { recursive: true });
    const error = await build({ ...inputs, kustomize: '/nonexistent-kustomize' });
    assert.ok(error instanceof UserError, errorMessage(error));
    assert.equal(error.code, 'USAGE');
    assert.equal(error.message, `output ${inputs['output'] ?? ''} ${message}`);
    assert.match(error.hint ?? '', /outside the build targets/);
    assert.deepEqual(await readdir(base, { recursive: true }), before, 'nothing was written');
  });
}

test('an output beside the target (even with a name that starts like it) passes the check', async () => {
  for (const output of [path.join(base, 'out.yaml'), `${one}-out.yaml`]) {
    const error = await build({ path: one, output, kustomize: '/nonexistent-kustomize' });
    // It gets as far as looking for kustomize.
    assert.ok(error instanceof Error);
    assert.doesNotMatch(errorMessage(error), /^output /);
    assert.match(errorMessage(error), /nonexistent-kustomize/);
  }
});
