import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { deferBuiltins } from '../../scripts/bundle-deferred-builtins.ts';

const execFileAsync = promisify(execFile);

/** What esbuild writes for `import { createHash } from 'node:crypto'` and `import * as c`. */
const BUNDLE = `"use strict";
var import_node_crypto = require("node:crypto");
var loadedAtStart = process.moduleLoadList.includes('NativeModule crypto');
function digest(text) { return (0, import_node_crypto.createHash)("sha256").update(text).digest("hex"); }
function namespace() { var c = Object.assign({}, require("node:crypto")); return typeof c.randomBytes; }
process.stdout.write(JSON.stringify({ loadedAtStart, digest: digest("a"), namespace: namespace(),
  has: "createHash" in import_node_crypto, keyObject: import_node_crypto.KeyObject === require("node:crypto").KeyObject }));
`;

test('node:crypto loads at its first use, and every use sees the real module', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-deferred-'));
  const run = async (source: string): Promise<Record<string, unknown>> => {
    const file = path.join(dir, `b${String(Math.random()).slice(2)}.cjs`);
    await writeFile(file, source);
    return JSON.parse((await execFileAsync(process.execPath, [file])).stdout) as Record<string, unknown>;
  };
  const plain = await run(BUNDLE);
  const deferred = await run(deferBuiltins(BUNDLE));
  assert.equal(plain['loadedAtStart'], true);
  assert.equal(deferred['loadedAtStart'], false);
  assert.deepEqual({ ...deferred, loadedAtStart: true }, plain);
  assert.equal(plain['digest'], 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
});

test('a bundle without the "use strict" prologue is refused, not silently left as it is', () => {
  assert.throws(() => deferBuiltins('var a = require("node:crypto");'), /use strict/);
});
