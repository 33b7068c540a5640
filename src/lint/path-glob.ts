/**
 * The path globs of lint suppressions (`ignore[].path` in `.ksd-lint.yaml`), matched in time
 * linear in the path. They used to go to `path.matchesGlob`, whose minimatch engine turns `*`
 * into a backtracking RegExp: `*a*a*a*a*a*a*a*b` against a 60-character file name took 11 s,
 * and a pull request chooses its file names. Here braces are expanded first (a bounded number
 * of alternatives), each path segment of the glob becomes an anchored RE2 pattern run on
 * re2js, and `**` is matched segment by segment with a table of (glob segment, path segment)
 * pairs, so the work is bounded by their product.
 *
 * The syntax is minimatch's, as `path.matchesGlob` read it: `*`, `?`, `[...]` (`!` or `^`
 * negates), `{a,b}`, `**` as a whole segment (zero or more directories), `\` escapes, and the
 * extglobs `@(a|b)`, `?(a)`, `+(a)`, `*(a)`. As there, wildcards do not match a name that
 * starts with `.` unless the glob segment starts with a literal `.`. Refused, with the glob
 * named: `!(...)` (no RE2 equivalent), numeric ranges `{1..9}`, and a glob with more than
 * MAX_ALTERNATIVES brace alternatives.
 */
import { compileGoRegexp, type GoRegexp } from '../sops/go-regexp.ts';

/** More alternatives than any real suppression needs; `{a,b}{a,b}...` doubles with each brace. */
export const MAX_ALTERNATIVES = 256;

/** One glob segment: `**`, or a pattern for exactly one path segment. */
type Segment =
  | { readonly globstar: true }
  | { readonly globstar: false; readonly re: GoRegexp; readonly dot: boolean; readonly source: string };

/** A compiled glob; `matches` takes a relative path with `/` separators. */
export interface PathGlob {
  matches(relative: string): boolean;
}

/** Thrown for a glob that cannot be compiled; the caller names the file and entry. */
export class GlobError extends Error {}

/** Compiles a suppression glob; throws GlobError saying what is wrong. */
export function compilePathGlob(glob: string): PathGlob {
  const alternatives = expandBraces(glob);
  const compiled = alternatives.map((alternative) =>
    alternative
      .split('/')
      // `a//b` is `a/b`; a leading or trailing empty segment stays and matches only an empty one.
      .filter((segment, i, all) => segment !== '' || i === 0 || i === all.length - 1)
      .map(compileSegment),
  );
  return {
    matches(relative: string): boolean {
      const parts = relative.split('/');
      return compiled.some((segments) => matchSegments(segments, parts));
    },
  };
}

