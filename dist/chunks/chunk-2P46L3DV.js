import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  RULES
} from "./chunk-TMWNBOC7.js";

// src/lint/render.ts
var LINT_FORMATS = ["text", "json", "sarif", "github"];
var TOOL_URI = "https://github.com/kustomize-sops-deploy/kustomize-sops-deploy";
function plain(finding) {
  const { file, line, column, rule, severity, message, hint } = finding;
  return { file, line, column, rule, severity, message, hint };
}
function snippetLines(finding) {
  if (finding.snippet === void 0 || finding.snippet === "") return [];
  const gutter = String(finding.line);
  return [
    `  ${gutter} | ${finding.snippet}`,
    `  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, finding.column - 1))}^`
  ];
}
function renderText(result) {
  const out = [];
  for (const f of result.findings) {
    out.push(`${f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}] ${f.message}`, ...snippetLines(f));
    out.push(`  hint: ${f.hint}`, "");
  }
  for (const s of result.suppressed) {
    out.push(
      `${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message}`,
      `  reason: ${s.reason}`,
      ""
    );
  }
  const errors = result.findings.filter((f) => f.severity === "error").length;
  out.push(
    `${result.filesChecked} files checked: ${errors} ${errors === 1 ? "error" : "errors"}, ${result.findings.length - errors} warnings, ${result.suppressed.length} suppressed`
  );
  return `${out.join("\n")}
`;
}
function renderJson(result) {
  return `${JSON.stringify(
    {
      findings: result.findings.map(plain),
      suppressed: result.suppressed.map((s) => ({ ...plain(s), reason: s.reason }))
    },
    null,
    2
  )}
`;
}
function sarifResult(f, reason) {
  return {
    ruleId: f.rule,
    level: f.severity,
    message: { text: `${f.message}. ${f.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: "%SRCROOT%" },
          region: { startLine: f.line, startColumn: f.column }
        }
      }
    ],
    ...reason === void 0 ? {} : { suppressions: [{ kind: "external", justification: reason }] }
  };
}
function renderSarif(result) {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kustomize-sops-deploy lint",
            informationUri: TOOL_URI,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              help: { text: rule.hint },
              defaultConfiguration: { level: rule.severity }
            }))
          }
        },
        results: [
          ...result.findings.map((f) => sarifResult(f)),
          ...result.suppressed.map((s) => sarifResult(s, s.reason))
        ]
      }
    ]
  };
  return `${JSON.stringify(sarif, null, 2)}
`;
}
function escapeData(value) {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(value) {
  return escapeData(value).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
function renderGithub(result) {
  const out = result.findings.map(
    (f) => `::${f.severity} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(
      `lint: ${f.rule}`
    )}::${escapeData(`${f.message}. ${f.hint}`)}`
  );
  for (const s of result.suppressed) {
    out.push(`${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message} (reason: ${s.reason})`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}
`;
}
function renderFindings(result, format) {
  switch (format) {
    case "text":
      return renderText(result);
    case "json":
      return renderJson(result);
    case "sarif":
      return renderSarif(result);
    case "github":
      return renderGithub(result);
  }
}

export {
  LINT_FORMATS,
  renderSarif,
  renderFindings
};
