/**
 * `.sops.yaml` creation rules, matched as the sops CLI matches them (format §9): in order,
 * the first match wins, a rule without `path_regex` matches everything, and `path_regex` is an
 * unanchored RE2 match against the path relative to the config file's directory.
 *
 * A regex Go cannot compile is a problem of this file (reported by lint as a finding on it),
 * not an error that stops the run: sops ignores the compile error of `regexp.MatchString`, so
 * such a rule never matches, and this port does the same.
 */
import { SELECTION_KINDS, type Selection } from '../sops/metadata.ts';
import { creationRulePath } from '../sops/creation-rule.ts';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { errorMessage, UserError } from '../errors.ts';
import { compileGoRegexp } from '../sops/go-regexp.ts';

export interface CreationRule {
  /** 1-based position in `creation_rules`, for messages. */
  readonly number: number;
  /** Undefined for a catch-all rule. */
  readonly pathRegex: string | undefined;
  readonly selection: Selection;
}

/** How a message names a creation rule's match: `path_regex "…"`, or a catch-all rule. */
export function describeRuleMatch(rule: CreationRule): string {
  return rule.pathRegex === undefined ? 'a catch-all rule' : `path_regex ${JSON.stringify(rule.pathRegex)}`;
}

/** A regex of a creation rule that does not compile, at its place in the file. */
export interface SopsConfigProblem {
  readonly line: number;
  readonly column: number;
  /** Names the rule, the field and the pattern; no file name (the finding carries it). */
  readonly message: string;
}

export interface SopsConfig {
  /** Absolute path of the `.sops.yaml`. */
  readonly file: string;
  readonly rules: readonly CreationRule[];
  /** Numbers of the rules with a regex that does not compile; they never match. */
  readonly brokenRules: ReadonlySet<number>;
  readonly problems: readonly SopsConfigProblem[];
}

/** Parses a `.sops.yaml`; `file` is its absolute path (for messages and path stripping). */
export function parseSopsConfig(text: string, file: string): SopsConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new UserError('BAD_FORMAT', `${file}: not valid YAML`, { cause: doc.errors[0] });
  }
  const raw: unknown = doc.toJS();
  const brokenRules = new Set<number>();
  const problems: SopsConfigProblem[] = [];
  /** Records a regex that does not compile, at the line of its value. */
  const checkRegex = (pattern: string, i: number, field: string): void => {
    try {
      compileGoRegexp(pattern, `creation rule ${i + 1} ${field}`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      brokenRules.add(i + 1);
      const rules = doc.get('creation_rules', true);
      const rule = isSeq(rules) ? rules.get(i, true) : undefined;
      const node = isMap(rule) ? rule.get(field, true) : undefined;
      const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
      const { line, col } = lines.linePos(offset);
      problems.push({ line, column: col, message: errorMessage(error) });
    }
  };
  const list = (raw as { creation_rules?: unknown } | null)?.creation_rules;
  if (list === undefined || list === null) return { file, rules: [], brokenRules, problems };
  if (!Array.isArray(list)) throw new UserError('BAD_FORMAT', `${file}: creation_rules should be a list`);
  const rules = list.map((entry: unknown, i): CreationRule => {
    const fields = (entry ?? {}) as Record<string, unknown>;
    const regex = fields['path_regex'];
    const selected = SELECTION_KINDS.flatMap((kind) => {
      const value = fields[kind];
      return typeof value === 'string' && value !== '' ? [{ kind, value }] : [];
    });
    if (selected.length > 1) {
      throw new UserError(
        'BAD_FORMAT',
        `${file}: creation rule ${i + 1} sets more than one of ${selected.map((s) => s.kind).join(', ')}`,
      );
    }
    const pathRegex = typeof regex === 'string' && regex !== '' ? regex : undefined;
    if (pathRegex !== undefined) checkRegex(pathRegex, i, 'path_regex');
    const only = selected[0];
    if (only?.kind.endsWith('_regex') === true) checkRegex(only.value, i, only.kind);
    return {
      number: i + 1,
      pathRegex,
      selection: selected[0] ?? { kind: 'unencrypted_suffix', value: '_unencrypted' },
    };
  });
  return { file, rules, brokenRules, problems };
}

/**
 * The first rule that matches `absolutePath`, with sops's path normalisation. A rule whose
 * path_regex does not compile never matches (as in sops); one whose selection regex does not
 * compile matches but is not returned, since what it would encrypt is unknown (the config's
 * own problem already fails the lint).
 */
export function matchCreationRule(config: SopsConfig, absolutePath: string): CreationRule | undefined {
  const candidate = creationRulePath(config.file, absolutePath);
  const rule = config.rules.find((r) => r.pathRegex === undefined || pathMatches(r.pathRegex, candidate));
  return rule === undefined || config.brokenRules.has(rule.number) ? undefined : rule;
}

function pathMatches(pattern: string, candidate: string): boolean {
  try {
    return compileGoRegexp(pattern, 'path_regex').test(candidate);
  } catch {
    return false; // sops ignores regexp.MatchString's error; the problem is reported on the config
  }
}
