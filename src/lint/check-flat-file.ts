/**
 * dotenv, INI and binary files: the same sops rules as manifests (`sops-structure`,
 * `unencrypted-value`, `creation-rule-unencrypted`), with lines found by key, since these
 * stores keep no positions.
 */
import { UserError } from '../errors.ts';
import { storeFor } from '../sops/formats.ts';
import type { Selection } from '../sops/metadata.ts';
import { shouldBeEncrypted } from '../sops/selection.ts';
import { isComment, type Branch, type Format, type LoadedFile } from '../sops/tree.ts';
import type { LocatedFinding } from './check-manifest.ts';
import { isTemplate } from './template.ts';
import { finding, type RuleId } from './rules.ts';
import { checkMetadata, encProblem } from './sops-checks.ts';
import { describeRuleMatch, type CreationRule } from './sops-config.ts';

export interface FlatFileInput {
  readonly file: string;
  readonly text: string;
  readonly format: Exclude<Format, 'yaml' | 'json'>;
  readonly creationRule: CreationRule | undefined;
}

/** Patterns that match every path: a binary file under such a rule is no evidence of intent. */
const MATCH_ALL = new Set(['.*', '^.*$', '.+', '^.+$', '.*$', '^.*']);

interface Line {
  readonly number: number;
  readonly text: string;
}

function lineOfKey(
  lines: readonly Line[],
  format: FlatFileInput['format'],
  section: string | undefined,
  key: string,
): Line {
  if (format === 'dotenv') return lines.find((l) => l.text.startsWith(`${key}=`)) ?? { number: 1, text: '' };
  let inSection = section === undefined;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed.startsWith('[')) inSection = trimmed === `[${section ?? ''}]`;
    else if (inSection && new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`).test(trimmed))
      return line;
  }
  return { number: 1, text: '' };
}

function redact(line: Line): string {
  const eq = line.text.indexOf('=');
  return eq === -1 ? line.text : `${line.text.slice(0, eq + 1)}***`;
}

/** Leaves of a flat store: dotenv is one map, INI is sections of maps. */
function leaves(branches: readonly Branch[], format: FlatFileInput['format']) {
  const out: { path: string[]; section: string | undefined; key: string; value: string }[] = [];
  for (const branch of branches) {
    for (const item of branch.items) {
      if (isComment(item)) continue;
      if (format === 'ini' && item.value.kind === 'map') {
        for (const inner of item.value.items) {
          if (isComment(inner) || inner.value.kind !== 'str') continue;
          out.push({
            path: [item.key, inner.key],
            section: item.key,
            key: inner.key,
            value: inner.value.value,
          });
        }
      } else if (item.value.kind === 'str') {
        out.push({ path: [item.key], section: undefined, key: item.key, value: item.value.value });
      }
    }
  }
  return out;
}

/** A dotenv or INI value without the quotes the stores keep (`A="${X}"` is still a template). */
function unquoted(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/** Runs the sops rules on one dotenv, INI or binary file. */
export function checkFlatFile(input: FlatFileInput): LocatedFinding[] {
  const out: LocatedFinding[] = [];
  const lines = input.text.split('\n').map((text, i) => ({ number: i + 1, text: text.replace(/\r$/, '') }));
  const add = (rule: RuleId, line: Line, message: string, snippet = redact(line)): void => {
    const column = format === 'ini' ? line.text.length - line.text.trimStart().length + 1 : 1;
    out.push({
      finding: finding(rule, { file: input.file, line: line.number, column }, message, snippet),
      waivers: [],
    });
  };
  const format = input.format;
  const store = storeFor(format);
  let loaded: LoadedFile | undefined;
  try {
    loaded = store.loadEncrypted(input.text);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    loaded = undefined;
  }
  if (loaded?.metadata != null) {
    const { metadata, problems } = checkMetadata(loaded.metadata);
    const sopsLine =
      format === 'dotenv'
        ? (lines.find((l) => l.text.startsWith('sops_')) ?? lines[0])
        : (lines.find((l) => /^\s*(\[sops\]|"sops"\s*:)/.test(l.text)) ?? lines[0]);
    for (const problem of problems)
      add('sops-structure', sopsLine ?? { number: 1, text: '' }, problem.message, '');
    if (metadata !== undefined && format !== 'binary') {
      checkLeaves(metadata.selection, true);
    }
    return out;
  }
  const rule = input.creationRule;
  if (rule === undefined) return out;
  if (format === 'binary') {
    if (rule.pathRegex === undefined || MATCH_ALL.has(rule.pathRegex) || input.text.trim() === '') return out;
    add(
      'creation-rule-unencrypted',
      { number: 1, text: '' },
      `.sops.yaml creation rule ${rule.number} (path_regex ${JSON.stringify(rule.pathRegex)}) matches this file, but it is not encrypted`,
      '',
    );
    return out;
  }
  checkLeaves(rule.selection, false);
  return out;

  function checkLeaves(selection: Selection, encryptedFile: boolean): void {
    let branches: readonly Branch[];
    try {
      branches = encryptedFile ? (loaded?.branches ?? []) : store.loadPlain(input.text);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return;
    }
    for (const leaf of leaves(branches, format)) {
      const line = lineOfKey(lines, format, leaf.section, leaf.key);
      if (leaf.value.startsWith('ENC[')) {
        const problem = encProblem(leaf.value);
        if (problem !== undefined)
          add('sops-structure', line, `key ${JSON.stringify(leaf.path.join('.'))}: ${problem}`);
        continue;
      }
      if (leaf.value === '' || !shouldBeEncrypted(selection, leaf.path, [], false)) continue;
      if (encryptedFile) {
        add(
          'unencrypted-value',
          line,
          `key ${JSON.stringify(leaf.path.join('.'))} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`,
        );
      } else if (!isTemplate(unquoted(leaf.value)) && rule !== undefined) {
        const regex = describeRuleMatch(rule);
        add(
          'creation-rule-unencrypted',
          line,
          `.sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${JSON.stringify(leaf.path.join('.'))} would be)`,
        );
        return;
      }
    }
  }
}
