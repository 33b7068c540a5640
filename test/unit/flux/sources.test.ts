import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseArtifactGenerator } from '../../../src/flux/artifact-generator.ts';
import { FluxSources, parseFluxSource } from '../../../src/flux/sources.ts';
import { tree } from './tree.ts';

test('parseFluxSource', () => {
  assert.deepEqual(parseFluxSource('GitRepository/apps/dev-team=../dev-team'), {
    key: 'GitRepository/apps/dev-team',
    dir: '../dev-team',
  });
  for (const bad of ['GitRepository/dev-team=x', 'x', 'A/b/c='])
    assert.equal(parseFluxSource(bad), undefined, bad);
});

test('FluxSources: flux-system is the repository, explicit mappings win, others are not in the repository', async () => {
  const sources = new FluxSources('/repo', new Map([['OCIRepository/flux-system/x', '/mapped']]), {});
  assert.deepEqual(
    await sources.resolve({ kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }),
    {
      ok: true,
      dir: '/repo',
    },
  );
  assert.deepEqual(await sources.resolve({ kind: 'OCIRepository', namespace: 'flux-system', name: 'x' }), {
    ok: true,
    dir: '/mapped',
  });
  assert.deepEqual(await sources.resolve({ kind: 'Bucket', namespace: 'flux-system', name: 'b' }), {
    ok: false,
    pending: false,
    reason: 'source Bucket flux-system/b is not in this repository',
  });
  const pending = await sources.resolve({ kind: 'ExternalArtifact', namespace: 'flux-system', name: 'apps' });
  assert.ok(!pending.ok);
  assert.equal(pending.pending, true);
});

test('FluxSources: an ExternalArtifact is assembled privately and removed by cleanup', async () => {
  const repo = await tree({ 'apps/a.yaml': 'x' });
  const parent = await tree({});
  const sources = new FluxSources(repo, new Map(), { RUNNER_TEMP: parent });
  sources.addGenerator(
    parseArtifactGenerator(
      {
        metadata: { name: 'gen', namespace: 'flux-system' },
        spec: {
          sources: [{ alias: 'r', kind: 'GitRepository', name: 'flux-system' }],
          artifacts: [{ name: 'apps', copy: [{ from: '@r/apps/**', to: '@artifact/' }] }],
        },
      },
      'test',
      'flux-system',
    ),
  );
  const resolved = await sources.resolve({
    kind: 'ExternalArtifact',
    namespace: 'flux-system',
    name: 'apps',
  });
  assert.ok(resolved.ok);
  assert.equal(await readFile(path.join(resolved.dir, 'a.yaml'), 'utf8'), 'x');
  await sources.cleanup();
  await assert.rejects(access(resolved.dir));
});

test('FluxSources: an artifact whose generator reads a source outside the repository is not rendered, with why', async () => {
  const sources = new FluxSources('/repo', new Map(), {});
  sources.addGenerator(
    parseArtifactGenerator(
      {
        metadata: { name: 'gen', namespace: 'ns' },
        spec: {
          sources: [{ alias: 'o', kind: 'OCIRepository', name: 'oci' }],
          artifacts: [{ name: 'x', copy: [] }],
        },
      },
      'test',
      'flux-system',
    ),
  );
  const resolved = await sources.resolve({ kind: 'ExternalArtifact', namespace: 'ns', name: 'x' });
  assert.ok(!resolved.ok);
  assert.match(
    resolved.reason,
    /ArtifactGenerator ns\/gen, whose source OCIRepository ns\/oci is not in this repository/,
  );
});
