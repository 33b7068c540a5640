/**
 * The GitHub REST API double answers the issue-comment calls as GitHub does: pagination with
 * Link headers, create/update/delete, the 422 for an over-long body, 401s, and it records
 * every call. The header-level checks use fetch; the last block drives the double with the
 * real Octokit client (including `octokit.paginate`), as product code will.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Octokit } from '@octokit/rest';
import { GithubApiDouble, MAX_COMMENT_CHARACTERS } from '../env/doubles/github-api.ts';
import { requireComponent } from '../env/state.ts';

const OWNER = 'octo-org';
const REPO = 'octo-repo';

describe('github-api component', () => {
  let info: Readonly<Record<string, string>>;
  before(async () => {
    info = await requireComponent('github-api');
  });

  function api(
    path: string,
    init: { method?: string; body?: unknown; auth?: string | null } = {},
  ): Promise<Response> {
    const auth = init.auth === undefined ? `token ${info['token']}` : init.auth;
    return fetch(`${info['url']}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/vnd.github+json',
        ...(auth === null ? {} : { authorization: auth }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }

  it('creates, lists page by page following Link headers, updates and deletes comments', async () => {
    const issue = 101;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api(`/repos/${OWNER}/${REPO}/issues/${issue}/comments`, {
        method: 'POST',
        body: { body: `comment ${i}` },
      });
      assert.equal(res.status, 201);
      const created = (await res.json()) as {
        id: number;
        body: string;
        user: { login: string; type: string };
        url: string;
      };
      assert.equal(created.body, `comment ${i}`);
      assert.equal(created.user.login, 'github-actions[bot]');
      assert.equal(created.user.type, 'Bot');
      assert.equal(res.headers.get('location'), created.url);
      ids.push(created.id);
    }

    const first = await api(`/repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=2`);
    const base = `${info['url']}/repos/${OWNER}/${REPO}/issues/${issue}/comments`;
    assert.equal(
      first.headers.get('link'),
      `<${base}?per_page=2&page=2>; rel="next", <${base}?per_page=2&page=3>; rel="last"`,
    );
    const middle = await api(`/repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=2&page=2`);
    assert.equal(
      middle.headers.get('link'),
      `<${base}?per_page=2&page=1>; rel="prev", <${base}?per_page=2&page=3>; rel="next", <${base}?per_page=2&page=3>; rel="last", <${base}?per_page=2&page=1>; rel="first"`,
    );

    // What Octokit's paginate does: follow rel="next" until there is none.
    const bodies: string[] = [];
    let next: string | undefined = `/repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=2`;
    while (next !== undefined) {
      const res = await api(next);
      bodies.push(...((await res.json()) as { body: string }[]).map((c) => c.body));
      const match = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '');
      next = match?.[1]?.slice(info['url']?.length);
    }
    assert.deepEqual(bodies, ['comment 0', 'comment 1', 'comment 2', 'comment 3', 'comment 4']);

    const patched = await api(`/repos/${OWNER}/${REPO}/issues/comments/${ids[2]}`, {
      method: 'PATCH',
      body: { body: 'edited' },
    });
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { body: string }).body, 'edited');

    const deleted = await api(`/repos/${OWNER}/${REPO}/issues/comments/${ids[0]}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');
    assert.equal((await api(`/repos/${OWNER}/${REPO}/issues/comments/${ids[0]}`)).status, 404);

    const all = (await (
      await api(`/repos/${OWNER}/${REPO}/issues/${issue}/comments?per_page=100`)
    ).json()) as { body: string }[];
    assert.deepEqual(
      all.map((c) => c.body),
      ['comment 1', 'edited', 'comment 3', 'comment 4'],
    );
  });

  const sizes = [
    { name: 'exactly the limit', body: 'x'.repeat(MAX_COMMENT_CHARACTERS), status: 201 },
    {
      name: 'the limit in astral characters (counted as characters, not UTF-16 units)',
      body: '😀'.repeat(MAX_COMMENT_CHARACTERS),
      status: 201,
    },
    { name: 'one character over the limit', body: 'x'.repeat(MAX_COMMENT_CHARACTERS + 1), status: 422 },
  ];
  for (const { name, body, status } of sizes) {
    it(`answers ${status} to a comment body of ${name}`, async () => {
      const res = await api(`/repos/${OWNER}/${REPO}/issues/102/comments`, {
        method: 'POST',
        body: { body },
      });
      assert.equal(res.status, status);
      if (status === 422) {
        assert.deepEqual(await res.json(), {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
          documentation_url: 'https://docs.github.com/rest/issues/comments',
          status: '422',
        });
      }
    });
  }

  it('accepts `token X` and `Bearer X`, and answers 401 without or with a wrong token', async () => {
    const path = `/repos/${OWNER}/${REPO}/issues/103/comments`;
    assert.equal((await api(path, { auth: `Bearer ${info['token']}` })).status, 200);
    const none = await api(path, { auth: null });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { message: string }).message, 'Requires authentication');
    const wrong = await api(path, { auth: 'token ghs_wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { message: string }).message, 'Bad credentials');
  });

  it('records each call with method, path and body', async () => {
    await api(`/repos/${OWNER}/${REPO}/issues/104/comments`, { method: 'POST', body: { body: 'recorded' } });
    const requests = (await (await fetch(info['requestsUrl'] ?? '')).json()) as {
      method: string;
      path: string;
      body: unknown;
      user?: string;
    }[];
    assert.ok(
      requests.some(
        (r) =>
          r.method === 'POST' &&
          r.path === `/repos/${OWNER}/${REPO}/issues/104/comments` &&
          r.user === 'github-actions[bot]' &&
          JSON.stringify(r.body) === '{"body":"recorded"}',
      ),
    );
  });
});

describe('GithubApiDouble in process', () => {
  let double: GithubApiDouble;
  before(async () => {
    double = await GithubApiDouble.start({ tokens: { t1: 'someone' } });
  });
  after(() => double.close());

  it('serves seeded comments from other users and resets', async () => {
    double.seedComment('o', 'r', 1, 'from a human', 'octocat');
    const res = await fetch(`${double.url}/repos/o/r/issues/1/comments`, {
      headers: { authorization: 'Bearer t1' },
    });
    const [comment] = (await res.json()) as { body: string; user: { login: string; type: string } }[];
    assert.equal(comment?.body, 'from a human');
    assert.equal(comment.user.login, 'octocat');
    assert.equal(comment.user.type, 'User');
    assert.equal(double.requests.length, 1);
    double.reset();
    assert.deepEqual(double.comments('o', 'r', 1), []);
    assert.deepEqual(double.requests, []);
  });
});

describe('github-api component with the real Octokit client', () => {
  it('creates, paginates, updates and deletes, and surfaces the 422 for a too-long body', async () => {
    const info = await requireComponent('github-api');
    const octokit = new Octokit({ auth: info['token']!, baseUrl: info['url']! });
    const issue = { owner: OWNER, repo: REPO, issue_number: 4242 };
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push((await octokit.rest.issues.createComment({ ...issue, body: `octokit ${i}` })).data);
    }
    const listed = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 3 });
    assert.deepEqual(
      listed.map((c) => c.body),
      created.map((c) => c.body),
    );
    const first = created[0]!;
    await octokit.rest.issues.updateComment({
      owner: OWNER,
      repo: REPO,
      comment_id: first.id,
      body: 'edited',
    });
    await octokit.rest.issues.deleteComment({ owner: OWNER, repo: REPO, comment_id: created[1]!.id });
    const after = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
    assert.equal(after.length, 6);
    assert.equal(after[0]!.body, 'edited');
    await assert.rejects(
      octokit.rest.issues.createComment({ ...issue, body: 'x'.repeat(MAX_COMMENT_CHARACTERS + 1) }),
      (error: unknown) => (error as { status?: number }).status === 422,
    );
  });
});
