/**
 * Errors about a user's file carry the file (and the line, where the parser knows it), so
 * the Action can annotate that file in the pull request.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SopsFormatError, UserError, withContext } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { parseConfig } from '../../../src/commands/index.ts';
import { run } from '../../../src/run.ts';
import { storeFor } from '../../../src/sops/formats.ts';
import type { Format } from '../../../src/sops/tree.ts';
import { commandDeps } from '../../support/command-deps.ts';

describe('parse errors know their line', () => {
  const cases: { format: Format; text: string; line: number; column?: number }[] = [
    { format: 'yaml', text: 'a: 1\nb: [\n', line: 3 },
    { format: 'json', text: '{\n  "a": 1,\n  "b": x\n}', line: 3, column: 8 },
    { format: 'dotenv', text: 'A=1\n# c\nnot-a-pair\n', line: 3 },
    { format: 'ini', text: '[s]\na = 1\n[broken\n', line: 3 },
  ];
  for (const c of cases) {
    test(c.format, () => {
      let caught: unknown;
      try {
        storeFor(c.format).loadEncrypted(c.text);
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof SopsFormatError, `expected a SopsFormatError, got ${String(caught)}`);
      assert.equal(caught.line, c.line);
      if (c.column !== undefined) assert.equal(caught.column, c.column);
      const wrapped = withContext('decrypting f', caught, 'dir/f');
      assert.ok(wrapped instanceof UserError);
      assert.deepEqual(
        { file: wrapped.location?.file, line: wrapped.location?.line },
        { file: 'dir/f', line: c.line },
      );
    });
  }
});

describe('withContext', () => {
  test('keeps an inner location over the outer file', () => {
    const inner = new UserError('BAD_FORMAT', 'x', { location: { file: 'inner.yaml', line: 2 } });
    const outer = withContext('ctx', inner, 'outer.yaml');
    assert.ok(outer instanceof UserError);
    assert.deepEqual(outer.location, { file: 'inner.yaml', line: 2 });
  });

  test('names the file without a line when the error has none', () => {
    const outer = withContext('ctx', new UserError('MAC_MISMATCH', 'mac'), 'a.yaml');
    assert.ok(outer instanceof UserError);
    assert.deepEqual(outer.location, { file: 'a.yaml' });
    assert.equal(outer.message, 'ctx: mac');
  });

  test('leaves the location empty without a file', () => {
    const outer = withContext('ctx', new UserError('MAC_MISMATCH', 'mac'));
    assert.ok(outer instanceof UserError);
    assert.equal(outer.location, undefined);
  });
});

describe('run() reports the location to the host', () => {
  test('a malformed encrypted file given to decrypt', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-loc-'));
    const file = path.join(dir, 'bad.enc.json');
    await writeFile(file, '{\n  "a": ENC\n}\n');
    const host = createMemoryHost();
    const config = parseConfig(
      (name) => ({ command: 'decrypt', file })[name] ?? '',
      {},
      { stdoutIsLog: false },
    );
    const code = await run(config, commandDeps(host));
    assert.equal(code, 2);
    assert.equal(host.annotations.length, 1);
    assert.match(
      host.annotations[0] ?? '',
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:8: decrypting .*invalid JSON`),
    );
  });
});
