/** The YAML store: tree shape, metadata, comments, limits and errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SopsFormatError } from '../../../../src/errors.ts';
import { yamlStore } from '../../../../src/sops/stores/yaml.ts';
import type { Branch, MapItem, TreeValue } from '../../../../src/sops/tree.ts';

/** A compact view of a tree: comments as '#text' ('#>text' when inline), scalars as values. */
function view(value: TreeValue | Branch): unknown {
  switch (value.kind) {
    case 'map':
      return value.items.map((item: MapItem) =>
        'kind' in item ? `#${item.inline === true ? '>' : ''}${item.text}` : [item.key, view(item.value)],
      );
    case 'list':
      return value.items.map(view);
    case 'comment':
      return `#${value.inline === true ? '>' : ''}${value.text}`;
    case 'null':
      return null;
    case 'bytes':
      return value.value;
    default:
      return value.value;
  }
}

const load = (text: string): unknown => yamlStore.loadPlain(text).map(view);

const commentCases: readonly (readonly [string, string, unknown])[] = [
  ['head comments before a key', '# a\n# b\nk: v\n', [['# a', '# b', ['k', 'v']]]],
  ['inline after a scalar value', 'k: v # c\nn: 1\n', [['#> c', ['k', 'v'], ['n', 1n]]]],
  ['on a key with a nested map', 'k: # c\n  x: 1\n', [['# c', ['k', [['x', 1n]]]]]],
  ['on a key with no value', 'k: # c\nn: 1\n', [['# c', ['k', null], ['n', 1n]]]],
  [
    'at the end of a nested map',
    'a:\n  b: 1\n  # f\nc: 2\n',
    [
      [
        ['a', [['b', 1n], '# f']],
        ['c', 2n],
      ],
    ],
  ],
  ['dedented after a nested map', 'a:\n  b: 1\n# h\nc: 2\n', [[['a', [['b', 1n]]], '# h', ['c', 2n]]]],
  ['first in a nested map', 'a:\n  # h\n  b: 1\n', [[['a', ['# h', ['b', 1n]]]]]],
  ['inline on a list item', 'l:\n  - x # c\n  - y\n', [[['l', ['#> c', 'x', 'y']]]]],
  ['between list items', 'l:\n  - x\n  # c\n  - y\n', [[['l', ['x', '# c', 'y']]]]],
  ['after an indentless list', 'l:\n- x\n# c\nk: 1\n', [[['l', ['x']], '# c', ['k', 1n]]]],
  ['on a dash before a map', 'l:\n  - # c\n    k: v\n', [[['l', ['# c', [['k', 'v']]]]]]],
  ['after a flow list value', 'l: [1, 2] # c\n', [[['l', ['# c', 1n, 2n]]]]],
  ['on a block scalar header', 'k: | # c\n  text\n', [['#> c', ['k', 'text\n']]]],
  ['keeps the text after #', '#no space\nk: v #  two\n', [['#no space', '#>  two', ['k', 'v']]]],
  ['comment-only document after ---', 'a: 1\n---\n# c\n', [[['a', 1n]], ['# c']]],
];

for (const [name, input, expected] of commentCases) {
  test(`comments: ${name}`, () => {
    assert.deepEqual(load(input), expected);
  });
}

test('aliases are inlined, every copy a full subtree; << stays a key', () => {
  const input = 'base: &b\n  x: 1\ncopy: *b\nmerged:\n  <<: *b\n  y: 2\n';
  assert.deepEqual(load(input), [
    [
      ['base', [['x', 1n]]],
      ['copy', [['x', 1n]]],
      [
        'merged',
        [
          ['<<', [['x', 1n]]],
          ['y', 2n],
        ],
      ],
    ],
  ]);
});

test('quoted and block scalars are strings, plain ones are typed', () => {
  assert.deepEqual(load('a: "1"\nb: \'true\'\nc: |\n  1\nd: 1\ne: true\nf: 2024-01-02\n'), [
    [
      ['a', '1'],
      ['b', 'true'],
      ['c', '1\n'],
      ['d', 1n],
      ['e', true],
      ['f', '2024-01-02T00:00:00Z'],
    ],
  ]);
  const [branch] = yamlStore.loadPlain('f: 2024-01-02\n');
  const item = branch?.items[0];
  assert.ok(item !== undefined && 'key' in item);
  assert.equal(item.value.kind, 'time');
});

test('multiple documents; empty ones become empty branches as in sops', () => {
  assert.deepEqual(load('a: 1\n---\nb: 2\n'), [[['a', 1n]], [['b', 2n]]]);
  assert.deepEqual(load('---\n---\na: 1\n'), [[], [['a', 1n]]]);
  assert.deepEqual(load(''), []);
});

test("loadEncrypted returns the first document's sops block and strips it from every document", () => {
  const input = 'a: 1\nsops:\n    version: 3.13.3\n---\nb: 2\nsops:\n    version: stale\n';
  const loaded = yamlStore.loadEncrypted(input);
  assert.deepEqual(loaded.branches.map(view), [[['a', 1n]], [['b', 2n]]]);
  assert.ok(loaded.metadata !== null);
  assert.deepEqual(view(loaded.metadata), [['version', '3.13.3']]);
});

test('loadEncrypted gives null metadata when there is none', () => {
  assert.equal(yamlStore.loadEncrypted('a: 1\n').metadata, null);
});

