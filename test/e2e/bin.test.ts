/**
 * The installed command, dist/bin.js (package.json `bin`): it refuses a Node.js older than
 * `engines` with one line, runs the CLI on the oldest supported one, and keeps the CLI's
 * streams and exit codes: --version and --help are output (stdout, 0), usage errors go to
 * stderr with 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { fluxKeys, fluxSops } from '../support/fixtures.ts';

const bin = path.join(repoRoot, 'dist', 'bin.js');
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  bin: Record<string, string>;
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBin(node: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

test('package.json bin is dist/bin.js and engines is the floor bin.js checks', () => {
  assert.deepEqual(packageJson.bin, { 'kustomize-sops-deploy': 'dist/bin.js' });
  assert.equal(packageJson.engines.node, '>=22.17');
  const source = readFileSync(bin, 'utf8');
  assert.ok(source.startsWith('#!/usr/bin/env node\n'), 'bin.js starts with a node shebang');
  assert.doesNotMatch(source, /^\s*import\s/m, 'bin.js has no static imports');
});

test('on Node.js 20 the command prints one line and exits 2', async () => {
  const { old } = await requireComponent('node-versions');
  const result = await runBin(old!, ['--version']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    /^kustomize-sops-deploy needs Node\.js 22\.17 or later \(this is v20\.\d+\.\d+\)\n$/,
  );
});

test('on the oldest supported Node.js the command runs: --version and an age decrypt', async () => {
  const { floor } = await requireComponent('node-versions');
  const version = await runBin(floor!, ['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `${packageJson.version}\n`);
  const decrypted = await runBin(floor!, [
    'decrypt',
    path.join(fluxSops, 'algorithms', 'age.yaml'),
    '--age-key-file',
    fluxKeys.age,
  ]);
  assert.equal(decrypted.code, 0, decrypted.stderr);
  assert.match(decrypted.stdout, /^stringData:\n {4}key: value$/m);
});

describe('streams and exit codes (on the Node.js running the tests)', () => {
  const cases: readonly {
    name: string;
    args: readonly string[];
    code: number;
    stdout: RegExp;
    stderr: RegExp;
  }[] = [
    { name: '--version', args: ['--version'], code: 0, stdout: /^\d+\.\d+\.\d+\n$/, stderr: /^$/ },
    { name: '--help', args: ['--help'], code: 0, stdout: /^usage:\n[\s\S]*--version/, stderr: /^$/ },
    { name: 'a command --help', args: ['lint', '--help'], code: 0, stdout: /^usage:\n/, stderr: /^$/ },
    { name: 'no command', args: [], code: 2, stdout: /^$/, stderr: /^usage:\n/ },
    {
      name: 'an unknown command',
      args: ['bogus'],
      code: 2,
      stdout: /^$/,
      stderr: /^error: unknown command "bogus"/,
    },
    { name: 'an unknown flag', args: ['decrypt', '--nope'], code: 2, stdout: /^$/, stderr: /--nope/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const result = await runBin(process.execPath, c.args);
      assert.equal(result.code, c.code, result.stderr);
      assert.match(result.stdout, c.stdout);
      assert.match(result.stderr, c.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    });
  }
  test('--version is the package version', async () => {
    assert.equal((await runBin(process.execPath, ['--version'])).stdout, `${packageJson.version}\n`);
  });
});

test('bin.js turns on the compile cache before it loads the CLI, so cli.js itself is cached', async () => {
  const xdg = await mkdtemp(path.join(tmpdir(), 'ksd-bin-cc-'));
  try {
    const child = spawn(process.execPath, [bin, '--version'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', XDG_CACHE_HOME: xdg },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const uid = process.getuid?.() ?? 0;
    const cache = path.join(xdg, `kustomize-sops-deploy-compile-cache-${uid}`);
    // Node keeps one folder per version and a file per compiled module: cli.js must be one.
    const entries = (await readdir(cache, { recursive: true })).map(String);
    assert.ok(entries.length > 2, `the cache holds the CLI's modules: ${entries.join(', ')}`);
  } finally {
    await rm(xdg, { recursive: true, force: true });
  }
});

describe('decrypt, encrypt and lint run from single files with a code cache (src/launch.ts)', () => {
  const demoSecret = path.join(repoRoot, 'examples', 'demo', 'base', 'secret.enc.yaml');
  const demoKey = path.join(repoRoot, 'examples', 'demo', 'demo-age-key.txt');
  const plaintext = 'demo-password-not-secret';
  const uid = process.getuid?.() ?? 0;

  const runWith = (env: Record<string, string>, args: readonly string[]): Promise<Run> =>
    runBin(process.execPath, args, env);

  async function cacheEntries(xdg: string): Promise<string[]> {
    const dir = path.join(xdg, `kustomize-sops-deploy-compile-cache-${uid}`);
    try {
      return (await readdir(dir)).filter((f) => f.endsWith('.v8cache')).map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  }

  const decrypt = ['decrypt', demoSecret, '--age-key-file', demoKey];

  test('the first run writes a private cache entry, later runs use it and print the same', async () => {
    const xdg = await mkdtemp(path.join(tmpdir(), 'ksd-bin-v8-'));
    const esm = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...decrypt], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.on('error', reject);
      child.on('close', () => resolve(Buffer.concat(out).toString()));
    });
    assert.match(esm, new RegExp(plaintext));

    const first = await runWith({ XDG_CACHE_HOME: xdg }, decrypt);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, esm, 'the single file prints what dist/cli.js prints');
    const [entry, ...more] = await cacheEntries(xdg);
    assert.ok(entry !== undefined && more.length === 0, 'one cache entry');
    assert.match(
      path.basename(entry),
      /^cli-decrypt\.cjs-[0-9a-f]{8}-\d+-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8cache$/,
    );
    const before = await stat(entry);
    assert.equal(before.mode & 0o777, 0o600);

    const second = await runWith({ XDG_CACHE_HOME: xdg }, decrypt);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, esm);
    const after = await stat(entry);
    assert.deepEqual(
      [after.ino, after.mtimeMs],
      [before.ino, before.mtimeMs],
      'a valid entry is not written again',
    );

    // The cache is compiled code only: the run's decrypted value is in none of its forms.
    const cache = await readFile(entry);
    for (const form of [
      Buffer.from(plaintext),
      Buffer.from(plaintext, 'utf16le'),
      Buffer.from(Buffer.from(plaintext).toString('base64')),
    ]) {
      assert.equal(cache.indexOf(form), -1, 'the decrypted value is not in the cache');
    }
  });

  test('a damaged cache entry is replaced and the command still runs', async () => {
    const xdg = await mkdtemp(path.join(tmpdir(), 'ksd-bin-v8-'));
    assert.equal((await runWith({ XDG_CACHE_HOME: xdg }, ['lint', '--help'])).code, 0);
    const lintDir = path.join(repoRoot, 'examples', 'demo');
    const first = await runWith({ XDG_CACHE_HOME: xdg }, ['lint', lintDir]);
    const [entry] = await cacheEntries(xdg);
    assert.ok(entry !== undefined, 'lint wrote an entry');
    const garbage = Buffer.alloc(4096, 0x5a);
    await writeFile(entry, garbage);
    const again = await runWith({ XDG_CACHE_HOME: xdg }, ['lint', lintDir]);
    assert.equal(again.code, first.code, again.stderr);
    assert.equal(again.stdout, first.stdout);
    assert.equal(again.stderr, first.stderr);
    assert.notDeepEqual(await readFile(entry), garbage, 'V8 rejected the entry and it was written again');
  });

  test('NODE_DISABLE_COMPILE_CACHE=1: no cache is written, and the output is the same', async () => {
    const xdg = await mkdtemp(path.join(tmpdir(), 'ksd-bin-v8-'));
    const result = await runWith({ XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' }, decrypt);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(plaintext));
    assert.deepEqual(await cacheEntries(xdg), []);
  });
});
