/**
 * The patterns nearly every sops file carries, such as `^(data|stringData)$`, matched without
 * the RE2 engine: compiling a first pattern with re2js costs several milliseconds (its Unicode
 * tables are decoded on first use), a large share of a one-file `decrypt`.
 *
 * Only a pattern made of ASCII letters, digits, `_` and `-` (literals in Go's syntax), either
 * alone or as an alternation in one group (`(a|b)` or `(?:a|b)`), with an optional leading `^`
 * and trailing `$`, takes this path. Without flags, Go's `^` is the start of the text and `$`
 * its end (not before a final newline), and a group's alternation is tried at one place, so
 * `MatchString` is a plain string comparison: equal, prefix, suffix or substring. Every other
 * pattern goes to re2js (go-regexp.ts).
 */
import type { GoRegexp } from './go-regexp.ts';

const LITERAL = '[A-Za-z0-9_-]+';
const TRIVIAL = new RegExp(`^(\\^?)(?:(${LITERAL})|\\((?:\\?:)?(${LITERAL}(?:\\|${LITERAL})*)\\))(\\$?)$`);

/** The matcher for a trivial pattern, or undefined when the pattern needs the engine. */
export function literalGoRegexp(pattern: string): GoRegexp | undefined {
  const parts = TRIVIAL.exec(pattern);
  if (parts === null) return undefined;
  const [, start, single, group, end] = parts;
  const words = single === undefined ? (group ?? '').split('|') : [single];
  const atStart = start === '^';
  const atEnd = end === '$';
  const matches = (text: string, word: string): boolean => {
    if (atStart && atEnd) return text === word;
    if (atStart) return text.startsWith(word);
    if (atEnd) return text.endsWith(word);
    return text.includes(word);
  };
  return { test: (text) => words.some((word) => matches(text, word)) };
}
