/**
 * Regular expressions that come from files: sops's `encrypted_regex`, `unencrypted_regex` and
 * comment regexes, `.sops.yaml` `path_regex`, and the segments of lint suppression globs. sops
 * evaluates them with Go's `regexp` (RE2 syntax, unanchored `regexp.Match`); they run here on
 * re2js, a JavaScript port of Go's regexp package. It was chosen over JavaScript's RegExp
 * because that engine backtracks: `^(a+)+$` on a 28-character key took seconds and every
 * extra character doubled it, and a pull request controls both the pattern and the input. An
 * RE2 automaton matches in time linear in the input, and re2js parses Go's syntax (inline
 * flags anywhere, `\z`, `(?U)`, POSIX classes, `\Q…\E`) and refuses what Go refuses
 * (backreferences, lookaround, `\Z`, repeat counts over 1000).
 *
 * Two spellings that Go 1.25+ accepts and re2js does not are rewritten before re2js parses
 * the pattern (see `toRe2jsSyntax`); the tests compare accept/reject and matching with
 * answers from Go itself. One difference is left: re2js's Unicode tables are newer than Go's
 * (Go 1.26 has Unicode 15.0), so a character added to a category since then is in re2js's
 * `\pL` and not in Go's. Script names Go does not know are still refused.
 */
import { RE2JS } from 're2js';
import { UserError, type ErrorCode } from '../errors.ts';
import { GO_UNICODE_CLASSES } from './go-unicode-classes.ts';
import { literalGoRegexp } from './go-regexp-literal.ts';

/** A compiled pattern; `test` is Go's unanchored `MatchString`. */
export interface GoRegexp {
  test(text: string): boolean;
}

/** Patterns come from a repository's files; a bound keeps a hostile one from growing the cache. */
const CACHE_LIMIT = 1000;
const cache = new Map<string, GoRegexp>();

/**
 * Compiles a Go RE2 pattern (cached). `where` names the file and field for the error, e.g.
 * `deploy/.sops.yaml: creation rule 2 path_regex`; the error quotes the pattern.
 */
export function compileGoRegexp(pattern: string, where: string, code: ErrorCode = 'BAD_FORMAT'): GoRegexp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  // The common trivial patterns (`^(data|stringData)$`) need no engine (go-regexp-literal.ts).
  let compiled: GoRegexp | undefined = literalGoRegexp(pattern);
  try {
    compiled ??= RE2JS.compile(toRe2jsSyntax(pattern));
  } catch (cause) {
    throw new UserError(
      code,
      `${where} ${JSON.stringify(pattern)} is not a valid Go regular expression: ${goRegexpReason(cause)}`,
      {
        cause,
        hint: 'sops uses Go RE2 syntax (https://pkg.go.dev/regexp/syntax): no lookaround and no backreferences',
      },
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** The parser's reason without its "error parsing regexp: " prefix (Go's own wording). */
function goRegexpReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error parsing regexp: /, '');
}

/** A syntax error worded as Go words it, for the names re2js would otherwise accept. */
class GoSyntaxError extends Error {}

/**
 * Rewrites what Go 1.25+ accepts and re2js refuses, leaving everything else to re2js:
 * - `\p{name}` names are looked up as Go does (case-insensitive, ignoring `_`, `-` and spaces;
 *   category aliases such as `Letter`; `Any`, `Assigned`, `ASCII`), then written as the table
 *   name re2js knows. A name Go does not know is refused here, even where re2js's newer
 *   tables have it.
 * - Capture group names are dropped (`(?P<n>x)` becomes `(x)`): Go allows a name twice, re2js
 *   does not, and names do not change what matches. Invalid names are kept for re2js to refuse.
 * The scan only tracks what changes the meaning of `\p` and `(`: `\Q…\E` quoting, escapes and
 * character classes (where `[:alpha:]` may hold a `]`).
 */
export function toRe2jsSyntax(pattern: string): string {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern[i + 1];
      if (!inClass && next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop;
      } else if (next === 'p' || next === 'P') {
        const rewritten = rewriteUnicodeClass(pattern, i, inClass);
        out += rewritten.text;
        i = rewritten.end;
      } else {
        // An escape covers one code point, which may be a surrogate pair.
        const width =
          next === undefined ? 1 : 1 + String.fromCodePoint(pattern.codePointAt(i + 1) ?? 0).length;
        out += pattern.slice(i, i + width);
        i += width;
      }
    } else if (inClass) {
      const posixEnd = c === '[' && pattern[i + 1] === ':' ? pattern.indexOf(':]', i + 2) : -1;
      if (posixEnd >= 0) {
        out += pattern.slice(i, posixEnd + 2);
        i = posixEnd + 2;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
    } else if (c === '[') {
      // `]` right after `[` or `[^` is a literal, not the end of the class.
      const open = /^\[\^?\]?/.exec(pattern.slice(i, i + 3))?.[0] ?? '[';
      out += open;
      i += open.length;
      inClass = true;
    } else {
      const named = c === '(' ? /^\(\?P?<[A-Za-z0-9_]+>/.exec(pattern.slice(i)) : null;
      if (named !== null) {
        out += '(';
        i += named[0].length;
      } else {
        out += c;
        i++;
      }
    }
  }
  return out;
}

/** Rewrites the `\p`/`\P` class at `start`; returns the text and the index after it. */
function rewriteUnicodeClass(
  pattern: string,
  start: number,
  inClass: boolean,
): { text: string; end: number } {
  let sign = pattern[start + 1] === 'P' ? -1 : 1;
  let name: string;
  let end: number;
  if (pattern[start + 2] === '{') {
    const close = pattern.indexOf('}', start + 3);
    // Unterminated: leave it for re2js, which refuses it as Go does.
    if (close < 0) return { text: pattern.slice(start), end: pattern.length };
    name = pattern.slice(start + 3, close);
    end = close + 1;
  } else {
    const point = pattern.codePointAt(start + 2);
    if (point === undefined) return { text: pattern.slice(start), end: pattern.length };
    name = String.fromCodePoint(point);
    end = start + 2 + name.length;
  }
  if (name.startsWith('^')) {
    sign = -sign;
    name = name.slice(1);
  }
  const canonical = goCanonicalName(name);
  let table: string | undefined;
  switch (canonical) {
    case 'Any':
      table = 'Any';
      break;
    case 'Assigned':
      // Go inverts Cn (unassigned) for Assigned.
      table = 'Cn';
      sign = -sign;
      break;
    case 'Lc':
      table = 'LC';
      break;
    case 'Ascii': {
      const posix = sign > 0 ? '[:ascii:]' : '[:^ascii:]';
      return { text: inClass ? posix : `[${posix}]`, end };
    }
    default:
      table = GO_UNICODE_CLASSES.get(canonical);
  }
  if (table === undefined) {
    throw new GoSyntaxError(`invalid character class range: \`${pattern.slice(start, end)}\``);
  }
  return { text: `\\${sign > 0 ? 'p' : 'P'}{${table}}`, end };
}

/** regexp/syntax's canonicalName: a leading capital, the rest lower case, no `_`, `-` or space. */
function goCanonicalName(name: string): string {
  const kept = name.replace(/[_\- ]/g, '');
  return (
    kept.charAt(0).replace(/[a-z]/, (l) => l.toUpperCase()) +
    kept.slice(1).replace(/[A-Z]/g, (u) => u.toLowerCase())
  );
}
