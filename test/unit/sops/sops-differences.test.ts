/**
 * Where we used to differ from sops 3.13.3, on files the real sops wrote (test/fixtures/stores,
 * made with the test-only age key there), changed the way the issue found them (issue 13,
 * item 7). What sops does with each input is noted per case; the integration test
 * test/integration/sops-differences.test.ts checks it against the live sops.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { renderOutput } from '../../../src/commands/decrypt-run.ts';
import { UserError } from '../../../src/errors.ts';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { buildLocalKeySources } from '../../../src/keys/local-keys.ts';
import { decryptText } from '../../../src/sops/decrypt.ts';
import type { Format } from '../../../src/sops/tree.ts';
import { repoRoot } from '../../env/paths.ts';

const stores = path.join(repoRoot, 'test/fixtures/stores');
const read = (rel: string): Promise<Buffer> => readFile(path.join(stores, rel));

const keySources = await buildLocalKeySources({
  ageKeyFiles: [path.join(stores, 'age-key.txt')],
  env: { GNUPGHOME: '/nonexistent-gnupg-home' },
  exec: nodeExec,
  mask: () => undefined,
});

async function decrypt(input: Uint8Array, format: Format): Promise<string> {
  const { branches } = await decryptText(input, format, { keySources });
  return Buffer.from(renderOutput(branches, format, undefined)).toString('utf8');
}

const utf16le = (b: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);
const utf16be = (b: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(b.toString('utf8'), 'utf16le').swap16()]);
const withoutLine = (b: Buffer, pattern: RegExp): Buffer =>
  Buffer.from(
    b
      .toString('utf8')
      .split('\n')
      .filter((l) => !pattern.test(l))
      .join('\n'),
  );
/** Inserts raw bytes before the first occurrence of `before`. */
const insertBytes = (b: Buffer, before: string, bytes: number[]): Buffer => {
  const at = b.indexOf(before);
  assert.ok(at >= 0, `${before} is in the fixture`);
  return Buffer.concat([b.subarray(0, at), Buffer.from(bytes), b.subarray(at)]);
};
const retype = (b: Buffer, from = 'str'): Buffer =>
  Buffer.from(b.toString('utf8').replace(`type:${from}]`, 'type:bytes]'));

const yamlEnc = await read('yaml/flat.enc.yaml');
const yamlDec = (await read('yaml/flat.dec.yaml')).toString('utf8');
const envEnc = await read('dotenv/basic.enc.env');
const jsonEnc = await read('json/types.enc.json');
const iniEnc = await read('ini/basic.enc.ini');

describe('decoded as sops decodes them', () => {
  const cases: { name: string; input: Buffer }[] = [
    // go-yaml breaks lines at a lone CR; eemeli yaml did not, so the file read as one line.
    {
      name: 'YAML with CR-only line ends',
      input: Buffer.from(yamlEnc.toString('utf8').replaceAll('\n', '\r')),
    },
    // go-yaml decodes UTF-16 with a byte-order mark; we said "YAML documents that are values ...".
    { name: 'YAML in UTF-16LE with a BOM', input: utf16le(yamlEnc) },
    { name: 'YAML in UTF-16BE with a BOM', input: utf16be(yamlEnc) },
    {
      name: 'YAML with CRLF line ends',
      input: Buffer.from(yamlEnc.toString('utf8').replaceAll('\n', '\r\n')),
    },
  ];
  for (const c of cases) {
    test(`${c.name}: the same plaintext as sops -d`, async () => {
      assert.equal(await decrypt(c.input, 'yaml'), yamlDec);
    });
  }
});

