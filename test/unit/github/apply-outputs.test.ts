import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOutputs } from '../../../src/github/publish.ts';
import type { ApplyReport } from '../../../src/kube/apply.ts';

test('apply sets the same count outputs as diff; recreated counts as configured', () => {
  const counts = {
    created: 2,
    configured: 1,
    recreated: 1,
    unchanged: 5,
    skipped: 1,
    deleted: 3,
    failed: 0,
    'not-applied': 0,
  };
  const report = { counts } as unknown as ApplyReport;
  assert.deepEqual(applyOutputs(report), {
    changed: '7',
    created: '2',
    configured: '2',
    deleted: '3',
    unchanged: '5',
    'has-changes': 'true',
  });
  const none = {
    counts: { ...counts, created: 0, configured: 0, recreated: 0, deleted: 0 },
  } as unknown as ApplyReport;
  assert.equal(applyOutputs(none)['has-changes'], 'false');
});
