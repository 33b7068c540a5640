import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMENT_LIMIT } from '../../../src/github/comment.ts';
import {
  diffOutputs,
  renderDiffComment,
  renderDiffSummary,
  renderDiffTable,
} from '../../../src/github/diff-report.ts';
import { summarizeDiff, type DiffClass, type ObjectDiff } from '../../../src/kube/diff.ts';

function entry(i: number, cls: DiffClass, kind = 'ConfigMap', size = 40): ObjectDiff {
  return {
    ref: { apiVersion: 'v1', kind, name: `obj-${i}`, namespace: 'prod' },
    class: cls,
    reason: undefined,
    diff:
      cls === 'unchanged'
        ? ''
        : `--- ${kind}/prod/obj-${i} (live)\n+++ ${kind}/prod/obj-${i} (after)\n@@ -1 +1 @@\n-a: ${'x'.repeat(size)}\n+a: ***\n`,
  };
}

describe('renderDiffTable', () => {
  test('one row per kind with the classes counted, and a total', () => {
    const report = summarizeDiff([
      entry(1, 'created'),
      entry(2, 'configured'),
      entry(3, 'unchanged', 'Secret'),
      entry(4, 'deleted', 'Secret'),
    ]);
    const table = renderDiffTable(report);
    assert.match(table, /^\| Kind \| created \| configured \| deleted \| unchanged \|$/m);
    assert.match(table, /^\| ConfigMap \| 1 \| 1 \| 0 \| 0 \|$/m);
    assert.match(table, /^\| Secret \| 0 \| 0 \| 1 \| 1 \|$/m);
    assert.match(table, /^\| \*\*Total\*\* \| \*\*1\*\* \| \*\*1\*\* \| \*\*1\*\* \| \*\*1\*\* \|$/m);
    assert.doesNotMatch(table, /failed/);
  });
});

describe('renderDiffComment', () => {
  test('null when nothing changes, so the sticky comment is deleted', () => {
    assert.equal(renderDiffComment(summarizeDiff([entry(1, 'unchanged')]), 'apps'), null);
  });

  test('the table first, then one collapsed section per changed object (not unchanged)', () => {
    const body = renderDiffComment(
      summarizeDiff([entry(1, 'configured'), entry(2, 'unchanged'), entry(3, 'created')]),
      'clusters/prod',
    );
    assert.ok(body !== null);
    assert.ok(body.startsWith('<!-- kustomize-sops-deploy:clusters/prod -->'));
    assert.ok(body.indexOf('| Kind |') < body.indexOf('<details>'));
    assert.equal(body.match(/<details>/g)?.length, 2);
    assert.match(body, /<summary>configured: ConfigMap\/prod\/obj-1<\/summary>/);
    assert.doesNotMatch(body, /obj-2/);
  });

  test('3,000 changed objects stay under the comment limit and point to the job summary', () => {
    const objects = Array.from({ length: 3000 }, (_, i) =>
      entry(i, i % 3 === 0 ? 'created' : 'configured', i % 2 === 0 ? 'Deployment' : 'ConfigMap', 200),
    );
    const body = renderDiffComment(summarizeDiff(objects), 'clusters/prod');
    assert.ok(body !== null);
    assert.ok(body.length <= COMMENT_LIMIT, `${body.length} characters`);
    const shown = body.match(/<details>/g)?.length ?? 0;
    assert.ok(shown > 10 && shown < 3000, `${shown} sections`);
    assert.match(body, new RegExp(`_${3000 - shown} more objects are in the job summary\\._`));
    // Sections are dropped whole: every opened fence and details block is closed.
    assert.equal(body.match(/<\/details>/g)?.length, shown);
  });
});

describe('renderDiffSummary', () => {
  test('keeps under the byte budget and names where the rest is', () => {
    const objects = Array.from({ length: 3000 }, (_, i) => entry(i, 'configured', 'ConfigMap', 1000));
    const summary = renderDiffSummary(summarizeDiff(objects), 'apps', 200_000);
    assert.ok(Buffer.byteLength(summary) <= 200_000);
    assert.match(summary, /_\d+ more objects are in the diff-file output\._/);
  });

  test('small diffs are all there, with no "more" line', () => {
    const summary = renderDiffSummary(summarizeDiff([entry(1, 'created')]), 'apps');
    assert.match(summary, /^### diff apps: 1 to create, 0 to configure, 0 to delete$/m);
    assert.match(summary, /\+a: \*\*\*/);
    assert.doesNotMatch(summary, /more object/);
  });
});

test('diffOutputs: counts and has-changes', () => {
  assert.deepEqual(
    diffOutputs(summarizeDiff([entry(1, 'created'), entry(2, 'deleted'), entry(3, 'unchanged')])),
    {
      changed: '2',
      created: '1',
      configured: '0',
      deleted: '1',
      unchanged: '1',
      unknown: '0',
      'has-changes': 'true',
    },
  );
  assert.equal(diffOutputs(summarizeDiff([entry(1, 'unchanged')]))['has-changes'], 'false');
});