describe('refused as sops refuses them, with a message that says why', () => {
  const cases: {
    name: string;
    input: Buffer;
    format: Format;
    code: string;
    message: RegExp;
    /** Words the old, misleading message used. */
    not?: RegExp;
    hint?: RegExp;
  }[] = [
    {
      // sops: "yaml: invalid leading UTF-8 octet"; we rewrote the byte as U+FFFD and printed it.
      name: 'invalid UTF-8 in a YAML comment',
      input: insertBytes(yamlEnc, 'sops:', [0x23, 0x20, 0xff, 0x0a]),
      format: 'yaml',
      code: 'BAD_FORMAT',
      message: /line \d+, column 3 is not valid UTF-8/,
    },
    {
      name: 'invalid UTF-8 in a YAML key',
      input: insertBytes(yamlEnc, 'flat_float', [0xc3]),
      format: 'yaml',
      code: 'BAD_FORMAT',
      message: /line 2, column 1 is not valid UTF-8/,
    },
    {
      // sops keeps the raw byte in a dotenv comment; a JavaScript string cannot, so refuse.
      name: 'invalid UTF-8 in a dotenv comment',
      input: insertBytes(envEnc, 'BAZ=', [0x23, 0xff, 0x0a]),
      format: 'dotenv',
      code: 'BAD_FORMAT',
      message: /line 2, column 2 is not valid UTF-8/,
    },
    {
      name: 'invalid UTF-8 in an INI key',
      input: insertBytes(iniEnc, 'sops', [0xfe]),
      format: 'ini',
      code: 'BAD_FORMAT',
      message: /is not valid UTF-8/,
    },
    // sops: "Version string empty".
    {
      name: 'a YAML file without version',
      input: withoutLine(yamlEnc, /^\s+version:/),
      format: 'yaml',
      code: 'BAD_METADATA',
      message: /version is missing/,
    },
    {
      name: 'a dotenv file without version',
      input: withoutLine(envEnc, /^sops_version=/),
      format: 'dotenv',
      code: 'BAD_METADATA',
      message: /version is missing/,
    },
    {
      name: 'a JSON file without version',
      input: Buffer.from(jsonEnc.toString('utf8').replace(/,\s*"version": "[^"]*"/, '')),
      format: 'json',
      code: 'BAD_METADATA',
      message: /version is missing/,
    },
    // sops panics: "hash of unhashable type []uint8".
    {
      name: 'type:bytes in YAML',
      input: retype(yamlEnc, 'float'),
      format: 'yaml',
      code: 'BAD_ENC_VALUE',
      message: /type bytes, which sops never writes/,
    },
    {
      name: 'type:bytes in dotenv',
      input: retype(envEnc),
      format: 'dotenv',
      code: 'BAD_ENC_VALUE',
      message: /^value at FOO: .*type bytes/,
    },
    {
      name: 'type:bytes in JSON',
      input: retype(jsonEnc),
      format: 'json',
      code: 'BAD_ENC_VALUE',
      message: /type bytes/,
    },
    {
      // sops: "yaml: control characters are not allowed".
      name: 'YAML in UTF-16 without a BOM',
      input: Buffer.from(yamlEnc.toString('utf8'), 'utf16le'),
      format: 'yaml',
      code: 'BAD_FORMAT',
      message: /UTF-16 without a byte-order mark/,
      not: /documents that are values/,
    },
    {
      // sops: parsing time "...\x0d": extra text. We blamed the timestamp's form.
      name: 'a dotenv file with CRLF line ends',
      input: Buffer.from(envEnc.toString('utf8').replaceAll('\n', '\r\n')),
      format: 'dotenv',
      code: 'BAD_FORMAT',
      message: /Windows \(CRLF\) line ends/,
      not: /RFC 3339/,
      hint: /dos2unix/,
    },
    {
      // sops: "sops metadata not found", the whole file being one line.
      name: 'a dotenv file with CR-only line ends',
      input: Buffer.from(envEnc.toString('utf8').replaceAll('\n', '\r')),
      format: 'dotenv',
      code: 'NO_METADATA',
      message: /no sops metadata/,
      hint: /CR only/,
    },
    {
      // sops: "invalid character 'ï' looking for beginning of value".
      name: 'a JSON file with a UTF-8 BOM',
      input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), jsonEnc]),
      format: 'json',
      code: 'BAD_FORMAT',
      message: /byte-order mark/,
    },
    {
      name: 'a JSON file in UTF-16',
      input: utf16le(jsonEnc),
      format: 'json',
      code: 'BAD_FORMAT',
      message: /UTF-16/,
    },
    {
      name: 'a dotenv file in UTF-16',
      input: utf16le(envEnc),
      format: 'dotenv',
      code: 'BAD_FORMAT',
      message: /UTF-16/,
      not: /has no "="/,
    },
    {
      // sops keeps the BOM in the first key, then fails on its value; the key showed an invisible character.
      name: 'a dotenv file with a UTF-8 BOM whose first line is a comment',
      input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# note\n'), envEnc]),
      format: 'dotenv',
      code: 'BAD_FORMAT',
      message: /^invalid dotenv line 1/,
      not: /\uFEFF/,
      hint: /byte-order mark \(U\+FEFF\)/,
    },
    {
      // sops keeps the BOM in the first key; the key showed with an invisible character.
      name: 'a dotenv file with a UTF-8 BOM before its first key',
      input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('NOTE=plain\n'), envEnc]),
      format: 'dotenv',
      code: 'BAD_ENC_VALUE',
      message: /^value at \\u\{FEFF\}NOTE: /,
      not: /\uFEFF/,
      hint: /byte-order mark \(U\+FEFF\)/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      await assert.rejects(decrypt(c.input, c.format), (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        assert.equal(e.code, c.code, e.message);
        assert.match(e.message, c.message);
        if (c.not !== undefined) assert.doesNotMatch(e.message, c.not);
        if (c.hint !== undefined) assert.match(e.hint ?? '', c.hint);
        return true;
      });
    });
  }
});

test('a dotenv file that sops wrote from CRLF input (CRs inside the values) still decrypts', async () => {
  const enc = await read('dotenv/crlf.enc.env');
  assert.equal(await decrypt(enc, 'dotenv'), (await read('dotenv/crlf.dec.env')).toString('utf8'));
});
