/**
 * A diff too large for one pull-request comment, through the bundled Action: 3,000 changed
 * objects (built at a git ref and in the working tree, so no cluster is needed) give a sticky
 * comment under GitHub's 65,536-character limit that says how many objects it left out, a job
 * summary with more of them, and the full diff in `diff-file`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../env/doubles/github-api.ts';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runAction } from '../support/run-dist.ts';

const OWNER = 'octo';
const REPO = 'fleet';
const PR = 77;
const COUNT = 3000;
const COMMENT_LIMIT = 65_536;

let api: GithubApiDouble;
let repo: string;
let env: Record<string, string>;

function git(...args: string[]): void {
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    stdio: 'ignore',
  });
}

async function writeObjects(level: string): Promise<void> {
  const docs = Array.from(
    { length: COUNT },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${String(i).padStart(4, '0')}\n  namespace: apps\ndata:\n  level: ${level}\n  note: "${'x'.repeat(40)}"\n`,
  );
  await writeFile(path.join(repo, 'objects.yaml'), docs.join('---\n'));
}

before(async () => {
  await requireComponent('cli-tools');
  api = await GithubApiDouble.start();
  repo = await mkdtemp(path.join(tmpdir(), 'ksd-action-large-'));
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  await writeFile(path.join(repo, 'kustomization.yaml'), 'resources:\n  - objects.yaml\n');
  await writeObjects('before');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  await writeObjects('after');
  const temp = await mkdtemp(path.join(tmpdir(), 'ksd-action-large-temp-'));
  const eventPath = path.join(temp, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        state: 'open',
        head: { ref: 'feature', sha: 'c'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
        base: { ref: 'main', sha: 'd'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
      },
      repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
    }),
  );
  env = {
    PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: repo,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: api.url,
  };
});

after(async () => {
  await api.close();
});

test('3,000 changed objects: the comment stays under the limit and points to the rest', async () => {
  const result = await runAction(
    { command: 'diff', path: '.', against: 'main', 'github-token': DEFAULT_GITHUB_TOKEN },
    env,
  );
  assert.equal(result.code, 0, `${result.stdout.toString()}\n${result.stderr}`);

  const comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1);
  const body = String(comments[0]?.['body']);
  assert.ok(body.length <= COMMENT_LIMIT, `comment is ${String(body.length)} characters`);
  const shown = (body.match(/<details>/g) ?? []).length;
  assert.ok(shown > 0 && shown < COUNT, `${String(shown)} objects in the comment`);
  assert.match(body, new RegExp(`${String(COUNT - shown)} more objects are in the job summary`));
  // Whole objects only: every section that is opened is closed.
  assert.equal((body.match(/<\/details>/g) ?? []).length, shown);

  // Outputs are counts and a path, never the diff itself.
  assert.match(result.outputs, new RegExp(`^configured<<\\S+\\n${String(COUNT)}\\n`, 'm'));
  assert.ok(result.outputs.length < 4096, 'outputs stay small');
  const diffFile = /^diff-file<<(\S+)\n(.*)\n\1$/m.exec(result.outputs)?.[2];
  assert.ok(diffFile !== undefined, 'diff-file output is set');
  const full = await readFile(diffFile, 'utf8');
  assert.equal(full.match(/^\+ {2}level: after$/gm)?.length, COUNT, 'the diff file holds every object');
  assert.ok(result.summary.length > body.length, 'the job summary holds more than the comment');
});
