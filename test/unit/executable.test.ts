import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { resolveExplicitTool } from '../../src/executable.ts';

describe('resolveExplicitTool: kustomize-path and helm-path as absolute paths', () => {
  let dir: string;
  let bin: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ksd-executable-'));
    bin = path.join(dir, 'bin');
    await mkdir(bin);
    for (const name of ['kustomize', 'plain']) {
      await writeFile(path.join(bin, name), '#!/bin/sh\n');
      await chmod(path.join(bin, name), name === 'plain' ? 0o644 : 0o755);
    }
  });

  // A relative path was handed to spawn as it was, and kustomize runs in its staging folder:
  // `--kustomize ./bin/kustomize` ended in "internal error: spawn ./bin/kustomize ENOENT".
  const cases: readonly (readonly [string, (d: string) => string, (d: string) => string | undefined])[] = [
    [
      'a relative path, from the working directory',
      () => 'bin/kustomize',
      (d) => path.join(d, 'bin/kustomize'),
    ],
    ['./ and ../ are resolved', () => './bin/../bin/kustomize', (d) => path.join(d, 'bin/kustomize')],
    ['an absolute path', (d) => path.join(d, 'bin/kustomize'), (d) => path.join(d, 'bin/kustomize')],
    ['a bare name is looked up on PATH', () => 'kustomize', (d) => path.join(d, 'bin/kustomize')],
    ['a file that may not be executed', () => 'bin/plain', () => undefined],
    ['nothing there', () => 'bin/missing', () => undefined],
    ['a bare name not on PATH', () => 'no-such-tool', () => undefined],
  ];
  for (const [name, input, expected] of cases) {
    it(name, async () => {
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        assert.equal(await resolveExplicitTool(input(dir), { PATH: bin }), expected(dir));
      } finally {
        process.chdir(cwd);
      }
    });
  }
});
