import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { MIN_MASK_LENGTH, Redactor, SecretRegistry, maskableParts } from '../../src/masking.ts';
import {
  escapedForms,
  goJsonEscaped,
  goQuoted,
  jsonEscaped,
  yamlDoubleQuoted,
  yamlSingleQuoted,
} from '../../src/secret-forms.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const atLimit = 'x'.repeat(MIN_MASK_LENGTH);
const belowLimit = 'x'.repeat(MIN_MASK_LENGTH - 1);

const cases: [string, string, string[]][] = [
  ['a long value', 'hunter22', ['hunter22']],
  ['a short value is not masked (it would wreck every log line)', 'abc', []],
  ['a value exactly at the limit is masked', atLimit, [atLimit]],
  ['a value one below the limit is not', belowLimit, []],
  [
    'multi-line: the whole and each long line',
    'line-one\nab\nline-three',
    ['line-one\nab\nline-three', 'line-one', 'line-three'],
  ],
  ['surrounding blanks do not count', '  xy  ', []],
  ['blanks around a long value are trimmed off', '  hunter22\n', ['hunter22']],
  ['CRLF lines are split too', 'line-one\r\nline-two', ['line-one\r\nline-two', 'line-one', 'line-two']],
  ['a blank value is never masked', '        ', []],
  [
    'PEM armour lines are masked like any other line',
    '-----BEGIN KEY-----\nAAAABBBB\n-----END KEY-----',
    [
      '-----BEGIN KEY-----\nAAAABBBB\n-----END KEY-----',
      '-----BEGIN KEY-----',
      'AAAABBBB',
      '-----END KEY-----',
    ],
  ],
];
for (const [name, value, want] of cases) {
  test(`maskableParts: ${name}`, () => assert.deepEqual(maskableParts(value).sort(), [...want].sort()));
}

test('maskableParts without lines keeps only the whole value', () => {
  assert.deepEqual(maskableParts('{\n  "user": "admin"\n}', { lines: false }), ['{\n  "user": "admin"\n}']);
});

test('redact replaces the longest secrets first and leaves short ones', () => {
  const r = new Redactor();
  r.add('password123');
  r.add('password123-extended');
  r.add('b');
  r.add(belowLimit);
  r.add(atLimit.replaceAll('x', 'q'));
  assert.equal(
    r.redact(`x password123-extended y password123 a b c ${belowLimit} ${atLimit.replaceAll('x', 'q')}`),
    `x *** y *** a b c ${belowLimit} ***`,
  );
});

test('the registry masks values of 4+ characters and their base64, and redacts', () => {
  const host = createMemoryHost();
  const registry = new SecretRegistry((v) => host.setSecret(v));
  registry.add('abc');
  registry.add('hunter2');
  assert.deepEqual(host.secrets, ['hunter2', Buffer.from('hunter2').toString('base64')]);
  assert.equal(registry.redact('pw=hunter2'), 'pw=***');
  assert.equal(registry.touches('x hunter2 y'), true);
});

