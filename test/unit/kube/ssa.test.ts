import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySetId, labelMember, APPLYSET_PART_OF_LABEL } from '../../../src/kube/applyset.ts';
import { KubeApiError } from '../../../src/kube/client.ts';
import { describeApiError } from '../../../src/kube/plan.ts';
import { immutableFields, skipReason, takeOverManagedFields } from '../../../src/kube/ssa.ts';

describe('skipReason', () => {
  const cm = (annotations: Record<string, string>): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', annotations },
  });
  for (const [annotations, live, expected] of [
    [{}, undefined, undefined],
    [{ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }, undefined, /Ignore/],
    [{ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }, undefined, undefined],
    [{ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }, cm({}), /IfNotPresent/],
    [{ 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' }, undefined, /reconcile: disabled/],
    [{}, cm({ 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' }), /reconcile: disabled/],
  ] as const) {
    it(`${JSON.stringify(annotations)} live=${live !== undefined}`, () => {
      const reason = skipReason(cm(annotations), live);
      if (expected === undefined) assert.equal(reason, undefined);
      else assert.match(reason ?? '', expected);
    });
  }
});

describe('takeOverManagedFields', () => {
  it('folds client-side managers into our Apply entry and keeps the rest', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            fieldsV1: { 'f:data': { 'f:a': {} } },
          },
          { manager: 'ours', operation: 'Apply', fieldsV1: { 'f:data': { 'f:b': {} } } },
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            subresource: 'status',
            fieldsV1: { 'f:status': {} },
          },
          { manager: 'controller', operation: 'Update', fieldsV1: { 'f:metadata': {} } },
        ],
      },
    };
    const entries = takeOverManagedFields(live, 'ours');
    assert.ok(entries !== undefined);
    assert.deepEqual(
      entries.map((e) => [e.manager, e.operation, e.subresource]),
      [
        ['ours', 'Apply', undefined],
        ['kubectl-client-side-apply', 'Update', 'status'],
        ['controller', 'Update', undefined],
      ],
    );
    assert.deepEqual(entries[0]?.fieldsV1, { 'f:data': { 'f:b': {}, 'f:a': {} } });
  });
  it('returns undefined when there is nothing to take over', () => {
    assert.equal(
      takeOverManagedFields({ metadata: { managedFields: [{ manager: 'x', operation: 'Apply' }] } }, 'ours'),
      undefined,
    );
  });
});

describe('errors', () => {
  const invalid = new KubeApiError(
    422,
    'Invalid',
    'Job.batch "once" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable',
    [
      {
        field: 'spec.template',
        message: 'Invalid value: ...: field is immutable',
        reason: 'FieldValueInvalid',
      },
    ],
  );
  it('finds the immutable fields', () => {
    assert.deepEqual(immutableFields(invalid), ['spec.template']);
    assert.equal(immutableFields(new KubeApiError(409, 'Conflict', 'x', [])), undefined);
  });
  it('never prints a Secret error message, which may quote a value', () => {
    const ref = { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'n' };
    const error = new KubeApiError(422, 'Invalid', 'data[k]: Invalid value: "CANARY"', [
      { field: 'data[k]', message: 'Invalid value: "CANARY"' },
    ]);
    assert.equal(describeApiError(error, ref), 'Invalid (data[k])');
    assert.match(describeApiError(error, { ...ref, kind: 'ConfigMap' }), /CANARY/);
  });
});

describe('ApplySet', () => {
  it('computes the KEP id from name, namespace, kind and group', () => {
    // base64url(sha256("set.ns.Secret.")), the form kubectl writes.
    assert.match(applySetId({ name: 'set', namespace: 'ns' }), /^applyset-[A-Za-z0-9_-]{43}-v1$/);
    assert.notEqual(
      applySetId({ name: 'set', namespace: 'ns' }),
      applySetId({ name: 'set', namespace: 'other' }),
    );
  });
  it('labels members and refuses a member of another set', () => {
    const labelled = labelMember(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } } },
      'id1',
    );
    assert.deepEqual((labelled['metadata'] as { labels: unknown }).labels, {
      a: 'b',
      [APPLYSET_PART_OF_LABEL]: 'id1',
    });
    assert.throws(() => labelMember(labelled, 'id2'), /another ApplySet/);
  });
});
