/**
 * The engine-free path for trivial patterns must answer exactly as the RE2 engine does: every
 * pattern it takes is compared with re2js itself on inputs built to tell prefix, suffix,
 * substring and equality apart (with newlines, case changes and non-ASCII text), and every
 * pattern whose meaning is not a plain string comparison must be left to the engine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RE2JS } from 're2js';
import { compileGoRegexp } from '../../../src/sops/go-regexp.ts';
import { literalGoRegexp } from '../../../src/sops/go-regexp-literal.ts';

const bodies = ['data', '(data|stringData)', '(?:data|stringData)', '(a)', '(a-b|_x|9)', 'key_1-x'];
const trivial = bodies.flatMap((body) => [body, `^${body}`, `${body}$`, `^${body}$`]);

const words = ['data', 'stringData', 'a', 'a-b', '_x', '9', 'key_1-x'];
const inputs = [
  '',
  ...words.flatMap((w) => [
    w,
    `${w}\n`,
    `\n${w}`,
    `x${w}`,
    `${w}x`,
    `x${w}x`,
    w.toUpperCase(),
    `é${w}`,
    `${w}😀`,
    `${w}${w}`,
  ]),
  'metadata',
  'stringdata',
  'dat',
];

describe('literalGoRegexp answers as re2js does', () => {
  for (const pattern of trivial) {
    test(pattern, () => {
      const fast = literalGoRegexp(pattern);
      assert.ok(fast !== undefined, `${pattern} should take the engine-free path`);
      const engine = RE2JS.compile(pattern);
      for (const input of inputs) {
        assert.equal(fast.test(input), engine.test(input), `${pattern} on ${JSON.stringify(input)}`);
        assert.equal(compileGoRegexp(pattern, 'test').test(input), engine.test(input));
      }
    });
  }
});

test('patterns that are not a plain string comparison are left to the engine', () => {
  const engineOnly = [
    '',
    '^',
    '$',
    '^$',
    '^data|stringData$', // the anchors bind to one alternative each
    'data|stringData',
    '(data|)',
    '(|data)',
    '(data)(x)',
    '((data))',
    '(data|stringData)+',
    'data*',
    'a.b',
    '(?i)data',
    '(?m)^data$',
    '(?P<n>data)',
    '(?<n>data)',
    '\\Adata\\z',
    'data\\n',
    '[data]',
    'dätä',
    '^^data',
    'data$$',
    '^(data|stringData)$\n',
    ' data',
  ];
  for (const pattern of engineOnly) {
    assert.equal(literalGoRegexp(pattern), undefined, JSON.stringify(pattern));
  }
});