const registryCases: {
  name: string;
  value: string;
  lines?: boolean;
  masked: string[];
}[] = [
  { name: 'short values are ignored', value: 'abc', masked: [] },
  { name: 'a value and its base64', value: 'hunter2', masked: ['hunter2', b64('hunter2')] },
  {
    name: 'a multi-line value, each line, and the base64 of each as written',
    value: 'user=admin\n  pass=hunter2',
    masked: [
      'user=admin\n  pass=hunter2',
      'user=admin',
      'pass=hunter2',
      b64('user=admin\n  pass=hunter2'),
      b64('user=admin'),
      b64('  pass=hunter2'),
      'user=admin\\n  pass=hunter2',
    ],
  },
  {
    name: 'lines off: only the whole value and its base64',
    value: 'user=admin\npass=hunter2',
    lines: false,
    masked: ['user=admin\npass=hunter2', b64('user=admin\npass=hunter2'), 'user=admin\\npass=hunter2'],
  },
  {
    name: 'quotes and backslashes: Go-quoted/JSON/YAML double-quoted form and the YAML single-quoted one',
    value: `pw"SECRET'end\\`,
    masked: [`pw"SECRET'end\\`, b64(`pw"SECRET'end\\`), `pw\\"SECRET'end\\\\`, `pw"SECRET''end\\`],
  },
  {
    name: 'a tab and a control character: Go (\\x01), JSON (\\u0001) and YAML (\\x01) forms',
    value: 'pw\tSE\u0001CRET',
    masked: ['pw\tSE\u0001CRET', b64('pw\tSE\u0001CRET'), 'pw\\tSE\\x01CRET', 'pw\\tSE\\u0001CRET'],
  },
  {
    name: "HTML characters: Go's encoding/json escapes them",
    value: 'a<b>&c',
    masked: ['a<b>&c', b64('a<b>&c'), 'a\\u003cb\\u003e\\u0026c'],
  },
  {
    name: 'non-printable Unicode: Go quotes it, YAML keeps it or uses its own escape',
    value: 'pw\u00a0x\u00adyz',
    masked: ['pw\u00a0x\u00adyz', b64('pw\u00a0x\u00adyz'), 'pw\\u00a0x\\u00adyz', 'pw\\_x\u00adyz'],
  },
  {
    name: 'blanks around the value are trimmed for the text, kept for the base64',
    value: 'hunter2\n',
    masked: ['hunter2', b64('hunter2\n'), b64('hunter2')],
  },
];
for (const { name, value, lines, masked } of registryCases) {
  test(`SecretRegistry: ${name}`, () => {
    const seen: string[] = [];
    const registry = new SecretRegistry((v) => seen.push(v));
    const options = lines === undefined ? {} : { lines };
    registry.add(value, options);
    registry.add(value, options); // a second add masks nothing new
    assert.deepEqual(seen.sort(), [...masked].sort());
    for (const form of masked) {
      assert.equal(registry.touches(`a ${form} b`), true, form);
      assert.equal(registry.redact(`a ${form} b`).includes(form), false, form);
    }
    assert.equal(registry.touches('nothing secret here'), false);
  });
}

test('SecretRegistry.values is longest first', () => {
  const registry = new SecretRegistry(() => undefined);
  registry.add('hunter2');
  registry.add('correct horse battery staple');
  const values = registry.values();
  assert.deepEqual(
    values,
    [...values].sort((a, b) => b.length - a.length),
  );
  assert.equal(values[0], b64('correct horse battery staple'));
});

/**
 * The matcher against what it replaced, a RegExp alternation of every part longest first:
 * the same output for random secrets over a tiny alphabet (so they overlap, share their
 * first characters and nest) added between redactions, as a run adds them between log lines.
 */
test('redact and touches match a longest-first RegExp alternation on overlapping secrets', () => {
  let seed = 17;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const word = (min: number, max: number): string =>
    Array.from({ length: min + random(max - min + 1) }, () => 'ab\nc'[random(4)]).join('');
  for (let round = 0; round < 50; round++) {
    const redactor = new Redactor();
    const parts = new Set<string>();
    for (let n = 0; n < 1 + random(12); n++) {
      const value = word(1, 9);
      redactor.add(value);
      for (const part of maskableParts(value)) parts.add(part);
      const text = word(0, 60);
      const sorted = [...parts].sort((a, b) => b.length - a.length);
      const escaped = sorted.map((p) => p.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
      const want = sorted.length === 0 ? text : text.replace(new RegExp(escaped.join('|'), 'g'), '***');
      assert.equal(redactor.redact(text), want, JSON.stringify({ parts: sorted, text }));
    }
  }
});

test('touches finds a secret at the very end of a text and not a prefix of one', () => {
  const registry = new SecretRegistry(() => undefined);
  registry.add('hunter22');
  assert.equal(registry.touches('pw=hunter22'), true);
  assert.equal(registry.touches('pw=hunter2'), false);
  assert.equal(registry.touches('hunt'), false);
});

test('escapedForms: the printable-ASCII shortcut gives what the five escapers give', () => {
  // Every code point up to U+3000 alone and inside a value, against the escapers themselves.
  for (let code = 0; code < 0x3000; code++) {
    const char = String.fromCodePoint(code);
    for (const value of [char, `ab${char}cd`]) {
      const forms = new Set([
        goQuoted(value),
        jsonEscaped(value),
        goJsonEscaped(value),
        yamlDoubleQuoted(value),
        yamlSingleQuoted(value),
      ]);
      forms.delete(value);
      assert.deepEqual(escapedForms(value), [...forms], `U+${code.toString(16)}`);
    }
  }
});
