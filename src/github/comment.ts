/**
 * The sticky pull-request comment: one per tag, found by a hidden marker, updated in place,
 * and kept under GitHub's 65,536-character limit by dropping whole sections from the end
 * (with a line saying how many more are in the job summary).
 */
import type { Octokit } from '@octokit/rest';

/** GitHub's limit on a comment body. We count UTF-16 units, which is never fewer than characters. */
export const COMMENT_LIMIT = 65_536;

export interface CommentSection {
  /** One line shown in the collapsed `<summary>`. */
  readonly title: string;
  /** The body, already masked; rendered inside a fenced block. */
  readonly body: string;
  /** The fence's language, e.g. `diff`. */
  readonly language?: string;
}

export interface StickyComment {
  /** Names the comment (e.g. the target path); one comment per tag and pull request. */
  readonly tag: string;
  /** Markdown shown first (the summary table). */
  readonly summary: string;
  readonly sections: readonly CommentSection[];
}

/** The hidden line that identifies our comment for a tag. */
export function commentMarker(tag: string): string {
  // `--` cannot appear inside an HTML comment; the tag is user text.
  return `<!-- kustomize-sops-deploy:${tag.replaceAll('--', '- -')} -->`;
}

function fence(body: string): string {
  // A fence longer than any backtick run inside the body, so the body cannot close it.
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function renderSection(section: CommentSection): string {
  const f = fence(section.body);
  const title = section.title.replaceAll('<', '&lt;');
  return `<details><summary>${title}</summary>\n\n${f}${section.language ?? ''}\n${section.body}\n${f}\n\n</details>\n`;
}

/**
 * Renders the comment, dropping whole sections from the end until it fits `limit`. A
 * section too large to fit at all is never cut mid-way (that could break the fence).
 */
export function renderStickyComment(comment: StickyComment, limit = COMMENT_LIMIT): string {
  const head = `${commentMarker(comment.tag)}\n${comment.summary}\n\n`;
  const rendered = comment.sections.map(renderSection);
  const more = (n: number): string =>
    n === 0 ? '' : `\n_${n} more ${n === 1 ? 'object is' : 'objects are'} in the job summary._\n`;
  let kept = rendered.length;
  const size = (k: number): number =>
    head.length +
    rendered.slice(0, k).reduce((sum, s) => sum + s.length, 0) +
    more(rendered.length - k).length;
  while (kept > 0 && size(kept) > limit) kept--;
  const body = head + rendered.slice(0, kept).join('') + more(rendered.length - kept);
  if (body.length > limit) {
    // Only a summary larger than the limit gets here; cut it, keeping the marker.
    return `${body.slice(0, limit - 40)}\n\n_(summary truncated)_\n`.slice(0, limit);
  }
  return body;
}

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly tag: string;
}

/**
 * Creates or updates the sticky comment; with `body === null` deletes it (a later push with
 * no changes). Returns what it did.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: CommentTarget,
  body: string | null,
): Promise<'created' | 'updated' | 'deleted' | 'unchanged'> {
  const marker = commentMarker(target.tag);
  const existing = (
    await octokit.paginate(octokit.rest.issues.listComments, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
    })
  ).filter((c) => c.body?.startsWith(marker) === true);
  const [first, ...duplicates] = existing;
  // Earlier runs that raced may have left more than one; keep only the first.
  for (const extra of duplicates) {
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: extra.id });
  }
  if (body === null) {
    if (first === undefined) return 'unchanged';
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: first.id });
    return 'deleted';
  }
  if (first === undefined) {
    await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    });
    return 'created';
  }
  if (first.body === body) return 'unchanged';
  await octokit.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: first.id,
    body,
  });
  return 'updated';
}
