import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { errorMessage } from '../../../src/errors.ts';
import {
  assembleArtifact,
  doublestarMatch,
  parseArtifactGenerator,
  type CopyRule,
} from '../../../src/flux/artifact-generator.ts';
import { tree } from './tree.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const REPO = {
  'apps/base/podinfo/release.yaml': 'a',
  'apps/base/podinfo/kustomization.yaml': 'b',
  'apps/staging/kustomization.yaml': 'c',
  'apps/staging/values.yaml': 'd',
  'infrastructure/controllers/x.yaml': 'e',
  'infrastructure/configs/y.yaml': 'f',
  'infrastructure/README.md': 'g',
  'top.yaml': 'h',
};

const cases: { name: string; copy: Partial<CopyRule>[]; expect: string[] | RegExp }[] = [
  {
    name: 'dir/** copies the contents under to/',
    copy: [
      { from: '@repo/apps/base/**', to: '@artifact/base/' },
      { from: '@repo/apps/staging/**', to: '@artifact/staging/' },
    ],
    expect: [
      'base/podinfo/kustomization.yaml',
      'base/podinfo/release.yaml',
      'staging/kustomization.yaml',
      'staging/values.yaml',
    ],
  },
  {
    name: 'dir/** into the artifact root',
    copy: [{ from: '@repo/infrastructure/**', to: '@artifact/' }],
    expect: ['README.md', 'configs/y.yaml', 'controllers/x.yaml'],
  },
  {
    name: 'a folder without glob is copied as a folder',
    copy: [{ from: '@repo/apps/staging', to: '@artifact/x/' }],
    expect: ['x/staging/kustomization.yaml', 'x/staging/values.yaml'],
  },
  {
    name: 'a file to a name, and to a folder',
    copy: [
      { from: '@repo/top.yaml', to: '@artifact/renamed.yaml' },
      { from: '@repo/top.yaml', to: '@artifact/dir/' },
    ],
    expect: ['dir/top.yaml', 'renamed.yaml'],
  },
  {
    name: 'a glob that is not dir/** keeps the whole match path',
    copy: [{ from: '@repo/infrastructure/*/*.yaml', to: '@artifact/out/' }],
    expect: ['out/infrastructure/configs/y.yaml', 'out/infrastructure/controllers/x.yaml'],
  },
  {
    name: 'exclude drops matching files',
    copy: [{ from: '@repo/infrastructure/**', to: '@artifact/', exclude: ['**/*.md'] }],
    expect: ['configs/y.yaml', 'controllers/x.yaml'],
  },
  {
    name: 'no match is an error',
    copy: [{ from: '@repo/nothing/*', to: '@artifact/' }],
    expect: /no files match/,
  },
  {
    // Run from a repository other than the Flux one, the alias's folder lacks the files:
    // the error names the folder it looked in.
    name: 'a pattern that matches nothing names the folder it looked in',
    copy: [{ from: '@repo/apps/production/**', to: '@artifact/production/' }],
    expect: /no files match pattern 'apps\/production\/\*\*' in \/.*ksd-flux-/,
  },
  {
    name: 'an unknown alias is an error',
    copy: [{ from: '@other/x', to: '@artifact/' }],
    expect: /alias 'other' not found/,
  },
  {
    name: 'to must be @artifact/',
    copy: [{ from: '@repo/top.yaml', to: 'x/' }],
    expect: /must start with @artifact/,
  },
  {
    name: 'to may not leave the artifact',
    copy: [{ from: '@repo/top.yaml', to: '@artifact/../../x' }],
    expect: /leaves the artifact/,
  },
];

for (const c of cases) {
  test(`assembleArtifact: ${c.name}`, async () => {
    const repo = await tree(REPO);
    const dest = await mkdtemp(path.join(tmpdir(), 'ksd-artifact-'));
    const generator = parseArtifactGenerator(
      {
        apiVersion: 'source.extensions.fluxcd.io/v1beta1',
        kind: 'ArtifactGenerator',
        metadata: { name: 'g' },
        spec: {
          sources: [{ alias: 'repo', kind: 'GitRepository', name: 'flux-system' }],
          artifacts: [{ name: 'a', copy: c.copy }],
        },
      },
      'test',
      'flux-system',
    );
    const artifact = generator.artifacts[0]!;
    const run = assembleArtifact(generator, artifact, new Map([['repo', repo]]), dest);
    if (c.expect instanceof RegExp) {
      const re = c.expect;
      await assert.rejects(run, (e) => re.test(errorMessage(e)));
    } else {
      await run;
      assert.deepEqual(await listFiles(dest), c.expect);
    }
  });
}

test('parseArtifactGenerator defaults namespaces and the strategy', () => {
  const g = parseArtifactGenerator(
    {
      metadata: { name: 'g', namespace: 'ns' },
      spec: {
        sources: [{ alias: 'a', kind: 'GitRepository', name: 'r' }],
        artifacts: [{ name: 'x', copy: [{ from: '@a/b', to: '@artifact/' }] }],
      },
    },
    'test',
    'flux-system',
  );
  assert.equal(g.sources[0]?.namespace, 'ns');
  assert.equal(g.artifacts[0]?.copy[0]?.strategy, 'Overwrite');
});

test('doublestarMatch', () => {
  const cases: [string, string, boolean][] = [
    ['**/*.md', 'a/b/c.md', true],
    ['**/*.md', 'c.md', true],
    ['*.md', 'a/c.md', false],
    ['a/**', 'a/b/c', true],
    ['a/?.yaml', 'a/b.yaml', true],
    ['a/?.yaml', 'a/bc.yaml', false],
  ];
  for (const [pattern, file, expected] of cases)
    assert.equal(doublestarMatch(pattern, file), expected, `${pattern} ${file}`);
});
