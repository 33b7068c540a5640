/**
 * Suppression globs. The expected answers are what `path.matchesGlob` (minimatch, which the
 * suppressions used before) gives for the same glob and path, so a waiver keeps its meaning.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePathGlob, expandBraces, GlobError, MAX_ALTERNATIVES } from '../../../src/lint/path-glob.ts';

const cases: readonly [glob: string, file: string, want: boolean][] = [
  ['**', 'a/b/c.yaml', true],
  ['**', 'x/.sops.yaml', false],
  ['**', '.git/x', false],
  ['**/*.yaml', '.hidden/x.yaml', false],
  ['**/*.yaml', 'a/.x.yaml', false],
  ['*.yaml', '.x.yaml', false],
  ['**/.a', 'x/.a', true],
  ['.*/b', '.a/b', true],
  ['a/**', 'a/b/c.yaml', true],
  ['a/**', 'a', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/**/b', 'a/b', true],
  ['**/**/e', 'e', true],
  ['**/b/**', 'a/b/c', true],
  ['**/b/**', 'a/b', false],
  ['a/**/*.yaml', 'a/x/.y/z.yaml', false],
  ['a/**b', 'a/x/b', false],
  ['a/**b', 'a/xb', true],
  ['apps/**/secret.yaml', 'apps/secret.yaml', true],
  ['**/secret.yaml', 'apps/secret.yaml', true],
  ['**/a', 'a', true],
  ['*', 'a', true],
  ['*', 'a/b', false],
  ['a*/c', 'ab/c', true],
  ['a?/c', 'a/c', false],
  ['a?c', 'abc', true],
  ['a/{b,c}.yaml', 'a/c.yaml', true],
  ['a/{b,{c,d}}.yaml', 'a/d.yaml', true],
  ['a/{b}', 'a/{b}', true],
  ['a/{b}', 'a/b', false],
  ['a/[ab].yaml', 'a/b.yaml', true],
  ['a/[!a].yaml', 'a/b.yaml', true],
  ['a/[^a].yaml', 'a/a.yaml', false],
  ['a[a-z-]b', 'a-b', true],
  ['a[]]b', 'a]b', true],
  ['a/[/]b', 'a/b', false],
  ['a/+(b).yaml', 'a/b.yaml', true],
  ['a/@(b|c).yaml', 'a/c.yaml', true],
  ['*(a).yaml', 'aa.yaml', true],
  ['a*(b|c)', 'ab', true],
  ['a/b.yaml', 'A/b.yaml', false],
  ['./a/b.yaml', 'a/b.yaml', false],
  ['a//b.yaml', 'a/b.yaml', true],
  ['a/b/', 'a/b', false],
  ['a/b.yaml/**', 'a/b.yaml', false],
  ['/x', 'x', false],
  ['**', '../x', false],
  ['*', '..', false],
];

describe('compilePathGlob matches as minimatch did', () => {
  for (const [glob, file, want] of cases) {
    test(`${glob} ${want ? 'matches' : 'does not match'} ${file}`, () => {
      assert.equal(compilePathGlob(glob).matches(file), want);
    });
  }
});

describe('globs that are refused', () => {
  const refused: readonly [string, RegExp][] = [
    ['a/!(b).yaml', /negated extglobs/],
    ['a/@(b', /unclosed @\(/],
    ['a/{1..3}.yaml', /ranges/],
    ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', new RegExp(`more than ${MAX_ALTERNATIVES}`)],
  ];
  for (const [glob, message] of refused) {
    test(glob, () => {
      assert.throws(
        () => compilePathGlob(glob),
        (e: unknown) => e instanceof GlobError && message.test(e.message),
      );
    });
  }
});

test('braces expand left to right', () => {
  assert.deepEqual(expandBraces('{a,b}/{c,d{e,f}}'), ['a/c', 'a/de', 'a/df', 'b/c', 'b/de', 'b/df']);
});

test('many stars against a long name finish (minimatch backtracked for minutes)', () => {
  const glob = compilePathGlob('**/*a*a*a*a*a*a*a*a*b');
  assert.equal(glob.matches(`x/${'a'.repeat(200)}`), false);
  assert.equal(glob.matches(`x/${'a'.repeat(200)}b`), true);
});
