/**
 * `decrypt -` through the real CLI: stdin larger than the cap is refused while it is read
 * (issue 13 §4/§5). It used to read everything first, so `cat /dev/zero |` grew without limit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { test } from 'node:test';
import { MAX_INPUT_BYTES } from '../../src/commands/decrypt.ts';

const cli = path.join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

/**
 * Writes 1 MiB chunks, waiting for each to drain, until the reader goes away or `limit` bytes
 * are written (then it ends the stream). Returns how much was written: at most one chunk plus
 * the pipe's buffers more than the reader took.
 */
async function feed(stdin: Writable, limit: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let written = 0;
  const reader = { gone: false };
  stdin.on('error', () => (reader.gone = true));
  stdin.on('close', () => (reader.gone = true));
  while (!reader.gone && written < limit) {
    const drained = stdin.write(chunk);
    written += chunk.byteLength;
    if (!drained) {
      await new Promise((resolve) => {
        stdin.once('drain', resolve);
        stdin.once('close', resolve);
      });
    }
  }
  if (!reader.gone) stdin.end();
  return written;
}

test('decrypt - stops reading stdin at the cap, with a clear error', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [cli, 'decrypt', '-', '--input-type', 'yaml'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Twice the cap: a reader that reads everything first would take it all and end the same way.
  const written = await feed(child.stdin, 2 * MAX_INPUT_BYTES);
  assert.equal(await exited, 2);
  assert.ok(
    written <= MAX_INPUT_BYTES + 4 * 1024 * 1024,
    `the reader stopped near the cap (${written} bytes were written)`,
  );
  assert.match(
    stderr,
    new RegExp(
      `decrypting stdin: the input is more than ${MAX_INPUT_BYTES} bytes; the limit is ${MAX_INPUT_BYTES}`,
    ),
  );
});
