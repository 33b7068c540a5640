/**
 * Suppressions: an annotation on the object (`kustomize-sops-deploy/lint-ignore: <rule>:
 * <reason>`) or an `ignore` entry in the lint config file. Every suppression carries a reason,
 * and the reason is printed next to the finding it waived, so a waiver is never silent.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { errorMessage, UserError } from '../errors.ts';
import { compilePathGlob, type PathGlob } from './path-glob.ts';
import { isRuleId, type Finding, type RuleId, type SuppressedFinding } from './rules.ts';

/** Waives `rules` (every rule when `'*'`) with a reason. */
export interface Waiver {
  readonly rules: readonly RuleId[] | '*';
  readonly reason: string;
}

/** A config file entry: waive `rule` for files matching the glob `path`. */
export interface IgnoreEntry {
  readonly rule: RuleId | '*';
  /** A glob relative to the config file's directory (`**` crosses directories). */
  readonly path: string;
  /** `path`, compiled (matched in linear time, see path-glob.ts). */
  readonly glob: PathGlob;
  readonly reason: string;
}

/** The lint config file (`.ksd-lint.yaml`). */
export interface LintFileConfig {
  /** Absolute directory that `ignore[].path` globs are relative to. */
  readonly baseDir: string;
  readonly ignore: readonly IgnoreEntry[];
}

const NO_REASON = '(no reason given)';

/** Parses `rule[,rule]: reason` (or `*: reason`); an unknown rule id is simply not waived. */
export function parseIgnoreAnnotation(value: string): Waiver[] {
  const match = /^\s*([A-Za-z*][\w*,\s-]*?)\s*(?::\s*([\s\S]*))?$/.exec(value);
  if (match?.[1] === undefined) return [];
  const reason = match[2]?.trim() || NO_REASON;
  const names = match[1].split(',').map((n) => n.trim());
  if (names.includes('*')) return [{ rules: '*', reason }];
  const rules = names.filter(isRuleId);
  return rules.length === 0 ? [] : [{ rules, reason }];
}

/** Parses a lint config file; `file` is its absolute path. */
export function parseLintConfig(text: string, file: string): LintFileConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (cause) {
    throw new UserError('USAGE', `${file}: not valid YAML`, { cause });
  }
  const list = (raw as { ignore?: unknown } | null)?.ignore ?? [];
  if (!Array.isArray(list)) throw new UserError('USAGE', `${file}: ignore should be a list`);
  const ignore = list.map((entry: unknown, i): IgnoreEntry => {
    const fields = (entry ?? {}) as Record<string, unknown>;
    const rule = fields['rule'] ?? '*';
    const glob = fields['path'] ?? '**';
    const reason = fields['reason'];
    const where = `${file}: ignore[${i}]`;
    if (typeof rule !== 'string' || (rule !== '*' && !isRuleId(rule))) {
      throw new UserError('USAGE', `${where}: rule is not a lint rule id`, {
        hint: 'use one of the ids printed with each finding, or *',
      });
    }
    if (typeof glob !== 'string') throw new UserError('USAGE', `${where}: path should be a glob string`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new UserError('USAGE', `${where}: needs a reason`, { hint: 'say why the finding is acceptable' });
    }
    let compiled: PathGlob;
    try {
      compiled = compilePathGlob(glob);
    } catch (cause) {
      throw new UserError(
        'USAGE',
        `${where}: path ${JSON.stringify(glob)} is not a usable glob: ${errorMessage(cause)}`,
        {
          cause,
          hint: 'use *, **, ?, [...] and {a,b}',
        },
      );
    }
    return { rule, path: glob, glob: compiled, reason: reason.trim() };
  });
  return { baseDir: path.dirname(file), ignore };
}

/** The reason a finding is waived, or undefined. `absolute` is the finding's file path. */
export function waiverReason(
  finding: Finding,
  absolute: string,
  waivers: readonly Waiver[],
  config: LintFileConfig | undefined,
): string | undefined {
  for (const waiver of waivers) {
    if (waiver.rules === '*' || waiver.rules.includes(finding.rule)) return waiver.reason;
  }
  if (config === undefined) return undefined;
  const relative = path.relative(config.baseDir, absolute).split(path.sep).join('/');
  for (const entry of config.ignore) {
    if ((entry.rule === '*' || entry.rule === finding.rule) && entry.glob.matches(relative)) {
      return entry.reason;
    }
  }
  return undefined;
}

/** The finding, marked as suppressed with its reason. */
export function suppressed(finding: Finding, reason: string): SuppressedFinding {
  return { ...finding, reason };
}
