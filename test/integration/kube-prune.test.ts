/**
 * ApplySet prune and Secret masking against the real kube-apiserver, and kubectl's own
 * ApplySet code reading the set we write.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { applyObjects } from '../../src/kube/apply.ts';
import {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  applySetId,
} from '../../src/kube/applyset.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import type { KubeClient, KubeObject } from '../../src/kube/client.ts';
import { diffObjects, renderDiffText } from '../../src/kube/diff.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const NS = 'ksd-prune';
const SET = { name: 'ksd-set', namespace: NS };

function configMap(name: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS, annotations },
    data: { k: name },
  };
}

function secret(name: string, stringData: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, type: 'Opaque', stringData };
}

describe('kube ApplySet prune and Secret masking', () => {
  let info: Readonly<Record<string, string>>;
  let client: KubeClient;
  let dir: string;

  async function kubectl(args: string[], env: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run(info['kubectl']!, ['--kubeconfig', info['kubeconfig']!, ...args], {
      env: { PATH: process.env['PATH'], HOME: dir, ...env },
    });
    return stdout;
  }

  async function names(kind: string): Promise<string[]> {
    const list = JSON.parse(await kubectl(['get', kind, '-n', NS, '-o', 'json'])) as {
      items: { metadata: { name: string } }[];
    };
    return list.items.map((i) => i.metadata.name).sort();
  }

  before(async () => {
    info = await requireComponent('kube', 60 * 60_000);
    dir = mkdtempSync(path.join(tmpdir(), 'ksd-kube-prune-'));
    client = await createKubeClient({ kubeconfig: info['kubeconfig'], env: {} });
    const ns = await applyObjects(client, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
    assert.equal(ns.ok, true, ns.error);
  });
  after(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prunes only members no longer rendered, never prune: disabled, never another set', async () => {
    const first = await applyObjects(
      client,
      [
        configMap('a'),
        configMap('b'),
        configMap('keep', { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
        secret('s', { x: '1' }),
      ],
      { applySet: SET, prune: true },
    );
    assert.equal(first.ok, true, first.error);
    const other = await applyObjects(client, [configMap('other')], {
      applySet: { name: 'other-set', namespace: NS },
      prune: true,
    });
    assert.equal(other.ok, true, other.error);
    await kubectl(['create', 'configmap', 'unlabelled', '-n', NS]);

    const parent = JSON.parse(
      await kubectl(['get', 'secret', SET.name, '-n', NS, '-o', 'json']),
    ) as KubeObject;
    const meta = parent['metadata'] as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    assert.equal(meta.labels[APPLYSET_ID_LABEL], applySetId(SET));
    assert.equal(meta.annotations[APPLYSET_GROUP_KINDS_ANNOTATION], 'ConfigMap,Secret');
    const a = JSON.parse(await kubectl(['get', 'configmap', 'a', '-n', NS, '-o', 'json'])) as KubeObject;
    assert.equal(
      (a['metadata'] as { labels: Record<string, string> }).labels[APPLYSET_PART_OF_LABEL],
      applySetId(SET),
    );

    const preview = await diffObjects(client, [configMap('a')], { applySet: SET, prune: true });
    const classes = Object.fromEntries(preview.objects.map((o) => [`${o.ref.kind}/${o.ref.name}`, o.class]));
    assert.deepEqual(classes, {
      'ConfigMap/a': 'unchanged',
      'ConfigMap/b': 'deleted',
      'ConfigMap/keep': 'skipped',
      'Secret/s': 'deleted',
    });
    assert.doesNotMatch(renderDiffText(preview), /MQ==|x: "?1"?$/m);

    const pruned = await applyObjects(client, [configMap('a')], { applySet: SET, prune: true });
    assert.equal(pruned.ok, true, pruned.error);
    assert.deepEqual(pruned.counts.deleted, 2);
    // kube-root-ca.crt comes and goes with the controller manager; it is no member either way.
    assert.deepEqual(
      (await names('configmaps')).filter((n) => n !== 'kube-root-ca.crt'),
      ['a', 'keep', 'other', 'unlabelled'],
    );
    assert.deepEqual(await names('secrets'), ['ksd-set', 'other-set']);
  });

  it('writes a set that kubectl apply --applyset reads: same id, and refused as another tool', async () => {
    // kubectl derives the id from the parent reference alone; a set it creates must carry ours.
    const file = path.join(dir, 'cm.json');
    writeFileSync(file, JSON.stringify(configMap('by-kubectl')));
    await kubectl(['apply', '--server-side', '--prune', '--applyset=kubectl-set', '-n', NS, '-f', file], {
      KUBECTL_APPLYSET: 'true',
    });
    const kubectlParent = JSON.parse(
      await kubectl(['get', 'secret', 'kubectl-set', '-n', NS, '-o', 'json']),
    ) as KubeObject;
    assert.equal(
      (kubectlParent['metadata'] as { labels: Record<string, string> }).labels[APPLYSET_ID_LABEL],
      applySetId({ name: 'kubectl-set', namespace: NS }),
    );

    // On our parent, kubectl gets past the label and annotation parsing to the tooling check,
    // which the KEP requires: a tool must not mutate another tool's set.
    await assert.rejects(
      kubectl(['apply', '--server-side', '--prune', `--applyset=${SET.name}`, '-n', NS, '-f', file], {
        KUBECTL_APPLYSET: 'true',
      }),
      (error: { stderr?: string }) => {
        assert.match(error.stderr ?? '', /managed by tooling "kustomize-sops-deploy" instead of "kubectl"/);
        return true;
      },
    );
    // And we refuse kubectl's set the same way.
    const refused = await applyObjects(client, [configMap('x')], {
      applySet: { name: 'kubectl-set', namespace: NS },
      prune: true,
    }).catch((e: unknown) => e);
    assert.match((refused as Error).message, /managed by "kubectl\/.*", not kustomize-sops-deploy/);
  });

  it('masks Secrets: unchanged ***, changed (before)/(after), added and removed keys named', async () => {
    const canary = {
      same: 'CANARY-same-7f3a',
      old: 'CANARY-old-91bc',
      fresh: 'CANARY-new-22de',
      gone: 'CANARY-gone-5e01',
      added: 'CANARY-added-c4d8',
    };
    const applied = await applyObjects(client, [
      secret('masked', { same: canary.same, changed: canary.old, removed: canary.gone }),
    ]);
    assert.equal(applied.ok, true, applied.error);
    const report = await diffObjects(client, [
      secret('masked', { same: canary.same, changed: canary.fresh, added: canary.added }),
    ]);
    assert.equal(report.counts.configured, 1);
    const text = renderDiffText(report);
    for (const value of Object.values(canary)) {
      assert.ok(!text.includes(value), 'no plaintext');
      assert.ok(!text.includes(Buffer.from(value).toString('base64')), 'no base64');
      assert.ok(!text.includes(Buffer.from(value).toString('base64').slice(0, 12)), 'no base64 prefix');
    }
    assert.match(text, /^ {3}same: "\*\*\*"$/m);
    assert.match(text, /^- {2}changed: "\*\*\* \(before\)"$/m);
    assert.match(text, /^\+ {2}changed: "\*\*\* \(after\)"$/m);
    assert.match(text, /^\+ {2}added: "\*\*\*"$/m);
    assert.match(text, /^- {2}removed: "\*\*\*"$/m);

    const same = await diffObjects(client, [
      secret('masked', { same: canary.same, changed: canary.old, removed: canary.gone }),
    ]);
    assert.equal(same.changed, false, renderDiffText(same));
  });
});