/** Whether the path segments match the glob segments, `**` spanning zero or more of them. */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): boolean {
  // reachable[j]: the glob segments so far can consume exactly parts[0..j).
  let reachable = parts.map((_, j) => j === 0).concat(parts.length === 0);
  for (const [index, segment] of segments.entries()) {
    const next = reachable.map(() => false);
    for (let j = 0; j <= parts.length; j++) {
      if (!reachable[j]) continue;
      if (segment.globstar) {
        // Zero directories (but a trailing `**` needs one: `a/**` does not match `a`), then as
        // many as follow that do not start with a dot.
        if (index < segments.length - 1) next[j] = true;
        for (let k = j; k < parts.length && !hidden(parts[k] ?? ''); k++) next[k + 1] = true;
      } else if (j < parts.length) {
        const part = parts[j] ?? '';
        // `.` and `..` (a finding outside the config's folder) match only themselves.
        const special = part === '.' || part === '..';
        const allowed = special ? segment.source === part : segment.dot || !hidden(part);
        if (allowed && segment.re.test(part)) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[parts.length] === true;
}

/** minimatch without `dot`: a wildcard never matches a leading `.`, nor `.` or `..`. */
function hidden(part: string): boolean {
  return part.startsWith('.');
}

function compileSegment(segment: string): Segment {
  if (segment === '**') return { globstar: true };
  const dot = segment.startsWith('.') || segment.startsWith('\\.');
  return {
    globstar: false,
    dot,
    source: segment,
    re: compileGoRegexp(`^${segmentToRe2(segment)}$`, 'glob segment'),
  };
}

/** Translates one path segment of a glob (braces already expanded) to RE2 syntax. */
function segmentToRe2(segment: string): string {
  let out = '';
  let i = 0;
  while (i < segment.length) {
    const c = segment.charAt(i);
    const extglob = /^[@?+*!]\(/.test(segment.slice(i, i + 2));
    if (extglob) {
      const close = closingParen(segment, i + 1);
      if (close < 0) throw new GlobError(`unclosed ${segment.slice(i, i + 2)}`);
      if (c === '!') throw new GlobError('negated extglobs !(...) are not supported');
      const body = splitTopLevel(segment.slice(i + 2, close))
        .map((alt) => segmentToRe2(alt))
        .join('|');
      out += `(?:${body})${c === '@' ? '' : c}`;
      i = close + 1;
    } else if (c === '\\') {
      const next = String.fromCodePoint(segment.codePointAt(i + 1) ?? 0x5c);
      out += quote(next);
      i += 1 + (i + 1 < segment.length ? next.length : 0);
    } else if (c === '*') {
      while (segment.charAt(i) === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = bracket(segment, i);
      if (cls === undefined) {
        out += '\\[';
        i++;
      } else {
        out += cls.re;
        i = cls.end;
      }
    } else {
      const ch = String.fromCodePoint(segment.codePointAt(i) ?? 0);
      out += quote(ch);
      i += ch.length;
    }
  }
  return out;
}

/** Splits an extglob body at the `|` that are not inside a nested group. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}

/** The index of the `)` closing the `(` at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A `[...]` class at `start` as RE2 (never matching `/`), or undefined when unterminated. */
function bracket(segment: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (segment.charAt(i) === '!' || segment.charAt(i) === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < segment.length) {
    const c = segment.charAt(i);
    if (c === ']' && !first) return { re: negate ? `[^/${body}]` : `[${body}]`, end: i + 1 };
    first = false;
    const posix = c === '[' ? /^\[:[a-z]+:\]/.exec(segment.slice(i)) : null;
    if (posix !== null) {
      body += posix[0];
      i += posix[0].length;
    } else if (c === '\\' && i + 1 < segment.length) {
      body += quoteInClass(segment.charAt(i + 1));
      i += 2;
    } else {
      body += c === '-' ? '-' : quoteInClass(c);
      i++;
    }
  }
  return undefined;
}

function quote(ch: string): string {
  return /[\\.+*?()|[\]{}^$]/.test(ch) ? `\\${ch}` : ch;
}

function quoteInClass(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Expands `{a,b}` groups (nested too) into alternatives, left to right. A group without a
 * top-level comma is literal text, as in minimatch; a numeric range is refused.
 */
export function expandBraces(glob: string): string[] {
  const open = findBrace(glob);
  if (open === undefined) return [glob];
  const { start, end, parts } = open;
  const prefix = glob.slice(0, start);
  const suffix = glob.slice(end + 1);
  const out: string[] = [];
  for (const part of parts) {
    for (const expanded of expandBraces(prefix + part + suffix)) {
      out.push(expanded);
      if (out.length > MAX_ALTERNATIVES) {
        throw new GlobError(`braces expand to more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return out;
}

/** The first `{...}` group that has a top-level comma, with its comma-separated parts. */
function findBrace(glob: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = 0; start < glob.length; start++) {
    const c = glob.charAt(start);
    if (c === '\\') {
      start++;
      continue;
    }
    if (c !== '{') continue;
    const parts: string[] = [];
    let depth = 0;
    let from = start + 1;
    for (let i = start; i < glob.length; i++) {
      const d = glob.charAt(i);
      if (d === '\\') i++;
      else if (d === '{') depth++;
      else if (d === ',' && depth === 1) {
        parts.push(glob.slice(from, i));
        from = i + 1;
      } else if (d === '}' && --depth === 0) {
        if (parts.length === 0) {
          if (/^\{-?\d+\.\.-?\d+(\.\.\d+)?\}$|^\{[a-zA-Z]\.\.[a-zA-Z]\}$/.test(glob.slice(start, i + 1))) {
            throw new GlobError('ranges such as {1..3} are not supported; list the values, {1,2,3}');
          }
          break; // no comma: literal braces
        }
        parts.push(glob.slice(from, i));
        return { start, end: i, parts };
      }
    }
  }
  return undefined;
}
