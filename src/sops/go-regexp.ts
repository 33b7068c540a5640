/**
 * sops evaluates its regexes with Go's RE2 (`regexp.Match`, unanchored). JavaScript's engine
 * agrees on the syntax sops users write, except for a few spellings translated here. What
 * cannot be translated is reported rather than silently matched differently.
 */
import { UserError } from '../errors.ts';

const cache = new Map<string, RegExp>();

/** Compiles a Go RE2 pattern to an equivalent JS RegExp (cached). */
export function compileGoRegexp(pattern: string, where: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  let source = pattern;
  let flags = '';
  // A leading (?flags) group sets flags for the whole pattern in RE2; JS takes them as flags.
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading?.[1] !== undefined) {
    if (leading[1].includes('U')) {
      throw new UserError('UNSUPPORTED', `${where}: the RE2 flag U (ungreedy) is not supported`);
    }
    flags += leading[1];
    source = source.slice(leading[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, `${flags}u`);
  } catch {
    try {
      compiled = new RegExp(source, flags);
    } catch (cause) {
      throw new UserError('BAD_METADATA', `${where}: invalid regular expression`, { cause });
    }
  }
  cache.set(pattern, compiled);
  return compiled;
}
