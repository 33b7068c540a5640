import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { substituteDocument, substituteText } from '../../../src/kustomize/substitute.ts';

const vars = new Map([
  ['NAME', 'web'],
  ['EMPTY', ''],
]);

const cases: { input: string; strict?: boolean; expect: string | RegExp }[] = [
  { input: 'x-${NAME}', expect: 'x-web' },
  { input: '${MISSING:=fallback}', expect: 'fallback' },
  { input: '${EMPTY:=fallback}', expect: 'fallback' },
  { input: '${EMPTY=fallback}', expect: '' },
  { input: '${MISSING:-${NAME}}', expect: 'web' },
  { input: '$${NAME}', expect: '${NAME}' },
  { input: 'cost $5', expect: 'cost $5' },
  { input: '${NAME^^}', expect: 'WEB' },
  { input: '${#NAME}', expect: '3' },
  { input: '${MISSING}', expect: '' },
  { input: '${MISSING}', strict: true, expect: /variable MISSING is not set/ },
  { input: '${NAME/w/x}', expect: /not supported/ },
];

for (const c of cases) {
  test(`substitutes ${c.input}${c.strict === true ? ' (strict)' : ''}`, () => {
    const run = (): string => substituteText(c.input, { vars, strict: c.strict ?? false }, 'here');
    if (typeof c.expect === 'string') assert.equal(run(), c.expect);
    else assert.throws(run, c.expect);
  });
}

test('a plain scalar is re-resolved, a decrypted value and a disabled object are left alone', () => {
  const doc = parseDocument(
    'kind: Deployment\nspec:\n  replicas: ${N}\n  quoted: "${N}"\n  secret: "pw-${N}"\n',
  );
  const changed = substituteDocument(doc, {
    vars: new Map([['N', '3']]),
    strict: true,
    isSecret: (text) => text.startsWith('pw-'),
  });
  assert.equal(changed, true);
  assert.deepEqual(doc.toJS(), { kind: 'Deployment', spec: { replicas: 3, quoted: '3', secret: 'pw-${N}' } });
  const disabled = parseDocument(
    'kind: ConfigMap\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  a: ${N}\n',
  );
  assert.equal(substituteDocument(disabled, { vars: new Map(), strict: true }), false);
});
