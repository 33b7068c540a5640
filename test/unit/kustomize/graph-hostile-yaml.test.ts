/**
 * What the fuzz harness found in the graph walker (test/fuzz/targets.ts, target "graph"):
 * a YAML alias bomb in a directory without a kustomization escaped as a ReferenceError (a
 * crash with a stack trace), and the yaml library's warnings went to stderr quoting the
 * file's lines.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { UserError } from '../../../src/errors.ts';
import { walkGraph } from '../../../src/kustomize/graph.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-graph-hostile-'));
  await mkdir(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const ALIAS_BOMB = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefg'.split('').map(
    (c, i) =>
      `${c}: &${c} [${Array(9)
        .fill(`*${'abcdefg'[i] ?? 'a'}`)
        .join(', ')}]`,
  ),
  '',
].join('\n');

test('an alias bomb among the files Flux would list is a UserError naming the file', async () => {
  const root = await tree({
    'app/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'app/sub/bomb.yaml': ALIAS_BOMB,
  });
  await assert.rejects(walkGraph(path.join(root, 'app')), (e: unknown) => {
    assert.ok(e instanceof UserError, `a UserError, not ${String(e)}`);
    assert.equal(e.code, 'BAD_FORMAT');
    assert.match(e.message, /^app\/sub\/bomb\.yaml: the YAML could not be read/);
    assert.match(e.hint ?? '', /alias bomb/);
    return true;
  });
});

test('the walker prints no YAML warning, which would quote the file to stderr', async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', listen);
  try {
    const root = await tree({
      'app/kustomization.yaml': 'resources: [b]\nlabels: !custom canary-in-kustomization\n',
      'app/b/x.yaml':
        'apiVersion: v1\nkind: Secret\nstringData:\n  ? [canary-key]\n  : v\n  p: !vault canary-value\n',
    });
    await walkGraph(path.join(root, 'app'), { root }).catch(() => undefined);
    const flux = await tree({
      'app/x.yaml': 'apiVersion: v1\nkind: Secret\nstringData:\n  ? [canary-key]\n  : !vault canary-value\n',
    });
    const graph = await walkGraph(path.join(flux, 'app'));
    assert.ok(graph.files.has('app/x.yaml'));
    await tick();
    await tick();
  } finally {
    process.off('warning', listen);
  }
  assert.deepEqual(warnings, []);
});
