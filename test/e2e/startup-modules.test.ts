/**
 * The lint gate and an age-only decrypt must not pay for what they do not use: no cloud SDK,
 * no Kubernetes client, no OpenPGP and no Octokit chunk may be loaded on those paths, and no
 * other command's code (each command's run is its own chunk, loaded when the command runs). The
 * bundled CLI and Action run as users run them, with `--import` of a tiny hook (written to a
 * temp folder) that records every module URL node resolves and writes the list at exit.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../env/paths.ts';
import { runAction, runCli } from '../support/run-dist.ts';

/**
 * Chunks that only the paths that need them may load, by esbuild chunk name: `config` is the
 * Kubernetes client, `dist-src` Octokit, `pgp` openpgp, `age-library` age-encryption, the rest
 * the KMS and Vault key sources.
 */
const HEAVY = [
  'config',
  'dist-src',
  'pgp',
  'aws-kms',
  'aws-oidc',
  'gcp-kms',
  'azure-kv',
  'vault',
  // age-encryption: only post-quantum and SSH identities need it.
  'age-library',
];

/**
 * The code behind each command, by chunk name: a command's run (commands/X-run.ts), the
 * rendered lint check, the Kubernetes client module (kube/client.ts) and the Action's diff
 * report. Only the command they belong to may load them; what they import (kube/, flux/,
 * kustomize/, helm/) is reachable only through them.
 */
const COMMAND_CHUNKS = [
  'decrypt-run',
  'encrypt-run',
  'lint-run',
  'lint-rendered',
  'build-run',
  'diff-run',
  'apply-run',
  'client',
  'publish-diff',
];

const chunksDir = path.join(repoRoot, 'dist', 'chunks');
const demoKey = path.join(repoRoot, 'examples', 'demo', 'demo-age-key.txt');
const demoSecret = path.join(repoRoot, 'examples', 'demo', 'base', 'secret.enc.yaml');

// registerHooks runs in the loading thread, so the list can be kept in memory and written once.
const HOOK = `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.KSD_MODULE_LOG, [...seen].join('\\n') + '\\n'));
`;

interface Traced {
  readonly env: Record<string, string>;
  /** The dist chunk names (without the hash) that the run loaded. */
  loadedChunks(): Promise<string[]>;
  /** Every file of dist/ that the run loaded. */
  loadedFiles(): Promise<string[]>;
}

async function traced(): Promise<Traced> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-startup-modules-'));
  const hook = path.join(dir, 'record-modules.mjs');
  const log = path.join(dir, 'modules.txt');
  await writeFile(hook, HOOK);
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, KSD_MODULE_LOG: log },
    async loadedChunks() {
      const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      const prefix = pathToFileURL(chunksDir).href + '/';
      return urls
        .filter((u) => u.startsWith(prefix))
        .map((u) => u.slice(prefix.length).replace(/-[A-Z0-9]+\.js$/, ''))
        .sort();
    },
    async loadedFiles() {
      const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      const dist = pathToFileURL(path.join(repoRoot, 'dist')).href + '/';
      return urls.filter((u) => u.startsWith(dist)).map((u) => fileURLToPath(u));
    },
  };
}

function heavyIn(chunks: readonly string[]): string[] {
  return chunks.filter((c) => HEAVY.includes(c));
}

async function lintWorkspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-startup-lint-'));
  await mkdir(path.join(dir, 'apps'));
  await writeFile(
    path.join(dir, 'apps', 'web.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: fast\n',
  );
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

test('every chunk the test forbids still exists in dist (a rename would make it vacuous)', () => {
  const names = new Set(readdirSync(chunksDir).map((f) => f.replace(/-[A-Z0-9]+\.js(\.LEGAL\.txt)?$/, '')));
  for (const heavy of [...HEAVY, ...COMMAND_CHUNKS]) {
    assert.ok(names.has(heavy), `dist/chunks has no ${heavy}-*.js`);
  }
});

const cases: {
  name: string;
  /** The one command chunk this path loads. */
  own: string;
  run: (env: Record<string, string>) => Promise<{ code: number; stderr: string }>;
}[] = [
  {
    name: 'Action lint',
    own: 'lint-run',
    run: async (env) =>
      runAction({ command: 'lint', path: 'apps' }, { ...env, GITHUB_WORKSPACE: await lintWorkspace() }),
  },
  {
    name: 'CLI lint',
    own: 'lint-run',
    run: async (env) => runCli(['lint', path.join(await lintWorkspace(), 'apps')], env),
  },
  {
    name: 'CLI decrypt with an age key',
    own: 'decrypt-run',
    run: (env) => runCli(['decrypt', demoSecret, '--age-key-file', demoKey], env),
  },
  {
    name: 'Action decrypt with an age key',
    own: 'decrypt-run',
    run: async (env) => {
      const out = path.join(await mkdtemp(path.join(tmpdir(), 'ksd-startup-out-')), 'plain.yaml');
      return runAction(
        { command: 'decrypt', file: demoSecret, 'age-key-file': demoKey, output: out },
        { ...env, GITHUB_WORKSPACE: repoRoot },
      );
    },
  },
];

for (const c of cases) {
  test(`${c.name} loads no cloud SDK, Kubernetes client, openpgp or Octokit chunk`, async () => {
    const trace = await traced();
    const result = await c.run(trace.env);
    assert.equal(result.code, 0, result.stderr);
    const chunks = await trace.loadedChunks();
    // The shared chunk is always loaded; seeing it proves the hook recorded this run.
    assert.ok(chunks.includes('chunk'), `no dist chunk recorded: ${chunks.join(', ')}`);
    assert.deepEqual(heavyIn(chunks), []);
  });

  test(`${c.name} loads its own command's code and no other command's`, async () => {
    const trace = await traced();
    const result = await c.run(trace.env);
    assert.equal(result.code, 0, result.stderr);
    const loaded = (await trace.loadedChunks()).filter((chunk) => COMMAND_CHUNKS.includes(chunk));
    assert.deepEqual(loaded, [c.own]);
  });
}

test('the trace does see a heavy chunk when a path needs it (diff loads the Kubernetes client)', async () => {
  const trace = await traced();
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-startup-diff-'));
  const manifests = path.join(dir, 'manifests.yaml');
  await writeFile(
    manifests,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n',
  );
  const result = await runCli(
    ['diff', '--manifests', manifests, '--kubeconfig', path.join(dir, 'missing-kubeconfig')],
    trace.env,
  );
  assert.equal(result.code, 2);
  assert.ok(heavyIn(await trace.loadedChunks()).includes('config'));
});

test('the Action lint path loads no undici (scripts/bundle-shims: @actions/http-client is never called)', async () => {
  const trace = await traced();
  const result = await runAction(
    { command: 'lint', path: 'apps' },
    { ...trace.env, GITHUB_WORKSPACE: await lintWorkspace() },
  );
  assert.equal(result.code, 0, result.stderr);
  // undici's error codes; the Kubernetes client's chunk still carries undici, so the marker is real.
  const marker = 'UND_ERR_';
  const all = readdirSync(chunksDir).filter((f) => f.endsWith('.js'));
  assert.ok(all.some((f) => readFileSync(path.join(chunksDir, f), 'utf8').includes(marker)));
  const loaded = await trace.loadedFiles();
  assert.ok(loaded.length > 0);
  for (const file of loaded) assert.ok(!readFileSync(file, 'utf8').includes(marker), `${file} has undici`);
});
