import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fluxOwner, withFluxGrouping } from '../../../src/commands/flux-diff-groups.ts';
import { renderDiffComment } from '../../../src/github/diff-report.ts';
import { renderDiffText, summarizeDiff, type ObjectDiff } from '../../../src/kube/diff.ts';

const labelled = (labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', labels },
});

test('fluxOwner reads both owner labels, and nothing else', () => {
  const both = {
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
  };
  assert.equal(fluxOwner(labelled(both)), 'flux-system/apps');
  assert.equal(fluxOwner(labelled({ 'kustomize.toolkit.fluxcd.io/name': 'apps' })), undefined);
  assert.equal(fluxOwner({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), undefined);
});

const entry = (
  kind: string,
  name: string,
  cls: ObjectDiff['class'],
  group: string,
  apiVersion = 'v1',
): ObjectDiff => ({
  ref: { apiVersion, kind, name, namespace: kind === 'Kustomization' ? 'flux-system' : 'apps' },
  class: cls,
  reason: undefined,
  diff: cls === 'unchanged' ? '' : `--- ${name}\n`,
  group,
});

test('a Flux diff reads per Kustomization, with the Kustomizations added and removed', () => {
  const report = withFluxGrouping(
    summarizeDiff([
      entry('ConfigMap', 'a', 'configured', 'flux-system/apps'),
      entry('ConfigMap', 'b', 'unchanged', 'flux-system/apps'),
      entry('ConfigMap', 'c', 'created', 'flux-system/infra'),
      entry('Kustomization', 'infra', 'created', 'flux-system/flux-system', 'kustomize.toolkit.fluxcd.io/v1'),
      entry('Kustomization', 'old', 'deleted', 'flux-system/flux-system', 'kustomize.toolkit.fluxcd.io/v1'),
    ]),
  );
  assert.deepEqual(report.grouping, {
    title: 'Kustomization',
    added: ['flux-system/infra'],
    removed: ['flux-system/old'],
  });
  const text = renderDiffText(report);
  assert.match(text, /^Kustomization flux-system\/apps: 0 created, 1 configured, 0 deleted, 1 unchanged$/m);
  assert.match(text, /^Kustomization flux-system\/infra: 1 created, 0 configured, 0 deleted, 0 unchanged$/m);
  assert.match(text, /^Kustomizations added: flux-system\/infra$/m);
  assert.match(text, /^Kustomizations removed: flux-system\/old$/m);
  const comment = renderDiffComment(report, 'clusters/prod') ?? '';
  assert.match(comment, /\| Kustomization \| created \| configured \| deleted \| unchanged \|/);
  assert.match(comment, /\| flux-system\/apps \| 0 \| 1 \| 0 \| 1 \|/);
  assert.match(comment, /\*\*Kustomizations added:\*\* `flux-system\/infra`/);
  assert.match(comment, /configured: ConfigMap\/apps\/a in flux-system\/apps/);
});

test('an ungrouped report keeps its table by kind', () => {
  const comment = renderDiffComment(summarizeDiff([entry('ConfigMap', 'a', 'configured', 'g')]), 't') ?? '';
  assert.match(comment, /\| Kind \| created/);
});
