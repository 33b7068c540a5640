import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFluxKustomization } from '../../../src/flux/kustomization.ts';
import { parseDocument } from 'yaml';
import { gatherVariables, markUndecryptedUses, SubstitutionPool } from '../../../src/flux/substitute-from.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function kustomization(postBuild: Record<string, unknown>) {
  return parseFluxKustomization(
    {
      metadata: { name: 'app', namespace: 'flux-system' },
      spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, postBuild },
    },
    'test',
  );
}

function pool(): SubstitutionPool {
  const p = new SubstitutionPool();
  p.add(
    [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'flux-system' },
        data: { A: 'cm', B: 'multi\nline' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'secrets', namespace: 'flux-system' },
        data: { A: b64('secret'), C: b64('c') },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'elsewhere', namespace: 'other' },
        data: { D: 'd' },
      },
    ],
    'test',
  );
  return p;
}

test('gatherVariables: substituteFrom in order, later wins, inline substitute wins over all, newlines dropped', () => {
  const result = gatherVariables(
    kustomization({
      substitute: { C: 'inline' },
      substituteFrom: [
        { kind: 'ConfigMap', name: 'settings' },
        { kind: 'Secret', name: 'secrets' },
      ],
    }),
    pool(),
  );
  assert.ok(result.ok);
  assert.deepEqual(Object.fromEntries(result.vars), { A: 'secret', B: 'multiline', C: 'inline' });
});

test('gatherVariables: references are looked up in the Kustomization namespace; optional ones may be missing', () => {
  const missing = gatherVariables(
    kustomization({ substituteFrom: [{ kind: 'ConfigMap', name: 'elsewhere' }] }),
    pool(),
  );
  assert.deepEqual(missing, {
    ok: false,
    missing: [{ kind: 'ConfigMap', name: 'elsewhere', optional: false }],
  });
  const optional = gatherVariables(
    kustomization({ substituteFrom: [{ kind: 'ConfigMap', name: 'elsewhere', optional: true }] }),
    pool(),
  );
  assert.ok(optional.ok);
  assert.equal(optional.vars.size, 0);
});

test('gatherVariables: no postBuild means no variables', () => {
  const k = parseFluxKustomization(
    { metadata: { name: 'x' }, spec: { sourceRef: { kind: 'G', name: 'n' } } },
    't',
  );
  const result = gatherVariables(k, pool());
  assert.ok(result.ok);
  assert.equal(result.vars.size, 0);
});

test('markUndecryptedUses: a scalar using a variable from an undecrypted Secret becomes the placeholder', () => {
  const doc = parseDocument(
    [
      'a: "Bearer ${TOKEN}"',
      'b: "${TOKEN:=x}"',
      'c: "$${TOKEN}"',
      'd: "${TOKENS}"',
      'e: "${DOMAIN}"',
      'f: "${#TOKEN}"',
    ].join('\n'),
  );
  const vars = new Map([
    ['TOKEN', UNDECRYPTED_TEXT],
    ['DOMAIN', 'example.com'],
    ['TOKENS', 'plain'],
  ]);
  assert.equal(markUndecryptedUses(doc, vars), true);
  assert.deepEqual(doc.toJS(), {
    a: UNDECRYPTED_TEXT,
    b: UNDECRYPTED_TEXT,
    c: '$${TOKEN}',
    d: '${TOKENS}',
    e: '${DOMAIN}',
    f: UNDECRYPTED_TEXT,
  });
  assert.equal(markUndecryptedUses(parseDocument('a: ${TOKEN}'), new Map([['TOKEN', 'known']])), false);
});
