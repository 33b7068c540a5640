/**
 * compileGoRegexp against Go itself. Every expected value below is what Go 1.26's `regexp`
 * answered (regexp.Compile, then MatchString on each input), recorded from a Go program run
 * over this table: a pattern Go refuses carries the start of Go's error, one it accepts the
 * match result for each input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { compileGoRegexp, toRe2jsSyntax } from '../../../src/sops/go-regexp.ts';
import { GO_UNICODE_CLASSES } from '../../../src/sops/go-unicode-classes.ts';

type Row =
  | { readonly pattern: string; readonly matches: readonly (readonly [string, boolean])[] }
  | { readonly pattern: string; readonly goError: string };

const goAnswers: readonly Row[] = [
  {
    pattern: '((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))',
    matches: [
      ['PASSWORD', true],
      ['db_Password', true],
      ['secret', true],
      ['secretN', false],
      ['SECRETn', false],
      ['secretX', true],
      ['apiKey', true],
      ['TOKEN', true],
      ['data', true],
      ['stringData', true],
      ['metadata', false],
      ['xdata', false],
      ['stringDataX', true],
      ['name', false],
    ],
  },
  {
    pattern: '^(data|stringData)$',
    matches: [
      ['data', true],
      ['stringData', true],
      ['metadata', false],
      ['data\n', false],
    ],
  },
  {
    pattern: 'a(?i)b',
    matches: [
      ['aB', true],
      ['AB', false],
    ],
  },
  {
    pattern: '(?i:a)b',
    matches: [
      ['Ab', true],
      ['AB', false],
    ],
  },
  {
    pattern: '(?i)a(?-i)b',
    matches: [
      ['Ab', true],
      ['AB', false],
    ],
  },
  { pattern: '(?U)a+', matches: [['aaa', true]] },
  {
    pattern: 'a$',
    matches: [
      ['a', true],
      ['a\n', false],
    ],
  },
  { pattern: '(?m)a$', matches: [['a\nb', true]] },
  {
    pattern: 'a\\z',
    matches: [
      ['a', true],
      ['a\n', false],
    ],
  },
  {
    pattern: '\\Aa',
    matches: [
      ['a', true],
      ['ba', false],
    ],
  },
  { pattern: '(?m)^b', matches: [['a\nb', true]] },
  { pattern: '^b', matches: [['a\nb', false]] },
  {
    pattern: 'a.b',
    matches: [
      ['a\nb', false],
      ['axb', true],
    ],
  },
  { pattern: '(?s)a.b', matches: [['a\nb', true]] },
  {
    pattern: '^.$',
    matches: [
      ['😀', true],
      ['é', true],
      ['\n', false],
    ],
  },
  {
    pattern: '\\d',
    matches: [
      ['9', true],
      ['٣', false],
    ],
  },
  {
    pattern: '\\s',
    matches: [
      [' ', true],
      ['\u000b', false],
      [' ', false],
    ],
  },
  {
    pattern: '\\w',
    matches: [
      ['_', true],
      ['é', false],
    ],
  },
  {
    pattern: '\\bkey\\b',
    matches: [
      ['api key', true],
      ['apikey', false],
    ],
  },
  { pattern: '^\\B$', matches: [['', true]] },
  { pattern: '(?i)k', matches: [['K', true]] },
  { pattern: '(?i)s', matches: [['ſ', true]] },
  {
    pattern: '\\pL',
    matches: [
      ['é', true],
      ['9', false],
    ],
  },
  {
    pattern: '\\p{Greek}',
    matches: [
      ['Ω', true],
      ['a', false],
    ],
  },
  { pattern: '\\p{greek}', matches: [['Ω', true]] },
  { pattern: '\\p{Letter}', matches: [['é', true]] },
  {
    pattern: '\\p{Uppercase_Letter}',
    matches: [
      ['A', true],
      ['a', false],
    ],
  },
  {
    pattern: '\\p{ASCII}',
    matches: [
      ['a', true],
      ['é', false],
    ],
  },
  {
    pattern: '\\P{ascii}',
    matches: [
      ['a', false],
      ['é', true],
    ],
  },
  {
    pattern: '\\p{Assigned}',
    matches: [
      ['a', true],
      ['͸', false],
    ],
  },
  {
    pattern: '\\p{^Greek}',
    matches: [
      ['Ω', false],
      ['a', true],
    ],
  },
  {
    pattern: '[[:alpha:]]',
    matches: [
      ['a', true],
      ['9', false],
    ],
  },
  {
    pattern: '[[:^alpha:]]',
    matches: [
      ['a', false],
      ['9', true],
    ],
  },
  {
    pattern: '[]a]',
    matches: [
      [']', true],
      ['b', false],
    ],
  },
  {
    pattern: '\\Q.*\\E',
    matches: [
      ['.*', true],
      ['ab', false],
    ],
  },
  { pattern: '(?P<n>a)(?P<n>b)', matches: [['ab', true]] },
  { pattern: '(?<name>x)', matches: [['x', true]] },
  {
    pattern: 'x{,3}',
    matches: [
      ['x{,3}', true],
      ['xxx', false],
    ],
  },
  {
    pattern: 'a{2}',
    matches: [
      ['aa', true],
      ['a', false],
    ],
  },
  { pattern: '(a|)+b', matches: [['b', true]] },
  {
    pattern: '',
    matches: [
      ['', true],
      ['x', true],
    ],
  },
  { pattern: '|', matches: [['x', true]] },
  { pattern: '\\x{1F600}', matches: [['😀', true]] },
  { pattern: '\\x41', matches: [['A', true]] },
  {
    pattern: '[^\\x00-\\x{10FFFF}]',
    matches: [
      ['a', false],
      ['', false],
    ],
  },
  {
    pattern: '^(a+)+$',
    matches: [
      ['aaaa', true],
      ['aaab', false],
    ],
  },
  { pattern: '(?=a)', goError: 'invalid or unsupported Perl syntax' },
  { pattern: '(?!a)', goError: 'invalid or unsupported Perl syntax' },
  { pattern: '(?<=a)b', goError: 'invalid named capture' },
  { pattern: '(?<!a)b', goError: 'invalid named capture' },
  { pattern: '(a)\\1', goError: 'invalid escape sequence' },
  { pattern: '(?P=n)', goError: 'invalid or unsupported Perl syntax' },
  { pattern: '(?>a)', goError: 'invalid or unsupported Perl syntax' },
  { pattern: 'a\\Z', goError: 'invalid escape sequence' },
  { pattern: 'a**', goError: 'invalid nested repetition operator' },
  { pattern: 'a{1001}', goError: 'invalid repeat count' },
  { pattern: 'a{2,1}', goError: 'invalid repeat count' },
  { pattern: '(?x)a', goError: 'invalid or unsupported Perl syntax' },
  { pattern: '(?#c)', goError: 'invalid or unsupported Perl syntax' },
  { pattern: '\\C', goError: 'invalid escape sequence' },
  { pattern: '\\e', goError: 'invalid escape sequence' },
  { pattern: '[z-a]', goError: 'invalid character class range' },
  { pattern: '(a', goError: 'missing closing )' },
  { pattern: 'a)', goError: 'unexpected )' },
  { pattern: '[a', goError: 'missing closing ]' },
  { pattern: '*a', goError: 'missing argument to repetition operator' },
  { pattern: '\\p{Foo}', goError: 'invalid character class range' },
  { pattern: '\\p{Garay}', goError: 'invalid character class range' },
  { pattern: '\\p{Old_Italic}', goError: 'invalid character class range' },
  { pattern: '[[:foo:]]', goError: 'invalid character class range' },
  { pattern: '(?P<a-b>x)', goError: 'invalid named capture' },
  { pattern: '(?i', goError: 'invalid or unsupported Perl syntax' },
  { pattern: 'x{1000}{1000}', goError: 'invalid nested repetition operator' },
  { pattern: '\\8', goError: 'invalid escape sequence' },
  { pattern: `${'('.repeat(1001)}${')'.repeat(1001)}`, goError: 'expression nests too deeply' },
];

describe('compileGoRegexp agrees with Go', () => {
  for (const row of goAnswers) {
    const name = row.pattern.length > 60 ? `${row.pattern.slice(0, 60)}…` : row.pattern;
    if ('goError' in row) {
      test(`refuses ${JSON.stringify(name)} (${row.goError})`, () => {
        assert.throws(
          () => compileGoRegexp(row.pattern, 'deploy/secret.yaml: encrypted_regex'),
          (error: unknown) => {
            assert.ok(error instanceof UserError);
            // The file and field, the pattern, and Go's own reason.
            assert.ok(error.message.startsWith('deploy/secret.yaml: encrypted_regex '), error.message);
            assert.ok(error.message.includes(JSON.stringify(row.pattern)), error.message);
            assert.ok(
              error.message.includes(`not a valid Go regular expression: ${row.goError}`),
              error.message,
            );
            return true;
          },
        );
      });
    } else {
      test(`accepts ${JSON.stringify(name)} and matches as Go does`, () => {
        const re = compileGoRegexp(row.pattern, 'test');
        for (const [input, want] of row.matches) {
          assert.equal(re.test(input), want, `${JSON.stringify(row.pattern)} on ${JSON.stringify(input)}`);
        }
      });
    }
  }
});

describe('catastrophic patterns run in linear time', () => {
  // A backtracking engine needs about 2^n steps for these inputs (n = 40: hours), so the
  // test would time out on one; only the answers are asserted.
  const cases: readonly [string, string, boolean][] = [
    ['^(a+)+$', `${'a'.repeat(40)}!`, false],
    ['^(a|a?)+$', `${'a'.repeat(40)}b`, false],
    ['(x+x+)+y', 'x'.repeat(40), false],
    ['^(a+)+$', 'a'.repeat(100_000), true],
  ];
  for (const [pattern, input, want] of cases) {
    test(`${pattern} on ${input.length} characters`, () => {
      assert.equal(compileGoRegexp(pattern, 'test').test(input), want);
    });
  }
});

describe('toRe2jsSyntax rewrites only what Go accepts and re2js does not', () => {
  const cases: readonly [string, string][] = [
    ['\\p{greek}', '\\p{Greek}'],
    ['\\p{Uppercase Letter}', '\\p{Lu}'],
    ['\\pl', '\\p{L}'],
    ['\\P{^letter}', '\\p{L}'],
    ['\\p{Assigned}', '\\P{Cn}'],
    ['\\p{ascii}', '[[:ascii:]]'],
    ['[\\P{ASCII}x]', '[[:^ascii:]x]'],
    ['(?P<n>a)(?<m>b)', '(a)(b)'],
    // Quoted, escaped or inside a class, these are not groups or classes to rewrite.
    ['\\Q(?P<n>\\p{greek}\\E', '\\Q(?P<n>\\p{greek}\\E'],
    ['\\(?P<n>a)', '\\(?P<n>a)'],
    ['[(?P<n>]', '[(?P<n>]'],
    ['[]\\p{greek}]', '[]\\p{Greek}]'],
    ['[[:alpha:]](?P<n>x)', '[[:alpha:]](x)'],
    // Invalid names are left for re2js to refuse, as Go does.
    ['(?P<a-b>x)', '(?P<a-b>x)'],
    ['(?<=a)b', '(?<=a)b'],
  ];
  for (const [go, re2js] of cases) {
    test(`${go} -> ${re2js}`, () => {
      assert.equal(toRe2jsSyntax(go), re2js);
    });
  }

  test('every Unicode class name Go knows compiles', () => {
    assert.ok(GO_UNICODE_CLASSES.size > 150);
    for (const name of GO_UNICODE_CLASSES.keys()) {
      assert.doesNotThrow(() => compileGoRegexp(`\\p{${name}}`, 'test'), name);
    }
  });
});
