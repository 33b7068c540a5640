/**
 * Values a diff could not decrypt (placeholders): shown as `(encrypted; not decrypted in this
 * run)`, compared as unknown, never counted as a change by themselves, and reported with the
 * files and the reason in the text, the comment and the job summary.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderDiffComment, renderDiffSummary } from '../../../src/github/diff-report.ts';
import { compareRendered } from '../../../src/kube/compare-rendered.ts';
import type { KubeObject } from '../../../src/kube/client.ts';
import {
  renderDiffText,
  summarizeDiff,
  UNDECRYPTED_REASON,
  type DiffReport,
} from '../../../src/kube/diff.ts';
import {
  hasUndecryptedValues,
  MASK,
  MASK_AFTER,
  MASK_UNDECRYPTED,
  maskSecretPair,
  sameExceptUndecrypted,
} from '../../../src/kube/mask.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';

const CANARY = 'canary-undecrypted-5e1f0b';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const SENTINEL = b64(UNDECRYPTED_TEXT);

function secret(data: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'app', ...(Object.keys(labels).length > 0 ? { labels } : {}) },
    data,
  };
}

describe('maskSecretPair with undecrypted values', () => {
  test('the unknown side reads as the placeholder, the known side as ***, never a before/after pair', () => {
    const { before, after } = maskSecretPair(
      secret({ password: b64(CANARY), other: b64('old-value'), gone: b64('bye-bye') }),
      secret({ password: SENTINEL, other: b64('new-value'), added: SENTINEL }),
    );
    assert.deepEqual(before?.['data'], { password: MASK, other: '*** (before)', gone: MASK });
    assert.deepEqual(after?.['data'], {
      password: MASK_UNDECRYPTED,
      other: MASK_AFTER,
      added: MASK_UNDECRYPTED,
    });
    assert.equal(MASK_UNDECRYPTED, '(encrypted; not decrypted in this run)');
    assert.ok(!JSON.stringify([before, after]).includes(b64(CANARY)));
  });

  test('stringData placeholders (before the server folds them into data) read the same', () => {
    const { after } = maskSecretPair(secret({ k: b64(CANARY) }), {
      ...secret({}),
      stringData: { k: UNDECRYPTED_TEXT },
    });
    assert.deepEqual(after?.['stringData'], { k: MASK_UNDECRYPTED });
  });
});

describe('sameExceptUndecrypted', () => {
  const cases: { name: string; a: KubeObject; b: KubeObject; same: boolean }[] = [
    {
      name: 'an unknown value equals any value',
      a: secret({ k: b64(CANARY) }),
      b: secret({ k: SENTINEL }),
      same: true,
    },
    {
      name: 'stringData placeholder against stored data',
      a: secret({ k: b64(CANARY) }),
      b: { ...secret({}), stringData: { k: UNDECRYPTED_TEXT } },
      same: true,
    },
    {
      name: 'an added key is a change',
      a: secret({ k: b64(CANARY) }),
      b: secret({ k: SENTINEL, n: SENTINEL }),
      same: false,
    },
    {
      name: 'a removed key is a change',
      a: secret({ k: b64(CANARY), r: b64('x') }),
      b: secret({ k: SENTINEL }),
      same: false,
    },
    {
      name: 'a known value that differs is a change',
      a: secret({ k: b64(CANARY), o: b64('one') }),
      b: secret({ k: SENTINEL, o: b64('two') }),
      same: false,
    },
    {
      name: 'a label change is a change',
      a: secret({ k: b64(CANARY) }),
      b: secret({ k: SENTINEL }, { team: 'x' }),
      same: false,
    },
  ];
  for (const { name, a, b, same } of cases) {
    test(name, () => {
      assert.equal(sameExceptUndecrypted(a, b), same);
    });
  }

  test('hasUndecryptedValues finds the sentinel as text and as base64', () => {
    assert.equal(hasUndecryptedValues(secret({ k: SENTINEL })), true);
    assert.equal(hasUndecryptedValues({ kind: 'ConfigMap', data: { k: UNDECRYPTED_TEXT } }), true);
    assert.equal(hasUndecryptedValues(secret({ k: b64(CANARY) })), false);
  });
});

describe('compareRendered (diff --against REF) with placeholders', () => {
  const cm = (level: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'app' },
    data: { level },
  });

  test('an unknown Secret is unknown, not unchanged (with the reason; D7), a ConfigMap change still shows', () => {
    const report = compareRendered(
      [secret({ k: SENTINEL }), cm('one')],
      [secret({ k: SENTINEL }), cm('two')],
      { base: 'main', head: 'working tree' },
    );
    const byKind = new Map(report.objects.map((o) => [o.ref.kind, o]));
    assert.equal(byKind.get('Secret')?.class, 'unknown');
    assert.equal(report.counts.unknown, 1);
    assert.equal(report.counts.unchanged, 0);
    assert.equal(byKind.get('Secret')?.reason, UNDECRYPTED_REASON);
    assert.equal(byKind.get('Secret')?.undecrypted, true);
    assert.equal(byKind.get('ConfigMap')?.class, 'configured');
    assert.match(byKind.get('ConfigMap')!.diff, /\+ {2}level: two/);
  });

  test('a created Secret with unknown values shows the placeholder and the reason', () => {
    const report = compareRendered([], [secret({ k: SENTINEL })], { base: 'main', head: 'working tree' });
    const entry = report.objects[0];
    assert.ok(entry !== undefined);
    assert.equal(entry.class, 'created');
    assert.equal(entry.reason, UNDECRYPTED_REASON);
    assert.match(entry.diff, /k: \(encrypted; not decrypted in this run\)/);
  });
});

describe('reports with undecrypted files', () => {
  const report = (): DiffReport => ({
    ...summarizeDiff([
      {
        ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'app', name: 'db' },
        class: 'unchanged',
        reason: UNDECRYPTED_REASON,
        diff: '',
        undecrypted: true,
      },
    ]),
    undecrypted: {
      files: ['apps/db.enc.yaml', 'apps/env.env'],
      why: 'GitHub gives no secrets and no OIDC token to pull requests from forks',
    },
  });

  test('the text lists the unknown Secret, its own count, and the note', () => {
    const text = renderDiffText(report());
    assert.match(text, /^Secret\/app\/db unknown \(values not decrypted in this run\)$/m);
    assert.match(text, /^0 created, 0 configured, 0 deleted, 0 unchanged, 0 skipped, 0 failed, 1 unknown$/m);
    assert.match(
      text,
      /2 SOPS files were not decrypted in this run \(GitHub gives no secrets and no OIDC token to pull requests from forks\): apps\/db\.enc\.yaml, apps\/env\.env/,
    );
  });

  test('the comment stays (no changes is not certain) and carries the notice; so does the summary', () => {
    const body = renderDiffComment(report(), 'apps');
    assert.ok(body !== null);
    assert.match(body, /no changes in what could be decrypted/);
    assert.match(body, /> \[!NOTE\]\n> 2 SOPS files were not decrypted in this run: GitHub gives no secrets/);
    assert.match(body, /`apps\/db\.enc\.yaml`, `apps\/env\.env`/);
    assert.match(body, /unknown: Secret\/app\/db \(values not decrypted in this run\)/);
    assert.match(body, /no changes in what could be decrypted \(1 unknown\)/);
    const summary = renderDiffSummary(report(), 'apps');
    assert.match(summary, /not decrypted in this run: GitHub gives no secrets/);
    // Unknown objects keep the comment even without a note; only a certain "no change" drops it.
    const unknown = summarizeDiff(report().objects);
    assert.notEqual(renderDiffComment(unknown, 'apps'), null);
    const plain = summarizeDiff(
      report().objects.map((o) => ({ ...o, class: 'unchanged' as const, undecrypted: false })),
    );
    assert.equal(renderDiffComment(plain, 'apps'), null);
  });
});
