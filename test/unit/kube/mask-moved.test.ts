import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/kube/client.ts';
import { maskMovedValues } from '../../../src/kube/mask-moved.ts';
import { SecretRegistry } from '../../../src/masking.ts';

const OLD = 'oldPassw0rd-canary';
const NEW = 'newPassw0rd-canary';

function registry(...values: string[]): SecretRegistry {
  const r = new SecretRegistry(() => undefined);
  for (const v of values) r.add(v);
  return r;
}

const configMap = (data: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'default' },
  data,
});

const cases: {
  name: string;
  known: string[];
  before: unknown;
  after: unknown;
  want: [unknown, unknown];
}[] = [
  {
    name: 'a value the same on both sides is masked alike (no change shown)',
    known: [NEW],
    before: `postgres://app:${NEW}@db/app`,
    after: `postgres://app:${NEW}@db/app`,
    want: ['postgres://app:***@db/app', 'postgres://app:***@db/app'],
  },
  {
    name: 'both sides decrypted in this run: the change stays visible with tokens',
    known: [OLD, NEW],
    before: `postgres://app:${OLD}@db/app`,
    after: `postgres://app:${NEW}@db/app`,
    want: ['postgres://app:*** (before)@db/app', 'postgres://app:*** (after)@db/app'],
  },
  {
    name: 'an older live value this run never decrypted is masked where it differs',
    known: [NEW],
    before: `postgres://app:${OLD}@db/app`,
    after: `postgres://app:${NEW}@db/app`,
    want: ['postgres://app:*** (before)@db/app', 'postgres://app:*** (after)@db/app'],
  },
  {
    name: 'the shared prefix never reaches into the secret',
    known: [NEW],
    before: 'pw=newPassw0rd-OLD',
    after: `pw=${NEW}`,
    want: ['pw=*** (before)', 'pw=*** (after)'],
  },
  {
    name: 'a value that moved in is masked, and the live value it replaces too (it may be the old secret)',
    known: [NEW],
    before: 'changeme-later',
    after: NEW,
    want: ['*** (before)', '*** (after)'],
  },
  {
    name: 'a value that moved out is masked on the side it left; the new plain value is shown',
    known: [OLD],
    before: OLD,
    after: 'public-value',
    want: ['***', 'public-value'],
  },
  {
    name: 'an added value holding a secret',
    known: [NEW],
    before: undefined,
    after: `x-${NEW}-y`,
    want: [undefined, 'x-***-y'],
  },
  {
    name: 'the escaped forms count: a Go-quoted copy in an annotation',
    known: ['pw"SECRET"end'],
    before: undefined,
    after: 'value pw\\"SECRET\\"end out of bounds',
    want: [undefined, 'value *** out of bounds'],
  },
  {
    name: 'the base64 form counts',
    known: [NEW],
    before: undefined,
    after: Buffer.from(NEW).toString('base64'),
    want: [undefined, '***'],
  },
  {
    name: 'values that hold no secret are left alone',
    known: [NEW],
    before: 'one',
    after: 'two',
    want: ['one', 'two'],
  },
];

for (const { name, known, before, after, want } of cases) {
  test(`maskMovedValues: ${name}`, () => {
    const wrap = (v: unknown): KubeObject => configMap(v === undefined ? {} : { url: v });
    const masked = maskMovedValues(wrap(before), wrap(after), registry(...known));
    const field = (o: KubeObject | undefined): unknown => (o?.['data'] as Record<string, unknown>)['url'];
    assert.deepEqual([field(masked.before), field(masked.after)], want);
    const text = JSON.stringify(masked);
    for (const secret of [OLD, NEW, 'SECRET']) assert.equal(text.includes(secret), false, secret);
  });
}

test('maskMovedValues walks lists, nested maps and one-sided objects, and copies', () => {
  const secrets = registry(NEW);
  const after: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', annotations: { copied: NEW } },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'app', env: [{ name: 'DB', value: `u:${NEW}@h` }], args: ['--pw', NEW] }],
        },
      },
    },
  };
  const original = structuredClone(after);
  const masked = maskMovedValues(undefined, after, secrets);
  assert.equal(masked.before, undefined);
  assert.equal(JSON.stringify(masked.after).includes(NEW), false);
  assert.match(JSON.stringify(masked.after), /"u:\*\*\*@h"/);
  assert.deepEqual(after, original, 'the input is not changed');
});

test('maskMovedValues keeps each side its own key order', () => {
  const masked = maskMovedValues(
    configMap({ password: NEW, b: '1' }),
    configMap({ extra: 'x', password: NEW, a: '2' }),
    registry(NEW),
  );
  assert.deepEqual(Object.keys(masked.before?.['data'] as object), ['password', 'b']);
  assert.deepEqual(Object.keys(masked.after?.['data'] as object), ['extra', 'password', 'a']);
});
