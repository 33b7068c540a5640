/**
 * Findings rendered for people and tools: caret snippets (text), a JSON document, SARIF 2.1.0
 * for code scanning, and GitHub workflow-command annotations. Snippets are the redacted lines
 * the rules built, so no renderer can print a value.
 */
import { RULES, type Finding, type SuppressedFinding } from './rules.ts';
import type { LintResult } from './lint.ts';

export type LintFormat = 'text' | 'json' | 'sarif' | 'github';

export const LINT_FORMATS: readonly LintFormat[] = ['text', 'json', 'sarif', 'github'];

const TOOL_URI = 'https://github.com/kustomize-sops-deploy/kustomize-sops-deploy';

function plain(finding: Finding): Record<string, unknown> {
  const { file, line, column, rule, severity, message, hint } = finding;
  return { file, line, column, rule, severity, message, hint };
}

function snippetLines(finding: Finding): string[] {
  if (finding.snippet === undefined || finding.snippet === '') return [];
  const gutter = String(finding.line);
  return [
    `  ${gutter} | ${finding.snippet}`,
    `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, finding.column - 1))}^`,
  ];
}

function renderText(result: LintResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    out.push(`${f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}] ${f.message}`, ...snippetLines(f));
    out.push(`  hint: ${f.hint}`, '');
  }
  for (const s of result.suppressed) {
    out.push(
      `${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message}`,
      `  reason: ${s.reason}`,
      '',
    );
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  out.push(
    `${result.filesChecked} files checked: ${errors} ${errors === 1 ? 'error' : 'errors'}, ` +
      `${result.findings.length - errors} warnings, ${result.suppressed.length} suppressed`,
  );
  return `${out.join('\n')}\n`;
}

function renderJson(result: LintResult): string {
  return `${JSON.stringify(
    {
      findings: result.findings.map(plain),
      suppressed: result.suppressed.map((s: SuppressedFinding) => ({ ...plain(s), reason: s.reason })),
    },
    null,
    2,
  )}\n`;
}

function sarifResult(f: Finding, reason?: string): Record<string, unknown> {
  return {
    ruleId: f.rule,
    level: f.severity,
    message: { text: `${f.message}. ${f.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    ...(reason === undefined ? {} : { suppressions: [{ kind: 'external', justification: reason }] }),
  };
}

/** SARIF 2.1.0, as GitHub code scanning takes it (suppressed findings carry `suppressions`). */
export function renderSarif(result: LintResult): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kustomize-sops-deploy lint',
            informationUri: TOOL_URI,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              help: { text: rule.hint },
              defaultConfiguration: { level: rule.severity },
            })),
          },
        },
        results: [
          ...result.findings.map((f) => sarifResult(f)),
          ...result.suppressed.map((s) => sarifResult(s, s.reason)),
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function renderGithub(result: LintResult): string {
  const out = result.findings.map(
    (f) =>
      `::${f.severity} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(
        `lint: ${f.rule}`,
      )}::${escapeData(`${f.message}. ${f.hint}`)}`,
  );
  for (const s of result.suppressed) {
    out.push(`${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message} (reason: ${s.reason})`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Renders a lint result in one of the formats. */
export function renderFindings(result: LintResult, format: LintFormat): string {
  switch (format) {
    case 'text':
      return renderText(result);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    case 'github':
      return renderGithub(result);
  }
}
