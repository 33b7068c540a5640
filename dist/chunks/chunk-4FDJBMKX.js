import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/github/comment.ts
var COMMENT_LIMIT = 65536;
function commentMarker(tag) {
  return `<!-- kustomize-sops-deploy:${tag.replaceAll("--", "- -")} -->`;
}
function fence(body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}
function renderSection(section) {
  const f = fence(section.body);
  const title = section.title.replaceAll("<", "&lt;");
  return `<details><summary>${title}</summary>

${f}${section.language ?? ""}
${section.body}
${f}

</details>
`;
}
function renderStickyComment(comment, limit = COMMENT_LIMIT) {
  const head = `${commentMarker(comment.tag)}
${comment.summary}

`;
  const rendered = comment.sections.map(renderSection);
  const more = (n) => n === 0 ? "" : `
_${n} more ${n === 1 ? "object is" : "objects are"} in the job summary._
`;
  let kept = rendered.length;
  const size = (k) => head.length + rendered.slice(0, k).reduce((sum, s) => sum + s.length, 0) + more(rendered.length - k).length;
  while (kept > 0 && size(kept) > limit) kept--;
  const body = head + rendered.slice(0, kept).join("") + more(rendered.length - kept);
  if (body.length > limit) {
    return `${body.slice(0, limit - 40)}

_(summary truncated)_
`.slice(0, limit);
  }
  return body;
}
async function upsertStickyComment(octokit, target, body) {
  const marker = commentMarker(target.tag);
  const existing = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  })).filter((c) => c.body?.startsWith(marker) === true);
  const [first, ...duplicates] = existing;
  for (const extra of duplicates) {
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: extra.id });
  }
  if (body === null) {
    if (first === void 0) return "unchanged";
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: first.id });
    return "deleted";
  }
  if (first === void 0) {
    await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body
    });
    return "created";
  }
  if (first.body === body) return "unchanged";
  await octokit.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: first.id,
    body
  });
  return "updated";
}

export {
  COMMENT_LIMIT,
  renderStickyComment,
  upsertStickyComment
};
