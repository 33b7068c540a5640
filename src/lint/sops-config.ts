/**
 * `.sops.yaml` creation rules, matched as the sops CLI matches them (format §9): in order,
 * the first match wins, a rule without `path_regex` matches everything, and `path_regex` is an
 * unanchored RE2 match against the path relative to the config file's directory.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.ts';
import { compileGoRegexp } from '../sops/go-regexp.ts';
import type { Selection } from '../sops/metadata.ts';

export interface CreationRule {
  /** 1-based position in `creation_rules`, for messages. */
  readonly number: number;
  /** Undefined for a catch-all rule. */
  readonly pathRegex: string | undefined;
  readonly selection: Selection;
}

export interface SopsConfig {
  /** Absolute path of the `.sops.yaml`. */
  readonly file: string;
  readonly rules: readonly CreationRule[];
}

const SELECTION_KINDS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;

/** Parses a `.sops.yaml`; `file` is its absolute path (for messages and path stripping). */
export function parseSopsConfig(text: string, file: string): SopsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (cause) {
    throw new UserError('BAD_FORMAT', `${file}: not valid YAML`, { cause });
  }
  const list = (raw as { creation_rules?: unknown } | null)?.creation_rules;
  if (list === undefined || list === null) return { file, rules: [] };
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
    if (pathRegex !== undefined) compileGoRegexp(pathRegex, `${file}: creation rule ${i + 1} path_regex`);
    return {
      number: i + 1,
      pathRegex,
      selection: selected[0] ?? { kind: 'unencrypted_suffix', value: '_unencrypted' },
    };
  });
  return { file, rules };
}

/** The first rule that matches `absolutePath`, with sops's path normalisation. */
export function matchCreationRule(config: SopsConfig, absolutePath: string): CreationRule | undefined {
  const dir = path.dirname(config.file) + path.sep;
  const candidate = absolutePath.startsWith(dir) ? absolutePath.slice(dir.length) : absolutePath;
  return config.rules.find(
    (rule) => rule.pathRegex === undefined || compileGoRegexp(rule.pathRegex, 'path_regex').test(candidate),
  );
}
