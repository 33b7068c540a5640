import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  noteHelmReleases,
  withFluxApplySets,
  withoutUnrendered,
} from '../../../src/commands/flux-helm-diff.ts';
import { renderDiffComment, renderDiffSummary } from '../../../src/github/diff-report.ts';
import { applySetId } from '../../../src/kube/applyset.ts';
import type { KubeObject } from '../../../src/kube/client.ts';
import { redactDiffReport, renderDiffText, summarizeDiff } from '../../../src/kube/diff.ts';
import { SecretRegistry } from '../../../src/masking.ts';
import { refOf } from '../../../src/kube/normalize.ts';

function object(kind: string, name: string, release?: string): KubeObject {
  const [namespace = '', releaseName = ''] = (release ?? '').split('/');
  return {
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind,
    metadata: {
      name,
      namespace: 'apps',
      labels:
        release === undefined
          ? {
              'kustomize.toolkit.fluxcd.io/name': 'apps',
              'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
            }
          : { 'helm.toolkit.fluxcd.io/name': releaseName, 'helm.toolkit.fluxcd.io/namespace': namespace },
    },
  };
}

const deployment = object('Deployment', 'demo', 'apps/demo');
const other = object('ConfigMap', 'other-config', 'apps/other');
const plain = object('ConfigMap', 'settings');

describe('withoutUnrendered', () => {
  const unrendered = (id: string, kind?: 'Kustomization') => ({
    ...(kind === undefined ? {} : { kind }),
    id,
    kustomization: 'flux-system/apps',
    reason: 'r',
  });
  it('drops exactly the objects of the named releases', () => {
    assert.deepEqual(withoutUnrendered([deployment, other, plain], [unrendered('apps/other')]), [
      deployment,
      plain,
    ]);
  });
  it("drops the objects of a Kustomization not rendered, by kustomize-controller's labels", () => {
    assert.deepEqual(
      withoutUnrendered([deployment, other, plain], [unrendered('flux-system/apps', 'Kustomization')]),
      [deployment, other],
    );
  });
  it('drops the chart objects of a HelmRelease such a Kustomization renders', () => {
    const release = { ...object('HelmRelease', 'demo'), apiVersion: 'helm.toolkit.fluxcd.io/v2' };
    assert.deepEqual(
      withoutUnrendered([release, deployment, other], [unrendered('flux-system/apps', 'Kustomization')]),
      [other],
    );
  });
  it('a HelmRelease and a Kustomization of the same name are told apart', () => {
    assert.deepEqual(
      withoutUnrendered([deployment, other, plain], [unrendered('apps/demo', 'Kustomization')]),
      [deployment, other, plain],
    );
  });
});

describe('noteHelmReleases', () => {
  const report = summarizeDiff([
    { ref: refOf(deployment), class: 'configured', reason: undefined, diff: '--- a\n+++ b\n' },
    { ref: refOf(plain), class: 'unchanged', reason: undefined, diff: '' },
  ]);
  const noted = noteHelmReleases(
    report,
    [deployment, plain],
    [
      {
        id: 'apps/other',
        kustomization: 'flux-system/apps',
        reason: 'source HelmRepository x/y is not in this repository',
      },
    ],
  );

  it('names the release an object came from, and lists the unrendered one as unknown', () => {
    const text = renderDiffText(noted);
    assert.match(text, /^Deployment\/apps\/demo configured \(from HelmRelease apps\/demo\)$/m);
    assert.match(
      text,
      /^HelmRelease apps\/other unknown \(not rendered: source HelmRepository x\/y is not in this repository; the objects it renders are unknown\)$/m,
    );
    assert.match(text, /^0 created, 1 configured, 0 deleted, 1 unchanged, 0 skipped, 0 failed, 1 unknown$/m);
  });

  it('a report with nothing changed but something unknown keeps its comment and says so', () => {
    const quiet = noteHelmReleases(
      summarizeDiff([{ ref: refOf(plain), class: 'unchanged', reason: undefined, diff: '' }]),
      [plain],
      [{ id: 'apps/other', kustomization: 'flux-system/apps', reason: 'values unknown' }],
    );
    assert.equal(quiet.changed, false);
    const comment = renderDiffComment(quiet, 'clusters/main');
    assert.ok(comment !== null);
    assert.match(comment, /no changes in what could be rendered \(1 unknown\)/);
    assert.match(comment, /`HelmRelease apps\/other`: not rendered: values unknown/);
    assert.match(
      renderDiffSummary(quiet, 'clusters/main'),
      /1 not rendered, so what they would change is unknown/,
    );
  });

  it("masks a decrypted value in a release's objects as in any other object (redactDiffReport)", () => {
    const secrets = new SecretRegistry(() => undefined);
    secrets.add('s3cret-value');
    const withValue = summarizeDiff([
      { ref: refOf(deployment), class: 'configured', reason: undefined, diff: '+ env: s3cret-value\n' },
      { ref: refOf(plain), class: 'configured', reason: undefined, diff: '+ note: s3cret-value\n' },
    ]);
    const masked = redactDiffReport(noteHelmReleases(withValue, [deployment, plain], []), secrets);
    assert.deepEqual(
      masked.objects.map((o) => o.diff),
      ['+ env: ***\n', '+ note: ***\n'],
    );
  });

  it('without unrendered releases, nothing unknown is reported', () => {
    const clean = noteHelmReleases(report, [deployment, plain], []);
    assert.equal(clean.unrendered, undefined);
    assert.doesNotMatch(renderDiffText(clean), / unknown \(/);
    assert.match(renderDiffText(clean), /, 0 unknown$/m);
  });
});

describe('withFluxApplySets', () => {
  it('labels each object with the ApplySet apply --flux puts it in', () => {
    const [release, kustomization] = withFluxApplySets([deployment, plain], {
      applySet: { name: 'ignored', namespace: 'ops' },
    });
    const partOf = (o: KubeObject | undefined): unknown =>
      (o?.['metadata'] as { labels: Record<string, string> }).labels['applyset.kubernetes.io/part-of'];
    assert.equal(partOf(release), applySetId({ name: 'helm-apps-demo', namespace: 'ops' }));
    assert.equal(partOf(kustomization), applySetId({ name: 'flux-flux-system-apps', namespace: 'ops' }));
  });
});
