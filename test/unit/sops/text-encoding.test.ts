/** Decoding a SOPS file's bytes as sops's readers do (src/sops/text-encoding.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SopsFormatError } from '../../../src/errors.ts';
import { decodeSopsText, firstInvalidUtf8, readableText } from '../../../src/sops/text-encoding.ts';
import type { Format } from '../../../src/sops/tree.ts';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const utf16le = (s: string): Uint8Array =>
  new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]));
const utf16be = (s: string): Uint8Array => {
  const le = Buffer.from(s, 'utf16le');
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]));
};
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))),
  );

describe('decodeSopsText: what sops reads', () => {
  const cases: { name: string; input: Uint8Array; format: Format; text: string }[] = [
    { name: 'plain UTF-8 YAML', input: utf8('k: zażółć\n'), format: 'yaml', text: 'k: zażółć\n' },
    {
      name: 'YAML in UTF-16LE with a BOM (go-yaml decodes it)',
      input: utf16le('k: v\n# ü\n'),
      format: 'yaml',
      text: 'k: v\n# ü\n',
    },
    { name: 'YAML in UTF-16BE with a BOM', input: utf16be('k: v 😀\n'), format: 'yaml', text: 'k: v 😀\n' },
    {
      name: 'a UTF-8 BOM stays for the YAML store to skip',
      input: bytes([0xef, 0xbb, 0xbf], 'k: v\n'),
      format: 'yaml',
      text: '\uFEFFk: v\n',
    },
    {
      name: 'tab, CR and NEL are allowed in YAML',
      input: utf8('k: "a\tb"\r\nn: "\u0085"\n'),
      format: 'yaml',
      text: 'k: "a\tb"\r\nn: "\u0085"\n',
    },
    {
      name: 'JSON: invalid UTF-8 becomes U+FFFD, as in encoding/json',
      input: bytes('{"k": "a', [0xff], 'b"}'),
      format: 'json',
      text: '{"k": "a\uFFFDb"}',
    },
    {
      name: 'a dotenv BOM stays: sops makes it part of the first key',
      input: bytes([0xef, 0xbb, 0xbf], 'K=v\n'),
      format: 'dotenv',
      text: '\uFEFFK=v\n',
    },
    { name: 'INI as UTF-8', input: utf8('[s]\nk = ü\n'), format: 'ini', text: '[s]\nk = ü\n' },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(decodeSopsText(c.input, c.format), c.text));
  }
});

describe('decodeSopsText: what sops refuses', () => {
  const cases: {
    name: string;
    input: Uint8Array;
    format: Format;
    message: RegExp;
    line?: number;
    column?: number;
  }[] = [
    {
      name: 'invalid UTF-8 in a YAML comment',
      input: bytes('a: 1\n# bad ', [0xff], '\n'),
      format: 'yaml',
      message: /line 2, column 7 is not valid UTF-8/,
      line: 2,
      column: 7,
    },
    {
      name: 'invalid UTF-8 in a YAML key',
      input: bytes('ké', [0xc3], ': 1\n'),
      format: 'yaml',
      message: /line 1, column 3 is not valid UTF-8/,
      line: 1,
      column: 3,
    },
    {
      name: 'an overlong encoding',
      input: bytes('k: ', [0xc0, 0xaf], '\n'),
      format: 'yaml',
      message: /not valid UTF-8/,
    },
    {
      name: 'an encoded surrogate',
      input: bytes('k: ', [0xed, 0xa0, 0x80], '\n'),
      format: 'yaml',
      message: /not valid UTF-8/,
    },
    {
      name: 'invalid UTF-8 in a dotenv key',
      input: bytes('A=1\nK', [0xfe], '=v\n'),
      format: 'dotenv',
      message: /line 2, column 2 is not valid UTF-8/,
      line: 2,
    },
    {
      name: 'invalid UTF-8 in an INI comment',
      input: bytes('; ', [0x80], '\n[s]\n'),
      format: 'ini',
      message: /line 1, column 3 is not valid UTF-8/,
    },
    {
      name: 'a control character in YAML',
      input: utf8('k: a\u0001b\n'),
      format: 'yaml',
      message: /line 1, column 5 holds the control character U\+0001/,
      line: 1,
      column: 5,
    },
    { name: 'DEL in YAML', input: utf8('k: \u007f\n'), format: 'yaml', message: /U\+007F/ },
    {
      name: 'a control character in UTF-16 YAML',
      input: utf16le('k: \u0002\n'),
      format: 'yaml',
      message: /U\+0002/,
    },
    {
      name: 'UTF-16 JSON',
      input: utf16le('{}'),
      format: 'json',
      message: /UTF-16 .*sops reads json files as UTF-8 only/,
    },
    { name: 'UTF-16 dotenv', input: utf16be('K=v\n'), format: 'dotenv', message: /UTF-16/ },
    { name: 'UTF-16 INI', input: utf16le('[s]\n'), format: 'ini', message: /UTF-16/ },
    {
      name: 'UTF-16 without a BOM',
      input: new Uint8Array(Buffer.from('k: v\nx: y\n', 'utf16le')),
      format: 'yaml',
      message: /UTF-16 without a byte-order mark/,
    },
    {
      name: 'UTF-16 with an odd byte count',
      input: bytes([0xff, 0xfe, 0x6b]),
      format: 'yaml',
      message: /middle of a character/,
    },
    {
      name: 'UTF-16 with an unpaired surrogate',
      input: bytes([0xff, 0xfe, 0x00, 0xd8, 0x6b, 0x00]),
      format: 'yaml',
      message: /unpaired surrogate/,
    },
    {
      name: 'a UTF-8 BOM before JSON',
      input: bytes([0xef, 0xbb, 0xbf], '{}'),
      format: 'json',
      message: /byte-order mark, which JSON does not allow/,
      line: 1,
      column: 1,
    },
    {
      name: 'a UTF-8 BOM before a binary file envelope',
      input: bytes([0xef, 0xbb, 0xbf], '{}'),
      format: 'binary',
      message: /byte-order mark/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => decodeSopsText(c.input, c.format),
        (e: unknown) =>
          e instanceof SopsFormatError &&
          c.message.test(e.message) &&
          (c.line === undefined || e.line === c.line) &&
          (c.column === undefined || e.column === c.column),
      );
    });
  }

  test('the message never quotes the text around the bad byte', () => {
    assert.throws(
      () => decodeSopsText(bytes('password: hunter2', [0xff], '\n'), 'yaml'),
      (e: unknown) => e instanceof SopsFormatError && !e.message.includes('hunter2'),
    );
  });
});

describe('firstInvalidUtf8', () => {
  test('agrees with a fatal TextDecoder on random bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array): boolean => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // Mostly UTF-8 text with some random bytes mixed in, so both answers come up often.
    const chunk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }).map((s) => [...Buffer.from(s, 'utf8')]),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 8 }), (chunks) => {
        const input = new Uint8Array(chunks.flat());
        const bad = firstInvalidUtf8(input);
        assert.equal(bad === -1, valid(input));
        if (bad !== -1) {
          assert.ok(valid(input.subarray(0, bad)), 'everything before the reported byte is valid');
        }
      }),
      { seed: 13, numRuns: 3000 },
    );
  });
});

describe('readableText', () => {
  test('decodes UTF-16 with a BOM and never throws', () => {
    assert.equal(readableText(utf16le('sops:\n')), 'sops:\n');
    assert.equal(readableText(bytes('a', [0xff])), 'a\uFFFD');
  });
});
