import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { scanManifests } from '../../../src/flux/generator.ts';
import { inDomain, loadSourceIgnore } from '../../../src/flux/source-ignore.ts';
import { tree } from './tree.ts';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

const domains: [string, string, string | undefined][] = [
  ['draft.yaml', '', 'draft.yaml'],
  ['draft.yaml', 'apps', 'apps/**/draft.yaml'],
  ['/draft.yaml', 'apps', 'apps/draft.yaml'],
  ['tmp/', 'apps', 'apps/**/tmp/'],
  ['a/b.yaml', 'apps', 'apps/a/b.yaml'],
  ['!keep.yaml', 'apps', '!apps/**/keep.yaml'],
  ['# a comment', 'apps', undefined],
  ['   ', 'apps', undefined],
  ['trailing.yaml   ', 'apps', 'apps/**/trailing.yaml'],
];
for (const [pattern, dir, want] of domains) {
  test(`inDomain: ${JSON.stringify(pattern)} in ${JSON.stringify(dir)}`, () =>
    assert.equal(inDomain(pattern, dir), want));
}

test('loadSourceIgnore: Flux defaults, the root file, nested files in their folder, negation, spec.ignore', async () => {
  const root = await tree({
    '.sourceignore': '*.draft.yaml\n/docs/\n',
    'apps/.sourceignore': 'local.yaml\n!keep.draft.yaml\n',
    'apps/x/local.yaml': CM,
    'local.yaml': CM,
  });
  const ignore = await loadSourceIgnore(root, 'spec-ignored.yaml\n');
  const cases: [string, boolean, boolean][] = [
    ['.git', true, true],
    ['.github/workflows/ci.yaml', false, true],
    ['logo.png', false, true],
    ['clusters/prod/.sops.yaml', false, true],
    ['apps/a.draft.yaml', false, true],
    ['apps/keep.draft.yaml', false, false],
    ['docs', true, true],
    ['docs/readme.yaml', false, true],
    ['apps/docs', true, false],
    ['apps/x/local.yaml', false, true],
    ['local.yaml', false, false],
    ['spec-ignored.yaml', false, true],
    ['apps/web.yaml', false, false],
  ];
  for (const [rel, isDir, want] of cases) assert.equal(ignore.ignores(rel, isDir), want, rel);
});

test('scanManifests leaves out what the source ignores', async () => {
  const root = await tree({
    '.sourceignore': 'apps/web/draft.yaml\n',
    'apps/web/app.yaml': CM,
    'apps/web/draft.yaml': CM,
  });
  const ignore = await loadSourceIgnore(root);
  const dir = path.join(root, 'apps', 'web');
  const ignored = (abs: string, isDir: boolean): boolean =>
    ignore.ignores(path.relative(root, abs).split(path.sep).join('/'), isDir);
  assert.deepEqual(await scanManifests(dir, ignored), ['./app.yaml']);
  assert.deepEqual(await scanManifests(dir), ['./app.yaml', './draft.yaml']);
});
