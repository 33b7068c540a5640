/**
 * The npm package as users get it: `npm pack`, then `npm install -g --offline` of the tarball
 * into a fresh prefix with an empty npm cache (so nothing can come from the registry: dist/ must
 * be self-contained), then the installed `kustomize-sops-deploy` command on --version, a decrypt
 * and the README's demo build.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, toolsBin } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { fluxKeys, fluxSops } from '../support/fixtures.ts';

const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  dependencies?: Record<string, string>;
};

let work: string;
let packedFiles: string[];
let command: string;

/**
 * Only what a user's shell has: PATH with this test's Node first (the command's shebang is
 * `env node`), a HOME of its own, and no npm_config_* inherited from `npm test`.
 */
function userEnv(extraPath: readonly string[] = []): Record<string, string> {
  return {
    PATH: [...extraPath, path.dirname(process.execPath), process.env['PATH'] ?? ''].join(path.delimiter),
    HOME: path.join(work, 'home'),
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ksd-package-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    env: userEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(info !== undefined, packed.stdout);
  packedFiles = info.files.map((f) => f.path).sort();
  const prefix = path.join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '-g',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--prefix',
      prefix,
      path.join(work, info.filename),
    ],
    { env: userEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
  command = path.join(prefix, 'bin', 'kustomize-sops-deploy');
});

test('the tarball holds dist/, action.yml and the files users look for, nothing else', () => {
  const top = new Set(packedFiles.map((f) => (f.includes('/') ? `${f.split('/')[0] ?? ''}/` : f)));
  assert.deepEqual([...top].sort(), [...packageJson.files, 'package.json'].sort());
  for (const file of [
    'dist/bin.js',
    'dist/launch.cjs',
    'dist/cli.js',
    'dist/cli-decrypt.cjs',
    'dist/cli-encrypt.cjs',
    'dist/cli-lint.cjs',
    'dist/index.js',
    'dist/post.js',
  ]) {
    assert.ok(packedFiles.includes(file), `${file} is packed`);
  }
  assert.equal(packageJson.dependencies, undefined, 'dist/ is self-contained: no runtime dependencies');
});

test('the installed command prints the version', async () => {
  const { stdout } = await run(command, ['--version'], { env: userEnv() });
  assert.equal(stdout, `${packageJson.version}\n`);
});

test('the installed command decrypts an age file', async () => {
  const { stdout } = await run(
    command,
    ['decrypt', path.join(fluxSops, 'algorithms', 'age.yaml'), '--age-key-file', fluxKeys.age],
    { env: userEnv() },
  );
  assert.match(stdout, /^stringData:\n {4}key: value$/m);
  assert.doesNotMatch(stdout, /ENC\[/);
});

test("the installed command builds the README's demo", async () => {
  await requireComponent('cli-tools');
  const demo = path.join(repoRoot, 'examples', 'demo');
  const { stdout, stderr } = await run(
    command,
    [
      'build',
      path.join(demo, 'overlays', 'production'),
      '--age-key-file',
      path.join(demo, 'demo-age-key.txt'),
    ],
    { env: userEnv([toolsBin]), maxBuffer: 16 * 1024 * 1024 },
  );
  assert.match(stdout, /name: prod-db-credentials\n {2}namespace: production/);
  assert.match(stdout, /DB_PASSWORD: demo-password-not-secret/);
  assert.doesNotMatch(stdout, /ENC\[/);
  assert.match(stderr, /building with kustomize v\d/);
});
