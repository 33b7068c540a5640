import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { cacheEntryName } from '../../../src/host/code-cached-script.ts';

const execFileAsync = promisify(execFile);
const moduleUrl = pathToFileURL(
  path.join(import.meta.dirname, '..', '..', '..', 'src', 'host', 'code-cached-script.ts'),
).href;

describe('cacheEntryName', () => {
  const file = '/opt/a/dist/cli-lint.cjs';
  const stat0 = { size: 1000, mtimeMs: 1700000000000.25, ino: 42 };
  const node0 = { version: 'v24.1.0', arch: 'x64' };
  const base = cacheEntryName(file, stat0, node0);

  test('names the bundle and is stable', () => {
    assert.ok(base.startsWith('cli-lint.cjs-'));
    assert.ok(base.endsWith('.v8cache'));
    assert.equal(cacheEntryName(file, { ...stat0 }, { ...node0 }), base);
  });

  const changes: { name: string; file?: string; stat?: typeof stat0; node?: typeof node0 }[] = [
    { name: 'size', stat: { ...stat0, size: 1001 } },
    { name: 'modification time', stat: { ...stat0, mtimeMs: 1700000000000.5 } },
    { name: 'inode (a reinstall)', stat: { ...stat0, ino: 43 } },
    { name: 'Node.js version', node: { ...node0, version: 'v24.2.0' } },
    { name: 'architecture', node: { ...node0, arch: 'arm64' } },
    { name: 'folder (another installation)', file: '/opt/b/dist/cli-lint.cjs' },
  ];
  for (const c of changes) {
    test(`a different ${c.name} is a different entry`, () => {
      assert.notEqual(cacheEntryName(c.file ?? file, c.stat ?? stat0, c.node ?? node0), base);
    });
  }
});

describe('runCodeCachedScript', () => {
  // A bundle as esbuild writes one: a `#!` line, CommonJS, work that ends after a timer.
  const BUNDLE = `#!/usr/bin/env node
"use strict";
const { join } = require('node:path');
module.exports.ran = true;
process.stdout.write(JSON.stringify([typeof require, typeof module.exports, __filename, join(__dirname, 'x')]) + '\\n');
setTimeout(() => process.stdout.write('later ' + String(module.exports.ran) + '\\n'), 5);
`;

  async function runBundle(bundle: string, cacheDir: string): Promise<string> {
    const code = `import { runCodeCachedScript } from ${JSON.stringify(moduleUrl)};
runCodeCachedScript(process.argv[1], process.argv[2]);`;
    const { stdout } = await execFileAsync(process.execPath, [
      '--input-type=module',
      '-e',
      code,
      bundle,
      cacheDir,
    ]);
    return stdout;
  }

  async function setup(): Promise<{ bundle: string; cacheDir: string; expected: string }> {
    const root = await mkdtemp(path.join(tmpdir(), 'ksd-code-cache-'));
    const dist = path.join(root, 'dist');
    const cacheDir = path.join(root, 'cache');
    await mkdir(dist);
    await mkdir(cacheDir, { mode: 0o700 });
    const bundle = path.join(dist, 'cli-x.cjs');
    await writeFile(bundle, BUNDLE);
    const expected = `${JSON.stringify(['function', 'object', bundle, path.join(dist, 'x')])}\nlater true\n`;
    return { bundle, cacheDir, expected };
  }

  const entries = async (dir: string): Promise<string[]> => (await readdir(dir)).sort();

  test('runs the bundle as a CommonJS module, then writes one private entry', async () => {
    const { bundle, cacheDir, expected } = await setup();
    assert.equal(await runBundle(bundle, cacheDir), expected);
    const written = await entries(cacheDir);
    assert.deepEqual(written, [cacheEntryName(bundle, await stat(bundle))]);
    assert.equal((await stat(path.join(cacheDir, written[0]!))).mode & 0o777, 0o600);
  });

  test('a valid entry is used as it is, not written again', async () => {
    const { bundle, cacheDir, expected } = await setup();
    await runBundle(bundle, cacheDir);
    const entry = path.join(cacheDir, (await entries(cacheDir))[0]!);
    const before = await stat(entry);
    assert.equal(await runBundle(bundle, cacheDir), expected);
    const after = await stat(entry);
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  });

  test('an entry V8 rejects is written again, and the bundle still runs', async () => {
    const { bundle, cacheDir, expected } = await setup();
    const entry = path.join(cacheDir, cacheEntryName(bundle, await stat(bundle)));
    const garbage = Buffer.alloc(512, 7);
    await writeFile(entry, garbage);
    assert.equal(await runBundle(bundle, cacheDir), expected);
    assert.notDeepEqual(await readFile(entry), garbage);
  });

  test('a changed bundle gets a new entry and its old one is removed; another folder keeps its own', async () => {
    const { bundle, cacheDir } = await setup();
    const other = path.join(path.dirname(path.dirname(bundle)), 'other', 'cli-x.cjs');
    await mkdir(path.dirname(other));
    await writeFile(other, BUNDLE);
    await runBundle(other, cacheDir);
    await runBundle(bundle, cacheDir);
    const otherEntry = cacheEntryName(other, await stat(other));
    await writeFile(bundle, `${BUNDLE}// changed\n`);
    await runBundle(bundle, cacheDir);
    assert.deepEqual(
      await entries(cacheDir),
      [cacheEntryName(bundle, await stat(bundle)), otherEntry].sort(),
    );
  });

  test('a cache folder that cannot be written leaves the run as it is', async () => {
    const { bundle, cacheDir, expected } = await setup();
    assert.equal(await runBundle(bundle, path.join(cacheDir, 'missing')), expected);
    assert.deepEqual(await entries(cacheDir), []);
  });
});
