/**
 * The example workflows users copy (examples/workflows), run through the bundled action as the
 * runner would run their steps: the `with:` of the step that uses the action is taken from the
 * file (its `${{ }}` expressions filled in, and action.yml's defaults added, as the runner does),
 * and what the following steps rely on is checked: pr-diff's `has-changes` and `changed`
 * outputs and its sticky comment, on the real apiserver and the GitHub API double; lint's SARIF
 * file where the upload step looks for it, with the plaintext Secret's finding in it.
 * test/integration/workflows.test.ts checks the same files with actionlint.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_GITHUB_TOKEN, GithubApiDouble } from '../env/doubles/github-api.ts';
import { repoRoot, toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runAction, withoutMaskCommands, type ActionResult } from '../support/run-dist.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const PUBLISHED = 'kustomize-sops-deploy/kustomize-sops-deploy@v1';
const OWNER = 'octo';
const REPO = 'examples';
const PR = 5151;

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
  readonly env?: Record<string, unknown>;
}

/** The steps of the example's only job. */
async function stepsOf(example: string): Promise<Step[]> {
  const doc = parse(await readFile(path.join(repoRoot, 'examples', 'workflows', example), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const jobs = Object.values(doc.jobs);
  assert.equal(jobs.length, 1, `${example} has one job`);
  return jobs[0]?.steps ?? [];
}

/**
 * The inputs the runner would give the action: the step's `with:`, each `${{ expr }}` replaced
 * from `context` (an expression this test does not know fails it, so a changed example is
 * noticed), plus action.yml's defaults for inputs the step does not set.
 */
async function inputsOf(step: Step, context: Record<string, string>): Promise<Record<string, string>> {
  const fill = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      const value = context[expr];
      assert.ok(value !== undefined, `the example uses \${{ ${expr} }}, which this test does not fill in`);
      return value;
    });
  const action = parse(await readFile(path.join(repoRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string | number | boolean }>;
  };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default !== undefined) inputs[name] = fill(String(spec.default));
  }
  for (const [name, value] of Object.entries(step.with ?? {})) inputs[name] = fill(String(value));
  return inputs;
}

