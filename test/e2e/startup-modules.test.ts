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
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../env/paths.ts';
import { runAction, runCli, runCliModule } from '../support/run-dist.ts';

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
process.on('exit', () => {
  writeFileSync(process.env.KSD_MODULE_LOG, [...seen].join('\\n') + '\\n');
  writeFileSync(process.env.KSD_BUILTIN_LOG, process.moduleLoadList.join('\\n') + '\\n');
});
`;

interface Traced {
  readonly env: Record<string, string>;
  /** The dist chunk names (without the hash) that the run loaded. */
  loadedChunks(): Promise<string[]>;
  /** Every file of dist/ that the run loaded. */
  loadedFiles(): Promise<string[]>;
  /** The Node.js built-in modules the process had loaded when it exited (`node:crypto`...). */
  loadedBuiltins(): Promise<string[]>;
}

async function traced(): Promise<Traced> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-startup-modules-'));
  const hook = path.join(dir, 'record-modules.mjs');
  const log = path.join(dir, 'modules.txt');
  const builtins = path.join(dir, 'builtins.txt');
  await writeFile(hook, HOOK);
  return {
    env: {
      NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`,
      KSD_MODULE_LOG: log,
      KSD_BUILTIN_LOG: builtins,
    },
    async loadedBuiltins() {
      return (await readFile(builtins, 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('NativeModule '))
        .map((line) => `node:${line.slice('NativeModule '.length)}`);
    },
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
    run: async (env) => runCliModule(['lint', path.join(await lintWorkspace(), 'apps')], env),
  },
  {
    name: 'CLI decrypt with an age key',
    own: 'decrypt-run',
    run: (env) => runCliModule(['decrypt', demoSecret, '--age-key-file', demoKey], env),
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
  const result = await runCliModule(
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

describe('the installed command (dist/bin.js): decrypt, encrypt and lint from one file each', () => {
  const SINGLE_FILE = ['decrypt', 'encrypt', 'lint'];
  const RUNS = ['apply', 'build', 'decrypt', 'diff', 'encrypt', 'lint'];

  test("each single-file bundle leaves out the other commands' runs and the Kubernetes client", () => {
    for (const command of SINGLE_FILE) {
      const source = readFileSync(path.join(repoRoot, 'dist', `cli-${command}.cjs`), 'utf8');
      const leftOut = (module: string): boolean =>
        source.includes(`internal error: ${module} is not in dist/cli-${command}.cjs`);
      for (const run of RUNS) {
        assert.equal(leftOut(`src/commands/${run}-run.ts`), run !== command, `${command}: ${run}-run`);
      }
      assert.ok(leftOut('src/kube/client.ts'), `${command}: kube/client`);
      // lint --fix encrypts: what lint-fix.ts imports itself stays, only encrypt's command entry is left out.
      if (command === 'lint')
        assert.ok(source.includes('async function runEncrypt('), 'lint --fix has runEncrypt');
    }
  });

  const cases: {
    name: string;
    args: () => Promise<string[]>;
    /** Built-ins that this path must not load. */
    unused: string[];
  }[] = [
    {
      name: 'an age decrypt loads no node:child_process (nothing to start)',
      args: () => Promise.resolve(['decrypt', demoSecret, '--age-key-file', demoKey]),
      unused: ['node:child_process', 'node:net', 'node:dns/promises'],
    },
    {
      name: 'a lint loads no node:crypto and no node:dns/promises (nothing to decrypt or resolve)',
      args: async () => ['lint', path.join(await lintWorkspace(), 'apps')],
      unused: ['node:crypto', 'node:dns/promises'],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const trace = await traced();
      const xdg = await mkdtemp(path.join(tmpdir(), 'ksd-startup-xdg-'));
      // Twice: the first run writes the code cache, the second runs from it.
      for (let run = 0; run < 2; run++) {
        const result = await runCli(await c.args(), { ...trace.env, XDG_CACHE_HOME: xdg });
        assert.equal(result.code, 0, result.stderr);
        const builtins = await trace.loadedBuiltins();
        // The run went through the single file: no chunk of dist/ was loaded as a module.
        assert.deepEqual(await trace.loadedChunks(), []);
        assert.ok(builtins.includes('node:vm'), 'the single file ran through node:vm');
        for (const unused of c.unused) assert.ok(!builtins.includes(unused), `${unused} was loaded`);
      }
    });
  }
});
