import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInto } from '../../../src/helm/strvals.ts';

describe('parseInto (helm --set, as helm-controller uses it for targetPath)', () => {
  const table: readonly (readonly [string, boolean, unknown])[] = [
    ['a.b=c', false, { a: { b: 'c' } }],
    ['a=true', false, { a: true }],
    ['a=true', true, { a: 'true' }],
    ['a=null', false, { a: null }],
    ['a=42', false, { a: 42 }],
    ['a=042', false, { a: '042' }],
    ['a=0', false, { a: 0 }],
    ['a=x,b=y', false, { a: 'x', b: 'y' }],
    ['a={x,y}', false, { a: ['x', 'y'] }],
    ['list[1]=v', false, { list: [null, 'v'] }],
    ['list[0].name=n', false, { list: [{ name: 'n' }] }],
    ['a\\.b=c', false, { 'a.b': 'c' }],
    ['a=x\\,y', false, { a: 'x,y' }],
  ];
  for (const [text, asString, expected] of table) {
    it(`${text}${asString ? ' (as string)' : ''}`, () => {
      const values: Record<string, unknown> = {};
      parseInto(text, values, asString);
      assert.deepEqual(values, expected);
    });
  }

  it('a comma followed by a key without a value is an error, as in helm', () => {
    assert.throws(() => parseInto('a=x,y', {}, false), /key "y" has no value/);
  });

  it('overwrites a nested path in existing values and keeps siblings', () => {
    const values: Record<string, unknown> = { a: { b: 'old', c: 'keep' } };
    parseInto('a.b=new', values, false);
    assert.deepEqual(values, { a: { b: 'new', c: 'keep' } });
  });
});
