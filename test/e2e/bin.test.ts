/**
 * The installed command, dist/bin.js (package.json `bin`): it refuses a Node.js older than
 * `engines` with one line, runs the CLI on the oldest supported one, and keeps the CLI's
 * streams and exit codes: --version and --help are output (stdout, 0), usage errors go to
 * stderr with 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

function runBin(node: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' },
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
  const { mkdtemp, readdir, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
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
