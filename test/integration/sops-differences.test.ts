/**
 * Issue 13, item 7, against the live sops: files the real sops writes, changed the way the
 * issue found them (UTF-16, CR-only and CRLF line ends, a byte-order mark, invalid UTF-8, no
 * version, `type:bytes`). For each, `sops -d` and our `decrypt` must agree: the same bytes on
 * stdout, or both refuse. The one deliberate difference is named: in dotenv and INI files sops
 * keeps bytes that are not UTF-8, which a string cannot carry, so we refuse instead.
 *
 * Our CLI runs from src/ (node strips the types), not dist/: dist is rebuilt once, by the lead.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../env/paths.ts';
import { runSops, sopsEncrypt } from '../support/tools.ts';

const keyFile = path.join(repoRoot, 'test/fixtures/stores/age-key.txt');
const recipient = 'age1vrgze5cgr24phf64tx9rl9fkv7eyexnw2krew9ufunt2ysldncesmm2d3r';

interface Outcome {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function runOurs(file: string, format: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'src/cli.ts'),
        'decrypt',
        ...['--input-type', format, '--output-type', format, '--age-key-file', keyFile, file],
      ],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }));
  });
}

async function runReal(file: string, format: string): Promise<Outcome> {
  try {
    const stdout = await runSops(['decrypt', '--input-type', format, '--output-type', format, file], {
      SOPS_AGE_KEY_FILE: keyFile,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { code?: number; stderr?: Buffer | string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: Buffer.alloc(0),
      stderr: String(e.stderr ?? ''),
    };
  }
}

const plain: Record<string, { file: string; format: string; text: string }> = {
  yaml: {
    file: 'app.yaml',
    format: 'yaml',
    text: '# a comment\nuser: admin\npassword: hunter2\nport: 5432\n',
  },
  json: { file: 'app.json', format: 'json', text: '{"user": "admin", "password": "hunter2"}\n' },
  dotenv: { file: 'app.env', format: 'dotenv', text: '# a comment\nUSER=admin\nPASSWORD=hunter2\n' },
  ini: { file: 'app.ini', format: 'ini', text: '; a comment\n[db]\nuser = admin\npassword = hunter2\n' },
};

type Variant = (b: Buffer) => Buffer;
const text =
  (f: (s: string) => string): Variant =>
  (b) =>
    Buffer.from(f(b.toString('utf8')));
const variants: Record<string, Variant> = {
  'as written': (b) => b,
  'CR-only line ends': text((s) => s.replaceAll('\n', '\r')),
  'CRLF line ends': text((s) => s.replaceAll('\n', '\r\n')),
  'UTF-16LE with a BOM': (b) =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
  'UTF-16BE with a BOM': (b) =>
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(b.toString('utf8'), 'utf16le').swap16()]),
  'UTF-16LE without a BOM': (b) => Buffer.from(b.toString('utf8'), 'utf16le'),
  'a UTF-8 BOM': (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  'no version': text((s) =>
    s
      .replace(/,\s*"version": "[^"]*"/, '')
      .replace(/^\s*version\s*[:=].*\n/m, '')
      .replace(/^sops_version=.*\n?/m, ''),
  ),
  'type:bytes on a value': text((s) => s.replace(/type:(str|int)\]/, 'type:bytes]')),
  'invalid UTF-8 in a comment': (b) => {
    const at = b.indexOf('\n') + 1;
    return Buffer.concat([b.subarray(0, at), Buffer.from([0x23, 0x20, 0xff, 0x0a]), b.subarray(at)]);
  },
};

/** Where we refuse on purpose although sops prints something (see the header). */
const deliberate = (format: string, variant: string): boolean =>
  (format === 'dotenv' || format === 'ini') && variant === 'invalid UTF-8 in a comment';

describe('sops -d and our decrypt agree on what sops writes, changed as issue 13 found it', () => {
  for (const [format, input] of Object.entries(plain)) {
    test(format, async () => {
      const encrypted = await readFile(await sopsEncrypt(input.text, input.file, ['--age', recipient]));
      const dir = await mkdtemp(path.join(tmpdir(), 'ksd-sops-diff-'));
      for (const [name, change] of Object.entries(variants)) {
        await test(name, async () => {
          const file = path.join(dir, `${name.replaceAll(/\W+/g, '-')}${path.extname(input.file)}`);
          await writeFile(file, change(encrypted));
          const real = await runReal(file, input.format);
          const ours = await runOurs(file, input.format);
          assert.doesNotMatch(ours.stderr, /hunter2/, 'no plaintext in our error');
          assert.doesNotMatch(ours.stderr, /^\s+at /m, 'no stack trace');
          if (real.code === 0 && !deliberate(format, name)) {
            assert.equal(ours.code, 0, `sops -d prints the file; we said: ${ours.stderr}`);
            assert.equal(ours.stdout.toString('latin1'), real.stdout.toString('latin1'));
          } else {
            assert.equal(ours.code, 2, `sops refuses (${real.stderr.split('\n')[0] ?? ''}); so must we`);
            assert.equal(ours.stdout.length, 0);
            assert.match(ours.stderr, /^error: /);
          }
        });
      }
    });
  }
});
