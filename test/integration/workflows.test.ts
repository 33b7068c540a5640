/**
 * The project's own workflows and the example workflows users copy (examples/workflows) cannot
 * run here, so they are checked the way GitHub would read them: actionlint (schema,
 * expressions, shell scripts via its own checks, action inputs of well-known actions), plus our
 * own check that every `with:` key given to the action itself (`uses: ./` in ours, `uses:
 * kustomize-sops-deploy/kustomize-sops-deploy@v1` in the examples) is an input that action.yml
 * declares. Also the Dependabot configuration and the Action's branding.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot, toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const run = promisify(execFile);
const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const examplesDir = path.join(repoRoot, 'examples', 'workflows');
/** How the examples use the action: the published major tag. */
const PUBLISHED = 'kustomize-sops-deploy/kustomize-sops-deploy@v1';

/** Runs actionlint; it exits 1 with one line per problem on stdout. */
async function actionlint(files: readonly string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(toolPath('actionlint'), ['-no-color', ...files], { cwd: repoRoot });
    return { code: 0, stdout };
  } catch (error: unknown) {
    const { code, stdout } = error as { code?: unknown; stdout?: unknown };
    if (typeof code !== 'number') throw error;
    return { code, stdout: typeof stdout === 'string' ? stdout : '' };
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

function workflowFiles(): string[] {
  return yamlFiles(workflowsDir);
}

function exampleFiles(): string[] {
  return yamlFiles(examplesDir);
}

interface Step {
  readonly uses?: unknown;
  readonly with?: unknown;
  readonly name?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every step of every job, with where it is, for messages. */
function stepsOf(file: string): { where: string; step: Step }[] {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  assert.ok(isRecord(doc) && isRecord(doc['jobs']), `${file}: no jobs map`);
  const found: { where: string; step: Step }[] = [];
  for (const [jobId, job] of Object.entries(doc['jobs'])) {
    assert.ok(isRecord(job) && Array.isArray(job['steps']), `${file}: job ${jobId} has no steps`);
    (job['steps'] as unknown[]).forEach((step, i) => {
      assert.ok(isRecord(step), `${file}: job ${jobId} step ${String(i)} is not a map`);
      found.push({ where: `${path.basename(file)} ${jobId}[${String(i)}]`, step });
    });
  }
  return found;
}

test('the workflows are what the issue asks for', () => {
  const files = workflowFiles().map((f) => path.basename(f));
  assert.deepEqual(files, ['check-dist.yml', 'ci.yml', 'release.yml']);
  const ci = stepsOf(path.join(workflowsDir, 'ci.yml'));
  const ownCommands = ci
    .filter(({ step }) => step.uses === './')
    .map(({ step }) => (isRecord(step.with) ? step.with['command'] : undefined));
  assert.deepEqual(ownCommands, ['lint', 'build', 'apply', 'diff']);
  assert.ok(
    ci.some(({ step }) => typeof step.uses === 'string' && step.uses.startsWith('helm/kind-action@')),
  );
  const dist = stepsOf(path.join(workflowsDir, 'check-dist.yml'));
  const runs = dist.map(({ step }) => (step as { run?: unknown }).run).filter((r) => typeof r === 'string');
  assert.ok(runs.some((r) => r.includes('npm ci')));
  assert.ok(runs.some((r) => r.includes('npm run bundle')));
  assert.ok(runs.some((r) => r.includes('git diff --text --exit-code -- dist/')));
});

test('release.yml: on a vX.Y.Z tag, checks dist/ is fresh, creates the release, moves vX', () => {
  const release: unknown = parse(readFileSync(path.join(workflowsDir, 'release.yml'), 'utf8'));
  assert.ok(isRecord(release) && isRecord(release['on']));
  assert.deepEqual(release['on'], { push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
  const runs = stepsOf(path.join(workflowsDir, 'release.yml'))
    .map(({ step }) => (step as { run?: unknown }).run)
    .filter((r) => typeof r === 'string');
  const all = runs.join('\n');
  assert.match(all, /npm run bundle/);
  assert.match(all, /npm run notices/);
  assert.match(all, /git status --porcelain -- dist THIRD_PARTY_NOTICES/);
  assert.match(all, /gh release create "\$TAG"/);
  assert.match(all, /major="\$\{TAG%%\.\*\}"/);
  assert.match(all, /git push --force origin "refs\/tags\/\$major"/);
  assert.match(all, /CHANGELOG\.md/);
});

test("release.yml's version step passes the real CHANGELOG.md and refuses a heading without a date", async () => {
  const step = stepsOf(path.join(workflowsDir, 'release.yml')).find(
    ({ step }) => step.name === 'The tag, package.json and CHANGELOG.md name the same version',
  );
  const script = (step?.step as { run?: unknown } | undefined)?.run;
  assert.equal(typeof script, 'string', 'the version step');
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const real = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
  const heading = `## [${version}] - `;
  assert.ok(real.includes(heading), 'the CHANGELOG has a section for the package version');
  const cases: { name: string; changelog: string; passes: boolean }[] = [
    { name: 'the real CHANGELOG.md', changelog: real, passes: true },
    {
      name: 'a DATE placeholder',
      changelog: real.replace(/^(## \[[^\]]+\] - ).*$/m, '$1DATE'),
      passes: false,
    },
    { name: 'no date', changelog: real.replace(/^(## \[[^\]]+\]) - .*$/m, '$1'), passes: false },
    {
      name: 'another version that matches only with . as a wildcard',
      changelog: real.replaceAll(heading, `## [${version.replaceAll('.', 'x')}] - `),
      passes: false,
    },
  ];
  for (const c of cases) {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-release-'));
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ version }));
    await writeFile(path.join(dir, 'CHANGELOG.md'), c.changelog);
    const code = await run('bash', ['-e', '-c', script as string], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', TAG: `v${version}` },
    }).then(
      () => 0,
      (error: unknown) => (error as { code?: number }).code ?? -1,
    );
    assert.equal(code, c.passes ? 0 : 1, c.name);
  }
});

test('the example workflows: deploy on push, PR diff, lint with SARIF, fleet matrix', () => {
  const examples = new Map(exampleFiles().map((f) => [path.basename(f), stepsOf(f)]));
  assert.deepEqual([...examples.keys()], ['deploy.yml', 'fleet.yml', 'lint.yml', 'pr-diff.yml']);
  const commands = (name: string): unknown[] =>
    (examples.get(name) ?? [])
      .filter(({ step }) => step.uses === PUBLISHED)
      .map(({ step }) => (isRecord(step.with) ? step.with['command'] : undefined));
  assert.deepEqual(commands('deploy.yml'), ['apply']);
  assert.deepEqual(commands('pr-diff.yml'), ['diff']);
  assert.deepEqual(commands('lint.yml'), ['lint']);
  assert.deepEqual(commands('fleet.yml'), ['apply']);
  const lint = examples.get('lint.yml') ?? [];
  assert.ok(
    lint.some(
      ({ step }) =>
        typeof step.uses === 'string' && step.uses.startsWith('github/codeql-action/upload-sarif@'),
    ),
    'lint.yml uploads its SARIF',
  );
  const fleet: unknown = parse(readFileSync(path.join(examplesDir, 'fleet.yml'), 'utf8'));
  assert.match(JSON.stringify(fleet), /"matrix":/);
});

test('dependabot updates npm and github-actions', () => {
  const config: unknown = parse(readFileSync(path.join(repoRoot, '.github', 'dependabot.yml'), 'utf8'));
  assert.ok(isRecord(config) && Array.isArray(config['updates']));
  const ecosystems = (config['updates'] as unknown[]).map((u) =>
    isRecord(u) ? u['package-ecosystem'] : undefined,
  );
  assert.deepEqual(ecosystems.sort(), ['github-actions', 'npm']);
});

test("the Action's branding is its own, not google-github-actions/auth's (lock, blue)", () => {
  const action: unknown = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8'));
  assert.ok(isRecord(action) && isRecord(action['branding']));
  const { icon, color } = action['branding'];
  assert.equal(typeof icon, 'string');
  assert.notDeepEqual({ icon, color }, { icon: 'lock', color: 'blue' });
});

test('every with: key passed to the action (./ or the published tag) is an input of action.yml', () => {
  const action: unknown = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8'));
  assert.ok(isRecord(action) && isRecord(action['inputs']), 'action.yml has no inputs map');
  const inputs = new Set(Object.keys(action['inputs']));
  let checked = 0;
  for (const file of [...workflowFiles(), ...exampleFiles()]) {
    for (const { where, step } of stepsOf(file)) {
      if (step.uses !== './' && step.uses !== PUBLISHED) continue;
      assert.ok(isRecord(step.with), `${where}: uses the action without with:`);
      for (const key of Object.keys(step.with)) {
        assert.ok(inputs.has(key), `${where}: with: ${key} is not an input of action.yml`);
        checked++;
      }
    }
  }
  assert.ok(checked > 0, 'no step uses the action itself');
});

test('actionlint finds nothing in the workflows and the examples', async () => {
  await requireComponent('actionlint');
  const files = [...workflowFiles(), ...exampleFiles()];
  assert.ok(files.some((f) => f.endsWith('release.yml')) && exampleFiles().length >= 4);
  const result = await actionlint(files);
  assert.equal(result.code, 0, result.stdout);
});

test('actionlint does report a broken workflow (the check can fail)', async () => {
  await requireComponent('actionlint');
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-actionlint-'));
  const file = path.join(dir, 'broken.yml');
  await writeFile(
    file,
    'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
  );
  const result = await actionlint([file]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /nope/);
});
