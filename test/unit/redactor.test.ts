import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_MASK_LENGTH, Redactor, maskableParts } from '../../src/host/redactor.ts';

const cases: [string, string, string[]][] = [
  ['a long value', 'hunter22', ['hunter22']],
  ['a short value is not masked (it would wreck every log line)', 'abc', []],
  [
    'multi-line: the whole and each long line',
    'line-one\nab\nline-three',
    ['line-one\nab\nline-three', 'line-one', 'line-three'],
  ],
  ['surrounding blanks do not count', '  xy  ', []],
];
for (const [name, value, want] of cases) {
  test(`maskableParts: ${name}`, () => assert.deepEqual(maskableParts(value).sort(), [...want].sort()));
}

test('redact replaces the longest secrets first and leaves short ones', () => {
  const r = new Redactor();
  r.add('password123');
  r.add('password123-extended');
  r.add('b');
  assert.equal(r.redact('x password123-extended y password123 a b c'), 'x *** y *** a b c');
  assert.equal(MIN_MASK_LENGTH, 4);
});
