import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Octokit } from '@octokit/rest';
import {
  COMMENT_LIMIT,
  commentMarker,
  renderStickyComment,
  upsertStickyComment,
  type CommentSection,
} from '../../../src/github/comment.ts';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../../env/doubles/github-api.ts';

const section = (i: number, size: number): CommentSection => ({
  title: `Secret prod/db-${i} configured`,
  body: `-  password: *** (before)\n+  password: *** (after)\n${'x'.repeat(size)}`,
  language: 'diff',
});

describe('renderStickyComment', () => {
  test('small: every section, collapsed, after the summary, with the marker first', () => {
    const out = renderStickyComment({
      tag: 'clusters/prod',
      summary: '| kind | created |',
      sections: [section(1, 10)],
    });
    assert.ok(out.startsWith(commentMarker('clusters/prod')));
    assert.ok(out.indexOf('| kind |') < out.indexOf('<details>'));
    assert.match(out, /```diff\n/);
    assert.doesNotMatch(out, /more .* in the job summary/);
  });

  const cases: [string, number, number][] = [
    ['just over the limit', 10, 7_000],
    ['far over the limit', 500, 2_000],
    ['one huge section', 1, 200_000],
  ];
  for (const [name, count, size] of cases) {
    test(`stays under ${COMMENT_LIMIT}: ${name}`, () => {
      const sections = Array.from({ length: count }, (_, i) => section(i, size));
      const out = renderStickyComment({ tag: 't', summary: 'summary', sections });
      assert.ok(out.length <= COMMENT_LIMIT, `length ${out.length}`);
      const shown = (out.match(/<details>/g) ?? []).length;
      if (shown < count) assert.match(out, new RegExp(`${count - shown} more object`));
      assert.equal((out.match(/<\/details>/g) ?? []).length, shown, 'no section is cut in half');
    });
  }

  test('a body with backticks cannot close the fence', () => {
    const out = renderStickyComment({
      tag: 't',
      summary: 's',
      sections: [{ title: 'x', body: 'a ``` b ```` c' }],
    });
    assert.match(out, /`````\n/);
  });

  test('the tag cannot end the HTML comment early', () => {
    assert.doesNotMatch(commentMarker('a-->b').slice(4, -3), /-->/);
  });
});

describe('upsertStickyComment against the GitHub API double, with the real Octokit', () => {
  let api: GithubApiDouble;
  let octokit: Octokit;
  const target = { owner: 'o', repo: 'r', issueNumber: 7, tag: 'clusters/prod' };
  before(async () => {
    api = await GithubApiDouble.start();
    octokit = new Octokit({ auth: DEFAULT_GITHUB_TOKEN, baseUrl: api.url });
  });
  after(() => api.close());

  test('creates, then updates in place, leaves others alone, and deletes on no changes', async () => {
    api.seedComment('o', 'r', 7, 'an unrelated human comment');
    for (let i = 0; i < 120; i++) api.seedComment('o', 'r', 7, `filler ${i}`);
    const body1 = renderStickyComment({ tag: target.tag, summary: 'first', sections: [section(1, 5)] });
    assert.equal(await upsertStickyComment(octokit, target, body1), 'created');
    const body2 = renderStickyComment({ tag: target.tag, summary: 'second', sections: [section(2, 5)] });
    assert.equal(await upsertStickyComment(octokit, target, body2), 'updated');
    assert.equal(await upsertStickyComment(octokit, target, body2), 'unchanged');
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'o',
      repo: 'r',
      issue_number: 7,
    });
    const ours = all.filter((c) => c.body?.startsWith(commentMarker(target.tag)) === true);
    assert.equal(ours.length, 1);
    assert.equal(ours[0]!.body, body2);
    assert.equal(all.length, 122, 'other comments untouched');
    assert.equal(await upsertStickyComment(octokit, target, null), 'deleted');
    assert.equal(await upsertStickyComment(octokit, target, null), 'unchanged');
  });

  test('a comment at the limit is accepted by the API', async () => {
    const sections = Array.from({ length: 50 }, (_, i) => section(i, 3_000));
    const body = renderStickyComment({ tag: 'big', summary: 's', sections });
    assert.equal(await upsertStickyComment(octokit, { ...target, tag: 'big' }, body), 'created');
  });
});