test('a sops entry that is not a mapping is an error', () => {
  assert.throws(() => yamlStore.loadEncrypted('sops: 1\n'), SopsFormatError);
});

const errorCases: readonly (readonly [string, string, RegExp])[] = [
  ['a top-level sequence', '- a\n- b\n', /sequences are not supported/],
  ['a top-level scalar', 'hello\n', /values are not supported/],
  ['an int key', '1: a\n', /only supports string keys/],
  ['a bool key', 'true: a\n', /only supports string keys/],
  ['a null key', '~: a\n', /only supports string keys/],
  ['a duplicate key in the first document', 'a: 1\na: 2\n', /line 2, column 1/],
  ['a syntax error', 'a: 1\n b: 2\n', /invalid YAML at line \d+, column \d+/],
  ['an unknown alias', 'a: *nope\n', /anchor/],
  ['only comments', '# nothing\n', /no document/],
  ['an integer above int64', 'a: 9223372036854775808\n', /int64/],
];

for (const [name, input, message] of errorCases) {
  test(`error: ${name}`, () => {
    assert.throws(
      () => yamlStore.loadPlain(input),
      (error: Error) => {
        assert.ok(error instanceof SopsFormatError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('duplicate keys in later documents are accepted, as go-yaml only checks the first', () => {
  assert.deepEqual(load('a: 1\n---\nb: 1\nb: 2\n'), [
    [['a', 1n]],
    [
      ['b', 1n],
      ['b', 2n],
    ],
  ]);
});

test('error messages never contain scalar values', () => {
  const secret = 'hunter2-very-secret';
  for (const input of [`a: ${secret}\n b: [${secret}\n`, `${secret}\n`, `a: "${secret}\n`]) {
    assert.throws(
      () => yamlStore.loadPlain(input),
      (error: Error) => error instanceof SopsFormatError && !error.message.includes(secret),
    );
  }
});

test('an alias bomb is rejected', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 9; i++) {
    const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
    lines.push(`a${i}: &a${i} [${refs}]`);
  }
  assert.throws(
    () => yamlStore.loadPlain(`${lines.join('\n')}\n`),
    (error: Error) => {
      assert.ok(error instanceof SopsFormatError);
      assert.match(error.message, /alias bomb/);
      return true;
    },
  );
});

test('nesting deeper than the limit is rejected', () => {
  const flow = `a: ${'['.repeat(1500)}${']'.repeat(1500)}\n`;
  const block = Array.from({ length: 1100 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';
  for (const deep of [flow, block]) {
    assert.throws(
      () => yamlStore.loadPlain(deep),
      (error: Error) => {
        assert.ok(error instanceof SopsFormatError);
        assert.match(error.message, /deeper than|levels deep/);
        return true;
      },
    );
  }
});

test('list comments are written as comments, never as list items', () => {
  const branch: Branch = {
    kind: 'map',
    items: [
      {
        key: 'args',
        value: {
          kind: 'list',
          items: [
            { kind: 'comment', text: ' first' },
            { kind: 'str', value: '--a' },
            { kind: 'comment', text: ' decrypted from ENC[...,type:comment]' },
            { kind: 'str', value: '--b' },
            { kind: 'comment', text: ' inline', inline: true },
            { kind: 'str', value: '--c' },
            { kind: 'comment', text: ' last' },
          ],
        },
      },
    ],
  };
  assert.equal(
    yamlStore.emitPlain([branch]),
    'args:\n    # first\n    - --a\n    # decrypted from ENC[...,type:comment]\n    - --b\n    - --c # inline\n    # last\n',
  );
});

test('emits each value type as go-yaml does', () => {
  const branch: Branch = {
    kind: 'map',
    items: [
      { key: 'int', value: { kind: 'int', value: -9223372036854775808n } },
      { key: 'float', value: { kind: 'float', value: 1e6 } },
      { key: 'whole', value: { kind: 'float', value: 1 } },
      { key: 'inf', value: { kind: 'float', value: -Infinity } },
      { key: 'nan', value: { kind: 'float', value: NaN } },
      { key: 'bool', value: { kind: 'bool', value: false } },
      { key: 'time', value: { kind: 'time', value: '2024-01-02T00:00:00Z' } },
      { key: 'null', value: { kind: 'null' } },
      { key: 'str', value: { kind: 'str', value: '1e3' } },
      { key: 'map', value: { kind: 'map', items: [] } },
      { key: 'list', value: { kind: 'list', items: [] } },
      { key: 'bytes', value: { kind: 'bytes', value: new Uint8Array([0xff, 0x00]) } },
    ],
  };
  assert.equal(
    yamlStore.emitPlain([branch]),
    [
      'int: -9223372036854775808',
      'float: 1e+06',
      'whole: 1',
      'inf: -.inf',
      'nan: .nan',
      'bool: false',
      'time: 2024-01-02T00:00:00Z',
      '"null": null',
      'str: "1e3"',
      'map: {}',
      'list: []',
      'bytes: !!binary /wA=',
      '',
    ].join('\n'),
  );
});

test('no branches give empty output; several give --- separators', () => {
  assert.equal(yamlStore.emitPlain([]), '');
  const one: Branch = { kind: 'map', items: [{ key: 'a', value: { kind: 'int', value: 1n } }] };
  assert.equal(yamlStore.emitPlain([one, { kind: 'map', items: [] }, one]), 'a: 1\n---\n{}\n---\na: 1\n');
});
