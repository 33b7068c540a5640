import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { errorMessage, type UserError } from '../../../src/errors.ts';
import { expandTargets, isBuildableDirectory, isGlob } from '../../../src/kustomize/targets.ts';

let root = '';
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ksd-targets-'));
  const files: Record<string, string> = {
    'clusters/prod/kustomization.yaml': 'resources: []\n',
    'clusters/staging/Kustomization': 'resources: []\n',
    'clusters/dev/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'clusters/scripts/deploy.sh': 'echo\n',
    'clusters/README.md': '# clusters\n',
    'clusters/.hidden/.x.yaml': 'a: 1\n',
    'apps/web/kustomization.yml': 'resources: []\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  await mkdir(path.join(root, 'empty'));
});

const rel = (paths: readonly string[]): string[] => paths.map((p) => path.relative(root, p));

test('isGlob tells patterns from paths', () => {
  const cases: [string, boolean][] = [
    ['clusters/*', true],
    ['clusters/{a,b}', true],
    ['apps/?', true],
    ['apps/[ab]', true],
    ['clusters/prod', false],
    ['./overlays/production', false],
  ];
  for (const [text, expected] of cases) assert.equal(isGlob(text), expected, text);
});

test('a glob keeps only directories with a kustomization file or manifests, sorted', async () => {
  assert.deepEqual(rel(await expandTargets([path.join(root, 'clusters', '*')])), [
    'clusters/dev',
    'clusters/prod',
    'clusters/staging',
  ]);
});

test('several patterns and paths: order kept, duplicates dropped, plain paths untouched', async () => {
  const targets = await expandTargets([
    path.join(root, 'apps', '*'),
    path.join(root, 'clusters', 'prod'),
    path.join(root, 'clusters', '{prod,dev}'),
    path.join(root, 'missing-dir'),
  ]);
  assert.deepEqual(rel(targets), ['apps/web', 'clusters/prod', 'clusters/dev', 'missing-dir']);
});

test('** reaches nested directories', async () => {
  assert.deepEqual(rel(await expandTargets([path.join(root, '**', 'web')])), ['apps/web']);
});

test('a pattern that matches nothing buildable is an error naming the pattern', async () => {
  for (const pattern of [
    path.join(root, 'nothing-*'),
    path.join(root, 'clusters', 'scr*'),
    path.join(root, 'empty*'),
  ]) {
    await assert.rejects(expandTargets([pattern]), (error: unknown) => {
      assert.equal((error as UserError).code, 'FILE_NOT_FOUND');
      assert.match(errorMessage(error), /matches no directory with a kustomization file or manifests/);
      assert.ok(errorMessage(error).includes(`"${pattern}"`), errorMessage(error));
      return true;
    });
  }
});

test('a pattern whose matches an earlier pattern already took is not an error', async () => {
  const targets = await expandTargets([path.join(root, 'apps', 'web'), path.join(root, 'apps', 'w*')]);
  assert.deepEqual(rel(targets), ['apps/web']);
});

test('isBuildableDirectory', async () => {
  const cases: [string, boolean][] = [
    ['clusters/prod', true],
    ['clusters/dev', true],
    ['clusters/scripts', false],
    ['clusters/.hidden', false],
    ['clusters/README.md', false],
    ['empty', false],
    ['no-such-dir', false],
  ];
  for (const [dir, expected] of cases)
    assert.equal(await isBuildableDirectory(path.join(root, dir)), expected, dir);
});
