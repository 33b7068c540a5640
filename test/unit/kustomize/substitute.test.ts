import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { UserError } from '../../../src/errors.ts';
import { loadVariables, substituteDocument, substituteText } from '../../../src/kustomize/substitute.ts';
import { SecretRegistry } from '../../../src/masking.ts';

const vars = new Map([
  ['NAME', 'web'],
  ['EMPTY', ''],
  ['IMAGE', 'registry.example.com/team/app:v1.2.3'],
  ['FILE', 'archive.tar.gz'],
  ['PATHV', '/a/b/c'],
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
  { input: '${NAME:1}', expect: 'eb' },
  { input: '${NAME:0:2}', expect: 'we' },
  { input: '${NAME:1:10}', expect: 'eb' },
  { input: '${NAME:-2}', expect: 'web' },
  { input: '${IMAGE:-6}', expect: 'registry.example.com/team/app:v1.2.3' },
  { input: '${NAME:x}', expect: 'web' },
  { input: '${NAME:5}', expect: '' },
  { input: '${MISSING:1}', strict: true, expect: /variable MISSING is not set/ },
  { input: '${FILE#*.}', expect: 'tar.gz' },
  { input: '${FILE##*.}', expect: 'gz' },
  { input: '${FILE%.*}', expect: 'archive.tar' },
  { input: '${FILE%%.*}', expect: 'archive' },
  { input: '${FILE#nomatch}', expect: 'archive.tar.gz' },
  { input: '${FILE#a?c}', expect: 'hive.tar.gz' },
  { input: '${FILE#[a-c]r}', expect: 'chive.tar.gz' },
  { input: '${FILE#[^a]}', expect: 'archive.tar.gz' },
  // Flux reverses the pattern for % and %%, which breaks a class: the value is left alone.
  { input: '${FILE%[xyz]}', expect: 'archive.tar.gz' },
  { input: '${FILE#[abc}', expect: 'archive.tar.gz' },
  { input: '${PATHV#*/}', expect: 'a/b/c' },
  // drone/envsubst's * also matches /, unlike Go's path.Match.
  { input: '${PATHV##/*}', expect: '' },
  { input: '${PATHV%/*}', expect: '/a/b' },
  { input: '${IMAGE##*:}', expect: 'v1.2.3' },
  { input: '${IMAGE%:*}', expect: 'registry.example.com/team/app' },
  { input: '${FILE/a/A}', expect: 'Archive.tar.gz' },
  { input: '${FILE//a/A}', expect: 'Archive.tAr.gz' },
  { input: '${FILE/a/}', expect: 'rchive.tar.gz' },
  { input: '${FILE/#arch/ARCH}', expect: 'ARCHive.tar.gz' },
  { input: '${FILE/#tar/x}', expect: 'archive.tar.gz' },
  { input: '${FILE/%gz/zst}', expect: 'archive.tar.zst' },
  { input: '${FILE/#arch/}', expect: 'archive.tar.gz' },
  { input: '${FILE/.tar/${NAME}}', expect: 'archiveweb.gz' },
  { input: '${NAME:+other}', expect: 'web' },
  { input: '${EMPTY:+other}', expect: 'other' },
  { input: '${NAME@Q}', expect: /not supported/ },
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

const varFiles: { name: string; text: string; vars: Record<string, string>; masked: string[] }[] = [
  {
    name: 'a ConfigMap: its data, nothing masked',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  REGION: eu-west-1\n',
    vars: { REGION: 'eu-west-1' },
    masked: [],
  },
  {
    name: 'a Secret: data decoded and stringData, both masked',
    text: `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  PASSWORD: ${Buffer.from('hunter22').toString('base64')}\nstringData:\n  TOKEN: tok-12345\n`,
    vars: { PASSWORD: 'hunter22', TOKEN: 'tok-12345' },
    masked: ['hunter22', 'tok-12345'],
  },
  {
    name: 'dotenv lines, comments and blanks skipped',
    text: '# vars\nA=1\n\nB=two words\n',
    vars: { A: '1', B: 'two words' },
    masked: [],
  },
];
for (const { name, text, vars: want, masked } of varFiles) {
  test(`loadVariables: ${name}`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-vars-'));
    const file = path.join(dir, 'vars');
    await writeFile(file, text);
    const seen: string[] = [];
    const registry = new SecretRegistry((v) => seen.push(v));
    assert.deepEqual(Object.fromEntries(await loadVariables(file, [], registry)), want);
    for (const value of masked) assert.ok(registry.touches(value), value);
    assert.equal(seen.length === 0, masked.length === 0);
  });
}

test('loadVariables: a missing file and a kind that holds no variables are user errors', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-vars-'));
  const registry = new SecretRegistry(() => undefined);
  await assert.rejects(
    loadVariables(path.join(dir, 'missing'), [], registry),
    (e: unknown) => e instanceof UserError && e.code === 'FILE_NOT_FOUND',
  );
  const deployment = path.join(dir, 'deploy.yaml');
  await writeFile(deployment, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n');
  await assert.rejects(
    loadVariables(deployment, [], registry),
    (e: unknown) =>
      e instanceof UserError && /holds a Deployment; expected a ConfigMap or Secret/.test(e.message),
  );
});