function outputsOf(result: ActionResult): Map<string, string> {
  // The runner's file format: name<<DELIMITER\nvalue\nDELIMITER
  const map = new Map<string, string>();
  for (const m of result.outputs.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    map.set(m[1] ?? '', m[3] ?? '');
  return map;
}

let api: GithubApiDouble;

before(async () => {
  api = await GithubApiDouble.start();
});

after(async () => {
  await api.close();
});

test('pr-diff.yml: the diff step comments on the pull request and sets the outputs the next step reads', async () => {
  const kube = await requireComponent('kube');
  await requireComponent('cli-tools');
  const steps = await stepsOf('pr-diff.yml');
  const index = steps.findIndex((s) => s.uses === PUBLISHED);
  const step = steps[index];
  assert.ok(step !== undefined, 'a step uses the action');
  assert.ok(steps.slice(0, index).some((s) => s.uses?.startsWith('actions/checkout@') === true));
  // The next step runs on this step's outputs, by its id.
  const notice = steps[index + 1];
  assert.equal(notice?.if, `\${{ steps.${step.id ?? ''}.outputs.has-changes == 'true' }}`);
  assert.deepEqual(notice.env, { CHANGED: `\${{ steps.${step.id ?? ''}.outputs.changed }}` });

  const key = await newAgeKey();
  const canary = `canary-example-pr-diff-${process.pid}`;
  const ns = `ksd-example-${process.pid}`;
  const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-example-pr-diff-'));
  const target = path.join(workspace, String(step.with?.['path']));
  await mkdir(target, { recursive: true });
  const secret = await sopsEncrypt(
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\nstringData:\n  password: ${canary}\n`,
    'secret.enc.yaml',
    ['--age', key.recipient],
  );
  await writeFile(path.join(target, 'secret.enc.yaml'), await readFile(secret));
  await writeFile(
    path.join(target, 'ns.yaml'),
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  );
  await writeFile(
    path.join(target, 'cm.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  level: one\n`,
  );
  await writeFile(
    path.join(target, 'kustomization.yaml'),
    'resources:\n  - ns.yaml\n  - cm.yaml\n  - secret.enc.yaml\n',
  );
  execFileSync('git', ['init', '-q', workspace]);

  const temp = await mkdtemp(path.join(tmpdir(), 'ksd-example-temp-'));
  const eventPath = path.join(temp, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'opened',
      number: PR,
      pull_request: {
        number: PR,
        state: 'open',
        head: { ref: 'feature', sha: 'a'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
      },
      repository: { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } },
    }),
  );
  const inputs = await inputsOf(step, {
    'secrets.KUBECONFIG_DIFF': await readFile(kube['kubeconfig'] ?? '', 'utf8'),
    'secrets.SOPS_AGE_KEY': key.identity,
    'github.token': DEFAULT_GITHUB_TOKEN,
  });
  const result = await runAction(inputs, {
    PATH: `${path.dirname(toolPath('kustomize'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: api.url,
  });
  assert.equal(result.code, 0, `${result.stdout.toString()}\n${result.stderr}`);
  const outputs = outputsOf(result);
  assert.equal(outputs.get('has-changes'), 'true');
  assert.equal(outputs.get('changed'), '3', 'the Namespace, the ConfigMap and the Secret would be created');
  const comments = api.comments(OWNER, REPO, PR);
  assert.equal(comments.length, 1, 'one sticky comment');
  assert.match(String(comments[0]?.['body']), /ConfigMap/);
  assert.match(result.summary, /\| ConfigMap \|/);
  for (const text of [
    withoutMaskCommands(result.stdout.toString()),
    result.stderr,
    result.outputs,
    result.summary,
    String(comments[0]?.['body']),
  ]) {
    assert.ok(!text.includes(canary) && !text.includes(key.identity), 'no secret on any channel');
  }
});

test('lint.yml: the lint step fails on a plaintext Secret and leaves the SARIF where the upload step looks', async () => {
  const steps = await stepsOf('lint.yml');
  const index = steps.findIndex((s) => s.uses === PUBLISHED);
  const step = steps[index];
  assert.ok(step !== undefined, 'a step uses the action');
  const upload = steps[index + 1];
  assert.ok(upload?.uses?.startsWith('github/codeql-action/upload-sarif@') === true, 'the next step uploads');
  // The upload runs also after a failed lint, when the file is there.
  assert.match(upload.if ?? '', /!cancelled\(\)/);

  for (const plaintext of [true, false]) {
    const workspace = await mkdtemp(path.join(tmpdir(), 'ksd-example-lint-'));
    await mkdir(path.join(workspace, 'apps'));
    await writeFile(
      path.join(workspace, 'apps', 'db.yaml'),
      plaintext
        ? 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: canary-example-lint\n'
        : 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  level: one\n',
    );
    execFileSync('git', ['init', '-q', workspace]);
    const temp = await mkdtemp(path.join(tmpdir(), 'ksd-example-temp-'));
    const context = { 'runner.temp': temp, 'github.token': DEFAULT_GITHUB_TOKEN };
    const inputs = await inputsOf(step, context);
    const result = await runAction(inputs, { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp });
    assert.equal(result.code, plaintext ? 1 : 0, `${result.stdout.toString()}\n${result.stderr}`);
    // Where the upload step reads it: its sarif_file, with the same expressions filled in.
    const uploadInputs = await inputsOf({ with: upload.with ?? {} }, context);
    const sarifFile: string = uploadInputs['sarif_file'] ?? '';
    assert.equal(sarifFile, inputs['sarif-file']);
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    if (!plaintext) {
      assert.deepEqual(results, []);
      continue;
    }
    assert.deepEqual(
      results.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.artifactLocation.uri]),
      [['plaintext-secret', 'apps/db.yaml']],
    );
    assert.ok(!withoutMaskCommands(result.stdout.toString()).includes('canary-example-lint'));
  }
});
