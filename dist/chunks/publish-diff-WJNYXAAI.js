import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  renderDiffText
} from "./chunk-Y2J76AZD.js";
import "./chunk-CPLJPDMS.js";
import "./chunk-6NT2VJT7.js";
import "./chunk-5WQA4ROS.js";
import {
  COMMENT_LIMIT,
  renderStickyComment
} from "./chunk-4FDJBMKX.js";
import {
  describeRef
} from "./chunk-3WBQCS5Z.js";
import "./chunk-RQJPFRTZ.js";
import "./chunk-3MPY26GB.js";
import "./chunk-6PYYST35.js";
import {
  writePrivateFile
} from "./chunk-BPZOFAO5.js";
import "./chunk-3HBK5V5F.js";
import "./chunk-3VWYDLH3.js";
import {
  errorMessage
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/github/publish-diff.ts
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";

// src/github/diff-report.ts
var SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;
var COLUMNS = ["created", "configured", "deleted", "unchanged"];
var EXTRA = ["unknown", "skipped", "failed"];
var SHOWN = /* @__PURE__ */ new Set(["created", "configured", "deleted", "unknown", "failed"]);
function cell(text) {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;");
}
function renderDiffTable(report) {
  const columns = [...COLUMNS, ...EXTRA.filter((c) => report.counts[c] > 0)];
  const title = report.grouping?.title ?? "Kind";
  const byKind = /* @__PURE__ */ new Map();
  for (const entry of report.objects) {
    const kind = report.grouping === void 0 ? entry.ref.kind : entry.group ?? "(none)";
    const row = byKind.get(kind) ?? {
      created: 0,
      configured: 0,
      deleted: 0,
      unchanged: 0,
      unknown: 0,
      skipped: 0,
      failed: 0
    };
    row[entry.class]++;
    byKind.set(kind, row);
  }
  const lines = [`| ${title} | ${columns.join(" | ")} |`, `|---|${columns.map(() => "--:|").join("")}`];
  for (const [kind, row] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| ${cell(kind)} | ${columns.map((c) => String(row[c])).join(" | ")} |`);
  }
  lines.push(`| **Total** | ${columns.map((c) => `**${report.counts[c]}**`).join(" | ")} |`);
  return lines.join("\n");
}
function headline(report, title) {
  const c = report.counts;
  const unrendered = report.unrendered?.length ?? 0;
  const what = report.changed ? `${c.created} to create, ${c.configured} to configure, ${c.deleted} to delete` : unrendered > 0 ? "no changes in what could be rendered" : report.undecrypted === void 0 ? "no changes" : "no changes in what could be decrypted";
  const unknown = c.unknown + unrendered;
  const notes = [
    ...c.failed > 0 ? [`${c.failed} failed`] : [],
    ...unknown > 0 ? [`${unknown} unknown`] : []
  ];
  return `### ${cell(title)}: ${what}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}
function code(text) {
  return `\`${text.replaceAll("`", "'")}\``;
}
function renderUndecryptedMarkdown(note) {
  const n = note.files.length;
  const shown = note.files.slice(0, 20).map(code).join(", ");
  const more = n > 20 ? ` and ${n - 20} more` : "";
  return `> [!NOTE]
> ${n} SOPS ${n === 1 ? "file was" : "files were"} not decrypted in this run: ${cell(note.why)}. Their values show as \`(encrypted; not decrypted in this run)\` and are not compared. Set \`require-decryption: true\` to fail instead.
> Files: ${shown}${more}`;
}
function groupChanges(report) {
  const grouping = report.grouping;
  if (grouping === void 0) return "";
  const line = (what, names) => names.length === 0 ? "" : `

**${grouping.title}s ${what}:** ${names.map(code).join(", ")}`;
  return `${line("added", grouping.added)}${line("removed", grouping.removed)}`;
}
function renderUnknownMarkdown(unknown) {
  const lines = unknown.slice(0, 20).map((u) => `> - ${code(u.name)}: ${cell(u.reason)}`);
  const more = unknown.length > 20 ? [`> - and ${unknown.length - 20} more`] : [];
  return [
    `> [!WARNING]
> ${unknown.length} not rendered, so what they would change is unknown:`,
    ...lines,
    ...more
  ].join("\n");
}
function top(report, title) {
  const note = report.undecrypted === void 0 ? "" : `

${renderUndecryptedMarkdown(report.undecrypted)}`;
  const unrendered = report.unrendered === void 0 || report.unrendered.length === 0 ? "" : `

${renderUnknownMarkdown(report.unrendered)}`;
  return `${headline(report, title)}${note}${unrendered}${groupChanges(report)}

${renderDiffTable(report)}`;
}
function sectionOf(entry) {
  const reason = entry.reason === void 0 ? "" : ` (${entry.reason})`;
  return {
    title: `${entry.class}: ${describeRef(entry.ref)}${entry.group === void 0 ? "" : ` in ${entry.group}`}${reason}`,
    body: entry.diff !== "" ? entry.diff.replace(/\n$/, "") : entry.class === "unknown" ? "no change in what could be compared; its values were not decrypted in this run, so whether it changes is unknown" : entry.reason ?? entry.class,
    language: entry.diff === "" ? "" : "diff"
  };
}
function sections(report) {
  return report.objects.filter((e) => SHOWN.has(e.class)).map(sectionOf);
}
function renderDiffComment(report, tag, limit = COMMENT_LIMIT) {
  const certain = report.counts.failed === 0 && report.counts.unknown === 0 && report.undecrypted === void 0 && (report.unrendered?.length ?? 0) === 0;
  if (!report.changed && certain) return null;
  return renderStickyComment(
    {
      tag,
      summary: top(report, `kustomize-sops-deploy diff ${tag}`),
      sections: sections(report)
    },
    limit
  );
}
function fence(body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}
function renderDiffSummary(report, tag, budget = SUMMARY_BUDGET, restIn = "the diff-file output") {
  const head = `${top(report, `diff ${tag}`)}

`;
  const parts = [head];
  let used = Buffer.byteLength(head);
  const all = sections(report);
  let shown = 0;
  for (const section of all) {
    const f = fence(section.body);
    const text = `<details><summary>${cell(section.title)}</summary>

${f}${section.language ?? ""}
${section.body}
${f}

</details>

`;
    const bytes = Buffer.byteLength(text);
    if (used + bytes > budget - 200) break;
    parts.push(text);
    used += bytes;
    shown++;
  }
  const rest = all.length - shown;
  if (rest > 0) parts.push(`_${rest} more ${rest === 1 ? "object is" : "objects are"} in ${restIn}._
`);
  return parts.join("");
}
function diffOutputs(report) {
  const c = report.counts;
  return {
    changed: String(c.created + c.configured + c.deleted),
    created: String(c.created),
    configured: String(c.configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    unknown: String(c.unknown),
    "has-changes": String(report.changed)
  };
}

// src/github/publish-diff.ts
async function publishDiff(host, { report, tag, file: reportFile }, options) {
  for (const [name, value] of Object.entries(diffOutputs(report))) host.setOutput(name, value);
  const file = reportFile ?? path.join(options.tempDir ?? tmpdir(), `diff-${randomBytes(6).toString("hex")}.txt`);
  await writePrivateFile(file, renderDiffText(report));
  host.setOutput("diff-file", file);
  host.appendSummary(renderDiffSummary(report, tag));
  if (options.commenter === void 0) return;
  try {
    const result = await options.commenter(tag, (final) => renderDiffComment(report, final));
    if (result !== "skipped") host.info(`pull request comment ${tag}: ${result}`);
  } catch (error) {
    host.warning(`could not update the pull request comment: ${errorMessage(error)}`);
  }
}
export {
  publishDiff
};
