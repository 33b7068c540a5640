/**
 * YAML templates (`secret.yaml.j2`, `values.yaml.gotmpl`, `kustomization.yaml.bootstrap`):
 * files a tool renders into YAML later. A `.sops.yaml` rule written as `path_regex:
 * kubernetes/.*\.ya?ml` matches them too (sops's match is unanchored), and sops would encrypt
 * one whole, as binary. They are checked as YAML when they parse as YAML; when the template
 * syntax keeps them from parsing, line by line here: a `key: value` line whose key path the
 * rule would encrypt and whose value is a literal, not a template or a secret reference, is
 * the finding. Indentation gives each line's key path, so `stringData:` above a key counts.
 */
import type { Selection } from '../sops/metadata.ts';
import { shouldBeEncrypted } from '../sops/selection.ts';
import type { LocatedFinding } from './check-manifest.ts';
import { describeRuleMatch, type CreationRule } from './sops-config.ts';
import { finding } from './rules.ts';
import { isReferenceTag, isTemplate } from './template.ts';

/** `name.yaml.<ext>` or `name.yml.<ext>`: YAML a template engine writes. */
export function isYamlTemplateName(base: string): boolean {
  return /\.ya?ml\.[A-Za-z0-9_-]+$/i.test(base);
}

// A boolean is never a secret (talos's `apidCheckExtKeyUsage: true` under a rule selecting
// keys named like "key").
const BOOLEAN = /^(?:true|false)$/;

const KEY_LINE = /^(\s*)(?:-\s+)?(["']?)([^\s"':#][^"':#]*?)\2\s*:(?:\s+(.*))?$/;

/** The value of a line without its quotes and a trailing comment. */
function bareValue(raw: string): string {
  const text = raw.trim();
  const quoted = /^(["'])(.*)\1(?:\s+#.*)?$/.exec(text);
  if (quoted !== null) return quoted[2] ?? '';
  return text.replace(/\s+#.*$/, '');
}

/** The first `key: literal` line the rule would encrypt, as a finding; none when all are templates. */
export function checkTemplateLines(file: string, text: string, rule: CreationRule): LocatedFinding[] {
  const selection: Selection = rule.selection;
  const stack: { indent: number; key: string }[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    const match = KEY_LINE.exec(line);
    if (match === null) continue;
    const indent = (match[1] ?? '').length;
    const key = match[3] ?? '';
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const value = bareValue(match[4] ?? '');
    const path = [...stack.map((s) => s.key), key];
    if (value === '' || value === '|' || value === '>' || /^[|>][-+]?$/.test(value)) {
      stack.push({ indent, key });
      continue;
    }
    if (
      value.startsWith('ENC[') ||
      BOOLEAN.test(value) ||
      isReferenceTag(value) ||
      !shouldBeEncrypted(selection, path, [], false) ||
      isTemplate(value)
    ) {
      continue;
    }
    const regex = describeRuleMatch(rule);
    const column = indent + 1;
    return [
      {
        finding: finding(
          'creation-rule-unencrypted',
          { file, line: index + 1, column },
          `.sops.yaml creation rule ${rule.number} (${regex}) matches this template, and its key ${JSON.stringify(path.join('.'))} holds a literal value that the rule would encrypt`,
          `${line.slice(0, line.indexOf(':') + 1)} ***`,
        ),
        waivers: [],
      },
    ];
  }
  return [];
}
