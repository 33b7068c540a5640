import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderApplySummary } from '../../../src/github/apply-report.ts';
import { renderLintSummary } from '../../../src/github/lint-report.ts';
import type { ApplyReport, ApplyStatus } from '../../../src/kube/apply.ts';

const ref = (
  name: string,
  kind = 'ConfigMap',
): { apiVersion: string; kind: string; name: string; namespace: string } => ({
  apiVersion: 'v1',
  kind,
  name,
  namespace: 'prod',
});

function report(objects: [string, ApplyStatus, string?][], extra: Partial<ApplyReport> = {}): ApplyReport {
  const counts = {
    created: 0,
    configured: 0,
    recreated: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    'not-applied': 0,
  } as Record<ApplyStatus, number>;
  for (const [, status] of objects) counts[status]++;
  return {
    objects: objects.map(([name, status, reason]) => ({ ref: ref(name), status, reason })),
    counts,
    ok: counts.failed === 0 && counts['not-applied'] === 0,
    error: undefined,
    health: undefined,
    ...extra,
  };
}

test('apply summary: success lists objects by class', () => {
  const md = renderApplySummary(
    report([
      ['a', 'created'],
      ['b', 'unchanged'],
    ]),
    'clusters/prod',
  );
  assert.match(md, /^### apply clusters\/prod: succeeded$/m);
  assert.match(md, /^1 created, 1 unchanged$/m);
  assert.ok(md.indexOf('ConfigMap/prod/a') < md.indexOf('ConfigMap/prod/b'));
  assert.doesNotMatch(md, /not applied/);
});

test('apply summary: a failure says which objects were applied and which were not', () => {
  const md = renderApplySummary(
    report(
      [
        ['a', 'created'],
        ['b', 'failed', 'field is immutable'],
        ['c', 'not-applied', 'an earlier stage failed'],
      ],
      {
        ok: false,
        error: 'ConfigMap/prod/b: field is immutable',
      },
    ),
    'apps',
  );
  assert.match(md, /^### apply apps: failed$/m);
  assert.match(md, /^\*\*Error:\*\* ConfigMap\/prod\/b: field is immutable$/m);
  assert.match(md, /^1 of 3 objects were applied; the rest were not\.$/m);
  assert.match(md, /^\| ConfigMap\/prod\/b \| failed \| no \| field is immutable \|$/m);
  assert.match(md, /^\| ConfigMap\/prod\/a \| created \| yes \| {2}\|$/m);
});

test('apply summary: objects that are not ready, with reasons', () => {
  const md = renderApplySummary(
    report([['web', 'created']], {
      ok: false,
      health: [
        { ref: ref('web', 'Deployment'), state: 'in-progress', reason: '1 of 3 replicas available' },
        { ref: ref('ok', 'Deployment'), state: 'ready', reason: '' },
      ],
    }),
    'apps',
  );
  assert.match(md, /#### Not ready/);
  assert.match(md, /^\| Deployment\/prod\/web \| in-progress \| 1 of 3 replicas available \|$/m);
  assert.doesNotMatch(md, /Deployment\/prod\/ok/);
});

test('lint summary: one row per finding, pipes escaped', () => {
  const md = renderLintSummary({
    findings: [
      {
        file: 'apps/db.yaml',
        line: 6,
        column: 3,
        rule: 'plaintext-secret',
        severity: 'error',
        message: 'Secret db has plaintext stringData (key "a|b")',
        hint: 'encrypt it',
      },
    ],
    suppressed: [],
    filesChecked: 4,
  });
  assert.match(md, /^### lint: 1 finding \(1 error\) in 4 files checked$/m);
  assert.match(
    md,
    /^\| apps\/db\.yaml \| 6 \| error \| plaintext-secret \| Secret db has plaintext stringData \(key "a\\\|b"\) \|$/m,
  );
  assert.match(renderLintSummary({ findings: [], suppressed: [], filesChecked: 2 }), /^### lint: 0 findings/);
});
