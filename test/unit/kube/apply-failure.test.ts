import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFailure } from '../../../src/kube/apply.ts';
import type { ApplyReport, ApplyStatus } from '../../../src/kube/apply.ts';
import { KubeApiError } from '../../../src/kube/client.ts';
import { UserError } from '../../../src/errors.ts';

function report(statuses: readonly ApplyStatus[], error: string | undefined): ApplyReport {
  const objects = statuses.map((status, i) => ({
    ref: { apiVersion: 'v1', kind: 'ConfigMap', name: `c${i}`, namespace: 'ns' },
    status,
    reason: undefined,
  }));
  const counts = Object.fromEntries(statuses.map((s) => [s, statuses.filter((x) => x === s).length]));
  return {
    objects,
    counts: counts as ApplyReport['counts'],
    ok: error === undefined,
    error,
    health: undefined,
  };
}

describe('applyFailure', () => {
  it('is undefined for a successful apply', () => {
    assert.equal(applyFailure(report(['created', 'unchanged'], undefined)), undefined);
  });

  it('says which objects were applied, failed and not applied', () => {
    const error = applyFailure(report(['created', 'unchanged', 'failed', 'not-applied'], 'boom'));
    assert.ok(error instanceof UserError);
    assert.equal(error.code, 'APPLY_FAILED');
    assert.match(error.message, /^apply failed: boom; 1 object\(s\) applied, 1 failed, 1 not applied$/);
    assert.equal(
      error.report,
      'applied:\n  ConfigMap/ns/c0\nfailed:\n  ConfigMap/ns/c2\nnot applied:\n  ConfigMap/ns/c3',
    );
  });
});

it('keeps the message on one line when the server error has several', () => {
  const error = applyFailure(report(['failed'], 'dry run failed: errors:\n  .data.k: expected string'));
  assert.equal(
    error?.message,
    'apply failed: dry run failed: errors: .data.k: expected string; 0 object(s) applied, 1 failed, 0 not applied',
  );
});

describe('KubeApiError', () => {
  it('is a UserError with code KUBE_API, so the shells print it as one line', () => {
    const error = new KubeApiError(403, 'Forbidden', 'configmaps is forbidden', []);
    assert.ok(error instanceof UserError);
    assert.equal(error.code, 'KUBE_API');
    assert.equal(error.status, 403);
  });
});
